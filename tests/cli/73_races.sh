# tests/cli/73_races.sh — the merge racing the shard: a night republished over and over while merges
# run. What must hold: every merge exits 0 and its nights.csv, report.json, report.html (with the
# night's hypnograms inline among the worst nights'), dataset.csv and the night's page
# (pages/N0001.html) are, together, byte for byte the outputs of one version of the night — never a
# mix, never a failure. (The page and the inline hypnograms too: before, they re-read epochs.csv
# and events.csv by path after the report.)
# (Before: the merge read every night.json first and every epochs.csv later, by path; with the
# night republished meanwhile, 18 of 162 merges mixed two versions and, with different epoch counts,
# 23 of 215 failed blaming epochs.csv.) Each loop is bounded in time (a few seconds).
source "$TESTS/lib.sh"
cd "$WORK"

nightfan synth --nights 3 --out in --seed 73 >/dev/null
profile=$WORK/in/profile.json
# version b: another recording for N0001 (786 epochs against 944); version c: the same length, its
# first stage changed
nightfan synth --nights 1 --out other --seed 74 >/dev/null
cp -r in flip
awk -F, 'NR == 2 { $2 = ($2 == "N2" ? "N3" : "N2") } 1' OFS=, in/N0001/labels/hypnogram.csv \
	>flip/N0001/labels/hypnogram.csv

# want/<v>/: the merge of `nights` holding version v of N0001 (and N0002, N0003), taken alone.
for v in in other flip; do
	nightfan-shard --input $v --night N0001 --profile "$profile" --out nights
	for n in N0002 N0003; do nightfan-shard --input in --night $n --profile "$profile" --out nights; done
	nightfan-merge --nights nights --out want/$v --dataset
done
check_true "the versions give different reports" bash -c \
	'! cmp -s want/in/report.json want/other/report.json && ! cmp -s want/in/dataset.csv want/flip/dataset.csv'
check_true "the versions give different pages of N0001" bash -c \
	'! cmp -s want/in/pages/N0001.html want/other/pages/N0001.html && ! cmp -s want/in/pages/N0001.html want/flip/pages/N0001.html'
# report.html shows N0001's hypnograms inline (3 nights: each is among the worst), drawn from the
# version that was read: the figure differs between versions, so comparing the whole report.html
# below checks it (before, those figures re-read epochs.csv by path after the read).
for v in in other flip; do
	sed -n '/<svg id="hyp-N0001"/,/<\/svg>/p' want/$v/report.html >want/$v.hyp
done
check_true "report.html draws N0001's hypnograms inline" test -s want/in.hyp
check_true "the versions give different inline hypnograms of N0001" bash -c \
	'! cmp -s want/in.hyp want/other.hyp && ! cmp -s want/in.hyp want/flip.hyp'
check_eq "versions in and flip have the same number of epochs" \
	"$(wc -l <want/in/dataset.csv)" "$(wc -l <want/flip/dataset.csv)"

# racefs.so (LD_PRELOAD into the merge only, the binary unchanged): before opening a night's
# night.json, epochs.csv or events.csv through the folder's descriptor, log it and (the first time) wait 3 ms, so that a
# republish lands between opening the folder and opening its files often enough to be seen: the
# merge then finds the old folder emptied and opens the night again (a second night.json line of
# the same process and folder in the log).
cat >racefs.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int openat(int dirfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	mode_t mode = 0;
	if (!real)
		real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	const char *log = getenv("RACEFS_LOG");
	if (log && (strcmp(path, "night.json") == 0 || strcmp(path, "epochs.csv") == 0 ||
		    strcmp(path, "events.csv") == 0)) {
		char link[64], dir[4096], line[4300];
		snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
		ssize_t n = readlink(link, dir, sizeof dir - 1);
		dir[n > 0 ? n : 0] = '\0';
		int fd = real(AT_FDCWD, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			int len = snprintf(line, sizeof line, "%d %s %s\n", (int)getpid(), dir, path);
			if (write(fd, line, (size_t)len) < 0) {}
			close(fd);
		}
		/* the first open of each file of each night folder waits; one opened again does not (a
		 * republisher faster than 3 ms would otherwise hit every retry) */
		static char seen[64][4300];
		static int n_seen;
		snprintf(line, sizeof line, "%s/%s", dir, path);
		int again = 0;
		for (int i = 0; i < n_seen; i++)
			again |= strcmp(seen[i], line) == 0;
		if (!again && n_seen < 64) {
			snprintf(seen[n_seen++], sizeof seen[0], "%s", line);
			struct timespec t = {0, 3000000};
			nanosleep(&t, NULL);
		}
	}
	return real(dirfd, path, flags, mode);
}
C
cc -shared -fPIC -O2 -o racefs.so racefs.c -ldl

cat >race.py <<'PY'
import filecmp, os, shutil, subprocess, sys, time

merge, shard, profile, a, b, seconds = sys.argv[1:7]
env = dict(os.environ, RACEFS_LOG=os.path.abspath("racefs.log"))
env["LD_PRELOAD"] = os.path.abspath("racefs.so")
env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
open("racefs.log", "w").close()
# the republisher: N0001 from a, from b, from a, ... until told to stop
stop = os.path.abspath("stop")
pub = subprocess.Popen(["bash", "-c", f"""
while [ ! -e {stop} ]; do
	for v in {a} {b}; do "{shard}" --input $v --night N0001 --profile "{profile}" --out nights || exit 1; done
	echo x >>published
done"""])

def version(out):
    for v in (a, b):
        if all(filecmp.cmp(f"{out}/{f}", f"want/{v}/{f}", shallow=False)
               for f in ("nights.csv", "report.json", "report.html", "dataset.csv", "pages/N0001.html")):
            return v
    return "MIXED"

merges, seen, bad = 0, {}, []
t0 = time.monotonic()
while time.monotonic() - t0 < float(seconds):
    out = f"m/{merges}"
    p = subprocess.run([merge, "--nights", "nights", "--out", out, "--dataset"], env=env,
                       capture_output=True, text=True)
    merges += 1
    if p.returncode != 0:
        bad.append(f"merge {merges} exited {p.returncode}: {p.stderr.strip()}")
        continue
    v = version(out)
    seen[v] = seen.get(v, 0) + 1
    if v == "MIXED":
        bad.append(f"merge {merges}: outputs of two versions")
    shutil.rmtree(out)
open(stop, "w").close()
pub_rc = pub.wait()
reopened = 0
opens = {}
for line in open("racefs.log"):
    pid, rest = line.rstrip("\n").split(" ", 1)
    d, f = rest.rsplit(" ", 1)  # d may end in " (deleted)"
    if f == "night.json":
        opens[(pid, d)] = opens.get((pid, d), 0) + 1
reopened = sum(n - 1 for n in opens.values())
print("bad:", "; ".join(bad[:5]) if bad else "none")
print("merges:", merges, "republishes:", 2 * sum(1 for _ in open("published")) if os.path.exists("published") else 0,
      "reopened:", reopened, "publisher:", pub_rc)
print("versions:", " ".join(f"{k}={seen[k]}" for k in sorted(seen)))
PY

# race NAME A B: N0001 republished alternately from A and B while merges run for 3 s.
race() {
	local log="race-$2-$3.out"
	rm -rf stop published m racefs.log
	nightfan-shard --input $2 --night N0001 --profile "$profile" --out nights # start from version A
	python3 race.py "$(command -v nightfan-merge)" "$(command -v nightfan-shard)" "$profile" $2 $3 3 >$log 2>&1
	local merges reopened
	merges=$(sed -n 's/^merges: \([0-9]*\) .*/\1/p' $log)
	reopened=$(sed -n 's/.* reopened: \([0-9]*\) .*/\1/p' $log)
	check_eq "$1: every merge exits 0 with the outputs of one version ($merges merges)" \
		"$(sed -n 's/^bad: //p' $log)" "none"
	grep -q '^bad: none$' $log || head -20 $log
	check_true "$1: the republisher ran throughout" grep -q 'publisher: 0$' $log
	check_true "$1: merges saw both versions ($(sed -n 's/^versions: //p' $log))" \
		grep -q "^versions: $2=[0-9]* $3=[0-9]*$" $log
	check_true "$1: a republish landed while a night was being opened ($reopened times): opened again" \
		test "${reopened:-0}" -ge 1
}
race "different epoch counts" in other
race "the same epoch count" flip in

# The dataset is streamed while the nights are read, so its output folder is made first: a merge
# that then meets a bad night removes the folders it made (and its temporary files).
mkdir -p badnights && cp -r nights/N0001 nights/N0002 badnights/ && head -c 100 nights/N0002/night.json >badnights/N0002/night.json
check_run "a bad night after a good one" 1 "nightfan-merge: error: badnights/N0002/night.json:6:16: not valid JSON" \
	nightfan-merge --nights badnights --out made/deeper --dataset
check_true "no folder left behind" test ! -e made

# ---- two merges into one --out at once ------------------------------------------------------------
# Merges of 1 night and of 3 nights into one folder, started together, 20 times (before: once in 100
# runs a report of 2 nights beside a dataset of 4, both exiting 0). meetfs.so (LD_PRELOAD into the
# merges) makes their commits meet: a merge's first fsync (its outputs complete, before any rename)
# waits until the other merge has reached its own (2 s at most), then delays their renames so that,
# without a lock, they interleave. What must hold: both exit 0, and the folder holds,
# byte for byte, the complete outputs of one of them.
mkdir -p one three
cp -r nights/N0001 one/ && cp -r nights/N0001 nights/N0002 nights/N0003 three/
nightfan-merge --nights one --out want/one --dataset
nightfan-merge --nights three --out want/three --dataset
cat >meetfs.c <<'C'
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int order = -1; /* 0: the first merge at the meeting point, 1: the second */
static int renames;

static void pause_ms(long ms)
{
	struct timespec t = {0, ms * 1000000};
	nanosleep(&t, NULL);
}

static int arrivals(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	int n = 0;
	while (d && (ent = readdir(d)))
		n += ent->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

int fsync(int fd)
{
	static int (*real)(int);
	const char *dir = getenv("MEETFS_DIR");
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (dir && order < 0) {
		char path[4096];
		order = arrivals(dir) > 0;
		snprintf(path, sizeof path, "%s/%d", dir, (int)getpid());
		close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
		for (int i = 0; i < 2000 && arrivals(dir) < 2; i++)
			pause_ms(1);
	}
	return real(fd);
}

/* Unlocked, the second merge's first rename comes first, then all of the first merge's, then the
 * rest of the second's: the dataset of one beside the report of the other. */
int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	if (order == 0)
		pause_ms(renames == 0 ? 5 : 0);
	else if (order == 1)
		pause_ms(renames == 0 ? 0 : 10);
	renames++;
	return real(from, to);
}
C
cc -shared -fPIC -O2 -o meetfs.so meetfs.c -ldl
same_set() { # same_set DIR WANT: DIR's outputs are WANT's, byte for byte
	local f
	for f in nights.csv report.json report.html dataset.csv; do cmp -s "$1/$f" "$2/$f" || return 1; done
}
mixed=0 failed=0 won_one=0 won_three=0
for i in $(seq 1 20); do
	rm -rf both meet && mkdir meet
	MEETFS_DIR=$WORK/meet LD_PRELOAD=$WORK/meetfs.so \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		nightfan-merge --nights one --out both --dataset 2>>both.err &
	a=$!
	MEETFS_DIR=$WORK/meet LD_PRELOAD=$WORK/meetfs.so \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		nightfan-merge --nights three --out both --dataset 2>>both.err &
	b=$!
	wait $a || failed=$((failed + 1))
	wait $b || failed=$((failed + 1))
	if same_set both want/one; then won_one=$((won_one + 1))
	elif same_set both want/three; then won_three=$((won_three + 1))
	else mixed=$((mixed + 1)); fi
done
check_eq "two merges into one folder, 20 times: every merge exits 0" "$failed $(cat both.err)" "0 "
check_eq "two merges into one folder, 20 times: never a mixed set (one won $won_one, three won $won_three)" \
	"$mixed" 0

# The lock is nightfan run's: a merge waits for its holder before renaming anything into place; a
# second nightfan run on a root in use fails at once, naming it.
rm -rf both && mkdir both
flock both/.lock -c 'touch locked; sleep 0.5; test ! -e both/report.json && touch nothing-while-held' &
holder=$!
while [ ! -e locked ]; do sleep 0.01; done
check_status() { local s=0; "${@:3}" >/dev/null 2>&1 || s=$?; check_eq "$1" "$s" "$2"; }
check_status "a merge into a locked folder waits, then completes" 0 nightfan-merge --nights one --out both --dataset
wait $holder
check_true "nothing was renamed into place while the lock was held" test -e nothing-while-held
check_true "then the merge's complete outputs" same_set both want/one
nightfan compile --profile "$profile" --image img -o p.yaml --input in >/dev/null
mkdir run
check_run "a second nightfan run on the same root" 1 \
	"nightfan run: error: $WORK/run: another nightfan run is using this folder" \
	flock run/.lock nightfan run p.yaml --root run

finish
