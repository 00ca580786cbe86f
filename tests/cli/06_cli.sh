#!/usr/bin/env bash
# 06_cli: one command-line convention for every program and subcommand (common/cli.h): -h and
# --help print the usage on stdout and exit 0, --version prints "PROG VERSION", and a usage error
# exits 2 with one line naming the option, then the pointer to --help.
source "$TESTS/lib.sh"
VERSION=$(cat "$TESTS/../VERSION")
cd "$WORK"

# name: the program as messages name it; the command line that starts it
commands=("nightfan-shard|nightfan-shard" "nightfan-merge|nightfan-merge" "nightfan|nightfan"
	"nightfan synth|nightfan synth" "nightfan compile|nightfan compile" "nightfan run|nightfan run"
	"nightfan compose|nightfan compose" "nightfan submit|nightfan submit"
	"nightfan status|nightfan status" "nightfan cancel|nightfan cancel"
	"nightfan profile|nightfan profile" "nightfan profile init|nightfan profile init"
	"nightfan profile check|nightfan profile check" "nightfan profile show|nightfan profile show")

for entry in "${commands[@]}"; do
	prog=${entry%%|*}
	read -r -a cmd <<<"${entry#*|}"
	for h in -h --help; do
		status=0
		"${cmd[@]}" "$h" >"$WORK/out" 2>"$WORK/err" || status=$?
		check_eq "$prog $h: exit 0, nothing on stderr" "$status:$(cat "$WORK/err")" "0:"
		check_eq "$prog $h: the usage on stdout" "$(head -1 "$WORK/out" | cut -c1-$((7 + ${#prog})))" "usage: $prog"
		check_eq "$prog $h: lists -h, --help and --version" \
			"$(grep -c -e '-h, --help' "$WORK/out"):$(grep -c -e '--version' "$WORK/out")" "1:1"
	done
	check_run "$prog --version" 0 "" "${cmd[@]}" --version
	check_eq "$prog --version prints the version" "$(cat "$WORK/stdout")" "$prog $VERSION"
	check_run "$prog unknown option" 2 "$prog: error: unknown option \"--no-such-option\"
Try \"$prog --help\" for the options." "${cmd[@]}" --no-such-option
	check_eq "$prog unknown option: nothing on stdout" "$(cat "$WORK/stdout")" ""
done

# A missing value, a value given to a switch, an unknown short option, a stray argument.
try() { printf 'Try "%s --help" for the options.' "$1"; }
check_run "shard: missing value" 2 "nightfan-shard: error: option \"--out\" needs a value
$(try nightfan-shard)" nightfan-shard --input in --out
check_run "merge: missing value" 2 "nightfan-merge: error: option \"--nights\" needs a value
$(try nightfan-merge)" nightfan-merge --nights
check_run "merge: a switch with a value" 2 "nightfan-merge: error: option \"--dataset\" takes no value
$(try nightfan-merge)" nightfan-merge --dataset=yes
check_run "compile: short option without value" 2 "nightfan compile: error: option \"-o\" needs a value
$(try "nightfan compile")" nightfan compile -o
check_run "run: unknown short option" 2 "nightfan run: error: unknown option \"-x\"
$(try "nightfan run")" nightfan run -x
check_run "run: --jobs out of range" 2 "nightfan run: error: --jobs: expected a number from 1 to 4096, got \"0\"
$(try "nightfan run")" nightfan run p.yaml --root r --jobs 0
check_run "status: two jobs" 2 "nightfan status: error: expected one JOB
$(try "nightfan status")" nightfan status a b
check_run "cancel takes no --wait" 2 "nightfan cancel: error: unknown option \"--wait\"
$(try "nightfan cancel")" nightfan cancel job --wait
check_run "compose: --user checked" 2 "nightfan compose: error: --user: expected UID[:GID] (or NAME[:GROUP]), got \"1000:\"
$(try "nightfan compose")" nightfan compose p.yaml --root r --user 1000:
check_run "synth: required option" 2 "nightfan synth: error: --nights is required
$(try "nightfan synth")" nightfan synth --out x
check_run "nightfan: no command" 2 "nightfan: error: expected a command (synth, compile, run, ...)
$(try nightfan)" nightfan
check_run "nightfan: unknown command" 2 "nightfan: error: unknown command \"frobnicate\"
$(try nightfan)" nightfan frobnicate
check_eq "nightfan help = nightfan --help" "$(nightfan help)" "$(nightfan --help)"
check_true "nothing was created by refused commands" test ! -e r -a ! -e x -a ! -e in

finish
