# Dockerfile — the nightfan image: nightfan-shard, nightfan-merge and nightfan in /usr/local/bin,
# run by KFP / Vertex AI (which set the container's command), by `nightfan compose`'s services and
# by hand (`docker run IMAGE nightfan-shard --help`). No ENTRYPOINT, so a KFP `command` runs as is.
#
# Build through scripts/docker-build: it passes VERSION, SOURCE and REVISION. By hand, the same:
#   docker build --network host --build-arg VERSION="$(cat VERSION)" -t nightfan:"$(cat VERSION)" .
# --network host: apt inside the build reaches the host's Debian mirror the way the host does.
# The base image is Debian's bookworm-slim; scripts/docker-env base makes one with debootstrap
# where no registry is reachable.

# ---- deps: the build dependencies (a stage of its own, so scripts/docker-build can keep it tagged
# as the cache of later builds) -------------------------------------------------------------------
FROM debian:bookworm-slim AS deps
# Marks the images of the build stages, so scripts/docker-build can prune stale ones (only those).
LABEL org.nightfan.stage="deps"
# The build dependencies are the ones scripts/install-deps installs, so they never drift apart.
COPY scripts/install-deps /tmp/install-deps
RUN /tmp/install-deps && rm -rf /var/lib/apt/lists/*

# ---- build: compile, run the unit tests, work out the runtime packages ----------------------------
FROM deps AS build
LABEL org.nightfan.stage="build"
WORKDIR /src
COPY . .
ARG VERSION
RUN if [ -z "$VERSION" ]; then \
      echo 'error: build with --build-arg VERSION="$(cat VERSION)" (or scripts/docker-build)' >&2; exit 1; \
    elif [ "$VERSION" != "$(cat VERSION)" ]; then \
      echo "error: --build-arg VERSION=$VERSION but the VERSION file says $(cat VERSION)" >&2; exit 1; \
    fi
# The fast subset of the tests: every unit-test binary (the CLI suites run in CI, outside images).
RUN unit_tests=$(for t in tests/unit/test_*.c; do [ -e "$t" ] || continue; t=${t##*/}; echo "build/rel/tests/${t%.c}"; done) \
 && make -j"$(nproc)" all $unit_tests \
 && NIGHTFAN_BIN=$PWD/bin NIGHTFAN_TESTBIN=$PWD/build/rel/tests tests/run.sh unit/
# make install also puts nightfan-demo (a script that runs the demo from an installed copy) in bin/;
# the image is what pipeline tasks run, so it carries the three programs only.
RUN make install PREFIX=/out \
 && rm /out/bin/nightfan-demo \
 && progs="/out/bin/nightfan /out/bin/nightfan-shard /out/bin/nightfan-merge" \
 && strip --strip-unneeded $progs \
 && scripts/docker-runtime-packages $progs >/out/runtime-packages \
 && scripts/docker-runtime-packages --sonames $progs >/out/runtime-sonames

# ---- runtime: the binaries, the shared libraries they load, CA certificates -----------------------
FROM debian:bookworm-slim
ARG VERSION
ARG SOURCE=""
ARG REVISION=""
LABEL org.opencontainers.image.title="nightfan" \
      org.opencontainers.image.description="Overnight sleep recordings (labels and model predictions) to clinical scores and a comparison report, one night per container" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.source="$SOURCE" \
      org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.base.name="debian:bookworm-slim"
COPY --from=build /out/runtime-packages /out/runtime-sonames /tmp/
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates $(cat /tmp/runtime-packages) \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/log/apt /var/log/dpkg.log /tmp/runtime-packages \
 && useradd --uid 10001 --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin nightfan
COPY --from=build /out/bin/ /usr/local/bin/
# Fails the build when a library is missing rather than when the first night runs: linked ones
# (ldd) and the ones the binaries dlopen() (libcurl, on the first HTTP request).
RUN ! ldd /usr/local/bin/nightfan* | grep 'not found' \
 && for so in $(cat /tmp/runtime-sonames); do \
      ldconfig -p | awk -v so="$so" '$1 == so { found = 1 } END { exit !found }' \
      || { echo "error: $so is not installed" >&2; exit 1; }; \
    done \
 && rm /tmp/runtime-sonames && nightfan --version
# Runs as this user unless told otherwise (`nightfan compose` sets the output folder's owner).
USER 10001:10001
WORKDIR /tmp
# Smoke test as that user, so a base image it cannot use (no writable /tmp, unreadable libraries,
# a binary it may not run) fails the build rather than the first pipeline run: two sample nights,
# one shard, the merge and its report, then nothing left behind.
RUN work=$(mktemp -d) && cd "$work" \
 && nightfan synth --nights 2 --out in >/dev/null \
 && nightfan-shard --input in --night N0001 --profile in/profile.json --out out \
 && nightfan-merge --nights out --out report && test -s report/report.html \
 && echo "smoke test as $(id -un) (uid $(id -u)): ok" && cd /tmp && rm -rf "$work"
CMD ["nightfan", "--help"]
