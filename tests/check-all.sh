#!/usr/bin/env bash
# tests/check-all.sh — the whole suite, as `make check` and CI run it. Each stage records its
# "passed failed" counts; the last line is the total over every stage.
set -u
cd "$(dirname "$0")/.."
counts=$(mktemp -d)
status=0

stage() { # NAME CMD... — the command must write "P F" to $NIGHTFAN_COUNTS
	local name=$1
	shift
	echo "=== $name"
	NIGHTFAN_COUNTS="$counts/$name" "$@" || status=1
	[ -s "$counts/$name" ] || echo "0 1" >"$counts/$name" # a stage that died before counting
}

stage unit-and-cli make -s -j2 test
stage sanitizers   make -s -j2 test SANITIZE=1
stage valgrind     tests/valgrind.sh
stage fuzz         fuzz/run.sh 15
stage docker       make -s docker-test

passed=0
failed=0
for f in "$counts"/*; do
	read -r p fl <"$f"
	passed=$((passed + p))
	failed=$((failed + fl))
done
rm -rf "$counts"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
