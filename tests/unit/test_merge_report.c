/*
 * test_merge_report.c — which nights and values enter which statistic (merge/report.c), on night
 * records built in memory, and night.json parsing (merge/nights.c) on small texts.
 */
#include "check.h"

#include <math.h>

#include "merge/nights.h"
#include "merge/report.h"

static struct night_record recs[4];

static void set(struct night_record *r, enum score_key k, double label, double pred)
{
	r->scores[SOURCE_LABELS][k] = (struct night_score){label, !isnan(label)};
	r->scores[SOURCE_PREDICTIONS][k] = (struct night_score){pred, !isnan(pred)};
}

/* N1 mild/severe AHI 10/31; N2 AHI 4/null; N3 failed; N4 normal/normal AHI 1/2 with staging. */
static struct night_list sample(void)
{
	memset(recs, 0, sizeof recs);
	set(&recs[0], SK_AHI, 10, 31);
	set(&recs[0], SK_SEVERITY, 1, 3);
	set(&recs[1], SK_AHI, 4, NAN);
	set(&recs[1], SK_SEVERITY, 0, NAN);
	recs[2].failed = true;
	set(&recs[2], SK_AHI, 50, 50); /* a failed night's leftovers must not count */
	set(&recs[3], SK_AHI, 1, 2);
	set(&recs[3], SK_SEVERITY, 0, 0);
	recs[3].has_staging = true;
	recs[3].staging[STAGE_W][STAGE_W] = 5;
	recs[3].staging[STAGE_N2][STAGE_N3] = 2;
	recs[3].staging[STAGE_UNSCORED][STAGE_N2] = 7;  /* artefact in the labels */
	recs[3].staging[STAGE_R][STAGE_UNSCORED] = 3;   /* no predicted epoch */
	return (struct night_list){.v = recs, .n = 4, .n_failed = 1};
}

TEST(report_counts_and_pairs_skip_failed_and_null)
{
	struct night_list nights = sample();
	static struct report r;
	struct err e;

	CHECK_INT(report_compute(&nights, &r, &e), 0);
	CHECK_INT(r.total, 4);
	CHECK_INT(r.ok, 3);
	CHECK_INT(r.failed, 1);
	CHECK_INT(r.agreement[SK_AHI].n, 2);           /* N1 and N4 */
	CHECK_DOUBLE(r.agreement[SK_AHI].bias.value, (21 + 1) / 2.0, 1e-12);
	CHECK_INT(r.agreement[SK_TST].n, 0);           /* all null */
	CHECK(!r.agreement[SK_TST].bias.known);
}

TEST(report_severity_and_diagnosis_share_their_nights)
{
	struct night_list nights = sample();
	static struct report r;
	struct err e;

	report_compute(&nights, &r, &e);
	CHECK_INT(r.severity_n, 2);
	CHECK_INT(r.severity[1][3], 1);
	CHECK_INT(r.severity[0][0], 1);
	/* AHI >= 5: N1 positive on both sides; AHI >= 15 and 30: N1 a false positive */
	CHECK_INT(r.diagnosis[0].tp, 1);
	CHECK_INT(r.diagnosis[0].tn, 1);
	CHECK_INT(r.diagnosis[1].fp, 1);
	CHECK_INT(r.diagnosis[2].fp, 1);
	CHECK(!r.diagnosis[2].sensitivity.known);
	CHECK_DOUBLE(r.diagnosis[2].specificity.value, 0.5, 0);
}

TEST(report_staging_leaves_out_unscored_epochs)
{
	struct night_list nights = sample();
	static struct report r;
	struct err e;

	report_compute(&nights, &r, &e);
	CHECK_INT(r.staging_nights, 1);
	CHECK_INT(r.staging_n, 7);
	CHECK_INT(r.staging_excluded, 10);
	CHECK_DOUBLE(r.staging_accuracy.value, 5.0 / 7, 1e-15);
	CHECK(!r.staging_f1[STAGE_N1].known);          /* never scored by anyone */
	CHECK_DOUBLE(r.staging_f1[STAGE_N3].value, 0, 0);
}

static const char failed_night[] =
	"{\"schema\": \"nightfan.night/1\", \"night\": \"N7\", \"status\": \"failed\",\n"
	" \"error\": {\"file\": null, \"line\": null, \"column\": null, \"message\": \"boom\"},\n"
	" \"epochs\": null, \"scores\": null, \"staging_confusion\": null}\n";

TEST(night_parse_failed_night_with_null_position)
{
	struct night_record r = {0};
	struct err e;

	CHECK_INT(night_parse(failed_night, "x/N7/night.json", "N7", &r, &e), 0);
	CHECK(r.failed);
	CHECK(r.error_file == NULL);
	CHECK_INT(r.error_line, -1);
	CHECK_STR(r.error_message, "boom");
	night_record_free(&r);
}

TEST(night_parse_reports_where_json_breaks)
{
	struct night_record r = {0};
	struct err e;
	char msg[256];

	CHECK_INT(night_parse("{\n  \"schema\": ,\n}", "d/N1/night.json", "N1", &r, &e), -1);
	CHECK_STR(err_format(&e, msg, sizeof msg), "d/N1/night.json:2:13: not valid JSON");
	CHECK_INT(night_parse(failed_night, "d/N1/night.json", "N1", &r, &e), -1);
	CHECK_STR(err_format(&e, msg, sizeof msg), "d/N1/night.json: \"night\" is \"N7\" but the folder is N1");
	night_record_free(&r);
}
