# tests/cli/30_pipeline.sh — nightfan compile: the spec's bytes (golden), determinism, JSON/YAML
# forms, batching and the manifest at their thresholds, refused night ids and options.
source "$TESTS/lib.sh"
GOLDEN="$TESTS/golden/pipeline"
cd "$WORK"

nightfan synth --nights 3 --out nights --seed 7 >/dev/null

# The golden spec: input root written absolute, so replace this scratch folder by a fixed name.
check_run "compile yaml" 0 "" nightfan compile --profile nights/profile.json --image nightfan:0.1.0 \
	-o pipeline.yaml --input nights --parallelism 4 --cpu 1 --memory 2Gi
check_eq "compile says what it wrote" "$(cat "$WORK/stdout")" "pipeline.yaml: 3 nights in 3 shard tasks (1 a task)"
sed "s#$WORK#/WORK#g" pipeline.yaml >pipeline.golden.yaml
check_file_eq "spec golden (YAML)" pipeline.golden.yaml "$GOLDEN/pipeline.yaml"

nightfan compile --profile nights/profile.json --image nightfan:0.1.0 -o again.yaml --input nights \
	--parallelism 4 --cpu 1 --memory 2Gi >/dev/null
check_true "compiling is deterministic" cmp pipeline.yaml again.yaml

nightfan compile --profile nights/profile.json --image nightfan:0.1.0 -o pipeline.json --input nights \
	--parallelism 4 --cpu 1 --memory 2Gi >/dev/null
sed "s#$WORK#/WORK#g" pipeline.json >pipeline.golden.json
check_file_eq "spec golden (JSON)" pipeline.golden.json "$GOLDEN/pipeline.json"

# --no-cache and no retries: cachingOptions {} (proto3 JSON omits enableCache: false), no retryPolicy,
# no iteratorPolicy without --parallelism.
nightfan compile --profile nights/profile.json --image img -o nocache.yaml --nights N0001,N0002 \
	--no-cache --retries 0 >/dev/null
check_eq "no-cache gives cachingOptions {}" "$(grep -c 'cachingOptions: {}' nocache.yaml)" "2"
check_eq "retries 0 gives no retryPolicy" "$(grep -c retryPolicy nocache.yaml)" "0"
check_eq "no parallelism gives no iteratorPolicy" "$(grep -c iteratorPolicy nocache.yaml)" "0"
check_eq "without --input, input_root is required" \
	"$(grep -A1 '^      input_root:$' nocache.yaml | tr -d ' \n')" "input_root:parameterType:STRING"

# Batching: one night a task up to 100 nights, then the fewest a task that keep <= 100 tasks.
ids() { seq -f 'N%04g' 1 "$1"; }
ids 100 >n100.txt
ids 101 >n101.txt
ids 1500 >n1500.txt
ids 2200 >n2200.txt
check_run "100 nights" 0 "" nightfan compile --profile nights/profile.json --image img -o b100.yaml --nights-file n100.txt
check_eq "100 nights: 100 tasks of 1" "$(cat "$WORK/stdout")" "b100.yaml: 100 nights in 100 shard tasks (1 a task)"
check_run "101 nights" 0 "" nightfan compile --profile nights/profile.json --image img -o b101.yaml --nights-file n101.txt
check_eq "101 nights: 51 tasks of 2" "$(cat "$WORK/stdout")" "b101.yaml: 101 nights in 51 shard tasks (2 a task)"
check_eq "101 nights: first item is a batch" "$(grep -m1 -- '- N0001' b101.yaml | tr -d ' ')" "-N0001,N0002"
check_run "1500 nights" 0 "" nightfan compile --profile nights/profile.json --image img -o b1500.yaml --nights-file n1500.txt
check_eq "1500 nights: 100 tasks of 15, list fits a parameter" "$(cat "$WORK/stdout")" \
	"b1500.yaml: 1500 nights in 100 shard tasks (15 a task)"
check_true "1500 nights: no manifest" test ! -e b1500.manifest.json
check_run "2200 nights" 0 "" nightfan compile --profile nights/profile.json --image img -o b2200.yaml --nights-file n2200.txt
check_eq "2200 nights: manifest" "$(cat "$WORK/stdout")" \
	"b2200.yaml: 2200 nights in 100 shard tasks (22 a task); night list in manifest b2200.manifest.json"
check_eq "2200 nights: items are manifest references" "$(grep -c -- "- '@" b2200.yaml)" "100"
check_eq "2200 nights: nights_manifest default is the manifest's absolute path" \
	"$(grep -A1 '      nights_manifest:' b2200.yaml | tail -1 | tr -d ' ')" "defaultValue:$WORK/b2200.manifest.json"
check_eq "2200 nights: batch 99 holds N2179..N2200" \
	"$(tr -d ' \n' <b2200.manifest.json | grep -o '\["N2179"[^]]*\]' | tr -d '[]"' | tr ',' '\n' | sed -n '1p;$p' | tr '\n' ' ')" \
	"N2179 N2200 "
check_run "--manifest-uri" 0 "" nightfan compile --profile nights/profile.json --image img -o m.yaml \
	--nights-file n2200.txt --manifest-uri gs://bucket/runs/nights.json
check_eq "--manifest-uri is the default" "$(grep -A1 '      nights_manifest:' m.yaml | tail -1 | tr -d ' ')" \
	"defaultValue:gs://bucket/runs/nights.json"
check_run "too small --nights-per-task" 1 \
	"nightfan compile: error: --nights-per-task 10 gives 150 tasks for 1500 nights; Vertex AI collects at most 100 artifacts into the merge, so use at least 15" \
	nightfan compile --profile nights/profile.json --image img -o x.yaml --nights-file n1500.txt --nights-per-task 10
check_run "--nights-per-task 3" 0 "" nightfan compile --profile nights/profile.json --image img -o k3.yaml \
	--nights N1,N2,N3,N4 --nights-per-task 3
check_eq "--nights-per-task 3 over 4 nights" "$(grep -A3 '      nights:' k3.yaml | grep -- '- N' | tr -d ' ' | tr '\n' ' ')" \
	"-N1,N2,N3 -N4 "

# Night ids are checked before they reach a spec.
check_run "bad night id" 1 \
	'nightfan compile: error: --nights: invalid night id "../etc": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit' \
	nightfan compile --profile nights/profile.json --image img -o x.yaml --nights 'N1,../etc'
check_true "nothing written on error" test ! -e x.yaml
printf 'N0001\n# a comment\n\nbad id\n' >bad.txt
check_run "bad id in a nights file" 1 \
	'nightfan compile: error: bad.txt:4: invalid night id "bad id": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit' \
	nightfan compile --profile nights/profile.json --image img -o x.yaml --nights-file bad.txt
check_run "duplicate night" 1 'nightfan compile: error: night "N1" is listed twice' \
	nightfan compile --profile nights/profile.json --image img -o x.yaml --nights N1,N2,N1
mkdir -p badroot/N0001 'badroot/my night'
check_run "bad folder under --input" 1 \
	'nightfan compile: error: badroot: invalid night id "my night": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit' \
	nightfan compile --profile nights/profile.json --image img -o x.yaml --input badroot
echo '{"epoch_seconds": 30,' >broken.json
check_run "profile not JSON" 1 \
	"nightfan compile: error: broken.json:2: not valid JSON" \
	nightfan compile --profile broken.json --image img -o x.yaml --nights N1
echo '{"epoch_seconds": 30, "sources": {"labels": {"hypnogram": {"file": "h.csv", "columns": {"stag": "S"}}}}}' >typo.json
check_run "profile checked as the shard checks it" 1 \
	'nightfan compile: error: typo.json: sources.labels.hypnogram.columns: unknown field "stag"; expected one of onset, duration, stage' \
	nightfan compile --profile typo.json --image img -o x.yaml --nights N1
check_run "two night lists" 2 \
	"nightfan compile: error: give either --nights-file or --nights, not both
Try \"nightfan compile --help\" for the options." \
	nightfan compile --profile nights/profile.json --image img -o x.yaml --nights N1 --nights-file ids.txt
check_run "no nights" 2 \
	"nightfan compile: error: give the nights: --input ROOT, --nights-file F or --nights A,B
Try \"nightfan compile --help\" for the options." \
	nightfan compile --profile nights/profile.json --image img -o x.yaml
check_run "bad --memory" 1 \
	'nightfan compile: error: --memory: expected a memory quantity such as 2Gi, 512Mi or 4G, got "2GB"' \
	nightfan compile --profile nights/profile.json --image img -o x.yaml --nights N1 --memory 2GB

finish
