# nightfan — build, test, bench, install.
#
# Sources are found by folder, so adding a module never means editing this file:
#   common/*.c        -> $(O)/libcommon.a   (code every binary shares)
#   shard/*.c         -> bin/nightfan-shard  (shard/main.c holds main, the rest libshard.a)
#   merge/*.c         -> bin/nightfan-merge
#   pipeline/**/*.c   -> bin/nightfan        (pipeline/main.c holds main; its wings spec/ local/
#                                            cloud/ synth/ and any folder added later are found too)
#   tests/unit/test_*.c -> one test binary each, linked with every library
# `make SANITIZE=1 ...` builds everything with AddressSanitizer + UBSan into build/san/.

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# libcurl: headers only. common/curl_dl.c dlopen()s libcurl.so.4 on the first HTTP request, so
# no binary pays ~5 ms and ~6.5 MB for loading it and its ~30 libraries at start (see curl_dl.h).
# libcrypto: headers only too; common/crypto_dl.c dlopen()s it when a service-account key signs.
# libxml-2.0: headers only too. shard/xml_dl.c dlopen()s libxml2.so.2 for the first XML annotation
# file: it pulls ICU, ~0.9 ms and ~2.3 MB on every process start (see xml_dl.h).
PKGS    := libcjson jansson libxxhash yaml-0.1 gsl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libcurl libcrypto libxml-2.0)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# EDFlib (Debian libedf-dev) reads EDF+ annotation files; it ships no pkg-config file, and it
# depends on libc only (no measurable start-up cost), so it is linked.
EDF_LIBS   := -ledf

# Every folder of pipeline/ is on the include path, so `#include "plan.h"` works from any wing
# (which wing may include which is docs/DEVELOPING.md's layering rule). `-I.` lets tests name a
# header by its place in the tree (`#include "shard/score.h"`): no relative `../` includes.
PIPELINE_INC := $(addprefix -I,$(shell find pipeline -type d))

# -Wno-format-truncation: bounded snprintf into fixed message buffers truncates on purpose.
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wno-format-truncation
CFLAGS  ?= -O2 -g
# -fno-trapping-math: nothing here unmasks floating-point traps, and it lets GCC inline round()
# and floor() (SSE2), so nightfan-shard needs no libm at run time (~0.05 ms of each process start).
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE -DNIGHTFAN_VERSION='"$(VERSION)"' $(WARN) -fno-trapping-math $(CFLAGS) \
              $(PKG_CFLAGS) -Icommon $(PIPELINE_INC) -I. -Itests -MMD -MP
LDFLAGS ?=
ALL_LDFLAGS := -Wl,--as-needed $(LDFLAGS)
LDLIBS  := $(PKG_LIBS) $(EDF_LIBS) -ldl -lm

ifeq ($(SANITIZE),1)
O       := build/san
BINDIR  := build/san/bin
# float-cast-overflow: GCC leaves it out of -fsanitize=undefined (clang, and so the fuzz targets, have it).
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
ALL_CFLAGS  += $(SANFLAGS) -O1
ALL_LDFLAGS += $(SANFLAGS)
else
O       := build/rel
BINDIR  := bin
endif

COMMON_SRC   := $(wildcard common/*.c)
SHARD_SRC    := $(filter-out shard/main.c,$(wildcard shard/*.c))
MERGE_SRC    := $(filter-out merge/main.c,$(wildcard merge/*.c))
PIPELINE_SRC := $(filter-out pipeline/main.c,$(shell find pipeline -name '*.c'))
TEST_SRC     := $(wildcard tests/unit/test_*.c)

objs = $(patsubst %.c,$(O)/%.o,$(1))

# Quiet by default: one line a step (`CC shard/main.c`); `make V=1` shows the full commands.
ifeq ($(V),1)
say :=
else
say = @printf '  %-4s %s\n' $(1) $(2);
endif
LIBS := $(O)/libpipeline.a $(O)/libmerge.a $(O)/libshard.a $(O)/libcommon.a

BINS  := $(BINDIR)/nightfan-shard $(BINDIR)/nightfan-merge $(BINDIR)/nightfan
TESTS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(TEST_SRC))

.PHONY: all test check demo bench install uninstall clean fuzz docker-test valgrind-test
all: $(BINS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libcommon.a:   $(call objs,$(COMMON_SRC))
$(O)/libshard.a:    $(call objs,$(SHARD_SRC))
$(O)/libmerge.a:    $(call objs,$(MERGE_SRC))
$(O)/libpipeline.a: $(call objs,$(PIPELINE_SRC))
$(O)/%.a:
	@mkdir -p $(dir $@)
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

$(BINDIR)/nightfan-shard: $(O)/shard/main.o $(O)/libshard.a $(O)/libcommon.a
$(BINDIR)/nightfan-merge: $(O)/merge/main.o $(O)/libmerge.a $(O)/libcommon.a
$(BINDIR)/nightfan:       $(O)/pipeline/main.o $(LIBS)
$(BINS):
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/%: $(O)/tests/unit/%.o $(O)/tests/check.o $(LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# The test objects are intermediate files of the pattern rule above; keep them (no `rm *.o` at
# the end of every `make test`, and no rebuild next time).
.SECONDARY:

# The quick suite: unit tests, then the CLI tests against bin/ (or build/san/bin).
test: $(BINS) $(TESTS)
	@NIGHTFAN_BIN=$(abspath $(BINDIR)) NIGHTFAN_TESTBIN=$(abspath $(O)/tests) \
	  NIGHTFAN_BUILD=$(abspath $(O)) tests/run.sh

# The whole suite, as CI runs it: every stage records its counts; the last line totals them.
check:
	tests/check-all.sh

# libFuzzer targets (fuzz/): each run FUZZ_SECONDS seconds; built with clang into build/fuzz/.
FUZZ_SECONDS ?= 60
fuzz: all
	fuzz/run.sh $(FUZZ_SECONDS)

demo: all
	@DEMO=$(CURDIR)/demo NIGHTFAN_BIN=$(abspath $(BINDIR)) scripts/demo.sh

# The image and `nightfan compose` on a real Docker engine (root; starts and stops its own dockerd
# when none runs, builds the base image with debootstrap when missing): tests/docker/run.sh.
docker-test: all
	tests/docker/run.sh

bench: all
	bench/run.sh

# Installs the programs, nightfan-demo (scripts/demo.sh: works with no source tree), the man pages
# (section 1 and nightfan-profile(5)), bash completion and the license:
#   make install PREFIX=/usr/local DESTDIR=        make uninstall PREFIX=/usr/local DESTDIR=
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/nightfan
MAN1    := man/nightfan.1 man/nightfan-shard.1 man/nightfan-merge.1
MAN5    := man/nightfan-profile.5
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 scripts/demo.sh $(DESTDIR)$(PREFIX)/bin/nightfan-demo
	for m in $(MAN1); do sed 's/@VERSION@/$(VERSION)/' $$m >$(DESTDIR)$(MANDIR)/man1/$${m#man/} && \
	  chmod 0644 $(DESTDIR)$(MANDIR)/man1/$${m#man/} || exit 1; done
	for m in $(MAN5); do sed 's/@VERSION@/$(VERSION)/' $$m >$(DESTDIR)$(MANDIR)/man5/$${m#man/} && \
	  chmod 0644 $(DESTDIR)$(MANDIR)/man5/$${m#man/} || exit 1; done
	install -m 0644 completion/nightfan.bash $(DESTDIR)$(BASHCOMPDIR)/nightfan
	ln -sf nightfan $(DESTDIR)$(BASHCOMPDIR)/nightfan-shard
	ln -sf nightfan $(DESTDIR)$(BASHCOMPDIR)/nightfan-merge
	install -m 0644 LICENSE CHANGELOG.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(BINS)) nightfan-demo) \
	  $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1))) \
	  $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5))) \
	  $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,nightfan nightfan-shard nightfan-merge) \
	  $(DESTDIR)$(DOCDIR)/LICENSE $(DESTDIR)$(DOCDIR)/CHANGELOG.md
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf build bin

-include $(shell find $(O) -name '*.d' 2>/dev/null)
