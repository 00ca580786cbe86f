/*
 * html.c — escaping and numbers for people, for every HTML page of the merge (see html.h).
 */
#include "html.h"

#include <math.h>
#include <string.h>

void html_escape(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

/* A number for people: 3 decimals below 10, 2 below 100, 1 above; no "-0". */
static void human(double v, char *buf, size_t size)
{
	double a = fabs(v);
	int decimals = a < 10 ? 3 : a < 100 ? 2 : 1;

	snprintf(buf, size, "%.*f", decimals, v);
	if (strspn(buf, "-0.") == strlen(buf) && buf[0] == '-')
		memmove(buf, buf + 1, strlen(buf));
}

void html_num(FILE *fp, struct stat_num v)
{
	char buf[48];

	if (!v.known) {
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
		return;
	}
	human(v.value, buf, sizeof buf);
	fputs(buf, fp);
}

void html_percent(FILE *fp, struct stat_num v)
{
	if (!v.known) {
		fputs("<span class=\"na\">\xe2\x80\x94</span>", fp);
		return;
	}
	fprintf(fp, "%.1f%%", v.value * 100);
}
