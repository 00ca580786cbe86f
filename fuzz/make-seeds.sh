#!/usr/bin/env bash
# fuzz/make-seeds.sh OUT — seed corpora for every fuzz target, made from the tests' own files:
#   csv       the CSV files of tests/data and of synth nights (plain and --messy), first 60 lines
#   shard     the same nights laid out as fuzz_shard.c reads them (byte 0 + files split by #####)
#   profile   tests/data/shard/tiny/profile.json, tests/golden/synth/profile*.json
#   executor  tests/golden/executor/*.json, the KFP reference ExecutorInputs, and the ExecutorInputs
#             nightfan's plan gives a shard task and the merge (through `nightfan compose`)
#   night     tests/data/merge/basic/*/night.json, tests/golden/shard/*/night.json, synth nights
#   pagedata  the shard's epochs.csv and events.csv of the plain synth nights (fuzz_pagedata.c's layout)
#   spec      tests/golden/pipeline/pipeline.{yaml,json}, tests/golden/kfp-reference/*.yaml (the vendored KFP references)
#   agreement two hand-made inputs of fuzz_agreement.c (small integers; Bland & Altman's PEFR pairs)
#   xml       the NSRR and Profusion XML files of tests/data/profiles (byte 0: the format)
#   edf       EDF+ files written with EDFlib's writer (tests/tools/edfwrite.c, built here) from the
#             Sleep-EDF example's annotations
# Every target also gets fuzz/regress/<target>/* (inputs that once crashed it).
# Needs bin/nightfan and bin/nightfan-shard (make all). Rebuilt from scratch on every call; takes a second or two.
set -eu
cd "$(dirname "$0")/.."
mkdir -p "$1"
out=$(cd "$1" && pwd)
kfp_reference=tests/golden/kfp-reference
rm -rf "$out"
for t in csv shard profile executor night pagedata spec agreement xml edf; do mkdir -p "$out/$t"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bin/nightfan synth --nights 2 --out "$tmp/plain" --seed 7 >/dev/null
bin/nightfan synth --nights 2 --out "$tmp/messy" --seed 8 --messy >/dev/null
bin/nightfan synth --nights 3 --out "$tmp/broken" --seed 9 --broken 3 >/dev/null

files=(labels/hypnogram.csv labels/respiratory.csv labels/position.csv predictions/hypnogram.csv
	predictions/respiratory.csv)
# shard_seed NAME FLAGBYTE NIGHTDIR: the night's files, first 60 lines each, in fuzz_shard's layout.
shard_seed() {
	local seed=$out/shard/$1 i=0
	printf "\\x$2" >"$seed"
	for f in "${files[@]}"; do
		[ $i -gt 0 ] && printf '#####\n' >>"$seed"
		[ -f "$3/$f" ] && head -n 60 "$3/$f" >>"$seed"
		i=$((i + 1))
	done
}
n=0
for night in tests/data/shard/tiny/T1 "$tmp"/plain/N* "$tmp"/messy/N* "$tmp"/broken/N*; do
	n=$((n + 1))
	flag=00
	case $night in *messy*) flag=01 ;; *broken*) flag=04 ;; esac
	shard_seed "night$n" "$flag" "$night"
	for f in "${files[@]}"; do
		[ -f "$night/$f" ] || continue
		# fuzz_csv: byte 0 = delimiter (0 = ','), byte 1 = chunk size - 1
		{ printf '\x00\x07'; head -n 60 "$night/$f"; } >"$out/csv/$n-$(basename "$(dirname "$f")")-$(basename "$f")"
	done
done
shard_seed durations 02 tests/data/shard/tiny/T1 # profile 2 on ','-files: refused cleanly
# profile 2: durations mapped (runs of epochs, position intervals) and ';' as the delimiter
printf '\x02%s\n#####\n%s\n#####\n%s\n#####\n%s\n' \
	"$(printf 'Start [s];Duration [s];Sleep Stage\n100;60;Wake\n160;90;N2\n250;30;REM\n280;30;N1')" \
	"$(printf 'Start [s];Duration [s];Event Type\n170;12;Hypopnea\n200;10;"Obstructive Apnea"')" \
	"$(printf 'Time [s];Duration [s];Body Position\n100;95;supine\n195;40;left\n235;100;prone')" \
	"$(printf 'onset;duration;stage\n100;120;W\n220;90;N2')" >"$out/shard/durations-semicolon"

cp tests/data/shard/tiny/profile.json "$out/profile/tiny.json"
cp tests/golden/synth/profile.json "$out/profile/synth.json"
cp tests/golden/synth/profile-messy.json "$out/profile/synth-messy.json"

cp tests/golden/executor/*.json "$out/executor/"
# the ExecutorInputs nightfan's own plan gives a shard task and the merge: `nightfan run` with
# stand-ins for the executors that keep their --executor-input argument
bin/nightfan compile --profile "$tmp/plain/profile.json" --image img -o "$tmp/p.yaml" --input "$tmp/plain" \
	--nights-per-task 2 >/dev/null
mkdir "$tmp/bin" && cp bin/nightfan "$tmp/bin/"
for b in nightfan-shard nightfan-merge; do
	printf '#!/bin/sh\nprintf "%%s" "$2" >"%s/plan-%s.json"\n' "$out/executor" "$b" >"$tmp/bin/$b"
	chmod +x "$tmp/bin/$b"
done
"$tmp/bin/nightfan" run "$tmp/p.yaml" --root "$tmp/run" >/dev/null 2>&1
cp "$kfp_reference"/executor-input/shard-a.json "$out/executor/ref-shard-a.json"
cp "$kfp_reference"/executor-input/merge.json "$out/executor/ref-merge.json"

for f in tests/data/merge/basic/*/night.json; do cp "$f" "$out/night/merge-$(basename "$(dirname "$f")").json"; done
# pagedata: a shard's epochs.csv (first 60 lines), "#####", its events.csv (first 40); one without
for night in "$tmp"/plain/N*; do
	id=$(basename "$night")
	bin/nightfan-shard --input "$tmp/plain" --night "$id" --profile "$tmp/plain/profile.json" --out "$tmp/shard" >/dev/null
	{ head -n 60 "$tmp/shard/$id/epochs.csv"; printf '#####\n'; head -n 40 "$tmp/shard/$id/events.csv"; } \
		>"$out/pagedata/$id"
	head -n 60 "$tmp/shard/$id/epochs.csv" >"$out/pagedata/$id-no-events"
done
for f in tests/golden/shard/*/night.json; do cp "$f" "$out/night/shard-$(basename "$(dirname "$f")").json"; done
bin/nightfan-shard --input tests/data/shard/tiny --night T1 --profile tests/data/shard/tiny/profile.json \
	--out "$tmp/out" >/dev/null
cp "$tmp/out/T1/night.json" "$out/night/tiny-now.json"

cp tests/golden/pipeline/pipeline.yaml tests/golden/pipeline/pipeline.json "$out/spec/"
cp "$kfp_reference"/*.yaml "$out/spec/"

# agreement: byte 0 (1: small integers, 0: raw doubles), a 5 x 5 staging table (count, scale byte
# pairs), then label/prediction pairs: the merge tests' AHI pairs, and Bland & Altman's PEFR pairs.
python3 - "$out/agreement" <<'PY'
import struct, sys
d = sys.argv[1]
table = bytes(b for c in [20, 2, 1, 0, 1, 3, 4, 5, 0, 1, 1, 2, 40, 3, 2, 0, 0, 4, 12, 0, 1, 1, 2, 0, 15] for b in (c, 0))
open(d + "/small-ints", "wb").write(b"\x01" + table + bytes([10, 12, 4, 4, 20, 14, 7, 7, 9, 3]))
wright = [494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427]
mini = [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451]
open(d + "/pefr-doubles", "wb").write(b"\x00" + table + b"".join(struct.pack("<dd", w, m) for w, m in zip(wright, mini)))
PY

{ printf '\x00'; cat tests/data/profiles/nsrr/S1/labels/annotations.xml; } >"$out/xml/nsrr"
{ printf '\x01'; cat tests/data/profiles/profusion/P1/labels/study.xml; } >"$out/xml/profusion"
printf '\x00<PSGAnnotation><ScoredEvents><ScoredEvent><EventConcept>Wake|0</EventConcept><Start>0</Start><Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>' >"$out/xml/nsrr-small"
${CC:-cc} -O1 -o "$tmp/edfwrite" tests/tools/edfwrite.c -ledf
"$tmp/edfwrite" "$out/edf/sleep-edf" 30 10 <tests/data/profiles/sleep-edf/E1-Hypnogram.tsv
printf '0\t30\tSleep stage W\n30\t-\tLights on\n' | "$tmp/edfwrite" "$out/edf/small" 4 1

for t in csv shard profile executor night spec agreement xml edf; do
	[ -d "fuzz/regress/$t" ] && cp fuzz/regress/$t/* "$out/$t/" 2>/dev/null || true
done
exit 0
