# tests/cli/73_races.sh — the merge racing the shard: a night republished over and over while merges
# run. What must hold: every merge exits 0 and its nights.csv, report.json and dataset.csv are,
# together, byte for byte the outputs of one version of the night — never a mix, never a failure.
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
check_eq "versions in and flip have the same number of epochs" \
	"$(wc -l <want/in/dataset.csv)" "$(wc -l <want/flip/dataset.csv)"

# racefs.so (LD_PRELOAD into the merge only, the binary unchanged): before opening a night's
# night.json or epochs.csv through the folder's descriptor, log it and wait 3 ms, so that a
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
	if (log && (strcmp(path, "night.json") == 0 || strcmp(path, "epochs.csv") == 0)) {
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
		struct timespec t = {0, 3000000};
		nanosleep(&t, NULL);
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
               for f in ("nights.csv", "report.json", "dataset.csv")):
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

finish
