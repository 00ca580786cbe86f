/*
 * night_data.c — reading one night's epochs.csv and events.csv back (see night_data.h).
 *
 * Both files are the shard's own, unquoted (no value holds a comma), so a line is split at its
 * commas; anything else is refused with the file and line.
 */
#include "night_data.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numparse.h"

#define EPOCHS_FIELDS 9
#define EPOCHS_KEPT 6 /* night, epoch, onset, stage_label, stage_pred, position */
#define EVENTS_FIELDS 6
#define EPOCHS_MAX_BYTES (256u << 20) /* 2^20 epochs of ~200 bytes */
#define EVENTS_MAX_BYTES (256u << 20) /* 2 x 2^20 events of ~60 bytes */

#define PAD 8 /* '\n' bytes after the text read: every line ends in one, and a word read at a line's last bytes stays inside the buffer */

/* The whole of fd, read from offset 0 without moving the offset (the merge hands the same
 * epochs.csv to the dataset next), into a malloc'ed buffer sized by fstat (one read for a shard's
 * file instead of fs_read_fd's doubling), followed by PAD '\n' and a NUL; NULL naming path on
 * failure. */
static char *read_all(int fd, const char *path, size_t max_bytes, size_t *size, struct err *e)
{
	struct stat st;
	size_t used = 0, cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + PAD + 2 : 8192;
	char *text = malloc(cap);

	if (!text)
		goto oom;
	for (;;) {
		ssize_t got;
		if (cap - used < PAD + 2) {
			char *grown = realloc(text, cap *= 2);
			if (!grown)
				goto oom;
			text = grown;
		}
		got = pread(fd, text + used, cap - used - PAD - 1, (off_t)used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ERR_SYS(e, path, "cannot read");
			free(text);
			return NULL;
		}
		if (got == 0)
			break;
		used += (size_t)got;
		if (used > max_bytes) {
			ERR_AT(e, path, 0, 0, "file is larger than %zu bytes", max_bytes);
			free(text);
			return NULL;
		}
	}
	memset(text + used, '\n', PAD);
	text[used + PAD] = '\0';
	*size = used;
	return text;
oom:
	free(text);
	ERR(e, "out of memory");
	return NULL;
}

/* Split the line at *p (ending at its '\n', a '\r' before it dropped; the buffer is read_all's, so
 * one comes before end + PAD) at its commas into its first max fields (the rest are only counted);
 * *p moves past the line (at most to end). Returns the number of fields.
 *
 * Eight bytes at a time where the byte order allows: a byte-by-byte loop was most of a page's
 * reading, and a memchr a field cost more than the fields are long. ZERO(x) marks (0x80) each zero
 * byte of x exactly (no carry crosses bytes: (x & 0x7f) + 0x7f < 0x100), so w ^ ',' and w ^ '\n'
 * mark every delimiter of the word, taken lowest (first) byte first; past the fields kept, the
 * commas before the '\n' are only counted (COUNT: the marks shifted to 0/1 bytes, summed into the
 * top byte by the multiplication). */
static int split_line(const char **p, const char *end, const char **f, size_t *len, int max)
{
	const char *at = *p, *q;
	int n = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = UINT64_C(0x0101010101010101), low7 = ones * 0x7f, high = ones * 0x80;
#define ZERO(x) (~((((x) & low7) + low7) | (x)) & high)
#define COUNT(marks) ((int)((((marks) >> 7) * ones) >> 56))

	for (const char *w = at;; w += 8) {
		uint64_t word, commas, newlines, marks;
		memcpy(&word, w, 8);
		commas = ZERO(word ^ (ones * ','));
		newlines = ZERO(word ^ (ones * '\n'));
		marks = commas | newlines;
		if (n >= max)
			goto count;
		for (; marks; marks &= marks - 1) {
			q = w + (__builtin_ctzll(marks) >> 3);
			f[n] = at;
			len[n] = (size_t)(q - at);
			n++;
			if (*q == '\n')
				goto line_end;
			at = q + 1;
			if (n == max) {
				marks &= marks - 1; /* the delimiters after this one */
				goto count;
			}
		}
		continue;
count:
		if (marks & newlines) {
			uint64_t first = marks & newlines & (0 - (marks & newlines));
			n += COUNT(marks & commas & (first - 1)) + 1;
			q = w + (__builtin_ctzll(first) >> 3);
			goto line_end;
		}
		n += COUNT(marks & commas);
	}
#undef COUNT
#undef ZERO
#else
	for (q = at;; q++) {
		if (*q != ',' && *q != '\n')
			continue;
		if (n < max) {
			f[n] = at;
			len[n] = (size_t)(q - at);
		}
		n++;
		if (*q == '\n')
			goto line_end;
		at = q + 1;
	}
#endif
line_end:
	*p = q < end ? q + 1 : end;
	if (n <= max && len[n - 1] > 0 && f[n - 1][len[n - 1] - 1] == '\r')
		len[n - 1]--;
	return n;
}

/* The stage spelled [s, s + len) (the shard writes only canonical names); -1 for anything else.
 * canon_stage_find's general search was a tenth of a page's time. */
static int stage_of(const char *s, size_t len)
{
	if (len == 1)
		return s[0] == 'W' ? STAGE_W : s[0] == 'R' ? STAGE_R : s[0] == '?' ? STAGE_UNSCORED : -1;
	if (len == 2 && s[0] == 'N' && s[1] >= '1' && s[1] <= '3')
		return STAGE_N1 + (s[1] - '1');
	return -1;
}

static int position_of(const char *s, size_t len)
{
	static const int by_first[26] = {['s' - 'a'] = POS_SUPINE + 1, ['p' - 'a'] = POS_PRONE + 1,
					 ['l' - 'a'] = POS_LEFT + 1, ['r' - 'a'] = POS_RIGHT + 1,
					 ['u' - 'a'] = 0 /* upright or unknown: by length */};
	const char *name;
	int p;

	if (len == 0 || s[0] < 'a' || s[0] > 'z')
		return -1;
	p = s[0] == 'u' ? (len == 7 && s[2] == 'r' ? POS_UPRIGHT : POS_UNKNOWN) : by_first[s[0] - 'a'] - 1;
	if (p < 0)
		return -1;
	name = canon_position_name(p);
	return strlen(name) == len && memcmp(name, s, len) == 0 ? p : -1;
}

/* Room for one more epoch. */
static int grow_epochs(struct night_data *d, size_t *cap, struct err *e)
{
	size_t ncap = *cap ? *cap * 2 : 1024;
	uint8_t *label = realloc(d->label, ncap), *pred, *position;

	if (label)
		d->label = label;
	pred = label ? realloc(d->pred, ncap) : NULL;
	if (pred)
		d->pred = pred;
	position = pred ? realloc(d->position, ncap) : NULL;
	if (!position)
		return ERR(e, "out of memory");
	d->position = position;
	*cap = ncap;
	return 0;
}

/* One data row, split: fields 2..5 are read (the onset of the first two rows only), the rest
 * skipped; 9 fields or more (the dataset writer checks the rows when it copies them). */
static int epoch_row(struct night_data *d, const char **f, const size_t *len, int n, double *second_onset,
		     const char *path, long line, struct err *e)
{
	int label, pred, position;
	double onset = 0;

	if (n < EPOCHS_FIELDS)
		return ERR_AT(e, path, line, 0, "expected %d fields", EPOCHS_FIELDS);
	label = stage_of(f[3], len[3]);
	pred = len[4] ? stage_of(f[4], len[4]) : NIGHT_DATA_NO_STAGE;
	position = position_of(f[5], len[5]);
	if ((d->n < 2 && numparse_double(f[2], len[2], &onset) < 0) || label < 0 || pred < 0 || position < 0)
		return ERR_AT(e, path, line, 0, "expected an epochs.csv row (onset, stages, position), got something else");
	if (d->n == 0)
		d->t0 = onset;
	else if (d->n == 1)
		*second_onset = onset;
	d->label[d->n] = (uint8_t)label;
	d->pred[d->n] = (uint8_t)pred;
	d->position[d->n] = (uint8_t)position;
	d->any_pred |= pred != NIGHT_DATA_NO_STAGE;
	d->n++;
	return 0;
}

/* <dir>/<name> read whole from fd by read_all, for split_line: *path (the name in messages) and
 * *text are the caller's to free, [*body, *end) the rows after the header line. 0, or -1 with
 * nothing to free. */
static int read_table(int fd, const char *dir, const char *name, size_t max_bytes, char **path, char **text,
		      const char **body, const char **end, struct err *e)
{
	size_t size;

	if (asprintf(path, "%s/%s", dir, name) < 0)
		return ERR(e, "out of memory");
	if (!(*text = read_all(fd, *path, max_bytes, &size, e))) {
		free(*path);
		return -1;
	}
	*end = *text + size;
	*body = memchr(*text, '\n', size);
	*body = *body ? *body + 1 : *end;
	return 0;
}

/* The whole file at once (the shard's file, ~50 KB a night), from fd (-1: none, a page without
 * figure; its offset is left alone), split in one pass over its bytes. */
static int read_epochs(int fd, const char *dir, struct night_data *d, struct err *e)
{
	char *path, *text;
	const char *p, *end, *f[EPOCHS_KEPT];
	size_t len[EPOCHS_KEPT], cap = 0;
	double second = 0;
	long at = 1;
	int rc = 0;

	/* past the header: the dataset writer checks it when it copies */
	if (fd < 0)
		return 0;
	if (read_table(fd, dir, "epochs.csv", EPOCHS_MAX_BYTES, &path, &text, &p, &end, e) < 0)
		return -1;
	d->has_epochs = true;
	while (rc == 0 && p < end) {
		int n = split_line(&p, end, f, len, EPOCHS_KEPT);
		at++;
		if (n == 1 && len[0] == 0)
			continue; /* an empty line */
		if (d->n == cap)
			rc = grow_epochs(d, &cap, e);
		if (rc == 0)
			rc = epoch_row(d, f, len, n, &second, path, at, e);
	}
	if (rc == 0 && d->n == 0)
		rc = ERR_AT(e, path, 0, 0, "no epochs");
	d->epoch_seconds = d->n > 1 && second > d->t0 ? second - d->t0 : 30;
	free(text);
	free(path);
	return rc;
}

static int event_row(struct night_data *d, const char **f, const size_t *len, size_t cap[SOURCE_COUNT],
		     const char *path, long line, struct err *e)
{
	int s = canon_source_find(f[0], len[0]);
	int type = canon_event_find(f[4], len[4]);
	struct night_data_event ev = {0, 0, 0, len[5] != 0};

	if (s < 0 || type < 0 || numparse_double(f[2], len[2], &ev.onset) < 0 ||
	    numparse_double(f[3], len[3], &ev.duration) < 0)
		return ERR_AT(e, path, line, 0, "expected an events.csv row (source, index, onset, duration, event, pair)");
	ev.type = (uint8_t)type;
	if (d->n_events[s] == cap[s]) {
		size_t ncap = cap[s] ? cap[s] * 2 : 256;
		struct night_data_event *grown = realloc(d->events[s], ncap * sizeof(*grown));
		if (!grown)
			return ERR(e, "out of memory");
		d->events[s] = grown;
		cap[s] = ncap;
	}
	d->events[s][d->n_events[s]++] = ev;
	return 0;
}

/* From fd (-1: written before events.csv existed, the page shows no events; fd stays open, its
 * offset untouched): the whole file at once, split in one pass. */
static int read_events(int fd, const char *dir, struct night_data *d, struct err *e)
{
	char *path, *text;
	const char *p, *end, *f[EVENTS_FIELDS];
	size_t len[EVENTS_FIELDS], cap[SOURCE_COUNT] = {0, 0};
	long at = 1;
	int rc = 0;

	if (fd < 0)
		return 0;
	if (read_table(fd, dir, "events.csv", EVENTS_MAX_BYTES, &path, &text, &p, &end, e) < 0)
		return -1;
	d->has_events = true;
	while (rc == 0 && p < end) {
		at++;
		if (split_line(&p, end, f, len, EVENTS_FIELDS) != EVENTS_FIELDS)
			rc = ERR_AT(e, path, at, 0, "expected %d fields", EVENTS_FIELDS);
		else
			rc = event_row(d, f, len, cap, path, at, e);
	}
	free(text);
	free(path);
	return rc;
}

int night_data_read_fds(int epochs_fd, int events_fd, const char *dir, struct night_data *d, struct err *e)
{
	memset(d, 0, sizeof(*d));
	if (read_epochs(epochs_fd, dir, d, e) < 0)
		return -1;
	return read_events(events_fd, dir, d, e);
}

/* <dir>/name opened for reading in *fd: 0 (-1 in *fd when there is none), or -1 naming it. */
static int open_optional(const char *dir, const char *name, int *fd, struct err *e)
{
	char *path;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return ERR(e, "out of memory");
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 && errno != ENOENT) {
		ERR_SYS(e, path, "cannot read");
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

int night_data_read(const char *dir, struct night_data *d, struct err *e)
{
	int epochs_fd = -1, events_fd = -1, rc = -1;

	memset(d, 0, sizeof(*d));
	if (open_optional(dir, "epochs.csv", &epochs_fd, e) == 0 && open_optional(dir, "events.csv", &events_fd, e) == 0)
		rc = night_data_read_fds(epochs_fd, events_fd, dir, d, e);
	if (epochs_fd >= 0)
		close(epochs_fd);
	if (events_fd >= 0)
		close(events_fd);
	return rc;
}

void night_data_free(struct night_data *d)
{
	free(d->label);
	free(d->pred);
	free(d->position);
	for (int s = 0; s < SOURCE_COUNT; s++)
		free(d->events[s]);
	memset(d, 0, sizeof(*d));
}
