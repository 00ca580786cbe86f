/*
 * edfwrite.c — test helper: an EDF+ file written with EDFlib's own writer, so the EDF+ reader is
 * tested against files that library writes (not against bytes we made up).
 *
 *   edfwrite OUT SECONDS [RECORD_SECONDS] < annotations
 *
 * One signal ("Fpz-Cz", 1 Hz, zeros) over SECONDS seconds in data records of RECORD_SECONDS
 * (default 1), and one annotation per stdin line "ONSET<TAB>DURATION<TAB>TEXT" (seconds; DURATION
 * "-" for none). Built and run by the CLI tests and fuzz/make-seeds.sh with `cc ... -ledf`.
 */
#include <edflib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char line[1024];
	int seconds, record = 1, h;

	if (argc < 3 || (seconds = atoi(argv[2])) <= 0 || (argc > 3 && (record = atoi(argv[3])) <= 0)) {
		fprintf(stderr, "usage: edfwrite OUT SECONDS [RECORD_SECONDS] < annotations\n");
		return 2;
	}
	if ((h = edfopen_file_writeonly(argv[1], EDFLIB_FILETYPE_EDFPLUS, 1)) < 0) {
		fprintf(stderr, "edfwrite: cannot open %s: EDFlib error %d\n", argv[1], h);
		return 1;
	}
	edf_set_samplefrequency(h, 0, record);
	edf_set_datarecord_duration(h, record * 100000);
	edf_set_physical_maximum(h, 0, 100);
	edf_set_physical_minimum(h, 0, -100);
	edf_set_digital_maximum(h, 0, 32767);
	edf_set_digital_minimum(h, 0, -32768);
	edf_set_label(h, 0, "Fpz-Cz");
	edf_set_physical_dimension(h, 0, "uV");
	edf_set_startdatetime(h, 2026, 3, 1, 23, 58, 20);
	edf_set_number_of_annotation_signals(h, 4);
	while (fgets(line, sizeof(line), stdin)) {
		char *onset = strtok(line, "\t"), *duration = strtok(NULL, "\t"), *text = strtok(NULL, "\n");
		if (!onset || !duration || !text)
			continue;
		long long d = strcmp(duration, "-") == 0 ? -1 : (long long)(atof(duration) * 10000 + 0.5);
		if (edfwrite_annotation_utf8(h, (long long)(atof(onset) * 10000 + 0.5), d, text) < 0) {
			fprintf(stderr, "edfwrite: EDFlib refused the annotation \"%s\"\n", text);
			return 1;
		}
	}
	double *zeros = calloc((size_t)record, sizeof(double));
	for (int s = 0; s < seconds; s += record)
		if (edfwrite_physical_samples(h, zeros) < 0) {
			fprintf(stderr, "edfwrite: EDFlib cannot write a data record\n");
			return 1;
		}
	free(zeros);
	return edfclose_file(h) < 0;
}
