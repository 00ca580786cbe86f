/*
 * test_annot.c — shard/annot.c: NSRR and Profusion XML documents in the formats' own layout read
 * into (onset, duration, label, line), and EDF+ files written here with EDFlib's writer read back
 * with each annotation's data record (EDFlib's writer puts one annotation per annotation signal
 * and record, after the record's time-keeping TAL).
 */
#include "check.h"
#include "shard/annot.h"

#include <edflib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *nsrr =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
	"<PSGAnnotation>\n"
	"<SoftwareVersion>Compumedics</SoftwareVersion>\n"
	"<EpochLength>30</EpochLength>\n"
	"<ScoredEvents>\n"
	"<ScoredEvent><EventType/><EventConcept>Recording Start Time</EventConcept><Start>0</Start>"
	"<Duration>32820.0</Duration><ClockTime>00.00.00 22.02.51</ClockTime></ScoredEvent>\n"
	"<ScoredEvent>\n"
	" <EventType>Stages|Stages</EventType>\n"
	" <EventConcept>\n   Stage 2 sleep|2\n </EventConcept>\n"
	" <Start>30.0</Start>\n"
	" <Duration>90.0</Duration>\n"
	"</ScoredEvent>\n"
	"<ScoredEvent><EventType>Respiratory|Respiratory</EventType><EventConcept>Obstructive apnea|Obstructive Apnea</EventConcept>"
	"<Start>1234.5</Start><Duration>15.2</Duration><SignalLocation>ABDO RES</SignalLocation></ScoredEvent>\n"
	"</ScoredEvents>\n"
	"</PSGAnnotation>\n";

static const char *parse_error(const char *text, enum profile_format format)
{
	static char msg[ERR_MSG_MAX + ERR_FILE_MAX];
	struct annot_list a;
	struct err e;
	int rc = annot_parse(text, strlen(text), "a.xml", format, &a, &e);

	annot_free(&a);
	return rc == 0 ? "(read)" : err_format(&e, msg, sizeof(msg));
}

TEST(nsrr_xml)
{
	struct annot_list a;
	struct err e;
	struct annot_label_count *labels;
	size_t n;

	CHECK_INT(annot_parse(nsrr, strlen(nsrr), "a.xml", FORMAT_NSRR_XML, &a, &e), 0);
	CHECK_INT(a.n, 3);
	if (a.n == 3) {
		CHECK_STR(annot_label(&a, 0), "Recording Start Time");
		CHECK_DOUBLE(a.items[0].duration, 32820, 0);
		CHECK_INT(a.items[0].where, 6);
		CHECK_STR(annot_label(&a, 1), "Stage 2 sleep|2"); /* white space around the text dropped */
		CHECK_DOUBLE(a.items[1].onset, 30, 0);
		CHECK_DOUBLE(a.items[1].duration, 90, 0);
		CHECK_INT(a.items[1].where, 7);
		CHECK_STR(annot_label(&a, 2), "Obstructive apnea|Obstructive Apnea");
		CHECK_DOUBLE(a.items[2].onset, 1234.5, 0);
		CHECK_DOUBLE(a.items[2].duration, 15.2, 0);
	}
	CHECK_INT(annot_labels(&a, &labels, &n, &e), 0);
	CHECK_INT(n, 3);
	if (n == 3)
		CHECK(strcmp(labels[1].label, "Stage 2 sleep|2") == 0 && labels[1].count == 1);
	free(labels);
	annot_free(&a);
}

TEST(profusion_xml)
{
	/* EpochLength after the stages: they are placed when the document ends */
	const char *doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CMPStudyConfig>\n"
			  "<SleepStages><SleepStage>0</SleepStage><SleepStage>2</SleepStage>\n<SleepStage>5</SleepStage></SleepStages>\n"
			  "<ScoredEvents><ScoredEvent><Name>Hypopnea</Name><Start>45.5</Start><Duration>11</Duration><Input>ABDO RES</Input></ScoredEvent></ScoredEvents>\n"
			  "<EpochLength>20</EpochLength>\n</CMPStudyConfig>\n";
	struct annot_list a;
	struct err e;

	CHECK_INT(annot_parse(doc, strlen(doc), "s.xml", FORMAT_PROFUSION_XML, &a, &e), 0);
	CHECK_INT(a.n, 4);
	if (a.n == 4) {
		CHECK_STR(annot_label(&a, 2), "5");
		CHECK_DOUBLE(a.items[2].onset, 40, 0);     /* stage 2 × 20 s */
		CHECK_DOUBLE(a.items[2].duration, 20, 0);
		CHECK_INT(a.items[2].where, 4);
		CHECK_STR(annot_label(&a, 3), "Hypopnea");
		CHECK_DOUBLE(a.items[3].onset, 45.5, 0);
	}
	annot_free(&a);
}

TEST(xml_errors)
{
	CHECK_STR(parse_error("<PSGAnnotation><ScoredEvents><ScoredEvent><EventConcept>W</EventConcept><Start>-1</Start>"
			      "<Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>", FORMAT_NSRR_XML),
		  "a.xml:1: expected a non-negative number of seconds in <Start>, got \"-1\"");
	CHECK_STR(parse_error("<PSGAnnotation><ScoredEvents><ScoredEvent>\n<Start>0</Start><Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>",
			      FORMAT_NSRR_XML),
		  "a.xml:1: expected <EventConcept> in <ScoredEvent>");
	CHECK_STR(parse_error("<CMPStudyConfig><ScoredEvents><ScoredEvent><Name>H</Name><Start>0</Start></ScoredEvent></ScoredEvents></CMPStudyConfig>",
			      FORMAT_PROFUSION_XML),
		  "a.xml:1: expected <Duration> in <ScoredEvent>");
	CHECK_STR(parse_error("<PSGAnnotation>\n<ScoredEvents>\n</PSGAnnotation>", FORMAT_NSRR_XML),
		  "a.xml:3: not well-formed XML: Opening and ending tag mismatch: ScoredEvents line 2 and PSGAnnotation");
	CHECK_STR(parse_error("not xml", FORMAT_NSRR_XML), "a.xml:1: not well-formed XML: Document is empty");
	CHECK_STR(parse_error("<PSGAnnotation>&amp;&lt;</PSGAnnotation>", FORMAT_NSRR_XML), "(read)");
	CHECK_STR(parse_error("<PSGAnnotation>&nope;</PSGAnnotation>", FORMAT_NSRR_XML),
		  "a.xml:1: not well-formed XML: Entity 'nope' not defined");
}

/* An EDF+ file written by EDFlib: 1 s records, `annotations` (onset, duration in s, -1 none, text). */
struct edf_annot {
	double onset, duration;
	const char *text;
};

static char *write_edf(const struct edf_annot *annotations, size_t n, int seconds, size_t *len)
{
	char path[] = "/tmp/nightfan-test-annot-XXXXXX";
	int fd = mkstemp(path), h;
	double zero = 0;
	char *data = NULL;
	FILE *fp;

	close(fd);
	h = edfopen_file_writeonly(path, EDFLIB_FILETYPE_EDFPLUS, 1);
	edf_set_samplefrequency(h, 0, 1);
	edf_set_physical_maximum(h, 0, 100);
	edf_set_physical_minimum(h, 0, -100);
	edf_set_digital_maximum(h, 0, 32767);
	edf_set_digital_minimum(h, 0, -32768);
	edf_set_label(h, 0, "Fpz-Cz");
	for (size_t i = 0; i < n; i++)
		edfwrite_annotation_utf8(h, (long long)(annotations[i].onset * 10000),
					 annotations[i].duration < 0 ? -1 : (long long)(annotations[i].duration * 10000),
					 annotations[i].text);
	for (int s = 0; s < seconds; s++)
		edfwrite_physical_samples(h, &zero);
	edfclose_file(h);
	if ((fp = fopen(path, "rb"))) {
		fseek(fp, 0, SEEK_END);
		*len = (size_t)ftell(fp);
		rewind(fp);
		data = malloc(*len);
		if (data && fread(data, 1, *len, fp) != *len) {
			free(data);
			data = NULL;
		}
		fclose(fp);
	}
	unlink(path);
	return data;
}

TEST(edf_plus)
{
	/* Sleep-EDF's texts; EDFlib's writer has one annotation signal: one annotation per record */
	const struct edf_annot in[] = {{0, 30630, "Sleep stage W"}, {30630, 120, "Sleep stage 1"},
				       {30750, 390, "Sleep stage 2"}, {31000.5, -1, "Lights on"}, {31140, 30, "Movement time"}};
	size_t len = 0;
	char *data = write_edf(in, 5, 10, &len);
	struct annot_list a;
	struct err e;

	CHECK(data != NULL);
	if (!data)
		return;
	CHECK_INT(annot_parse(data, len, "h.edf", FORMAT_EDF_PLUS, &a, &e), 0);
	CHECK_INT(a.n, 5);
	for (size_t i = 0; i < a.n && i < 5; i++) {
		CHECK_STR(annot_label(&a, i), in[i].text);
		CHECK_DOUBLE(a.items[i].onset, in[i].onset, 0);
		CHECK_DOUBLE(a.items[i].duration, in[i].duration, 0);
		CHECK_INT(a.items[i].where, (long)i + 1);
	}
	annot_free(&a);
	/* the same bytes as a plain EDF: "EDF+C" removed from the reserved field */
	memcpy(data + 192, "     ", 5);
	CHECK_INT(annot_parse(data, len, "h.edf", FORMAT_EDF_PLUS, &a, &e), -1);
	CHECK_STR(e.message, "a plain EDF file, which has no annotations; expected EDF+ (\"EDF+C\" in the header)");
	annot_free(&a);
	free(data);
}
