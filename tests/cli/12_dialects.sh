#!/usr/bin/env bash
# 12_dialects.sh — export dialects (SPEC §1, "Export dialects"): the worked example of
# docs/PROFILES.md (tests/data/profiles/clock-export: ';' and tab delimiters, decimal commas, clock
# times across midnight, Latin-1, UTF-16, windows-1252, trimmed headers) is the tiny night of
# 10_shard.sh written another way, so its scores must be the tiny night's hand-checked ones; then
# every new bad input with its exact message.
source "$TESTS/lib.sh"

BASE=$TESTS/data/profiles/clock-export
GOLDEN=$TESTS/golden/profiles/clock-export

fresh() {
	rm -rf "$WORK/in" "$WORK/out"
	mkdir -p "$WORK/in"
	cp -r "$BASE/D1" "$WORK/in/D1"
	cp "$BASE/profile.json" "$WORK/in/profile.json"
}
shard() {
	nightfan-shard --input "$WORK/in" --night D1 --profile "$WORK/in/profile.json" --out "$WORK/out" "$@"
}
# bad NAME FILE CONTENT WANT — as in 10_shard.sh: FILE replaced by CONTENT (printf %b)
bad() {
	fresh
	printf '%b' "$3" >"$WORK/in/D1/$2"
	check_run "$1" 1 "nightfan-shard: error: $4" shard
	check_eq "$1: nothing written" "$(ls -A "$WORK/out" 2>/dev/null)" ""
}
# profile_set STREAM_FILE KEY VALUE — set "KEY": VALUE on the stream reading STREAM_FILE
profile_set() {
	python3 - "$WORK/in/profile.json" "$@" <<'PY'
import json, sys
path, file, key, value = sys.argv[1:]
p = json.load(open(path))
for src in p["sources"].values():
    for s in src.values():
        if s["file"] == file:
            s[key] = json.loads(value)
json.dump(p, open(path, "w"), ensure_ascii=False)
PY
}

# ---- the worked example ----
# The tiny night (10_shard.sh) with 23:58:20 as its first epoch: every time is 100 s less than
# there (t0 = 0 at the reference), the midnight rule puts 00:00:20 at 120 s, and the scores are the
# tiny night's (hand-checked there) to the last digit.
fresh
check_run "clock export" 0 "" shard
check_file_eq "clock export epochs.csv" "$WORK/out/D1/epochs.csv" "$GOLDEN/epochs.csv"
check_file_eq "clock export night.json" "$WORK/out/D1/night.json" "$GOLDEN/night.json"
check_eq "clock export: onsets are the tiny night's minus 100 s" \
	"$(cut -d, -f3 "$WORK/out/D1/epochs.csv" | tail -n +2 | tr '\n' ' ')" "0 30 60 90 120 150 "
check_eq "clock export: the tiny night's scores" "$(python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
print(all(a[k] == b[k] for k in ("scores", "staging_confusion", "event_agreement", "epochs")))' \
	"$WORK/out/D1/night.json" "$TESTS/golden/shard/tiny/night.json")" "True"

# ---- what a file that is not in its dialect says ----
fresh
profile_set labels/hypnogram.csv trim false
check_run "trailing space in a header" 1 \
	'nightfan-shard: error: labels/hypnogram.csv:1: missing column "Zeit" (the profile maps onset to it); the header has "Zeit ", "Stadium "; "Zeit " matches with "trim": true' shard
fresh
profile_set predictions/hypnogram.csv encoding '"utf-8"'
check_run "UTF-16 read as UTF-8" 1 \
	'nightfan-shard: error: predictions/hypnogram.csv:1: missing column "time" (the profile maps onset to it); the first line looks like UTF-16 (NUL bytes): set "encoding": "utf-16"' shard
fresh
profile_set labels/position.csv encoding '"utf-8"'
check_run "Latin-1 value read as UTF-8" 1 \
	'nightfan-shard: error: labels/position.csv:2:2: expected a position (supine, prone, left, right, upright, unknown) or a raw value the profile maps for "Lage", got "R\xfcckenlage" (not UTF-8 text: set "encoding" to the file'"'"'s, e.g. "latin-1")' shard
fresh
profile_set predictions/respiratory.csv encoding '"utf-8"'
check_run "windows-1252 header read as UTF-8" 1 \
	'nightfan-shard: error: predictions/respiratory.csv:1: missing column "Ereignis–Typ" (the profile maps event to it); the header has "Beginn", "Dauer", "Ereignis\x96Typ"; the first line is not UTF-8 (byte 0x96): set "encoding" to the file'"'"'s ("latin-1", "windows-1252", "utf-16")' shard

# ---- bad input in a dialect ----
bad "UTF-16 without a byte order mark" predictions/hypnogram.csv 't\0i\0m\0e\0' \
	'predictions/hypnogram.csv: expected a UTF-16 byte order mark (FF FE or FE FF) at the start ("encoding": "utf-16")'
bad "UTF-16 cut in a character" predictions/hypnogram.csv '\xff\xfet\0i\0m\0e\0,\0s\0t\0a\0g\0e\0\n\0\x32' \
	'predictions/hypnogram.csv:2: the file ends inside a UTF-16 character ("encoding": "utf-16")'
bad "UTF-16 unpaired surrogate" predictions/hypnogram.csv '\xff\xfet\0i\0m\0e\0,\0s\0t\0a\0g\0e\0\n\0\x00\xdc' \
	'predictions/hypnogram.csv:2: not UTF-16 text: bytes 0x00 0xdc ("encoding": "utf-16")'
bad "byte windows-1252 leaves undefined" predictions/respiratory.csv 'Beginn\tDauer\tEreignis\x96Typ\n100\t10\tH\n185\t10\t\x81\n' \
	'predictions/respiratory.csv:3: not windows-1252 text: byte 0x81 ("encoding": "windows-1252")'
bad "clock hour 24" labels/hypnogram.csv 'Zeit;Stadium\n24:00:00;Wach\n' \
	'labels/hypnogram.csv:2:1: expected a clock time HH:MM:SS[.fff] for "Zeit", got "24:00:00"'
bad "clock without seconds" labels/respiratory.csv 'Beginn;Dauer [s];Ereignis\n23:59;10;Hypopnoe\n' \
	'labels/respiratory.csv:2:1: expected a clock time HH:MM:SS[.fff] for "Beginn", got "23:59"'
bad "seconds where a clock time is due" labels/position.csv 'Uhrzeit;Lage;Kopfbewegung\n100;Links;1\n' \
	'labels/position.csv:2:1: expected a clock time HH:MM:SS[.fff] for "Uhrzeit", got "100"'
bad "decimal point where a comma is due" labels/respiratory.csv 'Beginn;Dauer [s];Ereignis\n23:59:30;12.5;Hypopnoe\n' \
	'labels/respiratory.csv:2:2: expected a number with a decimal comma for "Dauer [s]", got "12.5"'
bad "not a number, decimal comma" labels/position.csv 'Uhrzeit;Lage;Kopfbewegung\n23:58:20;Links;viel\n' \
	'labels/position.csv:2:3: expected a number (or an empty cell) for "Kopfbewegung", got "viel"'
# consecutive epochs are checked in seconds since the reference (the first row, 23:58:20)
bad "clock epochs not consecutive" labels/hypnogram.csv 'Zeit;Stadium\n23:58:20;Wach\n23:59:20;N1\n' \
	'labels/hypnogram.csv:3:1: expected onset 30 (consecutive epochs: where the previous rows end) for "Zeit", got "23:59:20"'
# an event before the reference is on the next day, so past the recording's end (180 s)
bad "clock event before the reference" labels/respiratory.csv 'Beginn;Dauer [s];Ereignis\n23:58:10;10;Hypopnoe\n' \
	'labels/respiratory.csv:2:1: expected an event onset within the recording, got 86390, at or after its end 180'

# ---- date-times ----
fresh
printf 'Zeit;Stadium\n2026-03-01 23:58:20;Wach\n2026-03-01T23:58:50;N1\n2026-03-01 23:59:20;N2\n2026-03-01 23:59:50;N2\n2026-03-02 00:00:20;REM\n2026-03-02 00:00:50;Wach\n' \
	>"$WORK/in/D1/labels/hypnogram.csv"
printf 'Beginn;Dauer [s];Ereignis\n2026-03-01 23:59:30;12,0;Hypopnoe\n2026-03-01 23:59:25;10;Obstruktive Apnoe\n2026-03-02 00:00:25,5;10;Zentrale Apnoe\n' \
	>"$WORK/in/D1/labels/respiratory.csv"
python3 - "$WORK/in/profile.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
labels = p["sources"]["labels"]
labels["hypnogram"]["time"] = labels["respiratory"]["time"] = "datetime"
del labels["position"], p["sources"]["predictions"]
json.dump(p, open(sys.argv[1], "w"), ensure_ascii=False)
PY
check_run "date-times" 0 "" shard
check_eq "date-times: the same epochs and events" \
	"$(cut -d, -f2-4,8 "$WORK/out/D1/epochs.csv" | tail -n +2 | tr '\n' ' ')" \
	"0,0,W, 1,30,N1, 2,60,N2,OA 3,90,N2, 4,120,R,CA 5,150,W, "
printf 'Beginn;Dauer [s];Ereignis\n2026-03-01 23:58:10;12,0;Hypopnoe\n' >"$WORK/in/D1/labels/respiratory.csv"
check_run "date-time before the reference" 1 \
	'nightfan-shard: error: labels/respiratory.csv:2:1: expected a date-time not before the labels hypnogram'"'"'s first row for "Beginn", got "2026-03-01 23:58:10"' shard
printf 'Beginn;Dauer [s];Ereignis\n2026-02-29 23:59:30;12,0;Hypopnoe\n' >"$WORK/in/D1/labels/respiratory.csv"
check_run "no such date" 1 \
	'nightfan-shard: error: labels/respiratory.csv:2:1: expected a date-time YYYY-MM-DD HH:MM:SS[.fff] for "Beginn", got "2026-02-29 23:59:30"' shard

# ---- profile keys ----
fresh
profile_set labels/respiratory.csv delimiter '","'
check_run "decimal comma with a comma delimiter" 1 \
	"nightfan-shard: error: $WORK/in/profile.json: sources.labels.respiratory.decimal: \",\" needs another delimiter (this file's delimiter is \",\"): set \"delimiter\", e.g. \";\"" shard
fresh
profile_set labels/hypnogram.csv time '"seconds"'
check_run "clock times without a reference" 1 \
	"nightfan-shard: error: $WORK/in/profile.json: sources.labels.respiratory.time: \"clock\" needs a reference: the labels hypnogram's onset written the same way (sources.labels.hypnogram.time: \"clock\")" shard

finish
