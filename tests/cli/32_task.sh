#!/usr/bin/env bash
# 32_task.sh — the shard's KFP task as its scaffold runs it (common/task.h, shard/task.c): the
# profile parameter is parsed once for the batch and a bad one is named `profile`; each night is
# written straight into the nights artifact, its folder emptied first, so a night rewritten as failed
# keeps no epochs.csv of an earlier attempt, and a hard link to the earlier file keeps its bytes.
source "$TESTS/lib.sh"
cd "$WORK"

nightfan synth --nights 2 --out in --seed 32 >/dev/null

# task BATCH PROFILE_FILE — the executor input of one shard iteration over the local root in/.
task() { # task BATCH PROFILE_FILE
	kfp_shard_input "$2" "$WORK/in" "$WORK/task/nights" "$WORK/task/executor_output.json" "$1" "" record
}

check_run "a batch of two nights" 0 \
	"{\"severity\":\"INFO\",\"message\":\"written to $WORK/task/nights/N0001\",\"night\":\"N0001\"}
{\"severity\":\"INFO\",\"message\":\"written to $WORK/task/nights/N0002\",\"night\":\"N0002\"}" \
	nightfan-shard --executor-input "$(task N0001,N0002 in/profile.json)"
check_eq "the nights' files, no staging folder left" "$(cd task/nights && find . | sort | tr '\n' ' ')" \
	". ./N0001 ./N0001/epochs.csv ./N0001/events.csv ./N0001/night.json ./N0002 ./N0002/epochs.csv ./N0002/events.csv ./N0002/night.json "
# the same bytes as the command line writes
nightfan-shard --input in --night N0001 --profile in/profile.json --out cli
check_true "N0001 as nightfan-shard writes it" diff -r cli/N0001 task/nights/N0001
ln task/nights/N0001/night.json kept.json
cp task/nights/N0001/night.json kept.orig

# the night breaks: rewritten as failed, in place
printf 'Start [s],Sleep Stage\nabc,W\n' >in/N0001/labels/hypnogram.csv
check_run "the night again, now failed" 0 \
	'{"severity":"WARNING","message":"recorded as failed: labels/hypnogram.csv:2:1: expected a number of seconds for \"Start [s]\", got \"abc\"","night":"N0001"}' \
	nightfan-shard --executor-input "$(task N0001 in/profile.json)"
check_eq "only night.json is left of N0001" "$(ls task/nights/N0001 | tr '\n' ' ')" "night.json "
check_eq "its status" "$(python3 -c 'import json; print(json.load(open("task/nights/N0001/night.json"))["status"])')" failed
check_true "a hard link to the earlier night.json keeps its bytes" cmp kept.json kept.orig

# a bad profile: refused once, before any night, named as the parameter
cp -a task/nights/N0002 n2.before
echo '{"epoch_seconds": 30,' >bad-profile.json
check_run "a profile that is not JSON" 1 \
	'{"severity":"ERROR","message":"profile:2: not valid JSON"}' \
	nightfan-shard --executor-input "$(task N0002 bad-profile.json)"
check_true "N0002 is still the earlier one" diff -r n2.before task/nights/N0002

finish
