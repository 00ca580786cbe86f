# tests/cli/70_faults.sh — faults: the shard SIGKILLed while it reads and writes (many times),
# `nightfan run` killed mid-way and resumed, a full disk (a file-size limit), read errors (a folder
# where a file belongs, EIO, a symlink loop), and the merge given broken, duplicate or old nights.
# What must hold: a night folder is whole (old or new) or absent, never partial; every error names
# the file, exits non-zero and leaves nothing half-written; nothing is silently left out.
source "$TESTS/lib.sh"
cd "$WORK"
# A private copy of the binaries: nightfan run's cache keys include the executables' bytes, and a
# rebuild in the middle of this script must not turn "cached" into "ran".
mkdir bin && cp "$NIGHTFAN_BIN"/nightfan "$NIGHTFAN_BIN"/nightfan-shard "$NIGHTFAN_BIN"/nightfan-merge bin/
PATH=$WORK/bin:$PATH

nightfan synth --nights 6 --out in --seed 70 >/dev/null
profile=in/profile.json

# ---- the shard killed at random points -----------------------------------------------------------
# The "old" night is N0001 with its first hypnogram row changed, so old and new outputs differ.
cp -r in old
awk -F, 'NR == 2 { $2 = ($2 == "N2" ? "N3" : "N2") } 1' OFS=, in/N0001/labels/hypnogram.csv \
	>old/N0001/labels/hypnogram.csv
nightfan-shard --input in --night N0001 --profile $profile --out ref-new
nightfan-shard --input old --night N0001 --profile $profile --out ref-old
check_true "old and new outputs differ" bash -c '! cmp -s ref-new/N0001/night.json ref-old/N0001/night.json'

# Until 40 kills have hit a running shard: runs alternate between an empty output folder and one
# holding the old night; in pairs, a run is killed at a uniformly random time within 90% of a run's
# duration, or the moment its staging folder appears (the write phase) plus a random 0-25 ms. After
# each kill the folder must hold nothing (only when it started empty) or a night byte-identical to
# ref-old or ref-new; then a rerun must give ref-new.
# The shard writes a night in well under a millisecond, too short a window to hit by polling on a
# loaded machine. slowfs.so (LD_PRELOAD, the binary unchanged) makes each step of the write phase —
# making the staging folder, opening an output file, the renames, removing the replaced night
# (rmdir of a ".tmp." folder) — wait 3 ms first, so kills land before, during and after the publish.
cat >slowfs.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void pause_3ms(void)
{
	struct timespec t = {0, 3000000};
	nanosleep(&t, NULL);
}

int mkdir(const char *path, mode_t mode)
{
	static int (*real)(const char *, mode_t);
	if (!real)
		real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
	if (strstr(path, ".tmp."))
		pause_3ms();
	return real(path, mode);
}

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);
	if (!real)
		real = (FILE * (*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	if (mode[0] == 'w')
		pause_3ms();
	return real(path, mode);
}

int rmdir(const char *path)
{
	static int (*real)(const char *);
	if (!real)
		real = (int (*)(const char *))dlsym(RTLD_NEXT, "rmdir");
	if (strstr(path, ".tmp."))
		pause_3ms();
	return real(path);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	pause_3ms();
	return real(from, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
	static int (*real)(int, const char *, int, const char *, unsigned);
	if (!real)
		real = (int (*)(int, const char *, int, const char *, unsigned))dlsym(RTLD_NEXT, "renameat2");
	pause_3ms();
	return real(fromfd, from, tofd, to, flags);
}
C
cc -shared -fPIC -O2 -o slowfs.so slowfs.c -ldl
cat >killer.py <<'PY'
import filecmp, os, random, shutil, signal, subprocess, sys, time

shard, profile, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(7070)
cmd = [shard, "--input", "in", "--night", "N0001", "--profile", profile, "--out", "kout"]

def same_night(a, b):
    files = ["epochs.csv", "events.csv", "night.json"]
    return all(filecmp.cmp(f"{a}/{f}", f"{b}/{f}", shallow=False) for f in files) and sorted(os.listdir(a)) == files

def state():
    names = [n for n in os.listdir("kout") if not n.startswith(".")]
    if names == []:
        return "nothing"
    if names != ["N0001"]:
        return "unexpected entries " + " ".join(names)
    for ref in ("new", "old"):
        if same_night("kout/N0001", f"ref-{ref}/N0001"):
            return ref
    return "PARTIAL"

def timed():
    t0 = time.monotonic()
    subprocess.run(cmd, check=True)
    return time.monotonic() - t0
duration = min(timed() for _ in range(3))  # the warm run time; kills land within 90% of it
landed = in_write = 0
seen = {}
bad = []
i = 0
while landed < runs and i < 5 * runs:  # until `runs` kills hit a running shard (timing varies with load)
    i += 1
    shutil.rmtree("kout", ignore_errors=True)
    os.mkdir("kout")
    if i % 2:
        shutil.copytree("ref-old/N0001", "kout/N0001")
    p = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    if i % 4 < 2:
        time.sleep(random.uniform(0, 0.9 * duration))
    else:
        while p.poll() is None and not any(n.startswith(".N0001.tmp.") for n in os.listdir("kout")):
            pass
        in_write += p.poll() is None
        time.sleep(random.uniform(0, 0.025))  # the write phase: 3 files + the swap, ~15 ms under slowfs
    p.send_signal(signal.SIGKILL)
    landed += p.wait() == -signal.SIGKILL
    s = state()
    seen[s] = seen.get(s, 0) + 1
    if s not in ("nothing", "new", "old") or (s == "nothing" and i % 2):
        bad.append(f"run {i}: {s}")
    if subprocess.run(cmd).returncode != 0 or state() != "new":
        bad.append(f"run {i}: the rerun did not complete")
print("bad:", "; ".join(bad) if bad else "none")
print("kills landed:", landed, "of", i, "in the write phase:", in_write)
print("states:", " ".join(f"{k}={seen[k]}" for k in sorted(seen)))
PY
# ASan (SANITIZE=1) wants to be the first library loaded; slowfs only wraps calls, so let it be second.
LD_PRELOAD=$WORK/slowfs.so ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	python3 killer.py "$(command -v nightfan-shard)" $profile 40 >killer.out 2>&1
check_eq "40 SIGKILLs: never a partial night, every rerun completes" "$(sed -n 's/^bad: //p' killer.out)" "none"
landed=$(sed -n 's/^kills landed: \([0-9]*\) .*/\1/p' killer.out)
in_write=$(sed -n 's/.*in the write phase: \([0-9]*\)$/\1/p' killer.out)
check_eq "40 kills hit a running shard ($(sed -n 's/^kills landed: [0-9]* of //p' killer.out | cut -d' ' -f1) runs)" "$landed" 40
check_true "kills reached the write phase ($in_write times)" test "${in_write:-0}" -ge 4
check_true "kills left both old and new nights somewhere ($(sed -n 's/^states: //p' killer.out))" \
	grep -q '^states:.*new=.*old=' killer.out
# What a kill can leave besides: staging folders (".N0001.tmp.<pid>"), which the merge ignores.
check_true "the merge reads the folder a kill left" nightfan-merge --nights kout --out after-kill

# ---- nightfan run killed mid-way, then resumed -----------------------------------------------------
# runbin/: nightfan and the shard as they are; nightfan-merge a wrapper that, while the file "hold"
# exists, says so ("hold.started") and waits, so that a kill can land while the merge runs.
mkdir runbin && cp bin/nightfan bin/nightfan-shard runbin/ && cp bin/nightfan-merge runbin/nightfan-merge.real
cat >runbin/nightfan-merge <<SH
#!/bin/sh
if [ -e "$WORK/hold" ]; then : >"$WORK/hold.started"; sleep 60; fi
exec "$WORK/runbin/nightfan-merge.real" "\$@"
SH
chmod +x runbin/nightfan-merge
nightfan compile --profile $profile --image img -o p.yaml --input in >/dev/null
runbin/nightfan run p.yaml --root full --jobs 1 >full.out 2>full.err
check_eq "uninterrupted run" "$(head -1 full.out)" "nightfan: 7 tasks: 7 ran, 0 cached, 0 failed"

# kill_run ROOT SIGNAL AFTER: start a run in its own process group; once AFTER tasks are done
# (progress lines on stderr) — or, for AFTER "merge", once the merge has started — send SIGNAL to
# the whole group (a power cut or a killed terminal takes the children too), wait until it is gone.
# (SIGTERM rather than SIGINT: a script's background job ignores SIGINT.)
kill_run() {
	rm -f hold hold.started
	[ "$3" = merge ] && : >hold
	setsid runbin/nightfan run p.yaml --root "$1" --jobs 1 >"$1.out" 2>"$1.err" &
	local pid=$! i n
	for i in $(seq 1 2000); do
		if [ "$3" = merge ]; then
			[ -e hold.started ] && break
		else
			n=$(grep -c ' done$' "$1.err" 2>/dev/null || true)
			[ "${n:-0}" -ge "$3" ] && break
		fi
		sleep 0.01
	done
	kill -"$2" -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	while pgrep -g "$pid" >/dev/null; do sleep 0.01; done
	rm -f hold hold.started
}
for spec in "KILL 1" "KILL 3" "TERM 4" "KILL merge" "TERM merge"; do
	set -- $spec
	root=part-$1-$2
	kill_run $root "$1" "$2"
	# What finished is what left a cache record: a task can finish in the instant between the
	# trigger and the kill, before its progress line reaches stderr.
	done_before=$(ls $root/*/.nightfan-task.json 2>/dev/null | wc -l)
	check_true "SIG$1 after $2: the run stopped before its end ($done_before of 7 done)" test "$done_before" -lt 7
	check_true "SIG$1 after $2: no report yet" test ! -e $root/merge/dataset/report.json
	runbin/nightfan run p.yaml --root $root --jobs 1 >$root.out2 2>$root.err2
	check_eq "SIG$1 after $2: the second run reruns only what did not finish" "$(head -1 $root.out2)" \
		"nightfan: 7 tasks: $((7 - done_before)) ran, $done_before cached, 0 failed"
	for f in report.json nights.csv dataset.csv; do
		check_file_eq "SIG$1 after $2: resumed $f = uninterrupted" $root/merge/dataset/$f full/merge/dataset/$f
	done
	check_eq "SIG$1 after $2: same summary" "$(sed 1d $root.out2 | sed "s|$WORK/$root/|ROOT/|")" \
		"$(sed 1d full.out | sed "s|$WORK/full/|ROOT/|")"
done

# ---- out of disk: a file-size limit (SIGXFSZ ignored, so writes fail with EFBIG) -----------------
# limited KB CMD...: run CMD with files limited to KB kilobytes.
limited() {
	local kb=$1
	shift
	(trap '' XFSZ; ulimit -f "$kb"; "$@")
}
check_run "shard: full disk names the file" 1 \
	"nightfan-shard: error: disk/N0001/epochs.csv: cannot write: File too large" \
	limited 20 nightfan-shard --input in --night N0001 --profile $profile --out disk
check_eq "shard: full disk leaves nothing" "$(ls -A disk)" ""
mkdir -p keep && cp -r ref-old/N0001 keep/
check_run "shard: full disk over an old night" 1 \
	"nightfan-shard: error: keep/N0001/epochs.csv: cannot write: File too large" \
	limited 20 nightfan-shard --input in --night N0001 --profile $profile --out keep
check_true "shard: the old night is intact" diff -r keep/N0001 ref-old/N0001
check_eq "shard: no staging folder left" "$(ls -A keep)" "N0001"

for n in N0001 N0002 N0003 N0004 N0005 N0006; do
	nightfan-shard --input in --night $n --profile $profile --out nights
done
nightfan-merge --nights nights --out merged --dataset
cp -r merged merged-before
check_run "merge: full disk names the output" 1 \
	"nightfan-merge: error: merged/dataset.csv: cannot write: File too large" \
	limited 40 nightfan-merge --nights nights --out merged --dataset
check_true "merge: full disk leaves the earlier outputs as they were" diff -r merged merged-before
# (the night pages are written before the other outputs are flushed: the first page is the first
# file over 12 KB)
check_run "merge: full disk without a dataset" 1 \
	"nightfan-merge: error: merged/pages/N0001.html: cannot write: File too large" \
	limited 12 nightfan-merge --nights nights --out merged
check_true "merge: still the earlier outputs" diff -r merged merged-before

# ---- read errors: the file named, non-zero exit, nothing written --------------------------------
# (as root, permissions do not stop reads; /proc/self/mem gives a real EIO at offset 0)
mkdir -p rd && cp -r in/N0001 rd/
# shard_read_error NAME MESSAGE: the shard on rd/N0001 fails with MESSAGE and writes nothing.
shard_read_error() {
	check_run "read error: $1" 1 "nightfan-shard: error: $2" \
		nightfan-shard --input rd --night N0001 --profile $profile --out rd-out
	check_true "read error: $1: nothing written" test ! -e rd-out/N0001 -a -z "$(ls -A rd-out 2>/dev/null)"
}
rm rd/N0001/labels/respiratory.csv && mkdir rd/N0001/labels/respiratory.csv
shard_read_error "a folder where a file belongs" "labels/respiratory.csv: cannot read: Is a directory"
rmdir rd/N0001/labels/respiratory.csv && ln -s /proc/self/mem rd/N0001/labels/respiratory.csv
shard_read_error "EIO" "labels/respiratory.csv: cannot read: Input/output error"
rm rd/N0001/labels/respiratory.csv && ln -s respiratory.csv rd/N0001/labels/respiratory.csv
shard_read_error "a symlink loop" \
	"labels/respiratory.csv: cannot open rd/N0001/labels/respiratory.csv: Too many levels of symbolic links"
rm rd/N0001/labels/respiratory.csv
shard_read_error "a missing file" \
	"labels/respiratory.csv: cannot open rd/N0001/labels/respiratory.csv: No such file or directory"
cp in/N0001/labels/respiratory.csv rd/N0001/labels/
check_run "read error: profile is a folder" 1 "nightfan-shard: error: rd: cannot read: Is a directory" \
	nightfan-shard --input rd --night N0001 --profile rd --out rd-out
check_run "read error: profile gives EIO" 1 "nightfan-shard: error: /proc/self/mem: cannot read: Input/output error" \
	nightfan-shard --input rd --night N0001 --profile /proc/self/mem --out rd-out
check_true "read errors: nothing written" test -z "$(ls -A rd-out 2>/dev/null)"

# ---- the merge given broken nights: an error naming the night, the earlier report kept ------------
# merge_refuses NAME MESSAGE: merge of the folder "bad" fails with MESSAGE, merged/ unchanged.
merge_refuses() {
	check_run "merge: $1" 1 "nightfan-merge: error: $2" nightfan-merge --nights bad --out merged --dataset
	check_true "merge: $1: the earlier report is kept" diff -r merged merged-before
	rm -rf bad && cp -r nights bad
}
rm -rf bad && cp -r nights bad
sed -n 1,10p nights/N0003/night.json >bad/N0003/night.json
merge_refuses "truncated night.json" "bad/N0003/night.json:11:1: not valid JSON"
: >bad/N0003/night.json
merge_refuses "empty night.json" "bad/N0003/night.json:1:1: not valid JSON"
printf '\x00\xff{}' >bad/N0003/night.json
merge_refuses "binary night.json" "bad/N0003/night.json:1:1: not valid JSON"
sed -i 's|nightfan.night/1|nightfan.night/0|' bad/N0003/night.json
merge_refuses "older schema" \
	'bad/N0003/night.json: expected "schema": "nightfan.night/1", got "nightfan.night/0"'
sed -i '/"schema"/d' bad/N0003/night.json
merge_refuses "no schema" 'bad/N0003/night.json: expected "schema": "nightfan.night/1", got nothing'
sed -i 's|"N0003"|"N0004"|' bad/N0003/night.json
merge_refuses "night.json of another night" 'bad/N0003/night.json: "night" is "N0004" but the folder is N0003'
rm bad/N0003/night.json
merge_refuses "missing night.json" "bad/N0003/night.json: cannot read: No such file or directory"
rm bad/N0003/night.json && mkdir bad/N0003/night.json
merge_refuses "night.json is a folder" "bad/N0003/night.json: cannot read: Is a directory"
rm bad/N0003/night.json && ln -s /proc/self/mem bad/N0003/night.json
merge_refuses "night.json gives EIO" "bad/N0003/night.json: cannot read: Input/output error"
head -n 100 nights/N0003/epochs.csv >bad/N0003/epochs.csv
merge_refuses "truncated epochs.csv" \
	"bad/N0003/epochs.csv: holds 99 rows but night.json says $(sed -n 's/^\t"epochs":\t\([0-9]*\),$/\1/p' nights/N0003/night.json) epochs"
mkdir dup && cp -r nights/N0003 dup/
check_run "merge: a night found twice" 1 "nightfan-merge: error: night N0003 is found twice: bad/N0003 and dup/N0003" \
	nightfan-merge --nights bad --nights dup --out merged
check_true "merge: duplicate: the earlier report is kept" diff -r merged merged-before

finish
