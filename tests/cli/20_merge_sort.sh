#!/usr/bin/env bash
# tests/cli/20_merge_sort.sh — report.html's nights table sorted by a click, in headless Chromium:
# a copy of report.html with a few lines of script appended clicks column heads (the table's own
# inline script does the sorting) and writes the night ids in row order into the page; the DOM that
# chromium --dump-dom prints is compared with orders known by hand from the values set below.
#   night   AHI labels   severity labels   status
#   N0001   12.5         mild              ok
#   N0002   3            normal            ok
#   N0003   — (null)     — (null)          ok
#   N0004   30           severe            ok
#   N0005   (failed: one cell across the score columns)   failed
# Numbers sort as numbers (3 < 12.5 < 30, where text would give 12.5 < 3 < 30), the severity by
# its class (data-v), missing values and the failed night's error cell last either way, ties in
# night order.
source "$TESTS/lib.sh"

check_run "synth" 0 "" bash -c "nightfan synth --nights 5 --out '$WORK/in' --seed 5 --broken 1 >/dev/null"
for n in N0001 N0002 N0003 N0004 N0005; do
	check_run "shard $n" 0 "" nightfan-shard --input "$WORK/in" --night "$n" \
		--profile "$WORK/in/profile.json" --out "$WORK/nights" --on-error=record
done
python3 - "$WORK/nights" <<'PY'
import json, sys
values = {"N0001": (12.5, "mild"), "N0002": (3, "normal"), "N0003": (None, None), "N0004": (30, "severe")}
for night, (ahi, severity) in values.items():
    path = f"{sys.argv[1]}/{night}/night.json"
    doc = json.load(open(path))
    doc["scores"]["labels"]["AHI"] = ahi
    doc["scores"]["labels"]["severity"] = severity
    json.dump(doc, open(path, "w"), indent="\t")
PY
check_run "merge" 0 "" nightfan-merge --nights "$WORK/nights" --out "$WORK/run" --no-pages
check_eq "N0005 is the failed night" "$(grep -c '<a href="#failed-N0005">N0005</a>' "$WORK/run/report.html")" 1

# sorted CLICKS...: the night ids in row order after clicking the heads named (their text), one by one
sorted() {
	local page=$WORK/sort.$RANDOM.html heads=""
	[ $# -eq 0 ] || heads=$(printf "'%s'," "$@")
	cp "$WORK/run/report.html" "$page"
	cat >>"$page" <<HTML
<script>
var heads = Array.prototype.slice.call(document.querySelectorAll('#nights table.sortable thead th'));
[${heads%,}].forEach(function (name) {
	heads.filter(function (h) { return h.textContent === name; })[0].click();
});
var ids = Array.prototype.map.call(document.querySelectorAll('#nights table.sortable tbody tr'),
	function (r) { return r.cells[0].textContent; });
var out = document.createElement('pre');
out.id = 'order';
out.textContent = ids.join(' ');
document.body.appendChild(out);
</script>
HTML
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$WORK/chrome" --dump-dom "file://$page" \
		2>>"$WORK/chrome.log" | sed -n 's|.*<pre id="order">\([^<]*\)</pre>.*|\1|p'
}
check_eq "no click: night order" "$(sorted)" "N0001 N0002 N0003 N0004 N0005"
check_eq "AHI labels: numbers ascending, missing and failed last" "$(sorted 'AHI labels')" \
	"N0002 N0001 N0004 N0003 N0005"
check_eq "AHI labels twice: descending, missing and failed still last" "$(sorted 'AHI labels' 'AHI labels')" \
	"N0004 N0001 N0002 N0003 N0005"
check_eq "severity labels: by class (normal, mild, severe), missing last" "$(sorted 'severity labels')" \
	"N0002 N0001 N0004 N0003 N0005"
check_eq "status: failed before ok" "$(sorted 'status')" "N0005 N0001 N0002 N0003 N0004"
check_eq "night twice: ids descending" "$(sorted 'night' 'night')" "N0005 N0004 N0003 N0002 N0001"
check_eq "AHI labels, then night: back to night order" "$(sorted 'AHI labels' 'night')" \
	"N0001 N0002 N0003 N0004 N0005"

finish
