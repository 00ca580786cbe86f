# tests/cli/73_uri.sh — URIs that would lead out of the launcher's mount (issue 17, item 6): the
# shard once wrote gs://b/../../tmp/x to /gcs/b/../../tmp/x (/tmp/x) and gs://b/.. to /gcs/N0001.
# One rule (common/executor.c, executor_uri_to_path) refuses a mounted URI with a "." or ".."
# segment, no bucket, or (artifacts, the manifest) nothing after the bucket, in both executors
# and in `nightfan run`, for artifacts and the input_root, base_nights and nights_manifest
# parameters alike — before anything is written. The rule's cases are in tests/unit/test_executor.c.
source "$TESTS/lib.sh"
cd "$WORK"

nightfan synth --nights 1 --out in --seed 73 >/dev/null
DOTS='expected a URI without \".\" or \"..\" path segments'

# shard_input INPUT_ROOT OUT_URI MANIFEST BATCH — a shard task's ExecutorInput.
shard_input() {
	kfp_shard_input in/profile.json "$1" "$2" executor_output.json "$4" "$3" fail
}

# ---- the shard task ----
check_run "shard: output artifact gs://b/../../tmp/x" 1 \
	"{\"severity\":\"ERROR\",\"message\":\"executor input: outputs.artifacts.nights.artifacts[0].uri: $DOTS, got \\\"gs://b/../../tmp/x\\\" (it would lead out of /gcs/)\"}" \
	nightfan-shard --executor-input "$(shard_input "$WORK/in" gs://b/../../tmp/x "" N0001)"
check_run "shard: output artifact gs://b/.." 1 \
	"{\"severity\":\"ERROR\",\"message\":\"executor input: outputs.artifacts.nights.artifacts[0].uri: $DOTS, got \\\"gs://b/..\\\" (it would lead out of /gcs/)\"}" \
	nightfan-shard --executor-input "$(shard_input "$WORK/in" gs://b/.. "" N0001)"
check_run "shard: output artifact gs://b (no path)" 1 \
	"{\"severity\":\"ERROR\",\"message\":\"executor input: outputs.artifacts.nights.artifacts[0].uri: expected an object path after the bucket in URI \\\"gs://b\\\"\"}" \
	nightfan-shard --executor-input "$(shard_input "$WORK/in" gs://b "" N0001)"
check_run "shard: input_root gs://b/.." 1 \
	"{\"severity\":\"ERROR\",\"message\":\"input_root: $DOTS, got \\\"gs://b/..\\\" (it would lead out of /gcs/)\"}" \
	nightfan-shard --executor-input "$(shard_input gs://b/.. "$WORK/o1" "" N0001)"
check_run "shard: input_root minio://b/./x" 1 \
	"{\"severity\":\"ERROR\",\"message\":\"input_root: $DOTS, got \\\"minio://b/./x\\\" (it would lead out of /minio/)\"}" \
	nightfan-shard --executor-input "$(shard_input minio://b/./x "$WORK/o1" "" N0001)"
check_run "shard: nights_manifest gs://b/../m.json" 1 \
	"{\"severity\":\"ERROR\",\"message\":\"nights_manifest: $DOTS, got \\\"gs://b/../m.json\\\" (it would lead out of /gcs/)\"}" \
	nightfan-shard --executor-input "$(shard_input "$WORK/in" "$WORK/o1" gs://b/../m.json @0)"
check_run "shard: nights_manifest gs://b/ (no path)" 1 \
	"{\"severity\":\"ERROR\",\"message\":\"nights_manifest: expected an object path after the bucket in URI \\\"gs://b/\\\"\"}" \
	nightfan-shard --executor-input "$(shard_input "$WORK/in" "$WORK/o1" gs://b/ @0)"
check_eq "shard: nothing written" "$(ls | grep -v -x -e stdout -e stderr)" "in"
check_run "shard: a good task still runs" 0 \
	"{\"severity\":\"INFO\",\"message\":\"written to $WORK/o2/N0001\",\"night\":\"N0001\"}" \
	nightfan-shard --executor-input "$(shard_input "$WORK/in" "$WORK/o2" "" N0001)"

# ---- the merge task: base_nights ----
merge_input() { # BASE_NIGHTS
	python3 - "$1" "$WORK" <<'PY'
import json, sys
base, w = sys.argv[1:3]
art = lambda name, uri: {"artifacts": [{"name": name, "uri": uri, "metadata": {}}]}
print(json.dumps({"inputs": {"parameterValues": {"base_nights": base}, "artifacts": {"nights": art("nights", w + "/o2")}},
                  "outputs": {"artifacts": {"report": art("report", w + "/rep"), "dataset": art("dataset", w + "/ds")},
                              "outputFile": w + "/merge_output.json"}}))
PY
}
check_run "merge: base_nights gs://b/.." 1 \
	"{\"severity\":\"ERROR\",\"message\":\"base_nights: $DOTS, got \\\"gs://b/..\\\" (it would lead out of /gcs/)\"}" \
	nightfan-merge --executor-input "$(merge_input gs://b/..)"
check_run "merge: base_nights s3://b/x/../.." 1 \
	"{\"severity\":\"ERROR\",\"message\":\"base_nights: $DOTS, got \\\"s3://b/x/../..\\\" (it would lead out of /s3/)\"}" \
	nightfan-merge --executor-input "$(merge_input s3://b/x/../..)"
check_eq "merge: nothing written" "$(ls | grep -v -x -e stdout -e stderr -e executor_output.json)" "in
o2"

# ---- nightfan run: the same rule for its parameters ----
nightfan compile --profile in/profile.json --image img -o p.yaml --input in >/dev/null
check_run "run: input_root gs://b/.." 1 \
	"nightfan run: error: input_root: ${DOTS//\\/}, got \"gs://b/..\" (it would lead out of /gcs/)" \
	nightfan run p.yaml --root r1 --param input_root=gs://b/..
check_run "run: base_nights gs://b/x/../.." 1 \
	"nightfan run: error: base_nights: ${DOTS//\\/}, got \"gs://b/x/../..\" (it would lead out of /gcs/)" \
	nightfan run p.yaml --root r1 --param base_nights=gs://b/x/../..
check_run "run: nights_manifest gs://b/./m.json" 1 \
	"nightfan run: error: loop for-loop-1, item 0: nights_manifest: ${DOTS//\\/}, got \"gs://b/./m.json\" (it would lead out of /gcs/)" \
	nightfan run p.yaml --root r1 --param nights_manifest=gs://b/./m.json --param 'nights=["@0"]'
check_eq "run: no run folder made" "$(ls -d r1 2>/dev/null)" ""

finish
