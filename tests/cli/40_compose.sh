# tests/cli/40_compose.sh — nightfan compose without a Docker engine: the compose file's bytes
# (golden), determinism, the parallelism lanes, absolute same-path mounts, `$` escaping, the
# default user, what docker-compose reads back (`docker-compose config`), refused inputs.
# Running the file for real is tests/docker/run.sh (make docker-test).
source "$TESTS/lib.sh"
GOLDEN="$TESTS/golden/compose"
cd "$WORK"
REAL=$(pwd -P) # compose resolves symlinks in paths; $WORK may hold one

nightfan synth --nights 3 --out nights --seed 7 >/dev/null
nightfan compile --profile nights/profile.json --image nightfan:0.1.0 -o pipeline.yaml --input nights \
	--parallelism 2 >/dev/null

# ---- the file ----------------------------------------------------------------------------------
check_run "compose" 0 "" nightfan compose pipeline.yaml --root run-root --user 1000:1000 -o compose.yml
check_eq "compose prints nothing" "$(cat "$WORK/stdout")" ""
sed "s#$REAL#/WORK#g" compose.yml >compose.golden.yml
check_file_eq "compose file golden" compose.golden.yml "$GOLDEN/compose.yml"

cp compose.yml first.yml
nightfan compose pipeline.yaml --root run-root --user 1000:1000 -o compose.yml
check_true "compose is deterministic" cmp compose.yml first.yml
# The header's second line names the file (how to run it); the rest is the same.
nightfan compose pipeline.yaml --root run-root --user 1000:1000 -o - >stdout.yml
check_eq "-o - names no file" "$(sed -n 2p stdout.yml)" "# Run: docker compose -f FILE up   (or: docker-compose -f FILE up)"
check_true "-o - writes the same to standard output" cmp <(sed 2d compose.yml) <(sed 2d stdout.yml)
nightfan compose pipeline.yaml --root run-root --user 1000:1000
check_true "default output file docker-compose.yml" cmp <(sed 2d compose.yml) <(sed 2d docker-compose.yml)

check_true "--root is created" test -d run-root
check_eq "mounts: input read-only, root read-write, at the same absolute paths" \
	"$(grep -A3 -- '- read_only' compose.yml | head -8 | tr -d ' ' | tr '\n' ' ')" \
	"-read_only:true source:$REAL/nights target:$REAL/nights type:bind -read_only:false source:$REAL/run-root target:$REAL/run-root type:bind "
check_eq "the ExecutorInput carries the absolute root" \
	"$(grep -c "\"outputFile\":\"$REAL/run-root/shard-N0001/executor_output.json\"" compose.yml)" "1"

# Lanes: with parallelism 2, shard 3 waits for shard 1; shards 1 and 2 start at once; the merge
# waits for all three. Without a limit no shard waits.
deps_of() { # SERVICE — its depends_on names, space-separated
	awk -v s="  $1:" '$0 == s { svc = 1; next } svc && /^  [^ ]/ { svc = 0 }
		svc && $0 == "    depends_on:" { on = 1; next } on && !/^      / { on = 0 }
		on && /^      [^ ]/ { sub(/^ +/, ""); sub(/:$/, ""); printf "%s ", $0 }' compose.yml
}
check_eq "shard-N0001 waits for nothing" "$(deps_of shard-N0001)" ""
check_eq "shard-N0002 waits for nothing" "$(deps_of shard-N0002)" ""
check_eq "shard-N0003 waits for shard-N0001 (lane 1)" "$(deps_of shard-N0003)" "shard-N0001 "
check_eq "merge waits for every shard" "$(deps_of merge)" "shard-N0001 shard-N0002 shard-N0003 "
check_eq "every dependency waits for success" "$(grep -c 'condition: service_completed_successfully' compose.yml)" "4"

nightfan compile --profile nights/profile.json --image nightfan:0.1.0 -o unlimited.yaml --input nights >/dev/null
nightfan compose unlimited.yaml --root run-root -o unlimited.yml
check_eq "no parallelism limit: only the merge waits" \
	"$(grep -c 'condition: service_completed_successfully' unlimited.yml)" "3"
check_eq "no parallelism limit: said in the header" "$(sed -n 3p unlimited.yml)" \
	"# The spec sets no parallelism limit: every shard task starts at once."

check_eq "default user: the owner of --root" "$(grep -m1 'user:' unlimited.yml | tr -d ' ')" \
	"user:$(stat -c %u:%g run-root)"
check_eq "retries: shards restart on failure up to the spec's 2, the merge never" \
	"$(grep -B30 'restart: on-failure:2' compose.yml | grep -c '^  shard-') $(grep -c 'restart:' compose.yml)" "3 3"
nightfan compile --profile nights/profile.json --image nightfan:0.1.0 -o noretry.yaml --input nights --retries 0 >/dev/null
nightfan compose noretry.yaml --root run-root -o noretry.yml
check_eq "no retries: no restart policy" "$(grep -c 'restart:' noretry.yml)" "0"
check_eq "every service: no network" "$(grep -c 'network_mode: none' compose.yml)" "4"

# ---- relative paths, --param, $ ------------------------------------------------------------------
mkdir 'in$HOME'
nightfan synth --nights 1 --out 'in$HOME' --seed 3 >/dev/null
check_run "--param input_root (relative, with a \$)" 0 "" \
	nightfan compose pipeline.yaml --root 'run$1' --param 'input_root=in$HOME' --param 'nights=["N0001"]' -o dollar.yml
check_eq "\$ written as \$\$ (compose interpolates)" "$(grep -c "source: $REAL/in\\\$\\\$HOME" dollar.yml)" "2"
check_eq "one shard for --param nights" "$(grep -c '^  shard-' dollar.yml)" "1"

# A night list too long for a parameter lives in a manifest file: mounted read-only too.
seq -f 'N%04g' 1 2200 >ids.txt
nightfan compile --profile nights/profile.json --image img --nights-file ids.txt -o big.yaml >/dev/null
check_run "compose with a manifest" 0 "" nightfan compose big.yaml --root run-root --param input_root=nights -o big.yml
check_eq "100 shard services" "$(grep -c '^  shard-' big.yml)" "100"
check_eq "manifest mounted read-only in every service" \
	"$(grep -B1 -A2 "source: $REAL/big.manifest.json\$" big.yml | grep -c -e 'read_only: true' -e "target: $REAL/big.manifest.json\$")" "202"

# ---- what docker-compose reads back --------------------------------------------------------------
check_true "docker-compose accepts the file" docker-compose -f compose.yml config -q
# `config` prints a compose file again, so the literal $ stays escaped — not expanded to $HOME's value.
docker-compose -f dollar.yml config >dollar.config.yml 2>&1
check_eq "docker-compose keeps the \$ literal" \
	"$(grep -c "source: $REAL/in\\\$\\\$HOME\$" dollar.config.yml) $(grep -cF "$REAL/in$HOME" dollar.config.yml)" "2 0"
# 1000:50 would read as the YAML 1.1 sexagesimal number 60050 if it were not quoted.
nightfan compose pipeline.yaml --root run-root --user 1000:50 -o sexagesimal.yml
check_eq "docker-compose reads the user as a string" \
	"$(docker-compose -f sexagesimal.yml config | grep -m1 'user:' | tr -d " '")" "user:1000:50"

# ---- refused --------------------------------------------------------------------------------------
# check_refused NAME STATUS FIRST_LINE_OF_STDERR CMD...
check_refused() {
	local name=$1 want_status=$2 want=$3 status=0
	shift 3
	"$@" >"$WORK/stdout" 2>"$WORK/stderr" || status=$?
	check_eq "$name" "$status $(head -1 "$WORK/stderr")" "$want_status $want"
}
check_refused "no spec" 2 "nightfan compose: error: the compiled pipeline spec is required" nightfan compose
check_refused "no --root" 2 "nightfan compose: error: --root is required" nightfan compose pipeline.yaml
check_refused "two specs" 2 "nightfan compose: error: expected one pipeline spec" \
	nightfan compose pipeline.yaml other.yaml --root run-root
check_refused "unknown option" 2 "nightfan compose: error: unknown option \"--bogus\"" \
	nightfan compose pipeline.yaml --root run-root --bogus
check_refused "--param without =" 2 "nightfan compose: error: --param: expected NAME=VALUE, got \"x\"" \
	nightfan compose pipeline.yaml --root run-root --param x
check_refused "bad --user" 2 "nightfan compose: error: --user: expected UID[:GID] (or NAME[:GROUP]), got \"1000:\"" \
	nightfan compose pipeline.yaml --root run-root --user 1000:
check_refused "--user with a space" 2 "nightfan compose: error: --user: expected UID[:GID] (or NAME[:GROUP]), got \"a b\"" \
	nightfan compose pipeline.yaml --root run-root --user "a b"
check_refused "missing spec" 1 "nightfan compose: error: nope.yaml: cannot read: No such file or directory" \
	nightfan compose nope.yaml --root new-root
check_true "a missing spec leaves no --root behind" test ! -e new-root
check_refused "unknown parameter" 1 "nightfan compose: error: --param bogus: the pipeline has no such parameter" \
	nightfan compose pipeline.yaml --root run-root --param bogus=1
check_refused "gs:// input root" 1 "nightfan compose: error: parameter input_root is \"gs://b/p\": docker compose runs the containers without network, so it must be a local folder" \
	nightfan compose pipeline.yaml --root run-root --param input_root=gs://b/p
check_refused "missing input root" 1 "nightfan compose: error: missing: parameter input_root: No such file or directory" \
	nightfan compose pipeline.yaml --root run-root --param input_root=missing
check_refused "input root is a file" 1 "nightfan compose: error: parameter input_root: pipeline.yaml is not a folder" \
	nightfan compose pipeline.yaml --root run-root --param input_root=pipeline.yaml
check_refused "gs:// root" 1 "nightfan compose: error: --root gs://x/y: expected a local folder (the containers write their outputs there)" \
	nightfan compose pipeline.yaml --root gs://x/y
check_refused "unwritable output" 1 "nightfan compose: error: /nonexistent/x.yml: cannot write: No such file or directory" \
	nightfan compose pipeline.yaml --root run-root -o /nonexistent/x.yml
check_true "a refused run leaves no file" test ! -e /nonexistent/x.yml

finish
