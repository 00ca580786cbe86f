#!/usr/bin/env bash
# 81_docs: the documentation is complete in a clone — every link in README.md, CHANGELOG.md and
# docs/*.md points at a file of the repository (no link leaves it, none into ../shared); the README
# stays a guide (at most 14,000 bytes) and shows the test command CI runs (.ci/run).
source "$TESTS/lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
cd "$REPO"

check_true "README.md at most 14,000 bytes" test "$(wc -c <README.md)" -le 14000
for f in README.md CHANGELOG.md docs/*.md; do
	dir=$(dirname "$f")
	# markdown links [text](target): every target a relative path to an existing file
	while IFS= read -r target; do
		target=${target%%#*}
		[ -z "$target" ] && continue
		case "$target" in
		*://* | mailto:*) fail "$f: a link leaves the repository: $target" ;;
		*) check_true "$f: link $target" test -e "$dir/$target" ;;
		esac
	done < <(grep -oE '\]\([^)]+\)' "$f" | sed -E 's/^\]\(//; s/\)$//')
	check_eq "$f names no ../shared" "$(grep -c '\.\./shared' "$f")" "0"
done
# CI runs exactly the README's set-up and test commands
check_eq ".ci/run installs what the README says" "$(grep -c '^scripts/install-deps test$' .ci/run)" "1"
check_eq ".ci/run runs the README's test command" "$(grep -c '^make check$' .ci/run)" "1"
check_eq "the README shows both set-up commands" \
	"$(grep -cE '^scripts/install-deps( test)? && make (demo|check) ' README.md)" "2"
check_true "LICENSE is the Apache License 2.0" grep -q 'Apache License' LICENSE
check_true "CHANGELOG has an Unreleased section" grep -q '^## \[Unreleased\]' CHANGELOG.md

finish
