# tests/cli/30_pipeline_run.sh — nightfan run: same outputs as shard + merge by hand, the cache,
# reprocessing one night, failed nights under on_error=record and =fail, retries, batches, the
# manifest, and the executors' ExecutorOutput.
source "$TESTS/lib.sh"
cd "$WORK"

# check_status NAME WANT_STATUS CMD... — like check_run, but stderr (one progress line a task when
# it is not a terminal) is kept in $WORK/stderr rather than compared.
check_status() {
	local name=$1 want=$2 status=0
	shift 2
	"$@" >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
	if [ "$status" == "$want" ]; then pass; else fail "$name" "status: got $status, want $want" "$(tail -5 "$WORK/stderr")"; fi
}

nightfan synth --nights 5 --out in --seed 11 --broken 1 >/dev/null
nightfan compile --profile in/profile.json --image nightfan:test -o p.yaml --input in --parallelism 2 >/dev/null
# The report's provenance of a run: the input root, the profile text the spec carries, its name. The
# merges by hand below are given the same, so their reports must be the same bytes.
nightfan compile --profile in/profile.json --image nightfan:test -o p.json --input in >/dev/null
python3 -c 'import json,sys; sys.stdout.write(json.load(open("p.json"))["root"]["inputDefinitions"]["parameters"]["profile"]["defaultValue"])' >spec-profile.txt
PROV=(--input-root "$WORK/in" --profile spec-profile.txt --spec-name nightfan)

# --- a run equals shard + merge by hand ----------------------------------------------------------
mkdir tmp
check_status "run" 0 env TMPDIR="$WORK/tmp" nightfan run p.yaml --root run --jobs 2
check_eq "executors leave no temporary files" "$(ls -A tmp)" ""
# stderr is not a terminal here: one plain line a task, in completion order; the summary on stdout
check_eq "summary" "$(sed -n '1,2p' "$WORK/stdout")" "nightfan: 6 tasks: 6 ran, 0 cached, 0 failed
nights: 5 (4 ok, 1 failed)"
cp "$WORK/stdout" first-run.txt

for n in N0001 N0002 N0003 N0004 N0005; do
	nightfan-shard --input in --night $n --profile in/profile.json --out byhand --on-error=record
done
nightfan-merge --nights byhand --out byhand-merge --dataset "${PROV[@]}"
for f in nights.csv report.json dataset.csv report.html; do
	check_file_eq "run = by hand: $f" run/merge/dataset/$f byhand-merge/$f
done
for n in N0001 N0005; do
	check_file_eq "run = by hand: $n/night.json" run/shard-$n/nights/$n/night.json byhand/$n/night.json
done
# the report artifact sits beside the dataset artifact: its night links go into dataset/pages/
sed 's|href="pages/|href="dataset/pages/|g' byhand-merge/report.html >byhand-merge/report-artifact.html
check_file_eq "run = by hand: pages/N0001.html" run/merge/dataset/pages/N0001.html byhand-merge/pages/N0001.html
check_file_eq "report artifact is the HTML report, linking into the dataset" run/merge/report byhand-merge/report-artifact.html
check_eq "every night link of the report artifact resolves" \
	"$(cd run/merge && grep -o 'href="dataset/pages/[^"]*"' report | sed 's/href="//; s/"$//' | sort -u | while read -r f; do test -f "$f" || echo "missing $f"; done)" ""
check_true "the dataset's report links its own pages/" grep -q 'href="pages/N0001.html"' run/merge/dataset/report.html
check_eq "failed night listed" "$(grep '^  failed night' first-run.txt | cut -d: -f1-2)" \
	"  failed night N0005: labels/hypnogram.csv"
check_eq "report path printed" "$(tail -1 first-run.txt)" "report: $WORK/run/merge/dataset/report.html"
check_eq "dataset keeps the night folders for a later base_nights" "$(ls run/merge/dataset/nights | tr '\n' ' ')" \
	"N0001 N0002 N0003 N0004 N0005 "

# --- the executors' outputs ----------------------------------------------------------------------
check_eq "shard ExecutorOutput metadata" \
	"$(tr -d ' \t\n' <run/shard-N0002/executor_output.json | grep -o '"metadata":{[^}]*}')" \
	'"metadata":{"nights":["N0002"],"count":1}'
check_eq "staging confusion in KFP's layout" \
	"$(tr -d ' \t\n' <run/merge/executor_output.json | grep -o '"annotationSpecs":\[[^]]*\]' | tail -1)" \
	'"annotationSpecs":[{"displayName":"W"},{"displayName":"N1"},{"displayName":"N2"},{"displayName":"N3"},{"displayName":"R"}]'
check_eq "severity confusion in KFP's layout" \
	"$(tr -d ' \t\n' <run/merge/executor_output.json | grep -o '"annotationSpecs":\[[^]]*\]' | head -1)" \
	'"annotationSpecs":[{"displayName":"normal"},{"displayName":"mild"},{"displayName":"moderate"},{"displayName":"severe"}]'
check_eq "metrics count the nights" \
	"$(tr -d ' \t\n' <run/merge/executor_output.json | grep -o '"nights_total":[0-9]*,"nights_ok":[0-9]*,"nights_failed":[0-9]*')" \
	'"nights_total":5,"nights_ok":4,"nights_failed":1'
check_eq "metrics carry the headline CIs and the per-night staging kappa (v1.1)" "$(python3 - <<'PY'
import json
out = json.load(open("run/merge/executor_output.json"))["artifacts"]["metrics"]["artifacts"][0]["metadata"]
r = json.load(open("run/merge/dataset/report.json"))
ahi = r["scores"]["AHI"]
print(out["AHI_bias_ci_low"] == ahi["bias_ci"][0], out["AHI_bias_ci_high"] == ahi["bias_ci"][1],
      out["AHI_icc_ci_low"] == ahi["icc_ci"][0], out["AHI_icc_ci_high"] == ahi["icc_ci"][1],
      out["staging_kappa_night_mean"] == r["staging"]["by_night"]["kappa"]["mean"])
PY
)" "True True True True True"
check_eq "metrics carry the AHI limits of agreement (the run's summary prints them)" "$(python3 - <<'PY'
import json
out = json.load(open("run/merge/executor_output.json"))["artifacts"]["metrics"]["artifacts"][0]["metadata"]
ahi = json.load(open("run/merge/dataset/report.json"))["scores"]["AHI"]
print(out["AHI_loa_low"] == ahi["loa_low"], out["AHI_loa_high"] == ahi["loa_high"])
PY
)" "True True"
check_eq "shard logs are JSON lines" "$(head -1 run/shard-N0001/task.log)" \
	"{\"severity\":\"INFO\",\"message\":\"written to $WORK/run/shard-N0001/nights/N0001\",\"night\":\"N0001\"}"

# a night recorded as failed is a WARNING with its file, line and message (as night.json has them);
# the merge says how many nights failed, and names each
where=$(python3 -c "
import json; e = json.load(open('byhand/N0005/night.json'))['error']
print(e['file'] + ':' + str(e['line']) + (':' + str(e['column']) if e['column'] else '') + ': ' + e['message'])")
check_eq "recorded failure logged as a WARNING" "$(grep -c '"severity":"WARNING"' run/shard-N0005/task.log)" 1
check_eq "... with file, line and message" "$(python3 -c "
import json; print(json.loads(open('run/shard-N0005/task.log').readline())['message'])")" "recorded as failed: $where"
check_eq "merge logs how many nights failed" "$(grep '"severity":"WARNING"' run/merge/task.log | head -1)" \
	'{"severity":"WARNING","message":"1 of 5 nights failed and are in no statistic"}'
check_eq "merge names the failed night" "$(grep -c '"severity":"WARNING","message":"failed: labels/[a-z]*\.csv:[0-9]*: .*","night":"N0005"}$' run/merge/task.log)" 1

# --- the cache -----------------------------------------------------------------------------------
check_status "rerun" 0 nightfan run p.yaml --root run
check_eq "rerun takes everything from the cache" "$(head -1 "$WORK/stdout")" "nightfan: 6 tasks: 0 ran, 6 cached, 0 failed"
check_eq "a cached merge: the same summary from its ExecutorOutput" "$(tail -n +2 "$WORK/stdout")" "$(tail -n +2 first-run.txt)"

# --- reprocessing one night ----------------------------------------------------------------------
cp run/shard-N0001/nights/N0001/night.json n1-before.json
touch -d '2000-01-01' run/shard-N0001/nights/N0001/night.json
awk -F, 'NR == 3 { $2 = "N3" } 1' OFS=, in/N0003/labels/hypnogram.csv >h.csv && mv h.csv in/N0003/labels/hypnogram.csv
check_status "reprocess N0003" 0 nightfan run p.yaml --root run --param 'nights=["N0003"]'
check_eq "one shard and the merge ran" "$(head -2 "$WORK/stdout")" "nightfan: 2 tasks: 2 ran, 0 cached, 0 failed
nights: 5 (4 ok, 1 failed)"
check_eq "the base night's failure listed with its error, as the first run listed it" \
	"$(grep '^  failed night' "$WORK/stdout")" "$(grep '^  failed night' first-run.txt)"
check_eq "the headline and the report's path, as the first run's" "$(tail -4 "$WORK/stdout" | grep -c -e '^AHI agreement: ICC' -e '^severity: accuracy' -e '^sleep staging: accuracy' -e "^report: $WORK/run/merge/dataset/report.html\$")" 4
check_eq "other shards untouched" "$(date -r run/shard-N0001/nights/N0001/night.json +%Y)" "2000"
nightfan-shard --input in --night N0003 --profile in/profile.json --out byhand --on-error=record
nightfan-merge --nights byhand --out byhand-merge2 --dataset "${PROV[@]}"
# the same report, except that 4 of the 5 nights came from the earlier run (base_nights)
grep -v from_base run/merge/dataset/report.json >re.json
grep -v from_base byhand-merge2/report.json >hand2.json
check_file_eq "re-merged report = by hand with the changed night" re.json hand2.json
check_eq "4 nights from the earlier run" "$(grep -c '"from_base":.4$' run/merge/dataset/report.json)" "1"
check_file_eq "re-merged nights.csv = by hand" run/merge/dataset/nights.csv byhand-merge2/nights.csv
check_true "the changed night changed the report" bash -c '! cmp -s byhand-merge/nights.csv byhand-merge2/nights.csv'
check_status "full list again" 0 nightfan run p.yaml --root run
check_eq "full list after reprocessing: N0003's new shard is cached, only the merge reruns" \
	"$(head -1 "$WORK/stdout")" "nightfan: 6 tasks: 1 ran, 5 cached, 0 failed"

# --- on_error=fail: the bad night fails its task (after its retries), the merge is skipped ------
nightfan run p.yaml --root failrun >/dev/null 2>&1 # first with on_error=record: N0005 recorded as failed
check_status "on_error=fail" 1 nightfan run p.yaml --root failrun --param on_error=fail --jobs 1
check_eq "fail summary: without a report, the nights the shards left" "$(cat "$WORK/stdout")" "nightfan: 6 tasks: 4 ran, 0 cached, 1 failed, 1 skipped
nights: 5 of 5 processed, 1 failed
  failed night N0005"
check_eq "three attempts (retries 2)" "$(grep -c '"severity":"ERROR"' failrun/shard-N0005/task.log)" "3"
check_eq "the failing task names the night, file and line" \
	"$(grep -c '"message":"labels/[a-z]*\.csv:[0-9][0-9]*:.*","night":"N0005"}$' failrun/shard-N0005/task.log)" "3"
check_eq "progress names the failed task and its error" \
	"$(grep -c '^nightfan run: \[5/6 tasks, 5/5 nights, 1 failed\] shard-N0005 failed: {"severity":"ERROR"' "$WORK/stderr")" "1"
check_eq "progress counts nights and failed nights, in completion order (--jobs 1)" \
	"$(grep -o '^nightfan run: \[[^]]*\] [A-Za-z0-9-]* [a-z]*' "$WORK/stderr" | grep -v retrying | sed 's/^nightfan run: //' | tr '\n' ';')" \
	"[1/6 tasks, 1/5 nights, 0 failed] shard-N0001 done;[2/6 tasks, 2/5 nights, 0 failed] shard-N0002 done;[3/6 tasks, 3/5 nights, 0 failed] shard-N0003 done;[4/6 tasks, 4/5 nights, 0 failed] shard-N0004 done;[5/6 tasks, 5/5 nights, 1 failed] shard-N0005 failed;[6/6 tasks, 5/5 nights, 1 failed] merge skipped;"
check_eq "retries are reported" "$(grep -c 'shard-N0005 failed (attempt [12] of 3), retrying' "$WORK/stderr")" "2"
check_eq "merge skipped: no report announced" "$(grep -c '^report:' "$WORK/stdout")" "0"
check_eq "the failed task's night leaves the nights index" "$(ls failrun/nights | tr '\n' ' ')" "N0001 N0002 N0003 N0004 "
check_status "a later run merges what is there" 0 nightfan run p.yaml --root failrun --param 'nights=["N0001"]'
check_eq "4 nights merged" "$(sed -n 2p "$WORK/stdout")" "nights: 4 (4 ok, 0 failed)"

# --- usage errors ----------------------------------------------------------------------------------
check_run "unknown parameter" 1 "nightfan run: error: --param colour: the pipeline has no such parameter" \
	nightfan run p.yaml --root x --param colour=red
check_run "list parameter needs JSON" 1 \
	'nightfan run: error: --param nights: expected a JSON LIST value, got "N0001"' \
	nightfan run p.yaml --root x --param nights=N0001
check_run "bad night id in --param" 1 \
	'nightfan run: error: loop for-loop-1, item 0: invalid night id "../x": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit' \
	nightfan run p.yaml --root x --param 'nights=["../x"]'
check_run "missing --root" 2 "nightfan run: error: --root is required
Try \"nightfan run --help\" for the options." nightfan run p.yaml

# --- batches and the manifest run like single nights ---------------------------------------------
nightfan compile --profile in/profile.json --image img -o k2.yaml --input in --nights-per-task 2 >/dev/null
check_status "batches of 2" 0 nightfan run k2.yaml --root k2run
check_eq "batches: 3 shard tasks + merge" "$(head -2 "$WORK/stdout")" "nightfan: 4 tasks: 4 ran, 0 cached, 0 failed
nights: 5 (4 ok, 1 failed)"
check_eq "batch task holds both nights" "$(ls k2run/shard-N0001/nights | tr '\n' ' ')" "N0001 N0002 "
check_file_eq "batches: same report" k2run/merge/dataset/report.json byhand-merge2/report.json
ls -d in/N* | xargs -n1 basename >ids.txt
nightfan compile --profile in/profile.json --image img -o man.yaml --nights-file ids.txt \
	--manifest-uri "$WORK/man.manifest.json" >/dev/null
# force the manifest form on a small list by handing the loop manifest references directly
printf '{"schema": "nightfan.manifest/1", "nights_per_task": 3, "batches": [["N0001", "N0002", "N0003"], ["N0004", "N0005"]]}\n' >man.manifest.json
check_status "manifest references" 0 nightfan run man.yaml --root manrun --param input_root="$WORK/in" \
	--param 'nights=["@0", "@1"]' --param nights_manifest="$WORK/man.manifest.json"
check_eq "manifest: 2 shard tasks + merge" "$(head -1 "$WORK/stdout")" "nightfan: 3 tasks: 3 ran, 0 cached, 0 failed"
check_file_eq "manifest: same report" manrun/merge/dataset/report.json byhand-merge2/report.json

finish
