/*
 * pairing.c — greedy largest-overlap pairing of labels and predicted events (see pairing.h).
 *
 * One run per key (AH and each class) over the events of that key (the classes of AH take their
 * candidates from AH's, see class_candidates; RERA has its own):
 *   1. each source's events as intervals, sorted by onset once (file order breaks ties), each
 *      key taking its own in that order; zero-length intervals cannot overlap anything and are
 *      only counted;
 *   2. a sweep over the labels events in onset order finds every overlapping predicted event:
 *      those that started earlier and are still open (a min-heap by end: what ends before this
 *      onset can overlap no later labels event either) and those starting within the event (a
 *      contiguous run of the sorted predicted events);
 *   3. the candidate pairs sorted by the SPEC's order, taken greedily while both events are free.
 */
#include "pairing.h"

#include <stdlib.h>
#include <string.h>

struct interval {
	double on, end;
	uint32_t idx;                  /* the event's index in its file's event list */
	uint8_t type;
};

struct candidate {
	double overlap, l_on, p_on;
	uint32_t l_idx, p_idx;
	uint8_t l_type, p_type;
};

struct work {
	struct interval *all[SOURCE_COUNT]; /* every non-empty interval of each source, by onset */
	size_t n_all[SOURCE_COUNT];
	long total[SOURCE_COUNT][PAIRING_CLASSES]; /* events of each key, empty ones included */
	struct interval *l, *p;        /* the key's events of each source (non-empty intervals) */
	size_t nl, np;
	size_t *heap;                  /* indices into p, a min-heap by p[].end */
	size_t nh;
	struct candidate *c;
	size_t nc, cap_c;
	struct candidate *ah;          /* AH's candidates in the SPEC's order (the classes take theirs from it) */
	size_t n_ah;
	uint8_t *used[SOURCE_COUNT];   /* by file index */
};

static const char *const key_names[PAIRING_CLASSES] = {"AH", "OA", "CA", "MA", "A", "H", "RERA"};

const char *pairing_key_name(int k)
{
	return k >= 0 && k < PAIRING_CLASSES ? key_names[k] : "?";
}

/* Does an event of type t belong to key k? */
static bool in_key(int k, uint8_t t)
{
	return k == PAIRING_AH ? t != EVENT_RERA : t == k - 1;
}

/* ---- 1. intervals ---- */

static int by_onset(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;

	if (x->on != y->on)
		return x->on < y->on ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Every non-empty interval of `list` into w->all[s], sorted once (each key's run filters it in
 * order), and the number of events of each key. */
static void sort_source(struct work *w, int s, const struct event_list *list)
{
	size_t n = 0;
	bool sorted = true; /* exports list their events in onset order: then there is nothing to sort */

	for (size_t i = 0; list && i < list->n; i++) {
		const struct raw_event *ev = &list->items[i];
		double end = ev->onset + ev->duration;
		w->total[s][PAIRING_AH] += ev->type != EVENT_RERA;
		w->total[s][PAIRING_AH + 1 + ev->type]++;
		if (!(end > ev->onset))
			continue;
		sorted = sorted && (n == 0 || w->all[s][n - 1].on <= ev->onset); /* file order breaks ties */
		w->all[s][n++] = (struct interval){ev->onset, end, (uint32_t)i, ev->type};
	}
	if (n > 1 && !sorted)
		qsort(w->all[s], n, sizeof(*w->all[s]), by_onset);
	w->n_all[s] = n;
}

/* The key's intervals of source s, in onset order, into out. */
static size_t collect(const struct work *w, int s, int k, struct interval *out)
{
	size_t n = 0;

	for (size_t i = 0; i < w->n_all[s]; i++)
		if (in_key(k, w->all[s][i].type))
			out[n++] = w->all[s][i];
	return n;
}

/* ---- 2. the sweep ---- */

static void heap_push(struct work *w, size_t j)
{
	size_t at = w->nh++;

	while (at > 0) {
		size_t up = (at - 1) / 2;
		if (w->p[w->heap[up]].end <= w->p[j].end)
			break;
		w->heap[at] = w->heap[up];
		at = up;
	}
	w->heap[at] = j;
}

static void heap_pop(struct work *w)
{
	size_t last = w->heap[--w->nh], at = 0;

	for (;;) {
		size_t child = 2 * at + 1;
		if (child >= w->nh)
			break;
		if (child + 1 < w->nh && w->p[w->heap[child + 1]].end < w->p[w->heap[child]].end)
			child++;
		if (w->p[last].end <= w->p[w->heap[child]].end)
			break;
		w->heap[at] = w->heap[child];
		at = child;
	}
	if (w->nh > 0)
		w->heap[at] = last;
}

static int add_candidate(struct work *w, const struct interval *l, const struct interval *p, struct err *e)
{
	double overlap = (l->end < p->end ? l->end : p->end) - (l->on > p->on ? l->on : p->on);

	if (!(overlap > 0))
		return 0;
	if (w->nc == w->cap_c) {
		size_t cap = w->cap_c ? w->cap_c * 2 : 256;
		struct candidate *c = realloc(w->c, cap * sizeof(*c));
		if (!c)
			return ERR(e, "out of memory");
		w->c = c;
		w->cap_c = cap;
	}
	w->c[w->nc++] = (struct candidate){overlap, l->on, p->on, l->idx, p->idx, l->type, p->type};
	return 0;
}

/* Every overlapping (labels, predicted) pair of the key into w->c. */
static int sweep(struct work *w, struct err *e)
{
	size_t j = 0;

	w->nh = 0;
	w->nc = 0;
	for (size_t i = 0; i < w->nl; i++) {
		const struct interval *l = &w->l[i];
		while (j < w->np && w->p[j].on < l->on)
			heap_push(w, j++);
		while (w->nh > 0 && w->p[w->heap[0]].end <= l->on)
			heap_pop(w);
		for (size_t h = 0; h < w->nh; h++) /* started earlier, still open: each overlaps */
			if (add_candidate(w, l, &w->p[w->heap[h]], e) < 0)
				return -1;
		for (size_t m = j; m < w->np && w->p[m].on < l->end; m++) /* starting within l */
			if (add_candidate(w, l, &w->p[m], e) < 0)
				return -1;
	}
	return 0;
}

/* ---- 3. greedy ---- */

static int pairing_order(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->overlap != y->overlap)
		return x->overlap > y->overlap ? -1 : 1;
	if (x->l_on != y->l_on)
		return x->l_on < y->l_on ? -1 : 1;
	if (x->p_on != y->p_on)
		return x->p_on < y->p_on ? -1 : 1;
	if (x->l_idx != y->l_idx)
		return x->l_idx < y->l_idx ? -1 : 1;
	return x->p_idx < y->p_idx ? -1 : x->p_idx > y->p_idx;
}

/* Take the key's candidates (w->c, in the SPEC's order) greedily while both events are free. */
static void take_pairs(struct work *w, int k, struct pairing_result *out)
{
	struct pairing_counts *c = &out->counts[k];
	bool shows = k == PAIRING_AH || k == PAIRING_AH + 1 + EVENT_RERA;

	for (size_t i = 0; i < w->nc; i++) {
		const struct candidate *p = &w->c[i];
		double d = p->p_on - p->l_on;
		if (w->used[SOURCE_LABELS][p->l_idx] || w->used[SOURCE_PREDICTIONS][p->p_idx])
			continue;
		w->used[SOURCE_LABELS][p->l_idx] = w->used[SOURCE_PREDICTIONS][p->p_idx] = 1;
		c->tp++;
		c->onset_abs_sum += d < 0 ? -d : d;
		if (shows) {
			out->partner[SOURCE_LABELS][p->l_idx] = (int32_t)p->p_idx;
			out->partner[SOURCE_PREDICTIONS][p->p_idx] = (int32_t)p->l_idx;
		}
	}
}

/* A class of apnea or hypopnea (OA CA MA A H): its candidates are AH's whose two events are both of
 * the class, and filtering AH's sorted list keeps them in the SPEC's order (one total order), so
 * only AH and RERA are swept and sorted. */
static void class_candidates(struct work *w, int k)
{
	uint8_t type = (uint8_t)(k - 1);

	w->nc = 0;
	for (size_t i = 0; i < w->n_ah; i++)
		if (w->ah[i].l_type == type && w->ah[i].p_type == type)
			w->c[w->nc++] = w->ah[i];
}

/* ---- the whole ---- */

static int run_key(struct work *w, int k, const struct event_list *const lists[SOURCE_COUNT],
		   struct pairing_result *out, struct err *e)
{
	long total_l = w->total[SOURCE_LABELS][k], total_p = w->total[SOURCE_PREDICTIONS][k];
	bool from_ah = k != PAIRING_AH && k != PAIRING_AH + 1 + EVENT_RERA;

	for (int s = 0; s < SOURCE_COUNT; s++)
		if (lists[s] && lists[s]->n)
			memset(w->used[s], 0, lists[s]->n);
	if (from_ah) {
		class_candidates(w, k);
	} else {
		w->nl = collect(w, SOURCE_LABELS, k, w->l);
		w->np = collect(w, SOURCE_PREDICTIONS, k, w->p);
		w->nc = 0;
		if (w->nl > 0 && w->np > 0 && sweep(w, e) < 0)
			return -1;
		if (w->nc > 1)
			qsort(w->c, w->nc, sizeof(*w->c), pairing_order);
	}
	if (k == PAIRING_AH && w->nc > 0) { /* kept for the classes (w->c is reused) */
		if (!(w->ah = malloc(w->nc * sizeof(*w->ah))))
			return ERR(e, "out of memory");
		memcpy(w->ah, w->c, w->nc * sizeof(*w->ah));
		w->n_ah = w->nc;
	}
	take_pairs(w, k, out);
	out->counts[k].fn = total_l - out->counts[k].tp;
	out->counts[k].fp = total_p - out->counts[k].tp;
	return 0;
}

static int allocate(struct work *w, const struct event_list *const lists[SOURCE_COUNT],
		    struct pairing_result *out, struct err *e)
{
	size_t n[SOURCE_COUNT];

	for (int s = 0; s < SOURCE_COUNT; s++) {
		n[s] = lists[s] ? lists[s]->n : 0;
		w->used[s] = malloc(n[s] + 1);
		out->partner[s] = n[s] ? malloc(n[s] * sizeof(int32_t)) : NULL;
		if (!w->used[s] || (n[s] && !out->partner[s]))
			return ERR(e, "out of memory");
		for (size_t i = 0; i < n[s]; i++)
			out->partner[s][i] = PAIRING_NONE;
	}
	for (int s = 0; s < SOURCE_COUNT; s++)
		if (!(w->all[s] = malloc((n[s] + 1) * sizeof(*w->all[s]))))
			return ERR(e, "out of memory");
	w->l = malloc((n[SOURCE_LABELS] + 1) * sizeof(*w->l));
	w->p = malloc((n[SOURCE_PREDICTIONS] + 1) * sizeof(*w->p));
	w->heap = malloc((n[SOURCE_PREDICTIONS] + 1) * sizeof(*w->heap));
	if (!w->l || !w->p || !w->heap)
		return ERR(e, "out of memory");
	return 0;
}

int pairing_compute(const struct event_list *labels, const struct event_list *pred,
		    struct pairing_result *out, struct err *e)
{
	const struct event_list *const lists[SOURCE_COUNT] = {labels, pred};
	struct work w;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	if (allocate(&w, lists, out, e) < 0)
		rc = -1;
	for (int s = 0; rc == 0 && s < SOURCE_COUNT; s++)
		sort_source(&w, s, lists[s]);
	for (int k = 0; rc == 0 && k < PAIRING_CLASSES; k++)
		rc = run_key(&w, k, lists, out, e);
	free(w.all[SOURCE_LABELS]);
	free(w.all[SOURCE_PREDICTIONS]);
	free(w.l);
	free(w.p);
	free(w.heap);
	free(w.c);
	free(w.ah);
	for (int s = 0; s < SOURCE_COUNT; s++)
		free(w.used[s]);
	return rc;
}

void pairing_free(struct pairing_result *r)
{
	for (int s = 0; s < SOURCE_COUNT; s++) {
		free(r->partner[s]);
		r->partner[s] = NULL;
	}
}
