# tests/fake/fake.sh — start and stop tests/fake/cloud_fake.py from a CLI test (sourced, bash).
#   fake_start DIR [ARGS...]  starts the fake with state in DIR; sets FAKE_PID, FAKE_PORT, FAKE_URL
#   fake_stop                 stops it (also on exit)
#   fake_reqs EXPR            evaluates a Python expression over `reqs` (the recorded requests,
#                             see cloud_fake.py) and prints the result
#   fake_clear                forgets the recorded requests
FAKE_DIR=
FAKE_PID=

fake_start() {
	FAKE_DIR=$1
	shift
	mkdir -p "$FAKE_DIR"
	rm -f "$FAKE_DIR/port"
	python3 "$TESTS/fake/cloud_fake.py" "$FAKE_DIR" "$@" 2>"$FAKE_DIR/server.log" &
	FAKE_PID=$!
	trap fake_stop EXIT
	local i
	for i in $(seq 1 100); do # at most 10 s for Python to start
		[ -s "$FAKE_DIR/port" ] && break
		sleep 0.1
	done
	FAKE_PORT=$(cat "$FAKE_DIR/port")
	FAKE_URL="http://127.0.0.1:$FAKE_PORT"
}

fake_stop() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=
	fi
}

fake_reqs() {
	python3 - "$FAKE_DIR/requests.jsonl" "$1" <<'PY'
import json, sys
try:
    reqs = [json.loads(l) for l in open(sys.argv[1])]
except FileNotFoundError:
    reqs = []
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))
PY
}

fake_clear() {
	rm -f "$FAKE_DIR/requests.jsonl"
}
