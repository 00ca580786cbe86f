/*
 * staging_csv.c — the per-night staging table (see staging_csv.h).
 */
#include "staging_csv.h"

#include "numfmt.h"
#include "report.h"
#include "staging.h"

static const char *const stage_columns[] = {"support", "sensitivity", "specificity", "ppv", "npv", "f1",
					    "accuracy"};

static void write_header(FILE *fp)
{
	fputs("night,epochs,accuracy,balanced_accuracy,kappa,mcc,f1_weighted", fp);
	for (int s = 0; s < STAGING_STAGES; s++)
		for (size_t c = 0; c < sizeof stage_columns / sizeof stage_columns[0]; c++)
			fprintf(fp, ",%s_%s", staging_stage_names[s], stage_columns[c]);
	fputs(",sleep_wake_accuracy,sleep_wake_sensitivity,sleep_wake_specificity,sleep_wake_kappa,"
	      "sleep_wake_pabak\n", fp);
}

static void cell(FILE *fp, struct stat_num v)
{
	char num[NUMFMT_MAX];

	fputc(',', fp);
	if (v.known) {
		numfmt_double(v.value, num);
		fputs(num, fp);
	}
}

static void write_row(FILE *fp, const struct night_record *r)
{
	uint64_t table[STAGING_STAGES][STAGING_STAGES];
	struct staging_agreement a;

	report_night_staging_table(r, table);
	staging_agree(table, &a);
	fprintf(fp, "%s,%llu", r->id, (unsigned long long)a.n);
	cell(fp, a.accuracy);
	cell(fp, a.balanced_accuracy);
	cell(fp, a.kappa);
	cell(fp, a.mcc);
	cell(fp, a.f1_weighted);
	for (int s = 0; s < STAGING_STAGES; s++) {
		const struct staging_stage *st = &a.stage[s];
		fprintf(fp, ",%llu", (unsigned long long)st->support);
		cell(fp, st->sensitivity);
		cell(fp, st->specificity);
		cell(fp, st->ppv);
		cell(fp, st->npv);
		cell(fp, st->f1);
		cell(fp, st->accuracy);
	}
	cell(fp, a.sleep_wake.accuracy);
	cell(fp, a.sleep_wake.sensitivity);
	cell(fp, a.sleep_wake.specificity);
	cell(fp, a.sleep_wake.kappa);
	cell(fp, a.sleep_wake.pabak);
	fputc('\n', fp);
}

void staging_csv_write(FILE *fp, const struct night_list *nights)
{
	write_header(fp);
	for (size_t i = 0; i < nights->n; i++)
		if (report_night_has_staging(&nights->v[i]))
			write_row(fp, &nights->v[i]);
}
