# vpe-compat: top-level build.
#
#   make            build everything that exists (fixtures, simulator, tools)
#   make deps       install what the tree needs from Debian's packages
#   make check      deps + build + the whole migration test suite
#   make demo       deps + build + the main job on the emulated remote
#   make bench      the benchmarks (docs/performance.md)
#   make fuzz       libFuzzer on fwimage and the channel engine, 10 million
#                   executions per target (FUZZ_RUNS=, FUZZ_TIME=; docs/testing.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

BUILD   ?= $(CURDIR)/build
PREFIX  ?= /usr/local
DESTDIR ?=
export BUILD

SUBDIRS = fuse-vpe kernel compat-tests/firmware compat-tests/sim compat-tests/tools \
          compat-tests/apps compat-tests/badimg compat-tests/vm

.PHONY: all deps check demo bench bench-programs fuzz install clean $(SUBDIRS)

all: $(SUBDIRS) bench-programs

# built with everything, so that they always compile; run by make bench
bench-programs:
	$(MAKE) -C bench O=$(BUILD)/bench

$(SUBDIRS):
	$(MAKE) -C $@ O=$(BUILD)/$(notdir $@)

deps:
	sh scripts/deps.sh

check: deps
	$(MAKE) all
	VPE_BUILD=$(BUILD) sh compat-tests/run

demo: deps
	$(MAKE) all
	VPE_BUILD=$(BUILD) sh scripts/demo.sh

# not part of check: bench/run measures for a few minutes and rewrites
# docs/performance.{md,json} and docs/performance-rtt.png
bench: deps
	$(MAKE) all
	$(MAKE) -C compat-tests/firmware O=$(BUILD)/firmware bench-fixtures
	VPE_BUILD=$(BUILD) sh bench/run

# not part of check (which gives each target 30 s): the fixtures are seeds;
# corpora and crashes stay in $(BUILD)/fuse-vpe/fuzz/run/
fuzz: deps
	$(MAKE) fuse-vpe compat-tests/firmware
	$(MAKE) -C fuse-vpe O=$(BUILD)/fuse-vpe FW=$(BUILD)/firmware fuzz

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/doc/vpe-compat
	install -m 0755 $(BUILD)/fuse-vpe/fuse-vpe $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(BUILD)/fuse-vpe/vpe-fwconvert $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 fuse-vpe/fuse-vpe.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 fuse-vpe/vpe-fwconvert.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 README.md docs/migration.md $(DESTDIR)$(PREFIX)/share/doc/vpe-compat/

clean:
	rm -rf $(BUILD)
