/*
 * check.c — runs the tests registered through check.h. Usage: test-binary [NAME-SUBSTRING]
 * Prints "FAIL name" blocks for failures and ends with "N passed, N failed"; exits 1 on any failure.
 */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_TESTS 4096

static struct {
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int n_tests;
static int current_failures;
static const char *current_name;

void check_register(const char *name, void (*fn)(void))
{
	if (n_tests == MAX_TESTS) {
		fprintf(stderr, "check: more than %d tests\n", MAX_TESTS);
		exit(2);
	}
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (current_failures++ == 0)
		printf("FAIL %s\n", current_name);
	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < n_tests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		current_name = tests[i].name;
		current_failures = 0;
		tests[i].fn();
		if (current_failures)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
