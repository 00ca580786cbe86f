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

# Self-contained: one inline script (sorting the nights table), no external reference of any kind:
# the only links go to the night pages beside the report and to the failed nights' errors.
check_eq "one inline <script>" "$(grep -ci '<script' "$html")" 1
check_eq "no src" "$(grep -Eci 'src=' "$html")" 0
check_eq "links: pages/<night>.html or #failed-<night> only" \
	"$(grep -Eo 'href="[^"]*"' "$html" | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
	' 1 href="#failed-N0004"; 2 href="pages/N0001.html"; 2 href="pages/N0002.html"; 2 href="pages/N0003.html";'
check_eq "every linked page exists" "$(cd "$WORK/report" && ls pages | tr '\n' ' ')" "N0001.html N0002.html N0003.html "
check_eq "no url(" "$(grep -ci 'url(' "$html")" 0

chrome --dump-dom "file://$html" >"$WORK/dom.html"
for id in ba-AHI scatter-AHI ba-TST scatter-TST ba-SE scatter-SE ba-WASO scatter-WASO heat-severity heat-staging \
	heat-staging-nights strip-staging bam-AHI bam-Lat_REM bam-positional; do
	check_eq "chart $id rendered" "$(grep -c "<svg id=\"$id\"" "$WORK/dom.html")" 1
done
# 12 named charts, a small Bland-Altman plot for each of the 37 numeric score keys and the 3 worst
# nights' hypnograms
check_eq "52 charts in all" "$(grep -o '<svg id="' "$WORK/dom.html" | wc -l)" 52
check_eq "a small Bland-Altman plot per numeric score" "$(grep -o '<svg id="bam-' "$WORK/dom.html" | wc -l)" 37
check_eq "no tooltips in the small plots (the page stays light)" \
	"$(sed -n '/<svg id="bam-AHI"/,/<\/svg>/p' "$WORK/dom.html" | grep -c '<title>')" 0
check_eq "one point per night in the strip plot (2 nights x kappa, accuracy)" \
	"$(sed -n '/<svg id="strip-staging"/,/<\/svg>/p' "$WORK/dom.html" | grep -o '<circle' | wc -l | tr -d ' ')" 4
check_eq "wide tables scroll inside themselves" "$(grep -c '<div class="scroll"><table>' "$WORK/dom.html")" 6
# the worst nights: lowest staging kappa first, N0002 (0.75 - 15/64) / (1 - 15/64) = 0.673, then
# N0001 (11/14 - 45/196) / (1 - 45/196) = 0.722 (the only two with a predicted hypnogram); largest
# AHI difference N0003 (20 vs 14), then N0001 and N0002, already shown
check_eq "worst nights' hypnograms" "$(grep -o '<svg id="hyp-[^"]*"' "$WORK/dom.html" | tr '\n' ' ')" \
	'<svg id="hyp-N0002" <svg id="hyp-N0001" <svg id="hyp-N0003" '
check_eq "worst nights: why" "$(sed -n '/<section id="worst">/,/<\/section>/p' "$WORK/dom.html" | grep -o '<small>[^<]*</small>' | tr '\n' ' ')" \
	'<small>lowest staging kappa: 0.673</small> <small>lowest staging kappa: 0.722</small> <small>AHI labels 20.0, predictions 14.0</small> '
check_eq "nights table: every night, in night order" \
	"$(sed -n '/<section id="nights">/,/<\/section>/p' "$WORK/dom.html" | grep -o '>N000[0-9]</a>' | tr '\n' ' ')" \
	'>N0001</a> >N0002</a> >N0003</a> >N0004</a> '
check_eq "failed night's error row has its anchor" "$(grep -c '<tr id="failed-N0004">' "$WORK/dom.html")" 1
check_eq "one point per AHI pair (3) in each AHI chart" \
	"$(sed -n '/<svg id="scatter-AHI"/,/<\/svg>/p' "$WORK/dom.html" | grep -o '<circle' | wc -l | tr -d ' ')" 3
check_eq "failed night shown, escaped" \
	"$(grep -c '<tr id="failed-N0004"><td class="l">N0004</td>.*&lt;b&gt;&amp;amp;&lt;/b&gt;' "$WORK/dom.html")" 1
check_eq "summary present" "$(grep -c '<section id="summary">' "$WORK/dom.html")" 1

chrome --window-size=1280,4000 --screenshot="$WORK/page.png" "file://$html" >/dev/null
size=$(stat -c %s "$WORK/page.png" 2>/dev/null || echo 0)
check_true "screenshot is a PNG" bash -c "head -c 8 '$WORK/page.png' | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'"
check_true "screenshot is non-trivial ($size bytes > 100000)" test "$size" -gt 100000
check_eq "screenshot size" "$(od -An -tu1 -j16 -N8 "$WORK/page.png" | awk '{print $3*256+$4 "x" $7*256+$8}')" "1280x4000"

finish
