#!/usr/bin/env bash
# tests/docker/run.sh — `make docker-test`: the image and `nightfan compose` on a real Docker engine.
#
# Starts a Docker daemon when none answers (and stops it at the end — only that one), makes the
# debian:bookworm-slim base image with debootstrap when it is missing (scripts/docker-env), builds
# the project image (scripts/docker-build), checks the image (help runs, non-root user, labels, no
# entrypoint), then runs six sample nights — one broken, on_error=record — through the compiled
# pipeline twice: with `nightfan run` and with `nightfan compose` + docker compose, and checks that
# report.json and nights.csv are byte-identical, the broken night is listed as failed, the
# containers ran without network as the output folder's owner and never more than the spec's
# parallelism at once, and the outputs can be removed afterwards. Containers and networks are
# removed at the end. Needs root (dockerd, debootstrap) and scripts/install-deps test.
# Ends with "N passed, N failed"; writes "P F" to $NIGHTFAN_COUNTS when set.
set -u
cd "$(dirname "$0")/../.."
REPO=$PWD
NIGHTFAN_BIN=$REPO/bin
source tests/lib.sh

TAG=nightfan:docker-test
PROJECT=nightfan-docker-test-$$
PARALLELISM=2
started_daemon=0
compose=()

counts() {
	[ -n "${NIGHTFAN_COUNTS:-}" ] && echo "$_passed $_failed" >"$NIGHTFAN_COUNTS"
	return 0
}

cleanup() {
	if [ ${#compose[@]} -gt 0 ] && [ -f "$WORK/docker-compose.yml" ]; then
		"${compose[@]}" -f "$WORK/docker-compose.yml" -p "$PROJECT" down --remove-orphans \
			>"$WORK/down.log" 2>&1 || cat "$WORK/down.log"
	fi
	compose=()
	# Outputs the containers wrote belong to the output folder's owner: removable by us.
	rm -rf "$WORK/compose-root" "$WORK/run-root" "$WORK/in"
	if [ "$started_daemon" = 1 ]; then
		"$REPO/scripts/docker-env" down
		started_daemon=0
	fi
	return 0
}

# stop NAME MESSAGE — a step everything after it needs failed: count it, clean up, finish.
stop() {
	fail "$1" "$2"
	cleanup
	counts
	finish
	exit 1
}

# step NAME LOG CMD... — run CMD with its output in $WORK/LOG; on failure show the log's tail, stop.
step() {
	local name=$1 log=$WORK/$2
	shift 2
	"$@" >"$log" 2>&1 || stop "$name" "$(tail -25 "$log")"
	pass
}

pick_compose() {
	if docker compose version >/dev/null 2>&1; then
		compose=(docker compose)
	elif command -v docker-compose >/dev/null; then
		compose=(docker-compose)
	else
		stop "compose" "neither \`docker compose\` nor docker-compose is installed (scripts/install-deps test)"
	fi
	echo "using: ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || true))"
}

# ---- engine, base image, project image ----------------------------------------------------------

start_engine() {
	if ! docker info >/dev/null 2>&1; then
		step "docker daemon starts" dockerd.log "$REPO/scripts/docker-env" up
		started_daemon=1
	fi
	trap cleanup EXIT
	trap 'exit 1' INT TERM
	step "base image debian:bookworm-slim" base.log "$REPO/scripts/docker-env" base
}

build_image() {
	step "make" make.log make -s -j2 all
	step "image builds (unit tests inside)" build.log "$REPO/scripts/docker-build" "$TAG"
	echo "image $TAG: $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.1f MB", $1 / 1e6}')"
}

check_image() {
	check_run "shard --help in the image" 0 "" docker run --rm --network none "$TAG" nightfan-shard --help
	check_eq "shard --help prints its usage" "$(head -1 "$WORK/stdout" | cut -c1-21)" "usage: nightfan-shard"
	check_run "merge --help in the image" 0 "" docker run --rm --network none "$TAG" nightfan-merge --help
	check_run "nightfan --version in the image" 0 "" docker run --rm --network none "$TAG" nightfan --version
	check_eq "version matches VERSION" "$(cat "$WORK/stdout")" "nightfan $(cat VERSION)"
	check_eq "runs as the non-root user" "$(docker run --rm --network none "$TAG" id -u):$(docker run --rm --network none "$TAG" id -un)" "10001:nightfan"
	check_eq "no entrypoint" "$(docker image inspect -f '{{json .Config.Entrypoint}}' "$TAG")" "null"
	check_eq "OCI version label" \
		"$(docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$TAG")" "$(cat VERSION)"
	check_eq "binaries in /usr/local/bin" \
		"$(docker run --rm --network none "$TAG" sh -c 'ls /usr/local/bin | tr "\n" " "')" "nightfan nightfan-merge nightfan-shard "
	# libcurl is dlopen()ed on the first HTTP request (gs://, cloud commands): ldd does not show it.
	check_eq "libcurl (loaded at run time) is installed" \
		"$(docker run --rm --network none "$TAG" sh -c 'ldconfig -p | awk "\$1 == \"libcurl.so.4\"" | wc -l')" "1"
	check_eq "no compiler in the runtime image" \
		"$(docker run --rm --network none "$TAG" sh -c 'command -v cc gcc make || echo none')" "none"
}

# ---- the pipeline, locally and in containers ----------------------------------------------------

prepare_nights() {
	step "synth 6 nights, 1 broken" synth.log nightfan synth --nights 6 --broken 1 --seed 11 --out "$WORK/in"
	step "compile" compile.log nightfan compile --profile "$WORK/in/profile.json" --image "$TAG" \
		--input "$WORK/in" --parallelism "$PARALLELISM" -o "$WORK/pipeline.yaml"
	step "nightfan run" run.log nightfan run "$WORK/pipeline.yaml" --root "$WORK/run-root" \
		--param on_error=record
}

compose_up() {
	mkdir -p "$WORK/compose-root"
	# As root, hand the output folder to the image's user, so the containers (which run as the
	# folder's owner) are not root; as anyone else the folder is already theirs.
	[ "$(id -u)" = 0 ] && chown 10001:10001 "$WORK/compose-root"
	step "nightfan compose" compose.log nightfan compose "$WORK/pipeline.yaml" --root "$WORK/compose-root" \
		--param on_error=record -o "$WORK/docker-compose.yml"
	pick_compose
	step "docker compose up" up.log "${compose[@]}" -f "$WORK/docker-compose.yml" -p "$PROJECT" up --no-color
}

containers() {
	docker ps -a -q --filter "label=com.docker.compose.project=$PROJECT"
}

check_containers() {
	local ids
	ids=$(containers)
	check_eq "one container per task" "$(echo "$ids" | grep -c .)" "7"
	check_eq "every container exited 0" \
		"$(docker inspect -f '{{.State.ExitCode}}' $ids | sort -u | tr '\n' ' ')" "0 "
	local want_user=10001:10001
	[ "$(id -u)" = 0 ] || want_user=$(id -u):$(id -g)
	check_eq "containers run as the output folder's owner" \
		"$(docker inspect -f '{{.Config.User}}' $ids | sort -u)" "$want_user"
	check_eq "containers have no network" \
		"$(docker inspect -f '{{.HostConfig.NetworkMode}}' $ids | sort -u)" "none"
	check_eq "input root mounted read-only" \
		"$(docker inspect -f '{{range .Mounts}}{{if eq .Source "'"$WORK/in"'"}}{{.RW}}{{end}}{{end}}' $ids | sort -u)" "false"
	local most
	most=$(max_concurrent_shards $ids)
	echo "shard containers running at once: at most $most"
	check_true "at most $PARALLELISM shard containers at once (saw $most)" test "$most" -le "$PARALLELISM"
}

# The largest number of shard containers that were running at the same instant.
max_concurrent_shards() {
	local id name start end
	for id in "$@"; do
		read -r name start end < <(docker inspect -f '{{.Name}} {{.State.StartedAt}} {{.State.FinishedAt}}' "$id")
		[[ "$name" == *shard-* ]] || continue
		echo "$(date -d "$start" +%s%N) 1"
		echo "$(date -d "$end" +%s%N) -1"
	done | sort -n -k1,1 -k2,2n | awk '{ n += $2; if (n > max) max = n } END { print max + 0 }'
}

check_outputs() {
	local run=$WORK/run-root/merge/dataset composed=$WORK/compose-root/merge/dataset
	check_file_eq "report.json: compose = run" "$composed/report.json" "$run/report.json"
	check_file_eq "nights.csv: compose = run" "$composed/nights.csv" "$run/nights.csv"
	check_eq "broken night failed in nights.csv" \
		"$(awk -F, 'NR > 1 { print $1 "=" $2 }' "$composed/nights.csv" | tr '\n' ' ')" \
		"N0001=ok N0002=ok N0003=ok N0004=ok N0005=ok N0006=failed "
	check_eq "broken night listed as failed in report.json" \
		"$(python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); n = r["nights"]; print(n["total"], n["ok"], n["failed"], [f["night"] for f in r["failed"]])' "$composed/report.json")" \
		"6 5 1 ['N0006']"
	local owners
	owners=$(find "$WORK/compose-root" -mindepth 1 -printf '%u\n' | sort -u | tr '\n' ' ')
	[ "$(id -u)" = 0 ] && check_eq "outputs written by the non-root user" "$owners" "10001 "
	check_true "outputs removable afterwards" rm -rf "$WORK/compose-root"
}

check_cleanup() {
	"${compose[@]}" -f "$WORK/docker-compose.yml" -p "$PROJECT" down --remove-orphans >"$WORK/down.log" 2>&1
	compose=()
	check_eq "compose down removes the containers" "$(containers | wc -l)" "0"
	check_eq "no network left behind" \
		"$(docker network ls -q --filter "label=com.docker.compose.project=$PROJECT" | wc -l)" "0"
}

start_engine
build_image
check_image
prepare_nights
compose_up
check_containers
check_outputs
check_cleanup
counts
finish
