#!/usr/bin/env bash
# tests/cli/20_merge_pages.sh — the night pages (pages/<night>.html beside report.html): one per ok
# night, self-contained (no script, nothing fetched, the only link back to ../report.html), their
# event bars agreeing with the night's own event_agreement counts, a golden page, and the pages
# opened in headless Chromium with the screenshot checked for the pictures (pixels of the
# hypnogram line, REM, paired/missed/false event bars and the position band, counted in PPM).
source "$TESTS/lib.sh"
GOLD=$TESTS/golden/merge/pages

check_run "synth" 0 "" bash -c "nightfan synth --nights 3 --out '$WORK/in' --seed 13 --broken 1 >/dev/null"
for n in N0001 N0002 N0003; do
	check_run "shard $n" 0 "" nightfan-shard --input "$WORK/in" --night "$n" \
		--profile "$WORK/in/profile.json" --out "$WORK/nights" --on-error=record
done
check_run "merge" 0 "" nightfan-merge --nights "$WORK/nights" --out "$WORK/run"
check_eq "a page per ok night (N0003 failed)" "$(ls "$WORK/run/pages" | tr '\n' ' ')" "N0001.html N0002.html "
check_file_eq "golden N0001.html" "$WORK/run/pages/N0001.html" "$GOLD/N0001.html"
check_file_eq "golden events_by_night.csv" "$WORK/run/events_by_night.csv" "$GOLD/events_by_night.csv"
page=$WORK/run/pages/N0001.html
check_eq "page: no script" "$(grep -ci '<script' "$page")" 0
check_eq "page: no src, no url(" "$(grep -Eci 'src=|url\(' "$page")" 0
check_eq "page: one link, back to the report" "$(grep -Eo 'href="[^"]*"' "$page")" 'href="../report.html"'
check_eq "report links the failed night to its error" \
	"$(grep -c '<a href="#failed-N0003">N0003</a>' "$WORK/run/report.html")" 1

# The bars drawn from events.csv against the counts in night.json: paired bars = 2 x (AH tp + RERA
# tp), missed = AH fn + RERA fn, false = AH fp + RERA fp (one path a class, one "M" a bar).
for n in N0001 N0002; do
	want=$(python3 -c "
import json; a = json.load(open('$WORK/nights/$n/night.json'))['event_agreement']
print(2 * (a['AH']['tp'] + a['RERA']['tp']), a['AH']['fn'] + a['RERA']['fn'], a['AH']['fp'] + a['RERA']['fp'])")
	got=""
	for c in pair miss fals; do # each bar is one "M" of its class's path
		got="$got $(grep -o "<path class=\"$c\" d=\"[^\"]*\"" "$WORK/run/pages/$n.html" | tr -cd M | wc -c)"
	done
	got=${got# }
	check_eq "$n: paired/missed/false bars = night.json's counts" "$got" "$want"
done
check_eq "N0001: one hypnogram step path a source" "$(grep -c '<path class="hy"' "$page")" 2

# --no-pages: none; a night folder without epochs.csv (copied by hand): a page without figure
check_run "merge --no-pages" 0 "" nightfan-merge --nights "$WORK/nights" --out "$WORK/nopages" --no-pages
check_eq "--no-pages: no pages folder" "$(ls "$WORK/nopages" | tr '\n' ' ')" "events_by_night.csv nights.csv report.html report.json staging_by_night.csv "
# over an earlier merge with pages: its pages go, none is left to show another version of a night
cp -r "$WORK/run" "$WORK/rerun"
check_run "merge --no-pages over a merge with pages" 0 "" nightfan-merge --nights "$WORK/nights" --out "$WORK/rerun" --no-pages
check_eq "--no-pages over pages: the old pages folder is gone" "$(ls "$WORK/rerun" | tr '\n' ' ')" "events_by_night.csv nights.csv report.html report.json staging_by_night.csv "
cp -r "$WORK/nights" "$WORK/bare" && rm "$WORK/bare/N0002/epochs.csv" "$WORK/bare/N0002/events.csv"
check_run "merge without an epochs.csv" 0 "" nightfan-merge --nights "$WORK/bare" --out "$WORK/bareout"
check_eq "no epochs.csv: the page says so, no figure" \
	"$(grep -c '<svg' "$WORK/bareout/pages/N0002.html") $(grep -c 'No epochs.csv in the night' "$WORK/bareout/pages/N0002.html")" "0 1"
check_eq "no epochs.csv: not among the worst nights' figures" "$(grep -c 'id="hyp-N0002"' "$WORK/bareout/report.html")" 0
printf 'night,epoch\nN0001,0\n' >"$WORK/bare/N0001/epochs.csv"
check_run "merge with a foreign epochs.csv" 1 \
	"nightfan-merge: error: $WORK/bare/N0001/epochs.csv:2: expected 9 fields" \
	nightfan-merge --nights "$WORK/bare" --out "$WORK/bareout"

# ---- rendered in Chromium ------------------------------------------------------------------------
chrome() {
	local profile
	profile=$(mktemp -d "$WORK/chrome.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
		--user-data-dir="$profile" "$@" 2>>"$WORK/chrome.log"
}
# colours PPM: count the pixels of each colour (within 12 per channel) in rows y0..y1 of a PPM.
colours() { # PNG Y0 Y1 HEX...
	local png=$1 y0=$2 y1=$3
	shift 3
	convert "$png" ppm:- | python3 -c '
import sys
data = sys.stdin.buffer.read()
parts, at = [], 0
while len(parts) < 4:                      # P6, width, height, maxval (no comments from convert)
    while data[at:at + 1].isspace(): at += 1
    start = at
    while not data[at:at + 1].isspace(): at += 1
    parts.append(data[start:at])
w, h = int(parts[1]), int(parts[2])
pix = data[at + 1:]
y0, y1 = int(sys.argv[1]), min(int(sys.argv[2]), h)
want = [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in sys.argv[3:]]
counts = [0] * len(want)
for y in range(y0, y1):
    row = pix[3 * w * y:3 * w * (y + 1)]
    for x in range(w):
        p = row[3 * x:3 * x + 3]
        for i, c in enumerate(want):
            if abs(p[0] - c[0]) <= 12 and abs(p[1] - c[1]) <= 12 and abs(p[2] - c[2]) <= 12:
                counts[i] += 1
print(" ".join(str(c) for c in counts))' "$y0" "$y1" "$@"
}
chrome --window-size=1100,700 --screenshot="$WORK/page.png" "file://$page" >/dev/null
check_true "page screenshot taken" test -s "$WORK/page.png"
# the figure sits in the first 700 rows: hypnogram line #334e68, REM #d64545 (also supine), paired
# #2f855a, missed #dd6b20, false #c53030, left #3182ce (positions)
read -r line rem paired missed false left <<<"$(colours "$WORK/page.png" 0 700 334e68 d64545 2f855a dd6b20 c53030 3182ce)"
check_true "hypnogram lines drawn ($line px)" test "$line" -gt 3000
check_true "REM or supine drawn ($rem px)" test "$rem" -gt 300
check_true "paired event bars drawn ($paired px)" test "$paired" -gt 50
check_true "missed event bars drawn ($missed px)" test "$missed" -gt 10
check_true "false event bars drawn ($false px)" test "$false" -gt 10
check_true "position band drawn ($left px left or more colours)" test "$((left + rem))" -gt 300
# report.html: the worst nights' hypnograms render too
chrome --window-size=1280,1400 --screenshot="$WORK/report.png" "file://$WORK/run/report.html" >/dev/null
read -r line rem <<<"$(colours "$WORK/report.png" 500 1400 334e68 d64545)"
check_true "report: worst nights' hypnograms drawn ($line px)" test "$line" -gt 3000
check_true "report: their REM drawn ($rem px)" test "$rem" -gt 100

finish
