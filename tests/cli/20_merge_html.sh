#!/usr/bin/env bash
# tests/cli/20_merge_html.sh — report.html opened in headless Chromium (Debian's `chromium`, from
# scripts/install-deps test): the page renders (a non-trivial screenshot), every chart is in the
# rendered DOM, data strings arrive escaped, and the page asks for nothing over the network.
source "$TESTS/lib.sh"
DATA=$TESTS/data/merge/basic

chrome() { # chrome ARGS... — headless, isolated, offline-minded
	local profile
	profile=$(mktemp -d "$WORK/chrome.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" 2>>"$WORK/chrome.log"
}

if ! command -v chromium >/dev/null; then
	fail "chromium is not installed (scripts/install-deps test installs it)"
	finish
	exit 1
fi

check_run "merge" 0 "" nightfan-merge --nights "$DATA" --out "$WORK/report"
html=$WORK/report/report.html

# Self-contained: no script, no external reference of any kind.
check_eq "no <script>" "$(grep -ci '<script' "$html")" 0
check_eq "no external src/href" "$(grep -Eci '(src|href)=' "$html")" 0
check_eq "no url(" "$(grep -ci 'url(' "$html")" 0

chrome --dump-dom "file://$html" >"$WORK/dom.html"
for id in ba-AHI scatter-AHI ba-TST scatter-TST ba-SE scatter-SE ba-WASO scatter-WASO heat-severity heat-staging \
	heat-staging-nights strip-staging bam-AHI bam-Lat_REM bam-positional; do
	check_eq "chart $id rendered" "$(grep -c "<svg id=\"$id\"" "$WORK/dom.html")" 1
done
# 12 named charts and a small Bland-Altman plot for each of the 37 numeric score keys
check_eq "49 charts in all" "$(grep -o '<svg id="' "$WORK/dom.html" | wc -l)" 49
check_eq "a small Bland-Altman plot per numeric score" "$(grep -o '<svg id="bam-' "$WORK/dom.html" | wc -l)" 37
check_eq "no tooltips in the small plots (the page stays light)" \
	"$(sed -n '/<svg id="bam-AHI"/,/<\/svg>/p' "$WORK/dom.html" | grep -c '<title>')" 0
check_eq "one point per night in the strip plot (2 nights x kappa, accuracy)" \
	"$(sed -n '/<svg id="strip-staging"/,/<\/svg>/p' "$WORK/dom.html" | grep -c '<circle')" 4
check_eq "wide tables scroll inside themselves" "$(grep -c '<div class="scroll"><table>' "$WORK/dom.html")" 6
check_eq "one point per AHI pair (3) in each AHI chart" \
	"$(sed -n '/<svg id="scatter-AHI"/,/<\/svg>/p' "$WORK/dom.html" | grep -c '<circle')" 3
check_eq "failed night shown, escaped" \
	"$(grep -c '<td class="l">N0004</td>.*&lt;b&gt;&amp;amp;&lt;/b&gt;' "$WORK/dom.html")" 1
check_eq "summary present" "$(grep -c '<section id="summary">' "$WORK/dom.html")" 1

chrome --window-size=1280,4000 --screenshot="$WORK/page.png" "file://$html" >/dev/null
size=$(stat -c %s "$WORK/page.png" 2>/dev/null || echo 0)
check_true "screenshot is a PNG" bash -c "head -c 8 '$WORK/page.png' | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'"
check_true "screenshot is non-trivial ($size bytes > 100000)" test "$size" -gt 100000
check_eq "screenshot size" "$(od -An -tu1 -j16 -N8 "$WORK/page.png" | awk '{print $3*256+$4 "x" $7*256+$8}')" "1280x4000"

finish
