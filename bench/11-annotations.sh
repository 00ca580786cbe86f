#!/usr/bin/env bash
# bench/11-annotations.sh — `make bench`, annotation part: the same synth nights (`nightfan synth
# --seed 1`) read by nightfan-shard twice, once with the labels hypnogram and respiratory events
# from their CSV files and once from one NSRR XML file per night holding both (written here from
# those CSV files: one ScoredEvent per run of a stage, as NSRR's files have them, and one per
# event); position and predictions are the same CSV files in both. Prints CPU ms per night (user +
# sys of the child processes, fastest of BENCH_PASSES passes) and the XML night's cost over the
# CSV night's, against the budget: at most +50 %.
# Environment: BENCH_NIGHTS (default 200), BENCH_PASSES (default 3).
set -eu
cd "$(dirname "$0")/.."
NIGHTS=${BENCH_NIGHTS:-200}
PASSES=${BENCH_PASSES:-3}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/nightfan-bench-annot.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
CC=${CC:-cc}

# the runner: each command line of stdin run in turn (fork + exec), then the children's CPU ms
cat >"$DIR/runner.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
	char line[65536];
	while (fgets(line, sizeof line, stdin)) {
		char *argv[64];
		int argc = 0, status;
		for (char *tok = strtok(line, " \n"); tok && argc < 63; tok = strtok(NULL, " \n"))
			argv[argc++] = tok;
		argv[argc] = NULL;
		if (!argc)
			continue;
		pid_t pid = fork();
		if (pid == 0) {
			dup2(open("/dev/null", O_WRONLY), 1);
			execvp(argv[0], argv);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "runner: %s failed\n", argv[0]);
			return 1;
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("%.1f\n", (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
	return 0;
}
C
$CC -O2 -o "$DIR/runner" "$DIR/runner.c"

echo "== annotation files: $NIGHTS synth nights (seed 1), labels hypnogram + respiratory from CSV vs NSRR XML"
bin/nightfan synth --nights "$NIGHTS" --out "$DIR/csv" --seed 1 >/dev/null
cp -r "$DIR/csv" "$DIR/xml"
for night in "$DIR"/xml/N*; do
	awk -F, '
	function concept(s) {
		if (s == "Wake") return "Wake|0"
		if (s == "N1") return "Stage 1 sleep|1"
		if (s == "N2") return "Stage 2 sleep|2"
		if (s == "N3") return "Stage 3 sleep|3"
		if (s == "REM") return "REM sleep|5"
		return "Unscored|9"
	}
	function event(s) {
		if (s == "Obstructive Apnea") return "Obstructive apnea|Obstructive Apnea"
		if (s == "Central Apnea") return "Central apnea|Central Apnea"
		if (s == "Mixed Apnea") return "Mixed apnea|Mixed Apnea"
		if (s == "Hypopnea") return "Hypopnea|Hypopnea"
		if (s == "RERA") return "Respiratory effort related arousal|RERA"
		return "Apnea|Apnea"
	}
	function scored(type, c, start, duration, where) {
		printf "<ScoredEvent>\n<EventType>%s</EventType>\n<EventConcept>%s</EventConcept>\n<Start>%s</Start>\n<Duration>%s</Duration>\n%s</ScoredEvent>\n",
			type, c, start, duration, where
	}
	function flush() { if (run) scored("Stages|Stages", concept(stage), start, run * 30, "") }
	BEGIN { print "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<PSGAnnotation>\n<SoftwareVersion>Compumedics</SoftwareVersion>\n<EpochLength>30</EpochLength>\n<ScoredEvents>" }
	FNR == 1 { next }
	FILENAME ~ /hypnogram/ { if (run && $2 == stage) { run++; next } flush(); stage = $2; start = $1; run = 1; next }
	FILENAME ~ /respiratory/ { if (!done) { flush(); done = 1 } gsub(/"/, "", $3); scored("Respiratory|Respiratory", event($3), $1, $2, "<SignalLocation>ABDO RES</SignalLocation>\n") }
	END { if (!done) flush(); print "</ScoredEvents>\n</PSGAnnotation>" }
	' "$night/labels/hypnogram.csv" "$night/labels/respiratory.csv" >"$night/labels/annotations.xml"
	rm "$night/labels/hypnogram.csv" "$night/labels/respiratory.csv"
done
python3 - "$DIR/csv/profile.json" "$DIR/xml/profile.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
labels = p["sources"]["labels"]
labels["hypnogram"] = {"file": "labels/annotations.xml", "format": "nsrr-xml",
                       "values": {"stage": {"Wake|0": "W", "Stage 1 sleep|1": "N1", "Stage 2 sleep|2": "N2",
                                            "Stage 3 sleep|3": "N3", "REM sleep|5": "R", "Unscored|9": "?"}}}
labels["respiratory"] = {"file": "labels/annotations.xml", "format": "nsrr-xml",
                         "values": {"event": {"Obstructive apnea|Obstructive Apnea": "OA", "Central apnea|Central Apnea": "CA",
                                              "Mixed apnea|Mixed Apnea": "MA", "Hypopnea|Hypopnea": "H", "Apnea|Apnea": "A",
                                              "Respiratory effort related arousal|RERA": "RERA"}}}
json.dump(p, open(sys.argv[2], "w"), indent=1)
PY
nights=$(cd "$DIR/csv" && ls -d N* | sort)
for kind in csv xml; do
	for night in $nights; do
		echo "bin/nightfan-shard --input $DIR/$kind --night $night --profile $DIR/$kind/profile.json --out $DIR/out-$kind"
	done >"$DIR/$kind.cmds"
done
# the same nights must give the same epochs.csv either way (night.json differs only in "inputs")
"$DIR/runner" <"$DIR/csv.cmds" >/dev/null && "$DIR/runner" <"$DIR/xml.cmds" >/dev/null
for night in $nights; do
	cmp -s "$DIR/out-csv/$night/epochs.csv" "$DIR/out-xml/$night/epochs.csv" ||
		{ echo "annotations bench: $night: epochs.csv differs between CSV and XML labels" >&2; exit 1; }
done
awk -v n="$NIGHTS" -v csv="$(cat "$DIR"/csv/N*/labels/hypnogram.csv "$DIR"/csv/N*/labels/respiratory.csv | wc -c)" \
	-v xml="$(cat "$DIR"/xml/N*/labels/annotations.xml | wc -c)" \
	'BEGIN { printf "%-28s %.1f KB of hypnogram + respiratory CSV, %.1f KB of NSRR XML per night (epochs.csv identical)\n", "labels", csv / 1e3 / n, xml / 1e3 / n }'
best() { # CMDS — the fastest pass's CPU ms, then every pass's ms per night
	local best="" all="" ms
	for _ in $(seq "$PASSES"); do
		rm -rf "$DIR/out-csv" "$DIR/out-xml"
		cat "$DIR"/csv/N*/*/* "$DIR"/xml/N*/*/* >/dev/null
		ms=$("$DIR/runner" <"$1")
		all="$all $(awk -v ms="$ms" -v n="$NIGHTS" 'BEGIN { printf "%.2f", ms / n }')"
		if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
	done
	echo "$best |$all"
}
echo "(each line: the fastest of $PASSES passes; every pass in brackets)"
csv=$(best "$DIR/csv.cmds")
xml=$(best "$DIR/xml.cmds")
awk -v n="$NIGHTS" -v csv="${csv%% |*}" -v xml="${xml%% |*}" -v cp="${csv#*|}" -v xp="${xml#*|}" 'BEGIN {
	printf "%-28s %7.2f ms CPU/night  [%s ]\n", "labels from CSV", csv / n, cp
	printf "%-28s %7.2f ms CPU/night  [%s ]\n", "labels from NSRR XML", xml / n, xp
	over = (xml / csv - 1) * 100
	printf "%-28s %+6.1f %% (budget: +50 %%): %s\n", "XML over CSV", over, over <= 50 ? "within" : "OVER BUDGET"
}'
