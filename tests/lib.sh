# tests/lib.sh — helpers for the CLI test scripts in tests/cli/ (sourced, bash).
#
# Each script calls `check NAME CMD...`-style helpers; every helper counts one test, prints "FAIL"
# with the difference when it fails, and `finish` prints "N passed, N failed" and sets the exit code.
# Environment (set by tests/run.sh): NIGHTFAN_BIN (folder of the binaries under test), TESTS (the
# tests folder), WORK (a fresh scratch folder for this script, removed on success).

set -u
: "${NIGHTFAN_BIN:?run through tests/run.sh}"
TESTS=${TESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nightfan-test.XXXXXX")
PATH="$NIGHTFAN_BIN:$PATH"
# Never the developer's own Google credentials: no key file named, and a gcloud folder that is not there.
unset GOOGLE_APPLICATION_CREDENTIALS
export CLOUDSDK_CONFIG="$WORK/.gcloud-none"
_passed=0
_failed=0

pass() { _passed=$((_passed + 1)); }
fail() { _failed=$((_failed + 1)); echo "FAIL $1"; shift; [ $# -gt 0 ] && printf '  %s\n' "$@"; return 0; }

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" == "$3" ]; then pass; else fail "$1" "got:  $2" "want: $3"; fi
}

# check_file_eq NAME GOT_FILE WANT_FILE — byte-identical, with a diff when not.
# With UPDATE_GOLDEN=1 the wanted file is (re)written instead: for regenerating goldens on purpose.
check_file_eq() {
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$(dirname "$3")"; cp "$2" "$3"; pass; return
	fi
	if cmp -s "$2" "$3"; then pass; else fail "$1" "$(diff -u "$3" "$2" 2>&1 | head -40)"; fi
}

# check_run NAME WANT_STATUS WANT_STDERR CMD... — runs CMD, compares exit status and whole stderr.
check_run() {
	local name=$1 want_status=$2 want_err=$3
	shift 3
	local status=0
	"$@" >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
	local got_err
	got_err=$(cat "$WORK/stderr")
	if [ "$status" == "$want_status" ] && [ "$got_err" == "$want_err" ]; then
		pass
	else
		fail "$name" "status: got $status, want $want_status" "stderr got:  $got_err" "stderr want: $want_err"
	fi
}

# check_true NAME CMD... — passes when CMD exits 0.
check_true() {
	local name=$1
	shift
	if "$@" >"$WORK/out" 2>&1; then pass; else fail "$name" "$(head -20 "$WORK/out")"; fi
}

# kfp_shard_input PROFILE_FILE INPUT_ROOT OUT_URI OUTPUT_FILE BATCH MANIFEST ON_ERROR — a shard
# task's ExecutorInput as the compiled spec hands it (every parameter given, the manifest "" when
# there is none; the nights artifact a system.Dataset), on stdout.
kfp_shard_input() {
	python3 - "$@" <<'PY'
import json, sys
profile, root, out, output_file, batch, manifest, on_error = sys.argv[1:8]
print(json.dumps({"inputs": {"parameterValues": {"batch": batch, "profile": open(profile).read(),
                                                 "input_root": root, "nights_manifest": manifest,
                                                 "on_error": on_error}},
                  "outputs": {"artifacts": {"nights": {"artifacts": [{"name": "nights",
                      "type": {"schemaTitle": "system.Dataset"}, "uri": out, "metadata": {}}]}},
                              "outputFile": output_file}}))
PY
}

finish() {
	echo "$_passed passed, $_failed failed"
	[ "$_failed" -eq 0 ] && rm -rf "$WORK"
	[ "$_failed" -eq 0 ]
}
