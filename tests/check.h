/*
 * check.h — nightfan's unit-test harness: TEST() defines and registers a test, CHECK_*() record
 * failures (file:line, expected vs got) and let the test go on. tests/check.c holds main(), which
 * runs every registered test and ends with "N passed, N failed".
 *
 *     TEST(tib_counts_every_epoch) {
 *             CHECK_DOUBLE(score.v[SK_TIB].number, 480.0, 1e-12);
 *     }
 */
#ifndef NIGHTFAN_CHECK_H
#define NIGHTFAN_CHECK_H

#include <stdbool.h>
#include <string.h>

void check_register(const char *name, void (*fn)(void));
void check_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Registration runs before main() through a constructor, so a test is written once, in one place. */
#define TEST(name)                                                                   \
	static void name(void);                                                      \
	__attribute__((constructor)) static void name##_register(void)              \
	{                                                                            \
		check_register(#name, name);                                         \
	}                                                                            \
	static void name(void)

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond))                                                         \
			check_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);          \
	} while (0)

#define CHECK_INT(got, want)                                                         \
	do {                                                                         \
		long long g_ = (long long)(got), w_ = (long long)(want);             \
		if (g_ != w_)                                                        \
			check_fail(__FILE__, __LINE__, "%s: got %lld, want %lld", #got, g_, w_); \
	} while (0)

#define CHECK_DOUBLE(got, want, tol)                                                 \
	do {                                                                         \
		double g_ = (got), w_ = (want);                                      \
		if (!(g_ - w_ <= (tol) && w_ - g_ <= (tol)))                         \
			check_fail(__FILE__, __LINE__, "%s: got %.17g, want %.17g", #got, g_, w_); \
	} while (0)

#define CHECK_STR(got, want)                                                         \
	do {                                                                         \
		const char *g_ = (got), *w_ = (want);                                \
		if (!g_ || !w_ || strcmp(g_, w_) != 0)                               \
			check_fail(__FILE__, __LINE__, "%s:\n  got  \"%s\"\n  want \"%s\"", #got, \
				   g_ ? g_ : "(null)", w_ ? w_ : "(null)");          \
	} while (0)

#endif
