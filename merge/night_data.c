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
#include <unistd.h>

#include "fsutil.h"
#include "numparse.h"

#define EPOCHS_FIELDS 9
#define EVENTS_FIELDS 6
#define EPOCHS_MAX_BYTES (256u << 20) /* 2^20 epochs of ~200 bytes */

/* Split line (its '\n' removed) at commas into at most max fields; returns how many. */
static int split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	for (;;) {
		char *comma = strchr(p, ',');
		if (n == max)
			return max + 1;
		fields[n++] = p;
		if (!comma)
			return n;
		*comma = '\0';
		p = comma + 1;
	}
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

/* One data row (the bytes [p, end), no line break): fields 3..6 are read, the rest skipped. */
static int epoch_row(struct night_data *d, const char *p, const char *end, double *second_onset, const char *path,
		     long line, struct err *e)
{
	const char *f[EPOCHS_FIELDS];
	size_t len[EPOCHS_FIELDS];
	int label, pred, position, n = 0;
	double onset = 0;

	/* one pass over the bytes: a memchr a field cost more than the fields are long */
	f[0] = p;
	for (const char *q = p; q < end; q++)
		if (*q == ',') {
			len[n] = (size_t)(q - f[n]);
			if (++n == EPOCHS_FIELDS)
				break;
			f[n] = q + 1;
		}
	if (n < EPOCHS_FIELDS)
		len[n] = (size_t)(end - f[n]), n++;
	if (n != EPOCHS_FIELDS)
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

/* The whole file at once (the shard's file, ~50 KB a night), from fd (-1: none, a page without
 * figure; left at offset 0); rows counted by their line breaks. */
static int read_epochs(int fd, const char *dir, struct night_data *d, struct err *e)
{
	char *path = NULL, *text;
	const char *p, *end;
	size_t size, rows = 0;
	double second = 0;
	long at = 1;
	int rc = 0;

	if (fd < 0)
		return 0;
	if (asprintf(&path, "%s/epochs.csv", dir) < 0)
		return ERR(e, "out of memory");
	text = fs_read_fd(fd, path, EPOCHS_MAX_BYTES, &size, e);
	if (text && lseek(fd, 0, SEEK_SET) != 0) {
		free(text);
		text = NULL;
		ERR_SYS(e, path, "cannot read");
	}
	if (!text) {
		free(path);
		return -1;
	}
	d->has_epochs = true;
	end = text + size;
	for (p = text; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		rows++;
	d->label = malloc(rows + 1);
	d->pred = malloc(rows + 1);
	d->position = malloc(rows + 1);
	if (!d->label || !d->pred || !d->position)
		rc = ERR(e, "out of memory");
	p = memchr(text, '\n', size); /* past the header (the dataset writer checks it when it copies) */
	p = p ? p + 1 : end;
	while (rc == 0 && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol ? eol : end;
		at++;
		if (stop > p && stop[-1] == '\r')
			stop--;
		if (stop > p && d->n <= rows)
			rc = epoch_row(d, p, stop, &second, path, at, e);
		p = eol ? eol + 1 : end;
	}
	if (rc == 0 && d->n == 0)
		rc = ERR_AT(e, path, 0, 0, "no epochs");
	d->epoch_seconds = d->n > 1 && second > d->t0 ? second - d->t0 : 30;
	free(text);
	free(path);
	return rc;
}

static int event_row(struct night_data *d, char **f, size_t cap[SOURCE_COUNT], const char *path, long line,
		     struct err *e)
{
	int s = canon_source_find(f[0], strlen(f[0]));
	int type = canon_event_find(f[4], strlen(f[4]));
	struct night_data_event ev = {0, 0, 0, f[5][0] != '\0'};

	if (s < 0 || type < 0 || numparse_double(f[2], strlen(f[2]), &ev.onset) < 0 ||
	    numparse_double(f[3], strlen(f[3]), &ev.duration) < 0)
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

/* From fd (-1: written before events.csv existed, the page shows no events; fd stays open). */
static int read_events(int fd, const char *dir, struct night_data *d, struct err *e)
{
	char *path = NULL, *line = NULL, *f[EVENTS_FIELDS + 1];
	size_t len = 0, cap[SOURCE_COUNT] = {0, 0};
	long at = 0;
	int rc = 0, copy;
	FILE *fp;

	if (fd < 0)
		return 0;
	if (asprintf(&path, "%s/events.csv", dir) < 0)
		return ERR(e, "out of memory");
	if ((copy = dup(fd)) < 0 || !(fp = fdopen(copy, "r"))) {
		if (copy >= 0)
			close(copy);
		rc = ERR_SYS(e, path, "cannot read");
		free(path);
		return rc;
	}
	d->has_events = true;
	while (rc == 0 && getline(&line, &len, fp) > 0) {
		if (++at == 1)
			continue;
		if (split(line, f, EVENTS_FIELDS) != EVENTS_FIELDS)
			rc = ERR_AT(e, path, at, 0, "expected %d fields", EVENTS_FIELDS);
		else
			rc = event_row(d, f, cap, path, at, e);
	}
	if (rc == 0 && ferror(fp))
		rc = ERR_SYS(e, path, "cannot read");
	fclose(fp);
	free(line);
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
