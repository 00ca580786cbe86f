#!/usr/bin/env bash
# tests/valgrind.sh — the CLI golden-run suites (synth, shard, merge, pipeline) with every nightfan binary under
# `valgrind --leak-check=full --error-exitcode=1`. Each binary is replaced on PATH by a shim that
# execs valgrind on the real one, so programs that start each other (nightfan run → shard, merge)
# are checked too (NIGHTFAN_BINDIR points `nightfan run` at the shims). Any memory error or leak
# makes the binary exit 1, which fails its test.
# Ends with "N passed, N failed" (tests/run.sh); writes counts to $NIGHTFAN_COUNTS when set.
set -eu
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/install-deps test)"; exit 1; }
make -s -j2 all build/rel/tests/test_common >/dev/null
shims=$(mktemp -d)
trap 'rm -rf "$shims"' EXIT
for bin in bin/*; do
	cat >"$shims/$(basename "$bin")" <<SHIM
#!/bin/sh
exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$PWD/$bin" "\$@"
SHIM
	chmod +x "$shims/$(basename "$bin")"
done
NIGHTFAN_BIN=$shims NIGHTFAN_BINDIR=$shims NIGHTFAN_TESTBIN=$PWD/build/rel/tests NIGHTFAN_VALGRIND=1 tests/run.sh cli/05_synth cli/10_shard cli/20_merge cli/30_pipeline
