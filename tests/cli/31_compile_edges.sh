#!/usr/bin/env bash
# 31_compile_edges: the everyday cases at the edges of compile and run — some nights under a root,
# --input at a night's own folder, a root that was also a run folder, a run where every night
# failed, and the merge's outputs declared as the pipeline's.
source "$TESTS/lib.sh"
cd "$WORK"
nightfan synth --nights 4 --out in >/dev/null
P=(--profile in/profile.json --image img)
nights_of() { # the compiled nights list default of SPEC (JSON)
	python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["root"]["inputDefinitions"]["parameters"]["nights"]["defaultValue"]))' "$1"
}
root_of() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["root"]["inputDefinitions"]["parameters"]["input_root"]["defaultValue"])' "$1"
}

# ---- --input ROOT with --nights / --nights-file: those nights under that root ----
check_run "--input with --nights" 0 "" nightfan compile "${P[@]}" --input in --nights N0003,N0001 -o some.json
check_eq "only the named nights, in the given order" "$(nights_of some.json)" "N0003 N0001"
check_eq "the input root is ROOT" "$(root_of some.json)" "$WORK/in"
printf '# reprocess\nN0002\n\nN0004\n' >ids.txt
check_run "--input with --nights-file" 0 "" nightfan compile "${P[@]}" --input in --nights-file ids.txt -o file.json
check_eq "the file's nights" "$(nights_of file.json)" "N0002 N0004"
check_run "a night not under the root" 1 'nightfan compile: error: night "N0009" is not under the input root in' \
	nightfan compile "${P[@]}" --input in --nights N0001,N0009 -o x.json
check_true "nothing written for a refused list" test ! -e x.json

# ---- --input at one night's own folder ----
check_run "a night folder as --input" 1 "nightfan compile: error: --input in/N0002: it holds labels/, so it looks like one night's folder; --input takes the folder that holds the night folders (its parent), and --nights ID picks nights in it" \
	nightfan compile "${P[@]}" --input in/N0002 -o x.json
check_true "nothing written" test ! -e x.json

# ---- a root that was also used as a run folder: its task folders and nights/ are not nights ----
cp -r in old
mkdir -p old/shard-N0001/nights old/merge/dataset old/nights
echo '{}' >old/shard-N0001/.nightfan-task.json
echo '{}' >old/merge/.nightfan-task.json
ln -s ../shard-N0001/nights/N0001 old/nights/N0001
check_run "run folders passed over" 0 \
	"nightfan compile: note: old was also a \`nightfan run\` folder: its 3 run folders (task folders, nights/) were passed over" \
	nightfan compile "${P[@]}" --input old -o old.json
check_eq "only the real nights" "$(nights_of old.json)" "N0001 N0002 N0003 N0004"
mkdir in2 && cp -r in/N0001 in2/ && mkdir -p in2/nights/labels in2/nights/predictions
cp in/N0001/labels/* in2/nights/labels/ && cp in/N0001/predictions/* in2/nights/predictions/
check_run "a night really named nights is kept" 0 "" nightfan compile "${P[@]}" --input in2 -o in2.json
check_eq "nights is a night there" "$(nights_of in2.json)" "N0001 nights"

# ---- run: the run folder is not the input root; no ok night is a failure ----
nightfan compile "${P[@]}" --input in -o all.yaml >/dev/null
check_run "run --root = the input root" 2 \
	"nightfan run: error: the run folder in is the input root $WORK/in: refusing to write among the recordings" \
	nightfan run all.yaml --root in
nightfan synth --nights 2 --broken 2 --out bad >/dev/null
nightfan compile --profile bad/profile.json --image img --input bad -o bad.yaml >/dev/null
check_run "every night failed: exit 1" 1 "nightfan run: [1/3 tasks, 1/2 nights, 1 failed] shard-N0001 done
nightfan run: [2/3 tasks, 2/2 nights, 2 failed] shard-N0002 done
nightfan run: [3/3 tasks, 2/2 nights, 2 failed] merge done
nightfan run: error: no night came out ok: every night failed (listed above)" \
	nightfan run bad.yaml --root badrun --jobs 1
check_eq "the tasks themselves were green" "$(head -1 "$WORK/stdout")" "nightfan: 3 tasks: 3 ran, 0 cached, 0 failed"
check_eq "the report says 0 ok" "$(grep '^nights:' "$WORK/stdout")" "nights: 2 (0 ok, 2 failed)"
check_run "one ok night is enough" 0 "nightfan run: [1/2 tasks, 1/1 nights, 0 failed] shard-N0001 done
nightfan run: [2/2 tasks, 1/1 nights, 0 failed] merge done" nightfan run all.yaml --root goodrun --jobs 1 --param 'nights=["N0001"]'

# ---- the merge's outputs are the pipeline's outputs ----
check_eq "root outputs" "$(python3 -c '
import json; s = json.load(open("some.json"))["root"]
print(sorted(s["outputDefinitions"]["artifacts"]), [(k, v["artifactSelectors"]) for k, v in sorted(s["dag"]["outputs"]["artifacts"].items())])')" \
	"['dataset', 'metrics', 'report'] [('dataset', [{'outputArtifactKey': 'dataset', 'producerSubtask': 'merge'}]), ('metrics', [{'outputArtifactKey': 'metrics', 'producerSubtask': 'merge'}]), ('report', [{'outputArtifactKey': 'report', 'producerSubtask': 'merge'}])]"

# ---- provenance: the report says where it comes from (no timestamps: same inputs, same bytes) ----
printf '' >empty-profile.json
check_run "merge with provenance" 0 "" nightfan-merge --nights goodrun/shard-N0001/nights --out prov \
	--input-root gs://lab/study --profile empty-profile.json --spec-name weekly
check_eq "report.json provenance (XXH3-128 of no bytes: xxhsum -H2's test vector)" \
	"$(sed -n '/^\t"provenance":/,/^\t}/p' prov/report.json)" "$(printf '\t"provenance":\t{\n\t\t"input_root":\t"gs://lab/study",\n\t\t"profile_xxh128":\t"99aa06d3014798d86001c324468d497f",\n\t\t"nightfan_version":\t"%s",\n\t\t"spec":\t"weekly"\n\t},' "$(cat "$TESTS/../VERSION")")"
check_eq "report.html names it at the top" "$(grep -m1 -n 'class="provenance"' prov/report.html | cut -d: -f1):$(grep -c '<h2>' <(head -"$(grep -m1 -n 'class="provenance"' prov/report.html | cut -d: -f1)" prov/report.html))" \
	"$(grep -m1 -n 'class="provenance"' prov/report.html | cut -d: -f1):0"
nightfan-merge --nights goodrun/shard-N0001/nights --out prov2 --input-root gs://lab/study --profile empty-profile.json --spec-name weekly
check_true "same inputs, same bytes" cmp prov/report.json prov2/report.json
check_eq "a pipeline run's report: its input root and spec" \
	"$(grep -E $'^\t\t"(input_root|spec)":' goodrun/merge/dataset/report.json | tr -d '\t')" \
	"\"input_root\":\"$WORK/in\",
\"spec\":\"nightfan\""

finish
