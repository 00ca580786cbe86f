#!/usr/bin/env bash
# 13_annotations.sh — annotation files (SPEC §1, "Annotation files"): the worked examples of
# docs/PROFILES.md — an NSRR XML night, a Compumedics Profusion XML night and a Sleep-EDF style EDF+
# night (written here with EDFlib's own writer, tests/tools/edfwrite.c) — are each the tiny night of
# 10_shard.sh (whose scores are checked by hand there) with its labels in one annotation file and its
# predictions and position in CSV, so their scores must be the tiny night's; then every new bad
# input with its exact message, and hostile XML (billion laughs, external entities, deep nesting)
# refused without reading anything outside the night.
source "$TESTS/lib.sh"

DATA=$TESTS/data/profiles
GOLDEN=$TESTS/golden/profiles

# EDFlib's writer, built here (EDF+ files are written by the library the reader uses)
${CC:-cc} -O1 -o "$WORK/edfwrite" "$TESTS/tools/edfwrite.c" -ledf

# fresh SET NIGHT — a copy of tests/data/profiles/SET in $WORK/in (the Sleep-EDF file written), empty $WORK/out
fresh() {
	rm -rf "$WORK/in" "$WORK/out"
	cp -r "$DATA/$1" "$WORK/in"
	if [ "$1" = sleep-edf ]; then
		"$WORK/edfwrite" "$WORK/in/E1/labels/E1-Hypnogram.edf" 180 <"$WORK/in/E1-Hypnogram.tsv"
	fi
	NIGHT=$2
}
shard() {
	nightfan-shard --input "$WORK/in" --night "$NIGHT" --profile "$WORK/in/profile.json" --out "$WORK/out" "$@"
}
same_scores_as_tiny() { # NAME
	check_eq "$1: the tiny night's scores" "$(python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
print(all(a[k] == b[k] for k in ("scores", "staging_confusion", "event_agreement", "epochs")))' \
		"$WORK/out/$NIGHT/night.json" "$TESTS/golden/shard/tiny/night.json")" "True"
}
# bad NAME FILE WANT — FILE of $WORK/in/$NIGHT already changed; the shard exits 1 with WANT
bad() {
	check_run "$1" 1 "nightfan-shard: error: $2" shard
	check_eq "$1: nothing written" "$(ls -A "$WORK/out" 2>/dev/null)" ""
}
# edit FILE PYTHON — rewrite FILE with a Python expression over its text `s`
edit() {
	python3 -c 'import sys; f = sys.argv[1]; s = open(f).read(); open(f, "w").write(eval(sys.argv[2]))' "$1" "$2"
}

# ---- the worked examples ----
fresh nsrr S1
check_run "NSRR XML night" 0 "" shard
check_file_eq "NSRR epochs.csv" "$WORK/out/S1/epochs.csv" "$GOLDEN/nsrr/epochs.csv"
check_file_eq "NSRR night.json" "$WORK/out/S1/night.json" "$GOLDEN/nsrr/night.json"
same_scores_as_tiny "NSRR"
# one file for two streams: read once, listed once, its rows every ScoredEvent (11, arousals,
# desaturations and the recording start included)
check_eq "NSRR: the XML file listed once" \
	"$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(list(d["inputs"]), d["inputs"]["labels/annotations.xml"]["rows"])' "$WORK/out/S1/night.json")" \
	"['labels/annotations.xml', 'labels/position.csv', 'predictions/hypnogram.csv', 'predictions/respiratory.csv'] 11"

fresh profusion P1
check_run "Profusion XML night" 0 "" shard
check_file_eq "Profusion epochs.csv" "$WORK/out/P1/epochs.csv" "$GOLDEN/profusion/epochs.csv"
check_file_eq "Profusion night.json" "$WORK/out/P1/night.json" "$GOLDEN/profusion/night.json"
same_scores_as_tiny "Profusion"

fresh sleep-edf E1
check_run "Sleep-EDF night" 0 "" shard
check_file_eq "Sleep-EDF epochs.csv" "$WORK/out/E1/epochs.csv" "$GOLDEN/sleep-edf/epochs.csv"
same_scores_as_tiny "Sleep-EDF"
check_eq "Sleep-EDF: 9 annotations, Lights off among them" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["inputs"]["labels/E1-Hypnogram.edf"]["rows"])' "$WORK/out/E1/night.json")" "9"

# ---- bad NSRR XML ----
X=labels/annotations.xml
fresh nsrr S1
edit "$WORK/in/S1/$X" 's.replace("<Start>170</Start>", "<Start>abc</Start>")'
bad "NSRR: Start not a number" "$X:41: expected a non-negative number of seconds in <Start>, got \"abc\""
fresh nsrr S1
edit "$WORK/in/S1/$X" 's.replace("<Duration>12</Duration>\n", "")'
bad "NSRR: no Duration" "$X:38: expected <Duration> in <ScoredEvent>"
fresh nsrr S1
edit "$WORK/in/S1/$X" 's.replace("<Start>130.0</Start>\n<Duration>30.0</Duration>", "<Start>130.0</Start>\n<Duration>45</Duration>")'
bad "NSRR: stage not a whole number of epochs" \
	"$X:19: expected a duration that is a positive multiple of 30 s for \"Stage 1 sleep|1\", got 45"
fresh nsrr S1
edit "$WORK/in/S1/$X" 's.replace("<Start>160.0</Start>", "<Start>190.0</Start>")'
bad "NSRR: stages not consecutive" \
	"$X:32: expected onset 160 (consecutive epochs: where the previous stage annotations end) for \"Stage 2 sleep|2\", got 190"
fresh nsrr S1
edit "$WORK/in/S1/$X" 's.replace("<Start>165</Start>", "<Start>99</Start>")'
bad "NSRR: event before t0" "$X:45: expected an event onset within the recording, got 99, before its start 100"
fresh nsrr S1
edit "$WORK/in/S1/$X" 's.replace("<Duration>10</Duration>\n<SignalLocation>ABDO RES</SignalLocation>\n</ScoredEvent>\n<ScoredEvent>\n<EventType>Respiratory|Respiratory</EventType>\n<EventConcept>SpO2", "<Duration>10</Start>\n<SignalLocation>ABDO RES</SignalLocation>\n</ScoredEvent>\n<ScoredEvent>\n<EventType>Respiratory|Respiratory</EventType>\n<EventConcept>SpO2")'
bad "NSRR: not well-formed" "$X:49: not well-formed XML: Opening and ending tag mismatch: Duration line 49 and Start"
fresh nsrr S1
cp "$DATA/profusion/P1/labels/study.xml" "$WORK/in/S1/$X"
bad "NSRR: a Profusion file" "$X:2: expected <PSGAnnotation> as the root element (\"format\": \"nsrr-xml\"), got <CMPStudyConfig>"
fresh nsrr S1
edit "$WORK/in/profile.json" 's.replace("\"Wake|0\": \"W\"", "\"Wake\": \"W\"").replace("\"Stage 1 sleep|1\"", "\"N1 sleep\"").replace("\"Stage 2 sleep|2\"", "\"N2 sleep\"").replace("\"REM sleep|5\"", "\"REM\"")'
bad "NSRR: no stage the profile maps" \
	"$X: no stage annotations: expected labels the profile maps to a stage (W, N1, N2, N3, R, ?); the file's labels are \"Recording Start Time\", \"Wake|0\", \"Stage 1 sleep|1\", \"Arousal|Arousal ()\", \"Stage 2 sleep|2\", \"Hypopnea|Hypopnea\", \"Obstructive apnea|Obstructive Apnea\", \"SpO2 desaturation|SpO2 desaturation\", \"REM sleep|5\", \"Central apnea|Central Apnea\""
fresh nsrr S1
: >"$WORK/in/S1/$X"
bad "NSRR: empty file" "$X: empty file: expected an XML document"

# ---- hostile XML: refused at the document type declaration, before libxml2 reads any of it ----
# A FIFO outside the night: opening it would block the shard forever, so a run that ends proves
# nothing was read from it (and /etc/passwd is never shown).
mkfifo "$WORK/fifo"
fresh nsrr S1
cat >"$WORK/in/S1/$X" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<PSGAnnotation><ScoredEvents><ScoredEvent><EventConcept>&lol9;</EventConcept><Start>0</Start><Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>
XML
bad "billion laughs" "$X:2: a document type declaration (<!DOCTYPE>) is not accepted in an annotation file"
fresh nsrr S1
printf '<?xml version="1.0"?>\n<!DOCTYPE PSGAnnotation [<!ENTITY fifo SYSTEM "file://%s"><!ENTITY passwd SYSTEM "file:///etc/passwd">]>\n<PSGAnnotation><ScoredEvents><ScoredEvent><EventConcept>&passwd;&fifo;</EventConcept><Start>0</Start><Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>\n' \
	"$WORK/fifo" >"$WORK/in/S1/$X"
bad "external entities" "$X:2: a document type declaration (<!DOCTYPE>) is not accepted in an annotation file"
fresh nsrr S1
printf '<?xml version="1.0"?>\n<!DOCTYPE PSGAnnotation SYSTEM "file://%s">\n<PSGAnnotation/>\n' "$WORK/fifo" >"$WORK/in/S1/$X"
bad "external DTD" "$X:2: a document type declaration (<!DOCTYPE>) is not accepted in an annotation file"
fresh nsrr S1
python3 -c 'import sys; sys.stdout.write("<PSGAnnotation>" + "<a>" * 1000000 + "</a>" * 1000000 + "</PSGAnnotation>\n")' >"$WORK/in/S1/$X"
bad "10^6 nested elements" "$X:1: elements nested deeper than 16; expected an NSRR XML file"
fresh nsrr S1
printf '<PSGAnnotation xmlns:xi="http://www.w3.org/2001/XInclude"><ScoredEvents><xi:include href="file://%s" parse="text"/></ScoredEvents></PSGAnnotation>\n' \
	"$WORK/fifo" >"$WORK/in/S1/$X"
bad "XInclude is not processed" \
	"$X: no stage annotations: expected labels the profile maps to a stage (W, N1, N2, N3, R, ?)"

# ---- bad Profusion XML ----
X=labels/study.xml
fresh profusion P1
edit "$WORK/in/P1/$X" 's.replace("  <EpochLength>30</EpochLength>\n", "")'
bad "Profusion: no EpochLength" "$X:45: expected <EpochLength> in <CMPStudyConfig> for the <SleepStages>"
fresh profusion P1
edit "$WORK/in/P1/$X" 's.replace("<EpochLength>30</EpochLength>", "<EpochLength>0</EpochLength>")'
bad "Profusion: EpochLength 0" "$X:3: expected a positive number of seconds in <EpochLength>, got \"0\""
fresh profusion P1
edit "$WORK/in/P1/$X" 's.replace("<EpochLength>30</EpochLength>", "<EpochLength>20</EpochLength>")'
bad "Profusion: epochs of another length" "$X:46: expected a duration that is a positive multiple of 30 s for \"0\", got 20"
# a stage code the profile does not map is another kind of annotation: the stages then have a gap
fresh profusion P1
edit "$WORK/in/P1/$X" 's.replace("<SleepStage>5</SleepStage>", "<SleepStage>7</SleepStage>")'
bad "Profusion: unmapped stage code" \
	"$X:51: expected onset 120 (consecutive epochs: where the previous stage annotations end) for \"0\", got 150"

# ---- bad EDF+ ----
X=labels/E1-Hypnogram.edf
fresh sleep-edf E1
printf '0\t30\tSleep stage W\n30\t30\tSleep stage 1\n200\t10\tHypopnea\n' | "$WORK/edfwrite" "$WORK/in/E1/$X" 180
bad "EDF+: event past the end, its data record named" \
	"$X: data record 1: expected an event onset within the recording, got 200, at or after its end 60"
fresh sleep-edf E1
printf '0\t30\tSleep stage W\n30\t30\tSleep stage 1\n60\t-\tSleep stage 2\n' | "$WORK/edfwrite" "$WORK/in/E1/$X" 180
bad "EDF+: a stage without duration" "$X: data record 1: expected a duration for \"Sleep stage 2\""
fresh sleep-edf E1
awk -F'\t' -v OFS='\t' '$3 == "Sleep stage R" { $2 = 45 } 1' "$DATA/sleep-edf/E1-Hypnogram.tsv" | "$WORK/edfwrite" "$WORK/in/E1/$X" 180
bad "EDF+: a stage not a whole number of epochs (data record 2)" \
	"$X: data record 2: expected a duration that is a positive multiple of 30 s for \"Sleep stage R\", got 45"
fresh sleep-edf E1
head -c 1000 "$WORK/in/E1/$X" >"$WORK/cut" && mv "$WORK/cut" "$WORK/in/E1/$X"
bad "EDF+: cut short" "$X: not a valid EDF+ file (shorter than the header it needs, or not EDF at all)"
fresh sleep-edf E1
printf 'Start [s],Sleep Stage\n0,Wake\n' >"$WORK/in/E1/$X"
bad "EDF+: a CSV file" "$X: not a valid EDF+ file (shorter than the header it needs, or not EDF at all)"
fresh sleep-edf E1
: >"$WORK/in/E1/$X"
bad "EDF+: empty file" "$X: empty file: expected an EDF+ file"

finish
