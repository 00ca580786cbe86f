#!/usr/bin/env bash
# tests/cli/05_synth.sh — `nightfan synth`: options, layout, determinism, the messy and broken
# variants, and the statistics of the generated nights (computed with awk from the files written).
source "$TESTS/lib.sh"

# tree_digest DIR — one md5 over every file's path and bytes (dot-named staging folders included,
# so a leftover one would show).
tree_digest() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum | cut -d' ' -f1)
}

# ---- options ----
check_run "no --nights" 2 'nightfan synth: error: --nights is required
Try "nightfan synth --help" for the options.' \
	nightfan synth --out "$WORK/x"
check_run "no --out" 2 'nightfan synth: error: --out is required
Try "nightfan synth --help" for the options.' \
	nightfan synth --nights 1
check_run "bad --nights" 2 'nightfan synth: error: --nights wants a whole number from 1 to 100000, got "0"
Try "nightfan synth --help" for the options.' \
	nightfan synth --nights 0 --out "$WORK/x"
check_run "bad --seed" 2 'nightfan synth: error: --seed wants a whole number from 0 to 18446744073709551615, got "-1"
Try "nightfan synth --help" for the options.' \
	nightfan synth --nights 1 --seed -1 --out "$WORK/x"
check_run "bad --position-hz" 2 'nightfan synth: error: --position-hz wants a rate above 0 and at most 64 (Hz), got "0"
Try "nightfan synth --help" for the options.' \
	nightfan synth --nights 1 --position-hz 0 --out "$WORK/x"
check_run "--broken > --nights" 2 'nightfan synth: error: --broken cannot exceed --nights
Try "nightfan synth --help" for the options.' \
	nightfan synth --nights 2 --broken 3 --out "$WORK/x"
check_run "unknown option" 2 'nightfan synth: error: unknown option "--bogus"
Try "nightfan synth --help" for the options.' \
	nightfan synth --nights 1 --out "$WORK/x" --bogus
check_run "stray argument" 2 'nightfan synth: error: unexpected argument "extra"
Try "nightfan synth --help" for the options.' \
	nightfan synth --nights 1 --out "$WORK/x" extra
check_eq "nothing written on usage errors" "$(ls "$WORK")" "stderr
stdout"
check_true "--help" nightfan synth --help
touch "$WORK/file"
check_run "out is a file" 1 "nightfan synth: error: $WORK/file: not a folder" \
	nightfan synth --nights 1 --out "$WORK/file"

# ---- layout ----
check_run "5 nights" 0 "" nightfan synth --nights 5 --seed 42 --out "$WORK/a"
check_eq "summary line" "$(cat "$WORK/stdout")" "wrote 5 nights (N0001..N0005, 0 broken) and profile.json to $WORK/a"
check_eq "night folders and profile" "$(ls "$WORK/a" | tr '\n' ' ')" "N0001 N0002 N0003 N0004 N0005 profile.json "
check_eq "files of a night" "$(cd "$WORK/a/N0003" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" \
	"./labels/hypnogram.csv ./labels/position.csv ./labels/respiratory.csv ./predictions/hypnogram.csv ./predictions/respiratory.csv "
check_file_eq "profile.json" "$WORK/a/profile.json" "$TESTS/golden/synth/profile.json"
check_eq "headers" "$(head -qn1 "$WORK"/a/N0001/labels/{hypnogram,respiratory,position}.csv "$WORK"/a/N0001/predictions/{hypnogram,respiratory}.csv | tr '\n' '|')" \
	"Start [s],Sleep Stage|Start [s],Duration [s],Event Type|Time [s],Body Position,Head Motion|onset,stage|onset,duration,label|"
check_eq "labels stage vocabulary" "$(cut -d, -f2 "$WORK"/a/N*/labels/hypnogram.csv | grep -v 'Sleep Stage' | sort -u | tr '\n' ' ')" \
	"Artifact N1 N2 N3 REM Wake "
check_eq "labels event vocabulary" "$(cut -d, -f3 "$WORK"/a/N*/labels/respiratory.csv | grep -v 'Event Type' | sort -u | tr '\n' ' ')" \
	"Apnea Central Apnea Hypopnea Mixed Apnea Obstructive Apnea RERA "
check_eq "position vocabulary" "$(cut -d, -f2 "$WORK"/a/N*/labels/position.csv | grep -v 'Body Position' | sort -u | tr '\n' ' ')" \
	"Left Prone Right Supine Upright "
check_eq "predicted stage vocabulary" "$(cut -d, -f2 "$WORK"/a/N*/predictions/hypnogram.csv | grep -v stage | sort -u | tr '\n' ' ')" \
	"0 1 2 3 4 "
check_eq "predicted event vocabulary" "$(cut -d, -f3 "$WORK"/a/N*/predictions/respiratory.csv | grep -v label | sort -u | tr '\n' ' ')" \
	"A CA H MA OA RERA "
check_eq "clean files: no CR, no BOM, no quotes" "$(cat "$WORK"/a/N*/*/*.csv | grep -c $'\r\|"\|\xEF\xBB\xBF')" "0"

# Per night: epochs 720..1080 (6-9 h), t0 > 0, onsets consecutive 30 s epochs, predictions on the
# same clock; position rows exactly 4 Hz from 0 up to 0-2 min past the end.
night_shape() { # NIGHT_DIR HZ -> "ok" or what is wrong
	awk -F, -v hz="$2" '
	FNR == 1 { f++; next }
	f == 1 { if (n == 0) t0 = $1; if ($1 != t0 + 30 * n) bad = bad " labels onset " $1; n++ }
	f == 2 { if ($1 + 0 != t0 + 30 * p) bad = bad " predicted onset " $1; p++ }
	f == 3 { rows++; last = $1 }
	END {
		end = t0 + 30 * n
		if (n < 720 || n > 1080) bad = bad " epochs " n
		if (t0 <= 0) bad = bad " t0 " t0
		if (p != n && p != n - 1) bad = bad " predicted epochs " p
		if (rows != last * hz + 1) bad = bad " rows " rows " last " last
		if (last < end || last > end + 120) bad = bad " position ends " last " recording " end
		print bad == "" ? "ok" : bad
	}' "$1/labels/hypnogram.csv" "$1/predictions/hypnogram.csv" "$1/labels/position.csv"
}
for n in N0001 N0002 N0003 N0004 N0005; do
	check_eq "shape of $n" "$(night_shape "$WORK/a/$n" 4)" "ok"
done
check_run "1 Hz" 0 "" nightfan synth --nights 1 --seed 42 --position-hz 1 --out "$WORK/hz1"
check_eq "shape at 1 Hz" "$(night_shape "$WORK/hz1/N0001" 1)" "ok"
check_run "10 Hz" 0 "" nightfan synth --nights 1 --seed 42 --position-hz 10 --out "$WORK/hz10"
check_eq "shape at 10 Hz" "$(night_shape "$WORK/hz10/N0001" 10)" "ok"
check_eq "10 Hz times" "$(sed -n '2,5p' "$WORK/hz10/N0001/labels/position.csv" | cut -d, -f1 | tr '\n' ' ')" "0 0.1 0.2 0.3 "
check_eq "same night at any rate" "$(md5sum <"$WORK/hz10/N0001/labels/hypnogram.csv")" "$(md5sum <"$WORK/a/N0001/labels/hypnogram.csv")"

# ---- determinism ----
check_run "same seed again" 0 "" nightfan synth --nights 5 --seed 42 --out "$WORK/b"
check_eq "same seed, same bytes" "$(tree_digest "$WORK/b")" "$(tree_digest "$WORK/a")"
check_run "into the same folder again" 0 "" nightfan synth --nights 5 --seed 42 --out "$WORK/b"
check_eq "rewritten in place, same bytes, no staging left" "$(tree_digest "$WORK/b")" "$(tree_digest "$WORK/a")"
check_run "other seed" 0 "" nightfan synth --nights 5 --seed 43 --out "$WORK/c"
check_eq "other seed, other nights" "$(cmp -s "$WORK/a/N0001/labels/hypnogram.csv" "$WORK/c/N0001/labels/hypnogram.csv" && echo same || echo differ)" "differ"
check_run "fewer nights" 0 "" nightfan synth --nights 2 --seed 42 --out "$WORK/d"
check_eq "a night does not depend on how many are made" "$(tree_digest "$WORK/d/N0002")" "$(tree_digest "$WORK/a/N0002")"
check_run "--first-id" 0 "" nightfan synth --nights 2 --seed 42 --first-id 4 --out "$WORK/e"
check_eq "--first-id names" "$(ls "$WORK/e" | tr '\n' ' ')" "N0004 N0005 profile.json "
check_eq "--first-id continues the same sequence" "$(tree_digest "$WORK/e/N0004")" "$(tree_digest "$WORK/a/N0004")"
# The exact bytes of seed 42, pinned: the generator uses no libm and its own number formatting, so
# these are the same on every machine. Regenerate with UPDATE_GOLDEN=1 after changing the model.
tree_digest "$WORK/d" >"$WORK/digest"
check_file_eq "bytes of seed 42 (2 nights)" "$WORK/digest" "$TESTS/golden/synth/seed42-2nights.md5"

# ---- messy ----
check_run "messy" 0 "" nightfan synth --nights 3 --seed 42 --messy --out "$WORK/m"
check_file_eq "messy profile.json" "$WORK/m/profile.json" "$TESTS/golden/synth/profile-messy.json"
m=$WORK/m/N0001
check_eq "BOM on the labels files" "$(for f in hypnogram respiratory position; do head -c3 "$m/labels/$f.csv" | od -An -tx1; done | tr -d ' \n')" "efbbbfefbbbfefbbbf"
check_eq "no BOM on the predictions" "$(cat "$m"/predictions/*.csv | grep -c $'\xEF\xBB\xBF\|\r')" "0"
check_eq "CRLF on every labels line" "$(cat "$m"/labels/*.csv | grep -vc $'\r$')" "1" # the one line break inside a comment
check_eq "messy hypnogram header" "$(head -1 "$m/labels/hypnogram.csv" | tr -d '\r\357\273\277')" "Epoch,Start [s],Sleep Stage,Comment"
check_eq "messy respiratory header" "$(head -1 "$m/labels/respiratory.csv" | tr -d '\r\357\273\277')" "Start [s],Event Type,Duration [s],Comment"
check_eq "quoted position header" "$(head -1 "$m/labels/position.csv" | tr -d '\r\357\273\277')" '"Time [s]","Body Position","Head Motion"'
check_eq "comment with delimiters and doubled quotes" "$(sed -n 2p "$m/labels/hypnogram.csv" | tr -d '\r')" '1,'"$(sed -n 2p "$WORK/a/N0001/labels/hypnogram.csv")"',"Lights off; pt. said ""ready, go"""'
check_eq "more quoted comments" "$(cat "$WORK"/m/N*/labels/*.csv | grep -c '"[^"]*,[^"]*""[^"]*""' | awk '{print ($1 > 3)}')" "1"
check_eq "line break inside quotes" "$(grep -A1 'Electrode F4 re-gelled,$' "$m/labels/hypnogram.csv" | tail -1 | tr -d '\r' | cut -d'"' -f1)" "signal OK after"
check_eq "unmapped stage" "$(grep -c ',Movement,' "$m/labels/hypnogram.csv" | awk '{print ($1 >= 1)}')" "1"
check_eq "unmapped event" "$(grep -c '"Cheyne-Stokes Breathing"' "$m/labels/respiratory.csv")" "1"
check_eq "unmapped position" "$(grep -c ',Unknown,' "$m/labels/position.csv" | awk '{print ($1 >= 8)}')" "1"
check_eq "messy night, same stages as clean" \
	"$(tr -d '\r' <"$m/labels/hypnogram.csv" | awk -F, 'NR > 1 && $2 ~ /^[0-9]+$/ && $3 != "Movement" {print $2 "," $3}' | md5sum)" \
	"$(awk -F, 'NR > 1' "$WORK/a/N0001/labels/hypnogram.csv" | grep -v -f <(tr -d '\r' <"$m/labels/hypnogram.csv" | awk -F, '$3 == "Movement" {print "^" $2 ","}') | md5sum)"

# ---- broken ----
check_run "broken" 0 "" nightfan synth --nights 10 --seed 42 --broken 8 --out "$WORK/k"
check_eq "broken report: night and file" "$(grep '^broken' "$WORK/stdout" | cut -d' ' -f2,3 | sed 's/:[0-9]*:$//; s/:$//')" "N0003 labels/hypnogram.csv
N0004 labels/respiratory.csv
N0005 labels/position.csv
N0006 labels/hypnogram.csv
N0007 labels/respiratory.csv
N0008 labels/respiratory.csv
N0009 predictions/respiratory.csv
N0010 labels/position.csv"
check_eq "broken report: fixed lines" "$(grep '^broken N00\(07\|08\|09\|10\)' "$WORK/stdout" | cut -d' ' -f3)" "labels/respiratory.csv:2:
labels/respiratory.csv:1:
predictions/respiratory.csv:2:
labels/position.csv:"
cp "$WORK/stdout" "$WORK/broken.txt"
check_run "same nights unbroken" 0 "" nightfan synth --nights 10 --seed 42 --out "$WORK/k0"
check_eq "nights before the broken ones unchanged" "$(tree_digest "$WORK/k/N0002")" "$(tree_digest "$WORK/k0/N0002")"
for n in N0003 N0004 N0005 N0006 N0007 N0008 N0009 N0010; do
	check_eq "$n differs from its good twin" "$([ "$(tree_digest "$WORK/k/$n")" != "$(tree_digest "$WORK/k0/$n")" ] && echo differs)" "differs"
done
# what each reported line holds
line_of() { sed -n "s/^broken $1 [^:]*:\([0-9]*\):.*/\1/p" "$WORK/broken.txt"; }
check_eq "clock onset" "$(sed -n "$(line_of N0003)p" "$WORK/k/N0003/labels/hypnogram.csv" | grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9],')" "1"
check_eq "event past the end" "$(awk -F, -v l="$(line_of N0004)" 'FNR == 1 {f++} f == 1 && FNR > 1 {end = $1 + 30} f == 2 && FNR == l {print ($1 >= end)}' \
	"$WORK/k/N0004/labels/hypnogram.csv" "$WORK/k/N0004/labels/respiratory.csv")" "1"
p=$WORK/k/N0005/labels/position.csv
check_eq "truncated last line" "$(tail -c1 "$p" | od -An -tx1 | tr -d ' '),$(($(wc -l <"$p") + 1)),$(awk -F, 'END {print NF}' "$p")" \
	"$(tail -c1 "$p" | od -An -tx1 | tr -d ' ' | grep -v 0a),$(line_of N0005),2"
check_eq "onset gap" "$(awk -F, -v l="$(line_of N0006)" 'FNR == l - 1 {p = $1} FNR == l {print $1 - p}' "$WORK/k/N0006/labels/hypnogram.csv")" "60"
check_eq "event before t0" "$(awk -F, 'FNR == 2 {f++} f == 1 && FNR == 2 {t0 = $1} f == 2 && FNR == 2 {print ($1 < t0)}' \
	"$WORK/k/N0007/labels/hypnogram.csv" "$WORK/k/N0007/labels/respiratory.csv")" "1"
check_eq "missing column" "$(head -1 "$WORK/k/N0008/labels/respiratory.csv")" "Start [s],Duration [s],Event"
check_eq "negative onset" "$(sed -n 2p "$WORK/k/N0009/predictions/respiratory.csv" | cut -c1)" "-"
check_eq "empty file" "$(wc -c <"$WORK/k/N0010/labels/position.csv")" "0"

# ---- statistics (the model's realism), from the files ----
check_run "50 nights" 0 "" nightfan synth --nights 50 --seed 7 --position-hz 0.05 --out "$WORK/s"
# One line per night: $1 night, $2 labels epochs that are not Artifact, $3 of them the predictions
# agree with, $4 sleep epochs, $5 AHI events in sleep, $6 events in wake, $7 events not 10-60 s,
# $8-$11 N1 N2 N3 REM epochs, $12 $13 N3 epochs in the night's first / second half, $14 $15 REM.
awk -F, '
BEGIN { n = nev = 0; code["Wake"] = 0; code["N1"] = 1; code["N2"] = 2; code["N3"] = 3; code["REM"] = 4 }
function flush(   i, s, e, tot, agree, sleep, ahi, inwake, baddur, half) {
	if (night == "") return
	for (i = 0; i < n; i++) {
		s = st[i]
		if (s != "Artifact") { tot++; if ((i in ps) && ps[i] == code[s]) agree++ }
		if (s != "Wake" && s != "Artifact") sleep++
		half = i < n / 2 ? "first" : "second"
		c[s]++; c[s half]++
	}
	for (i = 0; i < nev; i++) {
		e = int((on[i] - t0) / 30); s = st[e]
		if (s == "Wake") inwake++
		else if (s != "Artifact" && ty[i] != "RERA") ahi++
		if (du[i] < 10 || du[i] > 60) baddur++
	}
	print night, tot, agree + 0, sleep, ahi + 0, inwake + 0, baddur + 0, c["N1"] + 0, c["N2"] + 0, c["N3"] + 0, c["REM"] + 0, \
		c["N3first"] + 0, c["N3second"] + 0, c["REMfirst"] + 0, c["REMsecond"] + 0
	delete st; delete ps; delete c; n = nev = 0
}
FNR == 1 {
	if (FILENAME ~ /labels\/hypnogram/) { flush(); night = FILENAME; sub(/\/labels.*/, "", night); sub(/.*\//, "", night); f = 1 }
	else if (FILENAME ~ /predictions\/hypnogram/) f = 2
	else f = 3
	next
}
f == 1 { if (n == 0) t0 = $1; st[n++] = $2 }
f == 2 { ps[($1 - t0) / 30] = $2 }
f == 3 { on[nev] = $1; du[nev] = $2; ty[nev++] = $3 }
END { flush() }' $(for d in "$WORK"/s/N*; do echo "$d/labels/hypnogram.csv $d/predictions/hypnogram.csv $d/labels/respiratory.csv"; done) >"$WORK/stats"
check_eq "50 nights counted" "$(wc -l <"$WORK/stats")" "50"
check_eq "epoch agreement 78-87 % over the first 20 nights" \
	"$(head -20 "$WORK/stats" | awk '{t += $2; a += $3} END {p = 100 * a / t; print (p >= 78 && p <= 87) ? "yes" : "no: " p}')" "yes"
check_eq "epoch agreement per night 65-95 %" "$(awk '{p = 100 * $3 / $2; if (p < 65 || p > 95) print $1, p}' "$WORK/stats")" ""
check_eq "every AHI class over 50 nights" \
	"$(awk '{a = $5 * 120 / $4; print (a < 5 ? "normal" : a < 15 ? "mild" : a < 30 ? "moderate" : "severe")}' "$WORK/stats" | sort -u | tr '\n' ' ')" \
	"mild moderate normal severe "
check_eq "events 10-60 s" "$(awk '{s += $7} END {print s}' "$WORK/stats")" "0"
check_eq "a few events in wake, most in sleep" "$(awk '{w += $6; s += $5} END {print (w > 0 && w < s / 50) ? "yes" : "no: " w " of " s}' "$WORK/stats")" "yes"
check_eq "stage shares (N1 3-15 %, N2 45-70 %, N3 5-20 %, REM 15-25 % of sleep)" \
	"$(awk '{n1 += $8; n2 += $9; n3 += $10; r += $11} END {t = n1 + n2 + n3 + r; printf "%d %d %d %d", (n1/t >= .03 && n1/t <= .15), (n2/t >= .45 && n2/t <= .7), (n3/t >= .05 && n3/t <= .2), (r/t >= .15 && r/t <= .25)}' "$WORK/stats")" "1 1 1 1"
check_eq "more N3 early, more REM late" "$(awk '{a += $12; b += $13; c += $14; d += $15} END {print (a > 2 * b && d > c) ? "yes" : "no: " a " " b " " c " " d}' "$WORK/stats")" "yes"
check_eq "predictions miss and invent events" \
	"$(for d in "$WORK"/s/N000[1-5]; do echo "$(($(wc -l <"$d/labels/respiratory.csv") - 1)) $(($(wc -l <"$d/predictions/respiratory.csv") - 1))"; done | awk '$1 != $2 {n++} END {print n}')" "5"
check_eq "every night turns 3-30 times" \
	"$(nightfan synth --nights 10 --seed 7 --position-hz 1 --out "$WORK/p" >/dev/null && for d in "$WORK"/p/N*; do awk -F, 'NR > 1 && $2 != last {n++; last = $2} END {if (n < 3 || n > 30) print FILENAME, n}' "$d/labels/position.csv"; done)" ""

# ---- the shard accepts the good nights and refuses each broken one where synth says ----
for n in N0001 N0002; do
	check_run "shard reads $n" 0 "" nightfan-shard --input "$WORK/k" --night "$n" --profile "$WORK/k/profile.json" --out "$WORK/kout"
done
check_run "shard reads a messy night" 0 "" nightfan-shard --input "$WORK/m" --night N0001 --profile "$WORK/m/profile.json" --out "$WORK/mout"
check_eq "messy unmapped counts" "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["unmapped"])' "$WORK/mout/N0001/night.json")" \
	"{'labels/hypnogram.csv': $(grep -c ',Movement,' "$m/labels/hypnogram.csv"), 'labels/respiratory.csv': 1, 'labels/position.csv': $(grep -c ',Unknown,' "$m/labels/position.csv")}"
while read -r _ night where _; do
	status=0
	nightfan-shard --input "$WORK/k" --night "$night" --profile "$WORK/k/profile.json" --out "$WORK/kout" 2>"$WORK/err" >/dev/null || status=$?
	check_eq "shard exit on $night" "$status" "1"
	check_eq "shard names the place in $night" "$(cut -d' ' -f3 "$WORK/err" | cut -d: -f1,2 | sed 's/:$//')" "${where%:}"
done < <(grep '^broken' "$WORK/broken.txt")
check_eq "no broken night written" "$(ls "$WORK/kout" | tr '\n' ' ')" "N0001 N0002 "

finish
