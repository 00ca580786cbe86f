#!/usr/bin/env bash
# 80_install: `make install PREFIX=... DESTDIR=...` puts the programs, nightfan-demo, the man pages,
# bash completion and the license in place; the man pages render without warnings, the completion
# loads, the installed demo runs with no source tree; `make uninstall` removes every file again.
source "$TESTS/lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
VERSION=$(cat "$REPO/VERSION")
# the binaries under test: build/san/bin under SANITIZE=1, else bin/
san=0
[[ "$NIGHTFAN_BIN" == */build/san/bin ]] && san=1
D=$WORK/dest
P=/opt/nf

check_true "make install" make -s -C "$REPO" install SANITIZE=$san PREFIX=$P DESTDIR="$D"
want="bin/nightfan
bin/nightfan-demo
bin/nightfan-merge
bin/nightfan-shard
share/bash-completion/completions/nightfan
share/bash-completion/completions/nightfan-merge
share/bash-completion/completions/nightfan-shard
share/doc/nightfan/CHANGELOG.md
share/doc/nightfan/LICENSE
share/man/man1/nightfan-merge.1
share/man/man1/nightfan-shard.1
share/man/man1/nightfan.1
share/man/man5/nightfan-profile.5"
check_eq "installed files" "$(cd "$D$P" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)" "$want"
check_eq "programs executable" "$(find "$D$P/bin" -type f -perm -0755 | wc -l)" "4"
check_true "the installed programs run" "$D$P/bin/nightfan" --version
check_eq "the man pages carry the version" "$(grep -l "nightfan $VERSION" "$D$P"/share/man/man*/* | wc -l)" "4"

# ---- man pages render (groff, which man uses), with every warning on ----
if ! command -v groff >/dev/null; then
	fail "groff is not installed: cannot render the man pages (scripts/install-deps test installs groff-base)"
else
	for page in "$D$P"/share/man/man*/*; do
		check_eq "$(basename "$page") renders without warnings" "$(groff -man -ww -z "$page" 2>&1)" ""
		check_eq "$(basename "$page") has NAME and SEE ALSO" \
			"$(groff -man -Tutf8 "$page" 2>/dev/null | col -bx | grep -cE '^(NAME|SEE ALSO)$')" "2"
	done
	check_eq "nightfan(1) documents every subcommand" \
		"$(groff -man -Tutf8 "$D$P/share/man/man1/nightfan.1" 2>/dev/null | col -bx | grep -oE '^   nightfan (synth|compile|run|compose|submit|status|cancel|profile)' | sort -u | wc -l)" "8"
	for c in synth compile run compose submit status cancel profile; do
		check_true "nightfan $c is a command man documents" nightfan "$c" --help
	done
fi
if command -v man >/dev/null; then
	check_true "man -l reads nightfan(1)" bash -c "MANWIDTH=80 man -l '$D$P/share/man/man1/nightfan.1' | grep -q 'nightfan compile'"
fi

# ---- bash completion loads and completes ----
comp() { # WORDS... — the completions of the last word
	PATH="$D$P/bin:$PATH" bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nightfan; echo "${COMPREPLY[*]}"' \
		_ "$D$P/share/bash-completion/completions/nightfan" "$@"
}
check_eq "completion registered for the three programs" \
	"$(bash -c 'source "$1"; complete -p nightfan nightfan-shard nightfan-merge' _ "$D$P/share/bash-completion/completions/nightfan")" \
	"complete -F _nightfan nightfan
complete -F _nightfan nightfan-shard
complete -F _nightfan nightfan-merge"
check_eq "subcommands" "$(comp nightfan co)" "compile compose"
check_eq "a subcommand's options" "$(comp nightfan run --)" "--help --jobs --param --root --version"
check_eq "option values" "$(comp nightfan-shard --on-error '')" "fail record"
check_eq "profile's subcommands" "$(comp nightfan profile '')" "init check show --help"
check_eq "a profile subcommand's options" "$(comp nightfan profile check --)" "--help --input --nights --sample --version"

# ---- the installed demo, with no source tree ----
mkdir "$WORK/elsewhere"
status=0
(cd "$WORK/elsewhere" && NIGHTS=3 JOBS=2 PATH="$D$P/bin:/usr/bin:/bin" "$D$P/bin/nightfan-demo" >"$WORK/demo.out" 2>"$WORK/demo.err") || status=$?
check_eq "nightfan-demo runs from the installed copy" "$status" "0"
check_true "its report" test -s "$WORK/elsewhere/nightfan-demo/run/merge/dataset/report.html"
check_eq "the broken night is reported" "$(grep '^nights:' "$WORK/demo.out")" "nights: 3 (2 ok, 1 failed)"
check_true "nothing was written into the source tree" test ! -e "$WORK/elsewhere/demo"

# ---- uninstall ----
check_true "make uninstall" make -s -C "$REPO" uninstall PREFIX=$P DESTDIR="$D"
check_eq "every installed file removed" "$(find "$D$P" ! -type d | wc -l)" "0"

finish
