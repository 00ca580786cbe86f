# tests/cli/72_overlap.sh — an output that would land on its own input is refused before anything is
# read or written (exit 2, one line naming both folders): the shard's output night folder against
# the input night folder, `nightfan run --root` (and `nightfan compose --root`) against the input
# root, the merge's --out against its --nights and --base folders; the KFP executor paths (shard
# and merge) alike. Compared by real path: `same/.`, a trailing slash, a symbolic link, a folder
# not made yet.
# (Before: `nightfan-shard --input same --night N0001 --out same` replaced the recordings of
# same/N0001 with night.json and epochs.csv, exit 0, not a word.)
source "$TESTS/lib.sh"
cd "$WORK"

nightfan synth --nights 2 --out same --seed 72 >/dev/null
profile=$WORK/same/profile.json
cp -a same same.orig
ln -s same link
ln -s "$WORK/same/N0001" nightlink

# untouched NAME: the recordings are exactly as synth wrote them, nothing added anywhere in them.
untouched() {
	check_true "$1: the recordings are untouched" diff -r same same.orig
}

# ---- the shard ------------------------------------------------------------------------------------
refused() { # refused NAME OUT SHOWN RELATION [INPUT [INPUT_SHOWN]]: the shard refuses OUT
	local input=${5:-same}
	check_run "shard --out $2: $1" 2 \
		"nightfan-shard: error: the output night folder $3 $4 the input night folder ${6:-$input/N0001}: refusing to write over the recordings" \
		nightfan-shard --input "$input" --night N0001 --profile "$profile" --out "$2"
	untouched "shard --out $2"
}
refused "the input root" same same/N0001 is
refused "the input root, dot" same/. same/./N0001 is
refused "the input root, trailing slash" same/ same/N0001 is
refused "a symbolic link to the input root" link link/N0001 is
refused "the absolute path" "$WORK/same" "$WORK/same/N0001" is
refused "inside the night folder" same/N0001/out same/N0001/out/N0001 "lies inside"
refused "inside it, not made yet" same/N0001/new/deeper same/N0001/new/deeper/N0001 "lies inside"
refused "inside it through a link" nightlink/x nightlink/x/N0001 "lies inside"
refused "inside it through .." same/N0002/../N0001/labels same/N0002/../N0001/labels/N0001 "lies inside"
check_true "shard: nothing made for the refused folders" test ! -e same/N0001/out -a ! -e same/N0001/new
# a gs:// root is compared by its /gcs/ path (the one URI rule), mounted or not; nothing is read
check_run "shard --out the /gcs/ path of a gs:// input root" 2 \
	"nightfan-shard: error: the output night folder /gcs/nightfan-72-bucket/in/N0001 is the input night folder gs://nightfan-72-bucket/in/N0001: refusing to write over the recordings" \
	nightfan-shard --input gs://nightfan-72-bucket/in --night N0001 --profile "$profile" --out /gcs/nightfan-72-bucket/in
# --input same/ --out same/: both spelled with a slash
refused "both with a trailing slash" same/ same/N0001 is same/ same/N0001
# the output night folder holding the input: x/N0001/in/N0001 would be swapped away with x/N0001
mkdir -p x/N0001 && cp -a same x/N0001/in
check_run "shard: the output night folder contains the input night folder" 2 \
	"nightfan-shard: error: the output night folder x/N0001 contains the input night folder x/N0001/in/N0001: refusing to write over the recordings" \
	nightfan-shard --input x/N0001/in --night N0001 --profile "$profile" --out x
check_true "shard: the contained input is untouched" diff -r x/N0001/in same.orig
# apart: other nights' folders and a sibling are fine
check_status() { local s=0; "${@:3}" >"$WORK/status.err" 2>&1 || s=$?; check_eq "$1" "$s" "$2"; [ "$s" = "$2" ] || cat "$WORK/status.err"; }
check_status "shard: a folder beside the input" 0 nightfan-shard --input same --night N0001 --profile "$profile" --out beside
check_status "shard: a prefix of the name is not the folder (same-out)" 0 \
	nightfan-shard --input same --night N0001 --profile "$profile" --out same-out
check_true "shard: written" test -s beside/N0001/night.json -a -s same-out/N0001/epochs.csv

# the KFP executor path: the output artifact is the input root
kfp_shard() { # kfp_shard OUT_URI
	kfp_shard_input "$profile" "$WORK/same" "$1" "$WORK/kfp-shard/executor_output.json" N0001 "" record
}
check_run "kfp shard: the output artifact is the input root" 1 \
	"{\"severity\":\"ERROR\",\"message\":\"the output night folder $WORK/same/./N0001 is the input night folder $WORK/same/N0001: refusing to write over the recordings\",\"night\":\"N0001\"}" \
	nightfan-shard --executor-input "$(kfp_shard "$WORK/same/.")"
untouched "kfp shard"
check_true "kfp shard: no executor output" test ! -e kfp-shard

# ---- nightfan run --root --------------------------------------------------------------------------
nightfan compile --profile "$profile" --image img -o p.yaml --input same >/dev/null
run_refused() { # run_refused ROOT RELATION
	check_run "run --root $1" 2 \
		"nightfan run: error: the run folder $1 $2 the input root $WORK/same: refusing to write among the recordings" \
		nightfan run p.yaml --root "$1" --jobs 1
	untouched "run --root $1"
}
run_refused same is
run_refused same/. is
run_refused link/ is
run_refused same/N0001/run "lies inside"
run_refused . contains
check_true "run: no run folder made inside the input" test ! -e same/N0001/run -a ! -e same/.lock -a ! -e .lock
check_run "run: --param input_root inside the run folder" 2 \
	"nightfan run: error: the run folder r contains the input root r/in: refusing to write among the recordings" \
	nightfan run p.yaml --root r --param input_root=r/in
check_true "run: the refused run folder is not made" test ! -e r
check_status "run: a run folder beside the input" 0 nightfan run p.yaml --root run --jobs 2
# nightfan compose: the same rule for the root the containers write to (exit 1, its errors' status)
check_run "compose --root inside the input root" 1 \
	"nightfan compose: error: the run folder same/N0001/run lies inside the input root $WORK/same: refusing to write among the recordings" \
	nightfan compose p.yaml --root same/N0001/run -o compose.yml
check_true "compose: no root made, no compose file" test ! -e same/N0001/run -a ! -e compose.yml
untouched "compose --root inside the input root"
check_status "compose: a root beside the input" 0 nightfan compose p.yaml --root croot -o compose.yml

# ---- nightfan-merge --out -------------------------------------------------------------------------
cp -a run/nights nights-orig
merge_refused() { # merge_refused NAME WANT_MESSAGE ARGS...
	local name=$1 want=$2
	shift 2
	check_run "merge: $name" 2 "nightfan-merge: error: $want" nightfan-merge "$@"
	check_true "merge: $name: the nights are untouched" diff -r beside beside.orig
}
cp -a beside beside.orig
merge_refused "--out is the nights folder" \
	"the output folder beside is the nights folder beside: refusing to write among the nights" --nights beside --out beside
merge_refused "--out is it, spelled beside/." \
	"the output folder beside/. is the nights folder beside/: refusing to write among the nights" --nights beside/ --out beside/.
merge_refused "--out inside a night" \
	"the output folder beside/N0001/merged lies inside the nights folder beside: refusing to write among the nights" \
	--nights beside --out beside/N0001/merged
merge_refused "--out contains a nights folder" \
	"the output folder . contains the nights folder beside: refusing to write among the nights" --nights beside --out . --dataset
merge_refused "--out is the second nights folder" \
	"the output folder beside is the nights folder beside: refusing to write among the nights" \
	--nights same-out --nights beside --out beside
merge_refused "--out is the base" \
	"the output folder beside is the base nights folder beside: refusing to write among the nights" \
	--nights same-out --base beside --out beside
check_true "merge: no output written" test ! -e beside/N0001/merged -a ! -e nights.csv -a ! -e beside/report.json

# the KFP executor path: the dataset artifact is one of the input nights artifacts
python3 - "$WORK" >kfp-merge.json <<'PY'
import json, sys
w = sys.argv[1]
art = lambda name, uri: {"artifacts": [{"name": name, "type": {"schemaTitle": "system.Dataset"}, "uri": uri, "metadata": {}}]}
print(json.dumps({"inputs": {"artifacts": {"nights": art("nights", w + "/beside")}, "parameterValues": {"base_nights": ""}},
                  "outputs": {"artifacts": {"report": art("report", w + "/kfp-merge/report"),
                                            "dataset": art("dataset", w + "/beside/."),
                                            "metrics": art("metrics", w + "/kfp-merge/metrics"),
                                            "staging_confusion": art("staging_confusion", w + "/kfp-merge/s"),
                                            "severity_confusion": art("severity_confusion", w + "/kfp-merge/v")},
                              "outputFile": w + "/kfp-merge/executor_output.json"}}))
PY
check_run "kfp merge: the dataset artifact is a nights artifact" 1 \
	"{\"severity\":\"ERROR\",\"message\":\"the output folder $WORK/beside/. is the nights folder $WORK/beside: refusing to write among the nights\"}" \
	nightfan-merge --executor-input "$(cat kfp-merge.json)"
check_true "kfp merge: the nights are untouched" diff -r beside beside.orig
check_true "kfp merge: nothing written" test ! -e kfp-merge

finish
