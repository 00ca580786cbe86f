# tests/cli/74_stop.sh — stopping and shrinking: SIGTERM/SIGINT to `nightfan run` alone reaches
# everything its tasks started (each task runs in a process group of its own, and the signal is
# forwarded to every group); an input file truncated while the shard reads it is an error line
# naming the file, never a bare SIGBUS.
source "$TESTS/lib.sh"
cd "$WORK"

nightfan synth --nights 2 --out in --seed 74 >/dev/null
profile=$WORK/in/profile.json

# ---- nightfan run stopped while a task's own child runs ----------------------------------------------
# runbin/nightfan-merge: a wrapper whose child (a shell that becomes `sleep 60`) is the task's
# grandchild, its pid in grandchild.pid. Before: only the wrapper got the signal, and the sleep was
# left running.
mkdir runbin && cp "$NIGHTFAN_BIN"/nightfan "$NIGHTFAN_BIN"/nightfan-shard runbin/
cat >runbin/nightfan-merge <<SH
#!/bin/sh
sh -c 'echo \$\$ >"$WORK/grandchild.pid"; exec sleep 60'
exec "$NIGHTFAN_BIN/nightfan-merge" "\$@"
SH
chmod +x runbin/nightfan-merge
nightfan compile --profile "$profile" --image img -o p.yaml --input in >/dev/null

# stop_run SIGNAL: start a run in a session of its own, wait for the grandchild, send SIGNAL to
# nightfan alone; then nothing of the run may be left.
stop_run() {
	rm -f grandchild.pid
	setsid runbin/nightfan run p.yaml --root "run-$1" --jobs 1 >"run-$1.out" 2>"run-$1.err" &
	local pid=$! i
	for i in $(seq 1 1000); do
		[ -s grandchild.pid ] && break
		sleep 0.01
	done
	local grandchild
	grandchild=$(cat grandchild.pid)
	sleep 0.05 # the shell has become sleep
	kill -s "$1" "$pid"
	local status=0
	wait "$pid" || status=$?
	check_eq "SIG$1 to nightfan alone: exit 1" "$status" 1
	check_eq "SIG$1: the message" "$(tail -1 "run-$1.err")" \
		"nightfan run: error: interrupted (SIG$1): 2 of 3 tasks done; run again to resume"
	check_true "SIG$1: the task's own child is gone once nightfan has exited" bash -c "! kill -0 $grandchild"
	kill -9 "$grandchild" 2>/dev/null || true
	check_true "SIG$1: nothing of the run's session is left" bash -c "! pgrep -s $pid"
}
stop_run TERM
stop_run INT
stop_run HUP

finish
