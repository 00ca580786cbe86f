/*
 * dataset.c — streaming every night's epochs.csv into one file (see dataset.h).
 *
 * The shard writes epochs.csv without quoting (no field can hold a comma, quote or line break), so
 * rows are counted by their line breaks and copied in 64 KB blocks without parsing them.
 */
#include "dataset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (64 * 1024)

/* Read the first line of fp and check it is exactly the epochs.csv header the shard writes. */
static int check_header(FILE *fp, const char *path, struct err *e)
{
	char line[sizeof DATASET_HEADER + 2];

	if (!fgets(line, sizeof line, fp)) {
		if (ferror(fp))
			return ERR_SYS(e, path, "cannot read");
		return ERR_AT(e, path, 1, 0, "empty file: expected the header \"%s\"", DATASET_HEADER);
	}
	if (strcmp(line, DATASET_HEADER "\n") != 0)
		return ERR_AT(e, path, 1, 0, "expected the header \"%s\"", DATASET_HEADER);
	return 0;
}

/* Copy the rest of in to out, counting its rows (line breaks); the last byte must be one. */
static int copy_rows(FILE *in, FILE *out, const char *out_name, char *block, const char *path, long *rows,
		     struct err *e)
{
	size_t got;
	char last = '\n';

	*rows = 0;
	while ((got = fread(block, 1, BLOCK, in)) > 0) {
		for (const char *p = block, *end = block + got; (p = memchr(p, '\n', (size_t)(end - p))); p++)
			(*rows)++;
		last = block[got - 1];
		if (fwrite(block, 1, got, out) != got)
			return ERR_SYS(e, out_name, "cannot write");
	}
	if (ferror(in))
		return ERR_SYS(e, path, "cannot read");
	if (last != '\n')
		return ERR_AT(e, path, 0, 0, "truncated: the last row has no line break");
	return 0;
}

int dataset_append(void *ctx, const struct night_record *r, int epochs_fd, struct err *e)
{
	struct dataset *d = ctx;
	char *path = NULL;
	FILE *in = fdopen(epochs_fd, "rb");
	long rows = 0;
	int rc;

	if (asprintf(&path, "%s/epochs.csv", r->dir) < 0)
		path = NULL;
	if (!in || !path) {
		if (!in)
			close(epochs_fd);
		else
			fclose(in);
		free(path);
		return ERR(e, "out of memory");
	}
	rc = check_header(in, path, e);
	if (rc == 0)
		rc = copy_rows(in, d->out, d->out_name, d->block, path, &rows, e);
	if (rc == 0 && rows != r->epochs)
		rc = ERR_AT(e, path, 0, 0, "holds %ld rows but night.json says %ld epochs", rows, r->epochs);
	fclose(in);
	free(path);
	return rc;
}

int dataset_begin(struct dataset *d, FILE *out, const char *out_name, struct err *e)
{
	d->out = out;
	d->out_name = out_name;
	if (!(d->block = malloc(BLOCK)))
		return ERR(e, "out of memory");
	fputs(DATASET_HEADER "\n", out);
	return 0;
}

void dataset_end(struct dataset *d)
{
	free(d->block);
	d->block = NULL;
}
