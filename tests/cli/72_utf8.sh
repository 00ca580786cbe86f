# tests/cli/72_utf8.sh — text from files that is not UTF-8 (a Latin-1 "\xc9veil"), or long UTF-8,
# on its way into night.json, report.json and error lines (issue 17, item 5): bytes that are not
# UTF-8 are shown as \xNN (common/utf8.c, one rule for every message, JSON file and log line),
# values are cut between characters, and every JSON file written parses as strict UTF-8 JSON.
# The unit side (RFC 3629 boundaries, err.c, log.c lines) is tests/unit/test_utf8.c.
source "$TESTS/lib.sh"
cd "$WORK"

# strict_json FILE — "ok" when FILE decodes as strict UTF-8 and parses as JSON, else why not.
strict_json() {
	python3 -c 'import json, sys
try:
    json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict")); print("ok")
except Exception as x:
    print(type(x).__name__, x)' "$1"
}
# json_get FILE EXPR — a Python expression over the parsed file `d`.
json_get() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' "$1" "$2"
}
STAGE='expected a stage (W, N1, N2, N3, R, ?) or a raw value the profile maps for \"Sleep Stage\"'
# what the shard adds to a value that is not UTF-8 (12_dialects.sh): the encoding to set
HINT=' (not UTF-8 text: set \"encoding\" to the file'"'"'s, e.g. \"latin-1\")'

nightfan synth --nights 2 --out in --seed 72 >/dev/null
P=in/profile.json

# ---- a Latin-1 byte in a CSV value: the error line, night.json, report.json ----
sed -i '3s/^\([0-9]*\),Wake$/\1,\xc9veil/' in/N0001/labels/hypnogram.csv
check_eq "the value is Latin-1" "$(sed -n 3p in/N0001/labels/hypnogram.csv | od -An -c | tr -s ' ')" " 4 8 2 , 311 v e i l \n"
check_run "error line: \\xc9 shown as text" 1 \
	"nightfan-shard: error: labels/hypnogram.csv:3:2: ${STAGE//\\/}, got \"\\xc9veil\"${HINT//\\/}" \
	nightfan-shard --input in --night N0001 --profile $P --out o1
check_run "recorded failure" 0 "" nightfan-shard --input in --night N0001 --profile $P --out nights --on-error=record
check_eq "night.json: strict UTF-8 JSON" "$(strict_json nights/N0001/night.json)" ok
check_eq "night.json: the message, \\xc9 as four characters" "$(grep -a '"message"' nights/N0001/night.json)" \
	"		\"message\":	\"$STAGE, got \\\"\\\\xc9veil\\\"$HINT\""
nightfan-shard --input in --night N0002 --profile $P --out nights
check_run "merge" 0 "" nightfan-merge --nights nights --out merged
check_eq "report.json: strict UTF-8 JSON" "$(strict_json merged/report.json)" ok
check_eq "report.json: the failed night's message" "$(json_get merged/report.json 'd["failed"][0]["error"]["message"]')" \
	"${STAGE//\\/}, got \"\\xc9veil\"${HINT//\\/}"

# ---- a night.json holding raw bytes that are not UTF-8 (hand-made or an older writer): the merge
# writes report.json valid all the same ----
python3 - nights/N0001/night.json <<'PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read().replace(b'\\\\xc9veil', b'\xc9veil \xe2\x82 cut')
open(p, "wb").write(b)
PY
check_eq "the night.json holds raw \\xc9 and a cut euro sign" "$(strict_json nights/N0001/night.json | cut -c1-18)" "UnicodeDecodeError"
check_run "merge of a raw night.json" 0 "" nightfan-merge --nights nights --out merged2
check_eq "report.json from a raw night.json: strict UTF-8 JSON" "$(strict_json merged2/report.json)" ok
check_eq "report.json from a raw night.json: bytes as \\xNN" \
	"$(json_get merged2/report.json 'd["failed"][0]["error"]["message"]')" \
	"${STAGE//\\/}, got \"\\xc9veil \\xe2\\x82 cut\"${HINT//\\/}"
check_true "report.html from a raw night.json: valid UTF-8" \
	python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8", "strict")' merged2/report.html
# (twice: the nights table and the failed nights' section)
check_eq "report.html: the message, bytes as \\xNN" "$(grep -o 'got &quot;[^&]*&quot;' merged2/report.html | sort | uniq -c | tr -s ' ')" \
	' 2 got &quot;\xc9veil \xe2\x82 cut&quot;'

# ---- night.json strings quoted in the merge's messages: \xNN, cut between characters ----
cp -r nights hdr
python3 - hdr/N0002/night.json <<'PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read().replace(b'"night":\t"N0002"', b'"night":\t"' + "\u00c9".encode() * 80 + b'"')
open(p, "wb").write(b)
PY
E50=$(printf '\xc3\x89%.0s' {1..50})
check_run "merge: a long UTF-8 night id quoted, cut after whole characters" 1 \
	"nightfan-merge: error: hdr/N0002/night.json: \"night\" is \"$E50...\" but the folder is N0002" \
	nightfan-merge --nights hdr --out merged3
sed -i 's|"schema":\t"nightfan.night/1"|"schema":\t"\xc9"|' hdr/N0001/night.json
check_run "merge: a Latin-1 schema quoted as \\xc9" 1 \
	"nightfan-merge: error: hdr/N0001/night.json: expected \"schema\": \"nightfan.night/1\", got \"\\xc9\"" \
	nightfan-merge --nights hdr --out merged3

# ---- a long UTF-8 value is cut between characters (40 bytes: 20 é, then "...") ----
cp -r in long
E50=$(printf '\xc3\xa9%.0s' {1..50})
E20=$(printf '\xc3\xa9%.0s' {1..20})
sed -i "3s/^\([0-9]*\),Wake\$/\1,$E50/" long/N0002/labels/hypnogram.csv
check_run "long value: cut after whole characters" 1 \
	"nightfan-shard: error: labels/hypnogram.csv:3:2: ${STAGE//\\/}, got \"$E20...\"" \
	nightfan-shard --input long --night N0002 --profile $P --out o2
check_true "the error line is valid UTF-8" python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8", "strict")' "$WORK/stderr"
nightfan-shard --input long --night N0002 --profile $P --out long-out --on-error=record
check_eq "long value: night.json strict" "$(strict_json long-out/N0002/night.json)" ok

# ---- a profile naming a file in Latin-1: its key in night.json "inputs" ----
python3 - $P <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["sources"]["labels"]["position"]["file"] = "labels/pos\udcc9.csv"
open("latin1.json", "wb").write(json.dumps(p, ensure_ascii=False).encode("utf-8", "surrogateescape"))
PY
cp in/N0002/labels/position.csv in/N0002/labels/pos$'\xc9'.csv
check_run "a Latin-1 file name" 0 "" nightfan-shard --input in --night N0002 --profile latin1.json --out l1
check_eq "night.json with a Latin-1 file name: strict" "$(strict_json l1/N0002/night.json)" ok
check_eq "the file's key, \\xc9 as text" "$(json_get l1/N0002/night.json '[k for k in d["inputs"] if "pos" in k]')" \
	"['labels/pos\\\\xc9.csv']"
printf 'Time [s],Body Position,Head Motion\n0,Supine,x\n' >in/N0002/labels/pos$'\xc9'.csv
check_run "an error naming a Latin-1 file" 1 \
	"nightfan-shard: error: labels/pos\\xc9.csv:2:3: expected a number (or an empty cell) for \"Head Motion\", got \"x\"" \
	nightfan-shard --input in --night N0002 --profile latin1.json --out l2

finish
