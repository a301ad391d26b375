# vpe-compat: top-level build.
#
#   make            build everything that exists (fixtures, simulator, tools)
#   make deps       install what the tree needs from Debian's packages
#   make check      deps + build + the whole migration test suite
#   make demo       deps + build + the main job on the emulated remote
#   make bench      the benchmarks (docs/performance.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

BUILD   ?= $(CURDIR)/build
PREFIX  ?= /usr/local
DESTDIR ?=
export BUILD

SUBDIRS = fuse-vpe compat-tests/firmware compat-tests/sim compat-tests/tools \
          compat-tests/apps compat-tests/badimg

.PHONY: all deps check demo bench install clean $(SUBDIRS)

all: $(SUBDIRS)

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

bench:
	@echo "make bench: no benchmarks exist yet (the channel engine they measure is not built)" >&2
	@exit 2

install: all
	install -d $(DESTDIR)$(PREFIX)/share/vpe-compat
	cp -R compat-tests $(DESTDIR)$(PREFIX)/share/vpe-compat/
	cp -R $(BUILD) $(DESTDIR)$(PREFIX)/share/vpe-compat/build

clean:
	rm -rf $(BUILD)
