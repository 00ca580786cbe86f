#!/usr/bin/env bash
# bench/run.sh — `make bench`: runs every bench/*.sh part (shard, merge, ...) in turn.
set -eu
cd "$(dirname "$0")/.."
for part in bench/[0-9]*.sh; do
	[ -f "$part" ] && bash "$part"
done
