/*
 * nights_csv.c — the per-night table (see nights_csv.h).
 */
#include "nights_csv.h"

#include "numfmt.h"

static void write_header(FILE *fp)
{
	fputs("night,status", fp);
	for (int k = 0; k < SCORE_KEY_COUNT; k++)
		fprintf(fp, ",label_%s,pred_%s", scorekey_name(k), scorekey_name(k));
	fputc('\n', fp);
}

static void write_cell(FILE *fp, enum score_key k, const struct night_score *s)
{
	char num[NUMFMT_MAX];

	fputc(',', fp);
	if (!s->known)
		return;
	switch (scorekey_kind(k)) {
	case SCORE_STRING:
		fputs(scorekey_severity_names[(int)s->value], fp);
		break;
	case SCORE_BOOL:
		fputs(s->value != 0 ? "true" : "false", fp);
		break;
	case SCORE_NUMBER:
		numfmt_double(s->value, num);
		fputs(num, fp);
		break;
	}
}

static void write_row(FILE *fp, const struct night_record *r)
{
	fprintf(fp, "%s,%s", r->id, r->failed ? "failed" : "ok");
	for (int k = 0; k < SCORE_KEY_COUNT; k++) {
		for (int s = 0; s < SOURCE_COUNT; s++) {
			if (r->failed)
				fputc(',', fp);
			else
				write_cell(fp, k, &r->scores[s][k]);
		}
	}
	fputc('\n', fp);
}

void nights_csv_write(FILE *fp, const struct night_list *nights)
{
	write_header(fp);
	for (size_t i = 0; i < nights->n; i++)
		write_row(fp, &nights->v[i]);
}
