# vpe-compat: top-level build.
#
#   make            build everything that exists (fixtures, simulator, tools)
#   make deps       install what the tree needs from Debian's packages
#   make check      deps + build + the whole migration test suite
#   make demo       deps + build + the main job on the emulated remote
#   make bench      the benchmarks (docs/performance.md)
#   make fuzz       libFuzzer on fwimage and the channel engine, 10 million
#                   executions per target (FUZZ_RUNS=, FUZZ_TIME=; docs/testing.md)
#   make install    the product (fuse-vpe, vpe-fwconvert, man pages, docs,
#                   the systemd unit and udev rule): PREFIX=/usr/local DESTDIR=
#   make install-tests  the board's migration check, vpe-compat-selftest,
#                   its helpers and the echo programs (CC= for the board)
#   make clean

BUILD   ?= $(CURDIR)/build
PREFIX  ?= /usr/local
DESTDIR ?=
export BUILD

SUBDIRS = fuse-vpe compat-tests/firmware compat-tests/sim compat-tests/tools \
          compat-tests/apps compat-tests/badimg compat-tests/vm

.PHONY: all deps check demo bench bench-programs fuzz install install-tests \
	clean kernel $(SUBDIRS)

all: $(SUBDIRS) kernel bench-programs

# The modules, where this machine has a kernel tree to build them against
# (kernel/Makefile: KERNEL_SRC or KDIR); the tests build them for theirs.
kernel:
	@if $(MAKE) -s -C kernel kdir >/dev/null 2>&1; then \
		$(MAKE) -C kernel MO=$(BUILD)/kernel; \
	else \
		echo "kernel: no kernel tree here; the modules are not built (make -C kernel KDIR=...)"; \
	fi

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

SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d

install: fuse-vpe
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/doc/vpe-compat \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(UDEVRULESDIR)
	install -m 0755 $(BUILD)/fuse-vpe/fuse-vpe $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(BUILD)/fuse-vpe/vpe-fwconvert $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 fuse-vpe/fuse-vpe.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 0644 fuse-vpe/vpe-fwconvert.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 README.md docs/migration.md docs/board.md \
		$(DESTDIR)$(PREFIX)/share/doc/vpe-compat/
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' dist/systemd/fuse-vpe.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/fuse-vpe.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/fuse-vpe.service
	install -m 0644 dist/udev/60-vpe-compat.rules $(DESTDIR)$(UDEVRULESDIR)/

install-tests: compat-tests/firmware
	$(MAKE) -C selftest O=$(BUILD)/selftest FW=$(BUILD)/firmware \
		PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) install

clean:
	rm -rf $(BUILD)
