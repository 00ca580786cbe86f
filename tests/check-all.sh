#!/usr/bin/env bash
# tests/check-all.sh — the whole suite, as `make check` and CI run it. Each stage records its
# "passed failed" counts; the last line is the total over every stage.
set -u
cd "$(dirname "$0")/.."
counts=$(mktemp -d)
status=0

stage() { # NAME WHAT CMD... — the command must write "P F" to $NIGHTFAN_COUNTS
	local name=$1
	shift
	echo "=== $name: $1"
	shift
	NIGHTFAN_COUNTS="$counts/$name" "$@" || status=1
	[ -s "$counts/$name" ] || echo "0 1" >"$counts/$name" # a stage that died before counting
}

# The docker stage needs root (dockerd, debootstrap): through sudo when we are not root.
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo env "PATH=$PATH")

stage unit-and-cli "build bin/ and the unit tests, then run them and tests/cli/*.sh" make -s -j2 test
stage sanitizers   "build everything again with ASan+UBSan (build/san/), then the same suite" \
	make -s -j2 test SANITIZE=1
stage valgrind     "the CLI golden runs with every binary under valgrind" tests/valgrind.sh
stage fuzz         "build the libFuzzer targets with clang (build/fuzz/), 15 s each" fuzz/run.sh 15
stage docker       "a Docker engine, the base image, the nightfan image, run and compose${as_root:+ (as root, through sudo)}" \
	"${as_root[@]}" env "NIGHTFAN_COUNTS=$counts/docker" make -s docker-test

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
