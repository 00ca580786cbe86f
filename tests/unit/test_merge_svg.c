/*
 * test_merge_svg.c — report.html building blocks: HTML escaping and numbers for people (merge/html.c),
 * nice axis ticks, heat map text.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

#include "merge/html.h"
#include "merge/svg.h"

static char *captured(void (*write)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	write(fp, arg);
	fclose(fp);
	return buf;
}

static void write_escaped(FILE *fp, const void *s)
{
	html_escape(fp, s);
}

static void write_nums(FILE *fp, const void *unused)
{
	(void)unused;
	html_num(fp, (struct stat_num){3.14159, true});
	fputc(' ', fp);
	html_num(fp, (struct stat_num){42.1234, true});
	fputc(' ', fp);
	html_num(fp, (struct stat_num){123.456, true});
	fputc(' ', fp);
	html_num(fp, (struct stat_num){-0.0001, true});
	fputc(' ', fp);
	html_num(fp, (struct stat_num){-2.5, true});
	fputc(' ', fp);
	html_num(fp, (struct stat_num){7, false});
	fputc(' ', fp);
	html_percent(fp, (struct stat_num){0.5, true});
	fputc(' ', fp);
	html_percent(fp, (struct stat_num){0.87654, true});
	fputc(' ', fp);
	html_percent(fp, (struct stat_num){0.5, false});
}

TEST(html_escape_covers_text_and_attributes)
{
	char *got = captured(write_escaped, "N1 <b>\"x\" & 'y'</b>");

	CHECK_STR(got, "N1 &lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
	free(got);
}

TEST(html_numbers_for_people)
{
	char *got = captured(write_nums, NULL);

	/* 3 decimals below 10, 2 below 100, 1 above; -0.0001 is not "-0.000"; unknown: an em dash */
	CHECK_STR(got, "3.142 42.12 123.5 0.000 -2.500 <span class=\"na\">\xe2\x80\x94</span> 50.0% 87.7% "
		       "<span class=\"na\">\xe2\x80\x94</span>");
	free(got);
}

TEST(nice_axis_steps)
{
	struct svg_axis a = svg_nice_axis(0.3, 47.2, 5);

	CHECK_DOUBLE(a.lo, 0, 0);
	CHECK_DOUBLE(a.hi, 50, 0);
	CHECK_DOUBLE(a.step, 10, 0);
	a = svg_nice_axis(-5.3, 3.4, 5);
	CHECK_DOUBLE(a.lo, -6, 1e-12);
	CHECK_DOUBLE(a.hi, 4, 1e-12);
	CHECK_DOUBLE(a.step, 2, 0);
	a = svg_nice_axis(0.012, 0.022, 5);
	CHECK_DOUBLE(a.step, 0.002, 1e-15);
}

TEST(nice_axis_degenerate_ranges)
{
	struct svg_axis a = svg_nice_axis(42, 42, 5);

	CHECK(a.lo < 42 && a.hi > 42 && a.step > 0);
	a = svg_nice_axis(0, 0, 5);
	CHECK(a.lo < 0 && a.hi > 0);
	a = svg_nice_axis(1, 0, 5); /* nothing sensible given: a unit axis */
	CHECK_DOUBLE(a.lo, 0, 0);
	CHECK_DOUBLE(a.hi, 1, 0);
}

static void write_heatmap(FILE *fp, const void *arg)
{
	static const char *const classes[] = {"a<b", "c"};

	svg_heatmap(fp, "heat-test", "T & T", classes, 2, arg);
}

TEST(heatmap_shows_counts_and_row_shares)
{
	const uint64_t t[] = {3, 1, 0, 0}, big[] = {1856690, 0, 0, 1};
	char *got = captured(write_heatmap, t);

	CHECK(strstr(got, "<svg id=\"heat-test\"") != NULL);
	CHECK(strstr(got, "aria-label=\"T &amp; T\"") != NULL);
	CHECK(strstr(got, ">a&lt;b</text>") != NULL);
	CHECK(strstr(got, ">3</text>") && strstr(got, ">75%</text>") && strstr(got, ">25%</text>"));
	CHECK(strstr(got, "fill=\"#1f5fa8\"") == NULL); /* 75% is not full colour */
	free(got);
	got = captured(write_heatmap, big);
	CHECK(strstr(got, ">1,856,690</text>") != NULL);
	CHECK(strstr(got, "fill=\"#1f5fa8\"") != NULL); /* 100% is */
	free(got);
}

/* Line labels of a Bland–Altman plot: 100, 104, 150 with a 24 gap become 100, 124, 150; labels
 * crowding the bottom are pushed back up from it. */
TEST(labels_are_spread_apart)
{
	double y[] = {150, 100, 104};
	double low[] = {300, 296, 305};

	svg_spread_labels(y, 3, 24, 0, 1000);
	CHECK_DOUBLE(y[1], 100, 0);
	CHECK_DOUBLE(y[2], 124, 0);
	CHECK_DOUBLE(y[0], 150, 0);
	svg_spread_labels(low, 3, 24, 0, 310);
	/* sorted 296 300 305 -> 296 320 344 -> bottom at 310, then 286, 262 */
	CHECK_DOUBLE(low[2], 310, 0);
	CHECK_DOUBLE(low[0], 286, 0);
	CHECK_DOUBLE(low[1], 262, 0);
}

static void write_ba(FILE *fp, const void *arg)
{
	static const double label[] = {10, 20, 30, 40}, pred[] = {11, 19, 33, 38};
	struct stat_agreement a;

	(void)arg;
	stats_agreement(label, pred, 4, &a);
	svg_bland_altman(fp, "ba-test", "T", "u", label, pred, NULL, 4, &a, NULL, false);
}

/* The line labels sit in the right margin (x beyond the plot area, which ends at 410 - 86 = 324),
 * so they can never cover a point. */
TEST(bland_altman_line_labels_are_outside_the_points)
{
	char *got = captured(write_ba, NULL), *p = got;
	int labels = 0;

	while ((p = strstr(p, "<text x=\"329.0\"")) != NULL) {
		labels++;
		p++;
	}
	CHECK_INT(labels, 3);
	free(got);
}
