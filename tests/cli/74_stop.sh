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
# under nohup (SIGHUP ignored when nightfan starts) SIGHUP does not stop the run; SIGTERM then does
rm -f grandchild.pid
(trap '' HUP; exec setsid runbin/nightfan run p.yaml --root run-nohup --jobs 1 >run-nohup.out 2>run-nohup.err) &
pid=$!
for i in $(seq 1 1000); do [ -s grandchild.pid ] && break; sleep 0.01; done
sleep 0.05
kill -s HUP "$pid"
sleep 0.2
check_true "SIGHUP ignored under nohup: still running" kill -0 "$pid"
kill -s TERM "$pid"
wait "$pid"
check_eq "then SIGTERM stops it" "$(tail -1 run-nohup.err)" \
	"nightfan run: error: interrupted (SIGTERM): 2 of 3 tasks done; run again to resume"

# ---- an input truncated while the shard reads it -----------------------------------------------------
# shrinkfs.so (LD_PRELOAD, the binary unchanged): right after the shard maps the file named by
# SHRINK_PATH, truncate it to SHRINK_TO bytes, so that the pages past the new end are gone while they
# are read. Before: the shard died of SIGBUS (exit 135), nothing said.
cat >shrinkfs.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	static int done;
	const char *path = getenv("SHRINK_PATH"), *to = getenv("SHRINK_TO");
	char link[64], target[4096], *want;
	void *map;
	if (!real)
		real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	map = real(addr, len, prot, flags, fd, off);
	if (done || fd < 0 || map == MAP_FAILED || !path || !to)
		return map;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	if ((want = realpath(path, NULL)) && strcmp(target, want) == 0) {
		done = 1;
		if (truncate(path, atol(to)) != 0)
			perror("shrinkfs: truncate");
	}
	free(want);
	return map;
}
C
cc -shared -fPIC -O2 -o shrinkfs.so shrinkfs.c -ldl
big=$(wc -c <in/N0001/labels/hypnogram.csv)
# shrink NAME TO WANT_MESSAGE: a fresh copy of N0001 whose hypnogram shrinks to TO bytes
shrink() {
	rm -rf sh sh-out && mkdir sh && cp -r in/N0001 sh/
	check_run "shard, hypnogram shrunk to $1 bytes" 1 "nightfan-shard: error: labels/hypnogram.csv: changed while it was read: it was $big bytes, now $1" \
		env SHRINK_PATH=sh/N0001/labels/hypnogram.csv SHRINK_TO=$1 LD_PRELOAD=$WORK/shrinkfs.so \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		nightfan-shard --input sh --night N0001 --profile "$profile" --out sh-out
	check_true "shrunk to $1 bytes: nothing written" test ! -e sh-out/N0001
}
check_true "the hypnogram spans pages ($big bytes)" test "$big" -gt 4096
shrink 1000 # later pages are gone: they fault
shrink 0
shrink $((big - 10)) # the last page stays: zeros, no fault
# recorded as the night's failure under --on-error=record
rm -rf sh sh-out && mkdir sh && cp -r in/N0001 sh/
SHRINK_PATH=sh/N0001/labels/hypnogram.csv SHRINK_TO=1000 LD_PRELOAD=$WORK/shrinkfs.so \
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	nightfan-shard --input sh --night N0001 --profile "$profile" --out sh-out --on-error=record
check_eq "--on-error=record: the failure recorded" \
	"$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; print(e["file"], "|", e["message"])' sh-out/N0001/night.json)" \
	"labels/hypnogram.csv | changed while it was read: it was $big bytes, now 1000"

finish
