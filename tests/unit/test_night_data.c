/*
 * test_night_data.c — reading a night's epochs.csv and events.csv back for its page
 * (merge/night_data.h), and the numbers of the night figure (merge/night_svg.h): line and field
 * ends at every place in an eight-byte word, CRLF, missing final line breaks, bad field counts with
 * their messages, and coordinates written as printf's "%.1f" writes them, ties included.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "merge/night_data.h"
#include "merge/night_svg.h"

static char dir[] = "/tmp/test_night_data.XXXXXX";

static void put_file(const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
}

static void drop_file(const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

#define HEADER "night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred\n"

/* Rows of every length from 26 to 41 bytes: the fields and line ends fall on every byte of a word. */
TEST(epochs_rows_of_every_alignment)
{
	struct night_data d;
	struct err e = {0};
	char text[4096] = HEADER;
	static const char *const stages[5] = {"W", "N1", "N2", "N3", "R"};

	CHECK(mkdtemp(dir) != NULL);
	for (int i = 0; i < 16; i++) {
		char row[128], motion[32];
		memset(motion, '5', (size_t)i);
		motion[i] = '\0';
		snprintf(row, sizeof row, "N0001,%d,%d,%s,%s,%s,0.%s,,\n", i, 100 + 30 * i, stages[i % 5],
			 i % 3 ? stages[(i + 1) % 5] : "", i % 2 ? "supine" : "left", motion);
		strcat(text, row);
	}
	put_file("epochs.csv", text);
	drop_file("events.csv");
	CHECK_INT(night_data_read(dir, &d, &e), 0);
	CHECK_INT((int)d.n, 16);
	CHECK_DOUBLE(d.t0, 100, 0);
	CHECK_DOUBLE(d.epoch_seconds, 30, 0);
	CHECK(d.has_epochs && !d.has_events && d.any_pred);
	CHECK_INT(d.label[0], STAGE_W);
	CHECK_INT(d.label[3], STAGE_N3);
	CHECK_INT(d.label[14], STAGE_R);
	CHECK_INT(d.pred[0], NIGHT_DATA_NO_STAGE);
	CHECK_INT(d.pred[1], STAGE_N2);
	CHECK_INT(d.pred[4], STAGE_W);
	CHECK_INT(d.position[0], POS_LEFT);
	CHECK_INT(d.position[15], POS_SUPINE);
	night_data_free(&d);
}

/* CRLF line ends, an empty line, no line break after the last row, fields past the ninth. */
TEST(epochs_crlf_empty_lines_and_last_line)
{
	struct night_data d;
	struct err e = {0};

	put_file("epochs.csv", "night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred\r\n"
			       "N0001,0,12.5,N2,N2,prone,,,\r\n\r\n"
			       "N0001,1,42.5,R,W,upright,0.1,OA,H,extra\r\n"
			       "N0001,2,72.5,?,,unknown,,,");
	CHECK_INT(night_data_read(dir, &d, &e), 0);
	CHECK_INT((int)d.n, 3);
	CHECK_DOUBLE(d.t0, 12.5, 0);
	CHECK_DOUBLE(d.epoch_seconds, 30, 0);
	CHECK_INT(d.position[0], POS_PRONE);
	CHECK_INT(d.position[1], POS_UPRIGHT);
	CHECK_INT(d.position[2], POS_UNKNOWN);
	CHECK_INT(d.label[2], STAGE_UNSCORED);
	CHECK_INT(d.pred[1], STAGE_W);
	night_data_free(&d);
}

static void check_epochs_error(const char *rows, const char *want_message, long want_line)
{
	struct night_data d;
	struct err e = {0};
	char *text;

	if (asprintf(&text, HEADER "%s", rows) < 0)
		abort();
	put_file("epochs.csv", text);
	free(text);
	CHECK_INT(night_data_read(dir, &d, &e), -1);
	CHECK_STR(e.message, want_message);
	CHECK_INT((int)e.line, (int)want_line);
	night_data_free(&d);
}

TEST(epochs_bad_rows_name_their_line)
{
	check_epochs_error("N0001,0,0,W,W,left,,,\nN0001,1,30,W,W,left,,\n", "expected 9 fields", 3);
	check_epochs_error("N0001,0\n", "expected 9 fields", 2);
	check_epochs_error("N0001,0,0,W,W,lefty,,,\n", "expected an epochs.csv row (onset, stages, position), got something else", 2);
	check_epochs_error("N0001,0,0,N4,W,left,,,\n", "expected an epochs.csv row (onset, stages, position), got something else", 2);
	check_epochs_error("N0001,0,x,W,W,left,,,\n", "expected an epochs.csv row (onset, stages, position), got something else", 2);
}

TEST(events_rows)
{
	struct night_data d;
	struct err e = {0};

	put_file("epochs.csv", HEADER "N0001,0,100,W,W,left,,,\nN0001,1,130,N2,N2,left,,,\n");
	put_file("events.csv", "source,index,onset,duration,event,pair\n"
			       "labels,0,101.5,10,OA,0\n"
			       "labels,1,120,12.25,H,\r\n"
			       "predictions,0,100.75,9,CA,0\n"
			       "predictions,1,140,20,RERA,");
	CHECK_INT(night_data_read(dir, &d, &e), 0);
	CHECK(d.has_events);
	CHECK_INT((int)d.n_events[SOURCE_LABELS], 2);
	CHECK_INT((int)d.n_events[SOURCE_PREDICTIONS], 2);
	CHECK_DOUBLE(d.events[SOURCE_LABELS][1].onset, 120, 0);
	CHECK_DOUBLE(d.events[SOURCE_LABELS][1].duration, 12.25, 0);
	CHECK_INT(d.events[SOURCE_LABELS][1].type, EVENT_H);
	CHECK(d.events[SOURCE_LABELS][0].paired && !d.events[SOURCE_LABELS][1].paired);
	CHECK_DOUBLE(d.events[SOURCE_PREDICTIONS][0].onset, 100.75, 0);
	CHECK_INT(d.events[SOURCE_PREDICTIONS][0].type, EVENT_CA);
	CHECK_INT(d.events[SOURCE_PREDICTIONS][1].type, EVENT_RERA);
	CHECK(!d.events[SOURCE_PREDICTIONS][1].paired);
	night_data_free(&d);

	put_file("events.csv", "source,index,onset,duration,event,pair\nlabels,0,101.5,10,OA,0,1\n");
	CHECK_INT(night_data_read(dir, &d, &e), -1);
	CHECK_STR(e.message, "expected 6 fields");
	CHECK_INT((int)e.line, 2);
	night_data_free(&d);
	put_file("events.csv", "source,index,onset,duration,event,pair\nlabels,0,101.5,10,OA\n");
	CHECK_INT(night_data_read(dir, &d, &e), -1);
	CHECK_STR(e.message, "expected 6 fields");
	night_data_free(&d);
	put_file("events.csv", "source,index,onset,duration,event,pair\nlabels,0,101.5,10,XX,\n");
	CHECK_INT(night_data_read(dir, &d, &e), -1);
	CHECK_STR(e.message, "expected an events.csv row (source, index, onset, duration, event, pair)");
	night_data_free(&d);
}

static char *drawn(const struct night_data *d, bool full)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	CHECK_INT(night_svg_draw(fp, "x", "t", d, full), 0);
	fclose(fp);
	return buf;
}

/* 960 epochs of 30 s (8 h): the hour ticks sit at x = 74 + 113.75 h. printf's "%.1f" rounds the
 * exact ties 187.75 and 415.25 to even (187.8, 415.2); the epoch boundaries (one decimal, halves
 * away from zero, trailing .0 dropped) round 415.25 up. */
TEST(figure_numbers)
{
	struct night_data d = {0};
	char *svg;

	d.has_epochs = true;
	d.n = 960;
	d.t0 = 0;
	d.epoch_seconds = 30;
	d.label = malloc(d.n);
	d.pred = malloc(d.n);
	d.position = malloc(d.n);
	for (size_t k = 0; k < d.n; k++) {
		d.label[k] = k < 240 ? STAGE_W : STAGE_N2; /* a step at epoch 240: x = 301.5 */
		d.pred[k] = k < 300 ? STAGE_W : STAGE_N2;  /* differs over 240..299: x 301.5 .. 358.4375 */
		d.position[k] = POS_LEFT;
	}
	d.any_pred = true;
	svg = drawn(&d, false);
	CHECK(strstr(svg, "<text x=\"187.8\" y=\"234.0\" class=\"xl\">1 h</text>") != NULL);
	CHECK(strstr(svg, "<text x=\"415.2\" y=\"234.0\" class=\"xl\">3 h</text>") != NULL);
	CHECK(strstr(svg, "<text x=\"642.8\" y=\"234.0\" class=\"xl\">5 h</text>") != NULL);
	CHECK(strstr(svg, "<path class=\"hy\" d=\"M74 28H301.5V82H984\"/>") != NULL);
	CHECK(strstr(svg, "<path class=\"dis\" d=\"M301.5 22H358.4V212H301.5Z\"/>") != NULL);
	CHECK(strstr(svg, "<text x=\"68.0\" y=\"32.0\" class=\"yl\">W</text><line x1=\"74.0\" x2=\"984.0\" "
			  "y1=\"28.0\" y2=\"28.0\" class=\"g\"/>") != NULL);
	free(svg);
	svg = drawn(&d, true);
	CHECK(strstr(svg, "<rect x=\"74\" y=\"266\" width=\"910\" height=\"14\" fill=\"#3182ce\"><title>left</title></rect>") != NULL);
	CHECK(strstr(svg, "<path class=\"pair\" d=\"\"><title>0 labels events paired</title></path>") != NULL);
	free(svg);
	night_data_free(&d);
	drop_file("epochs.csv");
	drop_file("events.csv");
	rmdir(dir);
}
