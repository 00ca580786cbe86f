/*
 * staging.c — epoch-by-epoch staging agreement (see staging.h).
 *
 * Counts stay integers until the last division; MCC's products are formed in doubles, exact while
 * the epochs stay below 2^26 (about 64 million: some 67,000 eight-hour nights pooled).
 */
#include "staging.h"

#include <math.h>

#include "dist.h"

const char *const staging_stage_names[STAGING_STAGES] = {"W", "N1", "N2", "N3", "R"};

static const struct stat_num unknown = {0, false};

static struct stat_num known(double v)
{
	return (struct stat_num){.value = v, .known = isfinite(v)};
}

static void one_vs_rest(const uint64_t t[STAGING_STAGES][STAGING_STAGES], uint64_t total, int s,
			struct staging_stage *o)
{
	uint64_t row = 0, col = 0;

	for (int j = 0; j < STAGING_STAGES; j++) {
		row += t[s][j];
		col += t[j][s];
	}
	o->tp = t[s][s];
	o->fn = row - o->tp;
	o->fp = col - o->tp;
	o->tn = total - o->tp - o->fn - o->fp;
	o->support = o->tp + o->fn;
	o->sensitivity = stats_ratio(o->tp, o->tp + o->fn);
	o->specificity = stats_ratio(o->tn, o->tn + o->fp);
	o->ppv = stats_ratio(o->tp, o->tp + o->fp);
	o->npv = stats_ratio(o->tn, o->tn + o->fn);
	o->f1 = stats_ratio(2 * o->tp, 2 * o->tp + o->fp + o->fn);
	o->accuracy = stats_ratio(o->tp + o->tn, total);
}

/* Gorodkin's (2004) multiclass Matthews correlation, as scikit-learn's matthews_corrcoef:
 * (c s - sum p_k t_k) / sqrt((s^2 - sum p_k^2)(s^2 - sum t_k^2)), c correct, s total, p_k and t_k
 * the predicted and true counts of class k. */
static struct stat_num mcc(const uint64_t t[STAGING_STAGES][STAGING_STAGES], uint64_t total)
{
	double c = 0, s = (double)total, pt = 0, pp = 0, tt = 0, den;

	for (int k = 0; k < STAGING_STAGES; k++) {
		double pk = 0, tk = 0;
		for (int j = 0; j < STAGING_STAGES; j++) {
			pk += (double)t[j][k];
			tk += (double)t[k][j];
		}
		c += (double)t[k][k];
		pt += pk * tk;
		pp += pk * pk;
		tt += tk * tk;
	}
	den = (s * s - pp) * (s * s - tt);
	if (!(den > 0))
		return unknown;
	return known((c * s - pt) / sqrt(den));
}

static void sleep_wake(const uint64_t t[STAGING_STAGES][STAGING_STAGES], struct staging_sleep_wake *o)
{
	uint64_t a = 0, b = 0, c = 0, d = t[0][0];

	for (int i = 1; i < STAGING_STAGES; i++) {
		b += t[i][0];
		c += t[0][i];
		for (int j = 1; j < STAGING_STAGES; j++)
			a += t[i][j];
	}
	o->confusion[0][0] = a;
	o->confusion[0][1] = b;
	o->confusion[1][0] = c;
	o->confusion[1][1] = d;
	o->n = a + b + c + d;
	o->accuracy = stats_ratio(a + d, o->n);
	o->sensitivity = stats_ratio(a, a + b);
	o->specificity = stats_ratio(d, c + d);
	o->ppv = stats_ratio(a, a + c);
	o->npv = stats_ratio(d, b + d);
	o->kappa = stats_kappa(&o->confusion[0][0], 2, false);
	o->pabak = o->accuracy.known ? known(2 * o->accuracy.value - 1) : unknown;
	o->prevalence_index = stats_ratio(a > d ? a - d : d - a, o->n);
}

void staging_agree(const uint64_t table[STAGING_STAGES][STAGING_STAGES], struct staging_agreement *out)
{
	double sens_sum = 0, f1_sum = 0;
	int with_support = 0;

	*out = (struct staging_agreement){0};
	for (int i = 0; i < STAGING_STAGES; i++)
		for (int j = 0; j < STAGING_STAGES; j++)
			out->n += table[i][j];
	out->accuracy = stats_accuracy(&table[0][0], STAGING_STAGES);
	out->kappa = stats_kappa(&table[0][0], STAGING_STAGES, false);
	out->mcc = mcc(table, out->n);
	for (int s = 0; s < STAGING_STAGES; s++) {
		struct staging_stage *st = &out->stage[s];
		one_vs_rest(table, out->n, s, st);
		if (st->support > 0) {
			sens_sum += st->sensitivity.value;
			f1_sum += (double)st->support * st->f1.value;
			with_support++;
		}
	}
	out->balanced_accuracy = with_support ? known(sens_sum / with_support) : unknown;
	out->f1_weighted = out->n ? known(f1_sum / (double)out->n) : unknown;
	sleep_wake(table, &out->sleep_wake);
}

void staging_summary_add(struct staging_summary *s, struct stat_num v)
{
	double delta;

	if (!v.known)
		return;
	s->n++;
	delta = v.value - s->mean_acc;
	s->mean_acc += delta / (double)s->n;
	s->m2_acc += delta * (v.value - s->mean_acc);
}

void staging_summary_finish(struct staging_summary *s)
{
	double sd, half;

	s->mean = s->sd = s->ci_low = s->ci_high = unknown;
	if (s->n == 0)
		return;
	s->mean = known(s->mean_acc);
	if (s->n < 2)
		return;
	sd = sqrt(fmax(s->m2_acc, 0) / (double)(s->n - 1));
	s->sd = known(sd);
	half = dist_t_critical(0.05, (double)(s->n - 1)) * sd / sqrt((double)s->n);
	s->ci_low = known(s->mean_acc - half);
	s->ci_high = known(s->mean_acc + half);
}

void staging_by_night_add(struct staging_by_night *b, const struct staging_agreement *a,
			  const uint64_t table[STAGING_STAGES][STAGING_STAGES])
{
	staging_summary_add(&b->accuracy, a->accuracy);
	staging_summary_add(&b->balanced_accuracy, a->balanced_accuracy);
	staging_summary_add(&b->kappa, a->kappa);
	staging_summary_add(&b->mcc, a->mcc);
	staging_summary_add(&b->f1_weighted, a->f1_weighted);
	for (int s = 0; s < STAGING_STAGES; s++) {
		staging_summary_add(&b->stage[s].sensitivity, a->stage[s].sensitivity);
		staging_summary_add(&b->stage[s].specificity, a->stage[s].specificity);
		staging_summary_add(&b->stage[s].ppv, a->stage[s].ppv);
		staging_summary_add(&b->stage[s].npv, a->stage[s].npv);
		staging_summary_add(&b->stage[s].f1, a->stage[s].f1);
		staging_summary_add(&b->stage[s].accuracy, a->stage[s].accuracy);
	}
	staging_summary_add(&b->sw_accuracy, a->sleep_wake.accuracy);
	staging_summary_add(&b->sw_sensitivity, a->sleep_wake.sensitivity);
	staging_summary_add(&b->sw_specificity, a->sleep_wake.specificity);
	staging_summary_add(&b->sw_ppv, a->sleep_wake.ppv);
	staging_summary_add(&b->sw_npv, a->sleep_wake.npv);
	staging_summary_add(&b->sw_kappa, a->sleep_wake.kappa);
	staging_summary_add(&b->sw_pabak, a->sleep_wake.pabak);
	staging_summary_add(&b->sw_prevalence_index, a->sleep_wake.prevalence_index);
	for (int i = 0; i < STAGING_STAGES; i++) {
		uint64_t row = 0;
		for (int j = 0; j < STAGING_STAGES; j++)
			row += table[i][j];
		for (int j = 0; j < STAGING_STAGES; j++)
			staging_summary_add(&b->proportion[i][j], stats_ratio(table[i][j], row));
	}
}

void staging_by_night_finish(struct staging_by_night *b)
{
	/* Every member of the struct is a staging_summary (or an array or struct of nothing else): finish
	 * them all as one array, so that a summary added to the struct cannot be left unfinished. */
	_Static_assert(sizeof(struct staging_by_night) % sizeof(struct staging_summary) == 0,
		       "struct staging_by_night holds only staging summaries");
	struct staging_summary *s = (struct staging_summary *)b;
	size_t count = sizeof *b / sizeof *s;

	for (size_t i = 0; i < count; i++)
		staging_summary_finish(&s[i]);
}
