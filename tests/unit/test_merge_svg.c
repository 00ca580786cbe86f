/*
 * test_merge_svg.c — report.html building blocks: HTML escaping, nice axis ticks, heat map text.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

#include "../merge/report_html.h"
#include "../merge/svg.h"

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
	report_html_escape(fp, s);
}

TEST(html_escape_covers_text_and_attributes)
{
	char *got = captured(write_escaped, "N1 <b>\"x\" & 'y'</b>");

	CHECK_STR(got, "N1 &lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
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
