/*
 * test_pairing.c — event-by-event pairing (SPEC §2 event_agreement) on hand-made nights: every
 * tie rule, nested and chained overlaps, zero-length and touching events, an empty source, classes
 * against AH; then a random differential check against a plain all-pairs greedy (the definition
 * written out the slow way) and a 2^20-event night.
 */
#include "check.h"
#include "shard/pairing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An event list from "TYPE onset duration" triples. */
struct ev {
	int type;
	double onset, duration;
};

static struct event_list list_of(const struct ev *v, size_t n)
{
	struct event_list l = {"x.csv", calloc(n + 1, sizeof(struct raw_event)), n, n};

	for (size_t i = 0; i < n; i++)
		l.items[i] = (struct raw_event){v[i].onset, (long)i + 2, 1, (uint8_t)v[i].type, v[i].duration};
	return l;
}

#define LIST(...) list_of((const struct ev[]){__VA_ARGS__}, sizeof((const struct ev[]){__VA_ARGS__}) / sizeof(struct ev))

static struct pairing_result pair(struct event_list *l, struct event_list *p)
{
	struct pairing_result r;
	struct err e = {0};

	CHECK_INT(pairing_compute(l, p, &r, &e), 0);
	return r;
}

#define AH PAIRING_AH
#define K(c) (PAIRING_AH + 1 + (c))

static void check_counts(const struct pairing_result *r, int k, long tp, long fp, long fn, double mae_sum)
{
	CHECK_INT(r->counts[k].tp, tp);
	CHECK_INT(r->counts[k].fp, fp);
	CHECK_INT(r->counts[k].fn, fn);
	CHECK_DOUBLE(r->counts[k].onset_abs_sum, mae_sum, 1e-12);
}

static void done(struct pairing_result *r, struct event_list *l, struct event_list *p)
{
	pairing_free(r);
	free(l->items);
	free(p->items);
}

TEST(tie_on_overlap_goes_to_the_earlier_predicted_onset)
{
	/* L0 [10,20) overlaps P0 [5,15) and P1 [15,25) by 5 s each: P0 (onset 5) wins. */
	struct event_list l = LIST({EVENT_OA, 10, 10}), p = LIST({EVENT_OA, 15, 10}, {EVENT_OA, 5, 10});
	struct pairing_result r = pair(&l, &p);

	check_counts(&r, AH, 1, 1, 0, 5);
	check_counts(&r, K(EVENT_OA), 1, 1, 0, 5);
	CHECK_INT(r.partner[SOURCE_LABELS][0], 1);
	CHECK_INT(r.partner[SOURCE_PREDICTIONS][0], PAIRING_NONE);
	CHECK_INT(r.partner[SOURCE_PREDICTIONS][1], 0);
	done(&r, &l, &p);
}

TEST(tie_on_overlap_goes_to_the_earlier_labels_onset)
{
	/* L0 [10,20) (listed first) and L1 [0,10) both overlap P0 [5,15) by 5 s: L1 (onset 0) wins. */
	struct event_list l = LIST({EVENT_H, 10, 10}, {EVENT_H, 0, 10}), p = LIST({EVENT_H, 5, 10});
	struct pairing_result r = pair(&l, &p);

	check_counts(&r, AH, 1, 0, 1, 5);
	CHECK_INT(r.partner[SOURCE_LABELS][0], PAIRING_NONE);
	CHECK_INT(r.partner[SOURCE_LABELS][1], 0);
	done(&r, &l, &p);
}

TEST(full_tie_goes_to_file_order)
{
	/* Two labels events [0,10) (OA then H) and two predicted [0,10) (CA then A): every overlap,
	 * onset equal; file order pairs L0-P0, then L1-P1 (AH is class-agnostic). */
	struct event_list l = LIST({EVENT_OA, 0, 10}, {EVENT_H, 0, 10});
	struct event_list p = LIST({EVENT_CA, 0, 10}, {EVENT_A, 0, 10});
	struct pairing_result r = pair(&l, &p);

	check_counts(&r, AH, 2, 0, 0, 0);
	CHECK_INT(r.partner[SOURCE_LABELS][0], 0);
	CHECK_INT(r.partner[SOURCE_LABELS][1], 1);
	/* per class nothing pairs: OA, H missed; CA, A false */
	check_counts(&r, K(EVENT_OA), 0, 0, 1, 0);
	check_counts(&r, K(EVENT_H), 0, 0, 1, 0);
	check_counts(&r, K(EVENT_CA), 0, 1, 0, 0);
	check_counts(&r, K(EVENT_A), 0, 1, 0, 0);
	check_counts(&r, K(EVENT_MA), 0, 0, 0, 0);
	done(&r, &l, &p);
}

TEST(nested_events_pair_with_the_largest_overlap)
{
	/* L0 [0,100) holds P0 [10,20), P1 [30,70), P2 [80,90): P1 (40 s) pairs, onset error 30. */
	struct event_list l = LIST({EVENT_OA, 0, 100});
	struct event_list p = LIST({EVENT_OA, 10, 10}, {EVENT_OA, 30, 40}, {EVENT_OA, 80, 10});
	struct pairing_result r = pair(&l, &p);

	check_counts(&r, AH, 1, 2, 0, 30);
	CHECK_INT(r.partner[SOURCE_LABELS][0], 1);
	done(&r, &l, &p);

	/* the other way round: P0 [0,100) holds L0 [10,20), L1 [30,70) and L2 [95,105) (5 s) */
	l = LIST({EVENT_H, 10, 10}, {EVENT_H, 30, 40}, {EVENT_H, 95, 10});
	p = LIST({EVENT_H, 0, 100});
	r = pair(&l, &p);
	check_counts(&r, AH, 1, 0, 2, 30);
	CHECK_INT(r.partner[SOURCE_PREDICTIONS][0], 1);
	done(&r, &l, &p);
}

TEST(chained_overlaps_are_taken_greedily)
{
	/* L0 [0,10) - P0 [8,18) - L1 [15,25) - P1 [22,40): overlaps 2, 3, 3. The two 3 s pairs share
	 * L1 (onset 15): the earlier predicted onset (P0, 8) wins; then L1-P1 and L0-P0 find an event
	 * taken. Greedy gives 1 pair where 2 were possible: the SPEC's rule, not a maximum matching. */
	struct event_list l = LIST({EVENT_OA, 0, 10}, {EVENT_OA, 15, 10});
	struct event_list p = LIST({EVENT_OA, 8, 10}, {EVENT_OA, 22, 18});
	struct pairing_result r = pair(&l, &p);

	check_counts(&r, AH, 1, 1, 1, 7);
	CHECK_INT(r.partner[SOURCE_LABELS][0], PAIRING_NONE);
	CHECK_INT(r.partner[SOURCE_LABELS][1], 0);
	CHECK_INT(r.partner[SOURCE_PREDICTIONS][1], PAIRING_NONE);
	done(&r, &l, &p);

	/* A chain where the middle link is the largest: L0 [0,10) - P0 [5,20) - L1 [12,30) - P1 [25,27):
	 * overlaps 5, 8, 2; P0-L1 goes first and breaks both ends. */
	l = LIST({EVENT_H, 0, 10}, {EVENT_H, 12, 18});
	p = LIST({EVENT_H, 5, 15}, {EVENT_H, 25, 2});
	r = pair(&l, &p);
	check_counts(&r, AH, 1, 1, 1, 7);
	CHECK_INT(r.partner[SOURCE_LABELS][1], 0);
	done(&r, &l, &p);
}

TEST(zero_length_and_touching_events_never_pair)
{
	/* L0 [10,10) sits inside P0 [5,15); L1 [20,30) touches P1 [30,40); P2 [12,12) inside L2 [11,13). */
	struct event_list l = LIST({EVENT_OA, 10, 0}, {EVENT_OA, 20, 10}, {EVENT_OA, 11, 2});
	struct event_list p = LIST({EVENT_OA, 5, 10}, {EVENT_OA, 30, 10}, {EVENT_OA, 12, 0});
	struct pairing_result r = pair(&l, &p);

	/* only L2 [11,13) and P0 [5,15) overlap (2 s): onset error 6 */
	check_counts(&r, AH, 1, 2, 2, 6);
	CHECK_INT(r.partner[SOURCE_LABELS][2], 0);
	done(&r, &l, &p);
}

TEST(one_source_empty)
{
	struct event_list none = {"x.csv", NULL, 0, 0};
	struct event_list p = LIST({EVENT_OA, 5, 10}, {EVENT_RERA, 30, 10});
	struct pairing_result r;
	struct err e = {0};

	/* labels with a header-only file */
	CHECK_INT(pairing_compute(&none, &p, &r, &e), 0);
	check_counts(&r, AH, 0, 1, 0, 0);
	check_counts(&r, K(EVENT_RERA), 0, 1, 0, 0);
	CHECK(r.partner[SOURCE_LABELS] == NULL);
	CHECK_INT(r.partner[SOURCE_PREDICTIONS][0], PAIRING_NONE);
	pairing_free(&r);
	/* labels without a respiratory stream at all */
	CHECK_INT(pairing_compute(NULL, &p, &r, &e), 0);
	check_counts(&r, AH, 0, 1, 0, 0);
	pairing_free(&r);
	/* predictions empty: every labels event missed */
	CHECK_INT(pairing_compute(&p, &none, &r, &e), 0);
	check_counts(&r, AH, 0, 0, 1, 0);
	check_counts(&r, K(EVENT_RERA), 0, 0, 1, 0);
	pairing_free(&r);
	free(p.items);
}

TEST(rera_pairs_apart_from_ah)
{
	/* L: RERA [50,60), OA [0,20); P: H [5,20) overlaps OA by 15, RERA [55,65) overlaps by 5, an
	 * H [52,58) overlaps the labels RERA but is not a RERA: false in AH. */
	struct event_list l = LIST({EVENT_RERA, 50, 10}, {EVENT_OA, 0, 20});
	struct event_list p = LIST({EVENT_H, 5, 15}, {EVENT_RERA, 55, 10}, {EVENT_H, 52, 6});
	struct pairing_result r = pair(&l, &p);

	check_counts(&r, AH, 1, 1, 0, 5);
	check_counts(&r, K(EVENT_RERA), 1, 0, 0, 5);
	check_counts(&r, K(EVENT_OA), 0, 0, 1, 0);
	check_counts(&r, K(EVENT_H), 0, 2, 0, 0);
	CHECK_INT(r.partner[SOURCE_LABELS][0], 1);   /* RERA with RERA */
	CHECK_INT(r.partner[SOURCE_LABELS][1], 0);   /* OA with H under AH */
	CHECK_INT(r.partner[SOURCE_PREDICTIONS][2], PAIRING_NONE);
	done(&r, &l, &p);
}

/* ---- differential: the definition written out over all pairs ---- */

static double overlap_of(const struct raw_event *a, const struct raw_event *b)
{
	double lo = fmax(a->onset, b->onset), hi = fmin(a->onset + a->duration, b->onset + b->duration);
	return hi - lo;
}

/* Greedy by scanning every pair each round: O(n^3), the SPEC's words as code. */
static void slow_pairing(const struct event_list *l, const struct event_list *p, long *tp, double *sum)
{
	char *lu = calloc(l->n + 1, 1), *pu = calloc(p->n + 1, 1);

	*tp = 0;
	*sum = 0;
	for (;;) {
		long bi = -1, bj = -1;
		double best = 0;
		for (size_t i = 0; i < l->n; i++)
			for (size_t j = 0; j < p->n; j++) {
				const struct raw_event *a = &l->items[i], *b = &p->items[j];
				double ov = overlap_of(a, b);
				const struct raw_event *ba, *bb;
				if (lu[i] || pu[j] || a->type == EVENT_RERA || b->type == EVENT_RERA || !(ov > 0))
					continue;
				if (bi < 0 || ov > best) {
					bi = (long)i, bj = (long)j, best = ov;
					continue;
				}
				if (ov < best)
					continue;
				ba = &l->items[bi];
				bb = &p->items[bj];
				if (a->onset < ba->onset || (a->onset == ba->onset && b->onset < bb->onset))
					bi = (long)i, bj = (long)j;
				/* equal onsets: the scan order (i, then j) is file order already */
			}
		if (bi < 0)
			break;
		lu[bi] = pu[bj] = 1;
		(*tp)++;
		*sum += fabs(p->items[bj].onset - l->items[bi].onset);
	}
	free(lu);
	free(pu);
}

static unsigned next_random(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffff;
}

static struct event_list random_list(unsigned *seed, size_t n)
{
	struct event_list l = {"x.csv", calloc(n + 1, sizeof(struct raw_event)), n, n};

	for (size_t i = 0; i < n; i++) {
		/* whole seconds on a short span: many overlaps and many exact ties */
		double onset = next_random(seed) % 600, duration = next_random(seed) % 40;
		l.items[i] = (struct raw_event){onset, (long)i, 1, (uint8_t)(next_random(seed) % EVENT_COUNT), duration};
	}
	return l;
}

TEST(matches_the_all_pairs_definition_on_random_nights)
{
	unsigned seed = 7;

	for (int round = 0; round < 200; round++) {
		struct event_list l = random_list(&seed, next_random(&seed) % 40);
		struct event_list p = random_list(&seed, next_random(&seed) % 40);
		struct pairing_result r = pair(&l, &p);
		long tp;
		double sum;

		slow_pairing(&l, &p, &tp, &sum);
		CHECK_INT(r.counts[AH].tp, tp);
		CHECK_DOUBLE(r.counts[AH].onset_abs_sum, sum, 1e-9);
		done(&r, &l, &p);
	}
}

TEST(a_night_at_the_event_limit)
{
	/* 2^20 events a side, each predicted event 2 s after its labels event: every one pairs. */
	size_t n = (size_t)1 << 20;
	struct event_list l = {"x.csv", calloc(n, sizeof(struct raw_event)), n, n};
	struct event_list p = {"y.csv", calloc(n, sizeof(struct raw_event)), n, n};
	struct pairing_result r;

	for (size_t i = 0; i < n; i++) {
		l.items[i] = (struct raw_event){(double)i * 30, 0, 1, EVENT_H, 20};
		p.items[n - 1 - i] = (struct raw_event){(double)i * 30 + 2, 0, 1, EVENT_H, 20};
	}
	r = pair(&l, &p);
	check_counts(&r, AH, (long)n, 0, 0, 2.0 * (double)n);
	CHECK_INT(r.partner[SOURCE_LABELS][0], (long)n - 1);
	done(&r, &l, &p);
}
