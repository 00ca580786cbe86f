#!/usr/bin/env bash
# tests/cli/20_merge.sh — nightfan-merge on the hand-made nights of tests/data/merge/basic (see
# make-fixtures.py there): golden outputs, values worked by hand, determinism, --base, and every
# refusal (missing, corrupt or mismatched nights, duplicates, truncated epochs.csv, usage).
source "$TESTS/lib.sh"
DATA=$TESTS/data/merge/basic
GOLD=$TESTS/golden/merge/basic

# ---- the basic run: goldens ---------------------------------------------------------------------
check_run "basic run" 0 "" nightfan-merge --nights "$DATA" --out "$WORK/merged" --dataset
for f in nights.csv report.json report.html dataset.csv events_by_night.csv staging_by_night.csv; do
	check_file_eq "golden $f" "$WORK/merged/$f" "$GOLD/$f"
done

# ---- values worked by hand ----------------------------------------------------------------------
# AHI labels 10 4 20, predictions 12 4 14 (N0004 failed): d = 2 0 -6, bias -4/3, deviations
# 10/3 4/3 -14/3, SS 312/9, sd sqrt(156/9) = sqrt(52/3), MAE 8/3, RMSE sqrt(40/3).
# json_is NAME PYTHON-EXPR WANT: evaluates EXPR over the report `r` and compares within 1e-12.
json_is() {
	local got
	got=$(python3 -c "import json,sys; r=json.load(open('$WORK/merged/report.json')); v=$2; print('null' if v is None else repr(v))")
	if [ "$got" = null ] || [ "$3" = null ]; then
		check_eq "$1" "$got" "$3"
	else
		check_true "$1 (got $got, want $3)" python3 -c "import sys; sys.exit(abs($got - ($3)) > 1e-12)"
	fi
}
json_is "night counts" "r['nights']['total']*100+r['nights']['ok']*10+r['nights']['failed']" 431
json_is "AHI n" "r['scores']['AHI']['n']" 3
json_is "AHI bias = -4/3" "r['scores']['AHI']['bias']" "-4/3"
json_is "AHI sd_diff = sqrt(52/3)" "r['scores']['AHI']['sd_diff']" "(52/3)**0.5"
json_is "AHI loa_low" "r['scores']['AHI']['loa_low']" "-4/3 - 1.96*(52/3)**0.5"
json_is "AHI mae = 8/3" "r['scores']['AHI']['mae']" "8/3"
json_is "AHI rmse = sqrt(40/3)" "r['scores']['AHI']['rmse']" "(40/3)**0.5"
# predictions of N0003 have no hypnogram: TST pairs are N0001 (400/410) and N0002 (380/370)
json_is "TST n" "r['scores']['TST']['n']" 2
json_is "TST bias" "r['scores']['TST']['bias']" 0
json_is "TST sd_diff = sqrt(200)" "r['scores']['TST']['sd_diff']" "200**0.5"
json_is "TIB identical: r null" "r['scores']['TIB']['pearson_r']" null
json_is "TIB identical: icc null" "r['scores']['TIB']['icc']" null
json_is "SOL_5min all null: n 0" "r['scores']['SOL_5min']['n']" 0
json_is "SOL_5min all null: bias null" "r['scores']['SOL_5min']['bias']" null
json_is "positional as 0/1: n" "r['scores']['positional']['n']" 2
json_is "positional as 0/1: bias" "r['scores']['positional']['bias']" "-0.5"
# severity: normal/normal, mild/mild, moderate/mild
json_is "severity confusion" "r['severity']['confusion'] == [[1,0,0,0],[0,1,0,0],[0,1,0,0],[0,0,0,0]]" True
json_is "severity accuracy" "r['severity']['accuracy']" "2/3"
json_is "severity kappa = (3*2-3)/(9-3)" "r['severity']['kappa']" 0.5
json_is "severity linear kappa = 4/7" "r['severity']['kappa_linear']" "4/7"
json_is "AHI>=15 sensitivity" "r['diagnosis']['15']['sensitivity']" 0
json_is "AHI>=15 ppv undefined" "r['diagnosis']['15']['ppv']" null
json_is "AHI>=15 npv" "r['diagnosis']['15']['npv']" "2/3"
json_is "AHI>=5 tp" "r['diagnosis']['5']['tp']" 2
json_is "AHI>=30 sensitivity undefined" "r['diagnosis']['30']['sensitivity']" null
# staging: N0001 + N0002 pooled (N0003 has none); 2 epochs with "?" left out
json_is "staging n" "r['staging']['n']" 22
json_is "staging excluded" "r['staging']['excluded_epochs']" 2
json_is "staging nights" "r['staging']['nights']" 2
json_is "staging accuracy 17/22" "r['staging']['accuracy']" "17/22"
json_is "staging f1 N3 = 6/7" "r['staging']['f1']['N3']" "6/7"
# events: N0001 AH 8/2/2 (onset error 1.5), N0002 AH 3/0/1 (3); N0003 has none (null), N0004 failed.
# Pooled: tp 11, fp 2, fn 3; sensitivity 11/14, PPV 11/13, F1 22/27, onset error (8 x 1.5 + 3 x 3)
# / 11 = 21/11. By night: sensitivity 0.8, 0.75: mean 0.775, SD 0.05/sqrt(2), CI 0.775 -/+ t(1) x
# 0.025 with t(1) = tan(0.475 pi) = 12.706...; PPV 0.8, 1; MA: no events anywhere, all null.
json_is "events AH tp/fp/fn" "r['events']['AH']['tp']*10000+r['events']['AH']['fp']*100+r['events']['AH']['fn']" 110203
json_is "events AH sensitivity 11/14" "r['events']['AH']['sensitivity']" "11/14"
json_is "events AH ppv 11/13" "r['events']['AH']['ppv']" "11/13"
json_is "events AH f1 22/27" "r['events']['AH']['f1']" "22/27"
json_is "events AH onset_mae 21/11" "r['events']['AH']['onset_mae']" "21/11"
json_is "events nights" "r['events']['AH']['nights']" 2
json_is "events by night sensitivity mean" "r['events']['AH']['by_night']['sensitivity']['mean']" 0.775
json_is "events by night sensitivity sd" "r['events']['AH']['by_night']['sensitivity']['sd']" "0.05/2**0.5"
json_is "events by night sensitivity ci_low" "r['events']['AH']['by_night']['sensitivity']['ci_low']" \
	"0.775 - 0.025*__import__('math').tan(0.475*__import__('math').pi)"
json_is "events by night ppv ci_high" "r['events']['AH']['by_night']['ppv']['ci_high']" \
	"0.9 + 0.2/2**0.5/2**0.5*__import__('math').tan(0.475*__import__('math').pi)"
json_is "events by night n" "r['events']['AH']['by_night']['f1']['n']" 2
json_is "events MA empty: sensitivity null" "r['events']['MA']['sensitivity']" null
json_is "events MA empty: by-night mean null" "r['events']['MA']['by_night']['f1']['mean']" null
json_is "events MA empty: by-night n 0" "r['events']['MA']['by_night']['f1']['n']" 0
json_is "events keys in order" "list(r['events']) == ['AH', 'OA', 'CA', 'MA', 'A', 'H', 'RERA']" True
check_eq "events_by_night.csv rows: N0001, N0002" "$(cut -d, -f1-8 "$WORK/merged/events_by_night.csv" | tr '\n' ' ')" \
	"night,AH_tp,AH_fp,AH_fn,AH_sensitivity,AH_ppv,AH_f1,AH_onset_mae N0001,8,2,2,0.8,0.8,0.8,1.5 N0002,3,0,1,0.75,1,0.8571428571428571,3 "
check_eq "events_by_night.csv 50 columns" "$(head -1 "$WORK/merged/events_by_night.csv" | tr ',' '\n' | wc -l)" 50
# v1.1 agreement, AHI (d = 2 0 -6 on labels 10 4 20): t(2) = 4.302652729749463 (tables);
# bias CI -4/3 -/+ t sqrt(52/3)/sqrt(3); limit CIs -/+ t sqrt(52/3) sqrt(3/3);
# regression of d on the label: Sxx 392/3, Sxy -164/3, slope -41/98, intercept 1002/294;
# t-test: t = -4/sqrt(52), 2 df, p = 1 - |t|/sqrt(2 + t^2); Shapiro-Wilk n = 3: W = (8^2/2)/(312/9) = 12/13,
# p = 6/pi (asin sqrt W - asin sqrt(3/4)).
T2=4.302652729749463
json_is "AHI bias_ci low" "r['scores']['AHI']['bias_ci'][0]" "-4/3 - $T2*(52/3)**0.5/3**0.5"
json_is "AHI bias_ci high" "r['scores']['AHI']['bias_ci'][1]" "-4/3 + $T2*(52/3)**0.5/3**0.5"
json_is "AHI loa_high_ci high" "r['scores']['AHI']['loa_high_ci'][1]" "-4/3 + 1.96*(52/3)**0.5 + $T2*(52/3)**0.5"
json_is "AHI proportional-bias slope" "r['scores']['AHI']['regression']['bias']['slope']" "-41/98"
json_is "AHI proportional-bias intercept" "r['scores']['AHI']['regression']['bias']['intercept']" "1002/294"
json_is "AHI t-test p" "r['scores']['AHI']['tests']['t_p']" "1 - (4/52**0.5)/(2 + 16/52)**0.5"
json_is "AHI Shapiro W" "r['scores']['AHI']['tests']['shapiro_w']" "12/13"
json_is "AHI Shapiro p" "r['scores']['AHI']['tests']['shapiro_p']" "6/__import__('math').pi*(__import__('math').asin((12/13)**0.5) - __import__('math').asin(0.75**0.5))"
json_is "AHI assumptions" "r['scores']['AHI']['assumptions'] == {'unbiased': True, 'normal': True, 'constant_bias': True, 'homoscedastic': True}" True
json_is "AHI methods" "r['scores']['AHI']['method'] == {'bias': 'param', 'loa': 'param'}" True
# ICC(2,1) CI (McGraw & Wong 2A), from an independent pure-Python computation (F quantiles by
# bisection on the incomplete beta): -0.5934044605918053 .. 0.9959777782466611
json_is "AHI icc_ci low" "r['scores']['AHI']['icc_ci'][0]" -0.5934044605918053
json_is "AHI icc_ci high" "r['scores']['AHI']['icc_ci'][1]" 0.9959777782466611
json_is "TST n = 2: no CIs" "r['scores']['TST']['bias_ci']" null
json_is "TST n = 2: no icc_ci" "r['scores']['TST']['icc_ci']" null
json_is "TIB all d = 0: no regression" "r['scores']['TIB']['regression']" null
# staging per night: N0001 11 of 14 epochs agree, N0002 6 of 8; t(1) = 12.706204736174694
json_is "staging by-night accuracy mean" "r['staging']['by_night']['accuracy']['mean']" "(11/14 + 6/8)/2"
json_is "staging by-night accuracy sd" "r['staging']['by_night']['accuracy']['sd']" "(11/14 - 6/8)/2**0.5"
json_is "staging by-night accuracy ci_high" "r['staging']['by_night']['accuracy']['ci_high']" "(11/14 + 6/8)/2 + 12.706204736174694*(11/14 - 6/8)/2**0.5/2**0.5"
json_is "staging by-night n" "r['staging']['by_night']['accuracy']['n']" 2
# pooled sleep/wake from the pooled 5 x 5: a 16, b 1, c 1, d 4 (22 epochs)
json_is "sleep_wake confusion" "r['sleep_wake']['confusion'] == [[16, 1], [1, 4]]" True
json_is "sleep_wake pabak" "r['sleep_wake']['pabak']" "2*20/22 - 1"
json_is "sleep_wake prevalence index" "r['sleep_wake']['prevalence_index']" "12/22"
json_is "sleep_wake kappa" "r['sleep_wake']['kappa']" "(20/22 - (17*17 + 5*5)/22**2)/(1 - (17*17 + 5*5)/22**2)"
check_eq "staging_by_night.csv: N0001 and N0002 only" "$(cut -d, -f1-3 "$WORK/merged/staging_by_night.csv" | tail -n +2 | tr '\n' ' ')" \
	"N0001,14,0.7857142857142857 N0002,8,0.75 "
check_eq "staging_by_night.csv: 47 columns" "$(head -1 "$WORK/merged/staging_by_night.csv" | tr ',' '\n' | wc -l)" 47
json_is "failed night listed" "r['failed'][0]['night'] == 'N0004' and r['failed'][0]['error']['line'] == 17" True
check_eq "failed night in nights.csv" "$(grep -c '^N0004,failed,,' "$WORK/merged/nights.csv")" 1
check_eq "nights.csv header starts" "$(head -c 46 "$WORK/merged/nights.csv")" "night,status,label_TIB,pred_TIB,label_SPT,pred"
check_eq "nights.csv 78 columns" "$(head -1 "$WORK/merged/nights.csv" | tr ',' '\n' | wc -l)" 78
check_eq "dataset rows = 16 + 8 + 4 + header" "$(wc -l <"$WORK/merged/dataset.csv")" 29
check_eq "dataset = epochs.csv files in order" "$(tail -n +2 -q "$DATA"/N000{1,2,3}/epochs.csv | cmp - <(tail -n +2 "$WORK/merged/dataset.csv") && echo same)" same

# HTML escaping of data: the failed night's message holds <b>&amp;</b>
# (twice: the nights table and the failed nights' section)
check_eq "html escapes messages" "$(grep -c '&lt;b&gt;&amp;amp;&lt;/b&gt;' "$WORK/merged/report.html")" 2
check_eq "html has no raw data markup" "$(grep -c '<b>&amp;</b>' "$WORK/merged/report.html")" 0

# ---- determinism and atomicity ------------------------------------------------------------------
check_run "second run" 0 "" nightfan-merge --nights "$DATA" --out "$WORK/again" --dataset
for f in nights.csv report.json report.html dataset.csv events_by_night.csv staging_by_night.csv; do
	check_true "byte-identical $f" cmp "$WORK/merged/$f" "$WORK/again/$f"
done
# .lock: the folder's lock, taken while the outputs are renamed into place (two merges at once)
check_eq "no temporary files left" "$(ls -A "$WORK/merged" | tr '\n' ' ')" ".lock dataset.csv events_by_night.csv nights.csv pages report.html report.json staging_by_night.csv "

# ---- --base: an earlier run's nights fill in what the new folder lacks -------------------------
mkdir -p "$WORK/rerun"
cp -r "$DATA/N0002" "$WORK/rerun/"
sed -i 's/"AHI": 4,/"AHI": 8,/; s/"severity": "normal"/"severity": "mild"/' "$WORK/rerun/N0002/night.json"
check_run "--base run" 0 "" nightfan-merge --nights "$WORK/rerun" --base "$DATA" --out "$WORK/based"
check_eq "--base counts" "$(python3 -c "import json; r=json.load(open('$WORK/based/report.json')); print(r['nights'])")" \
	"{'total': 4, 'ok': 3, 'failed': 1, 'from_base': 3}"
check_eq "--base prefers the new night" "$(grep '^N0002,' "$WORK/based/nights.csv" | cut -d, -f1,2,61,62)" "N0002,ok,8,8"

# ---- refusals -----------------------------------------------------------------------------------
# broken NAME EDIT-COMMAND WANT-STDERR: copy the fixtures, break them with EDIT (run in the copy),
# and expect exit 1 with exactly WANT-STDERR.
broken() {
	local name=$1 edit=$2 want=$3
	rm -rf "$WORK/b" "$WORK/bout"
	cp -r "$DATA" "$WORK/b"
	(cd "$WORK/b" && eval "$edit")
	check_run "$name" 1 "$want" nightfan-merge --nights "$WORK/b" --out "$WORK/bout" --dataset
	check_eq "$name: nothing written" "$(ls -A "$WORK/bout" 2>/dev/null | wc -l)" 0
}
E="nightfan-merge: error:"
B=$WORK/b
broken "missing night.json" "rm N0002/night.json" \
	"$E $B/N0002/night.json: cannot read: No such file or directory"
broken "corrupt night.json" "printf '{\n  \"schema\": \"nightfan.night/1\",\n  \"night\": N0002\n}\n' >N0002/night.json" \
	"$E $B/N0002/night.json:3:12: not valid JSON"
broken "empty night.json" ": >N0002/night.json" \
	"$E $B/N0002/night.json:1:1: not valid JSON"
broken "wrong schema" "sed -i 's|nightfan.night/1|nightfan.night/2|' N0003/night.json" \
	"$E $B/N0003/night.json: expected \"schema\": \"nightfan.night/1\", got \"nightfan.night/2\""
broken "night id mismatch" "sed -i 's|\"night\": \"N0001\"|\"night\": \"N0009\"|' N0001/night.json" \
	"$E $B/N0001/night.json: \"night\" is \"N0009\" but the folder is N0001"
broken "bad status" "sed -i 's|\"status\": \"ok\"|\"status\": \"done\"|' N0001/night.json" \
	"$E $B/N0001/night.json: expected \"status\" to be \"ok\" or \"failed\", got a string"
broken "missing score key" "sed -i '/\"RDI\"/d' N0002/night.json" \
	"$E $B/N0002/night.json: \"scores\".\"labels\" lacks the key \"RDI\""
broken "score of the wrong type" "sed -i '0,/\"AHI\": 4,/s//\"AHI\": \"4\",/' N0002/night.json" \
	"$E $B/N0002/night.json: expected \"scores\".\"labels\".\"AHI\" to be a number or null, got a string"
broken "infinite score" "sed -i '0,/\"AHI\": 4,/s//\"AHI\": 1e999,/' N0002/night.json" \
	"$E $B/N0002/night.json: expected \"scores\".\"labels\".\"AHI\" to be a finite number"
broken "unknown severity" "sed -i '0,/\"severity\": \"mild\"/s//\"severity\": \"bad\"/' N0001/night.json" \
	"$E $B/N0001/night.json: expected \"scores\".\"labels\".\"severity\" to be normal, mild, moderate, severe or null, got \"bad\""
broken "bad staging confusion" "sed -i 's|\"staging_confusion\": \[|\"staging_confusion\": [[1],|' N0001/night.json" \
	"$E $B/N0001/night.json: expected \"staging_confusion\" to be 6 rows of 6 epoch counts (W N1 N2 N3 R ?) or null"
broken "bad event agreement count" "sed -i '0,/\"tp\": 8,/s//\"tp\": 8.5,/' N0001/night.json" \
	"$E $B/N0001/night.json: expected \"event_agreement\".\"AH\".\"tp\" to be a count of events"
broken "event agreement of the wrong type" "sed -i 's|\"event_agreement\": {|\"event_agreement\": 5, \"x\": {|' N0002/night.json" \
	"$E $B/N0002/night.json: expected \"event_agreement\" to be an object or null"
broken "event agreement lacks a class" "sed -i 's|\"RERA\": {|\"Rera\": {|' N0002/night.json" \
	"$E $B/N0002/night.json: expected \"event_agreement\".\"RERA\" to be an object"
broken "event agreement metric not a number" "sed -i '0,/\"onset_mae\": 1.5/s//\"onset_mae\": \"1.5\"/' N0001/night.json" \
	"$E $B/N0001/night.json: expected \"event_agreement\".\"AH\".\"onset_mae\" to be a number or null"
broken "failed night without message" "sed -i '/\"message\"/d; s/\"column\": 2,/\"column\": 2/' N0004/night.json" \
	"$E $B/N0004/night.json: expected \"error\".\"message\" to be a string, got nothing"
broken "folder that is not a night id" "mkdir 'lost+found'" \
	"$E $B: a folder of nights holds only night folders: invalid night id \"lost+found\": expected 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit"
broken "truncated epochs.csv" "sed -i '\$d' N0002/epochs.csv" \
	"$E $B/N0002/epochs.csv: holds 7 rows but night.json says 8 epochs"
broken "epochs.csv without final newline" "truncate -s -1 N0001/epochs.csv" \
	"$E $B/N0001/epochs.csv: truncated: the last row has no line break"
broken "missing epochs.csv" "rm N0003/epochs.csv" \
	"$E $B/N0003/epochs.csv: cannot read: No such file or directory"
broken "foreign epochs.csv" "sed -i '1s/.*/a,b,c/' N0001/epochs.csv" \
	"$E $B/N0001/epochs.csv:1: expected the header \"night,epoch,onset,stage_label,stage_pred,position,motion,event_label,event_pred\""

mkdir -p "$WORK/second"
cp -r "$DATA/N0003" "$WORK/second/"
check_run "duplicate night" 1 "$E night N0003 is found twice: $DATA/N0003 and $WORK/second/N0003" \
	nightfan-merge --nights "$DATA" --nights "$WORK/second" --out "$WORK/dup"
check_run "missing folder of nights" 1 "$E $WORK/nope: cannot open the folder of nights: No such file or directory" \
	nightfan-merge --nights "$WORK/nope" --out "$WORK/o2"
mkdir -p "$WORK/empty"
check_run "no nights at all" 1 "$E $WORK/empty: no night folders found" \
	nightfan-merge --nights "$WORK/empty" --out "$WORK/o3"
check_run "staging folders and plain files are passed over" 0 "" bash -c \
	"mkdir -p '$WORK/dot' && cp -r '$DATA'/N0001 '$WORK/dot/' && mkdir '$WORK/dot/.N0002.tmp.1' && echo hi >'$WORK/dot/README' && nightfan-merge --nights '$WORK/dot' --out '$WORK/o4'"
check_eq "... and only N0001 is merged" "$(cut -d, -f1 "$WORK/o4/nights.csv" | tr '\n' ' ')" "night N0001 "

# A failing run leaves an earlier run's outputs as they were.
rm -rf "$WORK/b" && cp -r "$DATA" "$WORK/b" && rm "$WORK/b/N0001/night.json"
cp -r "$WORK/merged" "$WORK/keep"
check_run "failing run over old outputs" 1 "$E $WORK/b/N0001/night.json: cannot read: No such file or directory" \
	nightfan-merge --nights "$WORK/b" --out "$WORK/keep" --dataset
check_true "old outputs untouched" diff -r "$WORK/merged" "$WORK/keep"

# ---- usage --------------------------------------------------------------------------------------
TRY='Try "nightfan-merge --help" for the options.'
check_run "no --nights" 2 "$E --nights is required
$TRY" nightfan-merge --out "$WORK/x"
check_run "no --out" 2 "$E --out is required
$TRY" nightfan-merge --nights "$DATA"
check_run "unknown option" 2 "$E unknown option \"--frobnicate\"
$TRY" nightfan-merge --nights "$DATA" --out "$WORK/x" --frobnicate
check_run "stray argument" 2 "$E unexpected argument \"extra\"
$TRY" nightfan-merge --nights "$DATA" --out "$WORK/x" extra
check_eq "--version" "$(nightfan-merge --version)" "nightfan-merge $(cat "$TESTS/../VERSION")"

finish
