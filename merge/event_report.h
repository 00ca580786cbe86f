/*
 * event_report.h — event-by-event agreement over the run (SPEC §3 `events` in report.json and
 * events_by_night.csv).
 *
 * Owns which nights enter (every ok night whose event_agreement is not null) and the pooling: per
 * key the sums of tp, fp, fn, sensitivity / PPV / F1 from those sums (null on 0/0), onset_mae over
 * every pair of every night (each night's mean weighted by its tp), and per night the summaries of
 * sensitivity, PPV and F1 over the nights where each is not null. Added keys: `nights` (nights
 * pooled) per key. Reading a night's block is merge/night_events.h.
 */
#ifndef NIGHTFAN_MERGE_EVENT_REPORT_H
#define NIGHTFAN_MERGE_EVENT_REPORT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "night_events.h"
#include "summary.h"

struct night_list;

struct event_report_key {
	uint64_t tp, fp, fn;
	struct stat_num sensitivity, ppv, f1, onset_mae;
	struct summary by_night_sensitivity, by_night_ppv, by_night_f1;
};

struct event_report {
	size_t nights;                  /* ok nights with event agreement */
	struct event_report_key k[NIGHT_EVENT_KEYS];
};

/* Pool the nights' event agreement into *out. 0, or -1 (out of memory). */
int event_report_compute(const struct night_list *nights, struct event_report *out, struct err *e);

/* report.json's "events" object (NULL on out of memory). */
cJSON *event_report_json(const struct event_report *r);

/* report.html's section on event-by-event agreement. */
void event_report_html(FILE *fp, const struct event_report *r);

/* events_by_night.csv: header, then one row per ok night with event agreement, in night order. */
void event_report_csv_write(FILE *fp, const struct night_list *nights);

#endif
