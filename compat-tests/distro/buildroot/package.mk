# Stand-in for Buildroot's package infrastructures (see README.md), run as
#   make -f package.mk PKGDIR=.../package/vpe-compat BUILDDIR=... \
#        TARGET_DIR=... LINUX_DIR=... TARGET_CROSS=... TARGET_PKG_CONFIG=... \
#        BR2_ENDIAN=LITTLE|BIG [BR2_PACKAGE_VPE_COMPAT_TESTS=y] install
TARGET_MAKE_ENV = PATH="$(PATH)"
TARGET_CONFIGURE_OPTS = CC="$(TARGET_CROSS)gcc" AR="$(TARGET_CROSS)ar" \
	PKG_CONFIG="$(TARGET_PKG_CONFIG)"
INSTALL = install
LINUX_MAKE_FLAGS = ARCH=mips CROSS_COMPILE=$(TARGET_CROSS)
github = https://github.com/$(1)/$(2)/archive/$(3).tar.gz
KCONFIG_ENABLE_OPT = echo "$(1)=y" >>$(BUILDDIR)/.kconfig
KCONFIG_DISABLE_OPT = echo "$(1)=n" >>$(BUILDDIR)/.kconfig
VPE_COMPAT_PKGDIR = $(PKGDIR)/
kernel-module =
generic-package =

include $(PKGDIR)/vpe-compat.mk

.PHONY: install
install: $(BUILDDIR)/.stamp_target_installed

# generic-package's build, then kernel-module's
$(BUILDDIR)/.stamp_built:
	$(VPE_COMPAT_BUILD_CMDS)
	$(TARGET_MAKE_ENV) $(MAKE) -C $(LINUX_DIR) $(LINUX_MAKE_FLAGS) \
		M=$(@D)/$(VPE_COMPAT_MODULE_SUBDIRS) modules
	$(VPE_COMPAT_LINUX_CONFIG_FIXUPS)
	touch $@

$(BUILDDIR)/.stamp_target_installed: $(BUILDDIR)/.stamp_built
	$(VPE_COMPAT_INSTALL_TARGET_CMDS)
	$(VPE_COMPAT_INSTALL_INIT_SYSV)
	$(TARGET_MAKE_ENV) $(MAKE) -C $(LINUX_DIR) $(LINUX_MAKE_FLAGS) \
		M=$(@D)/$(VPE_COMPAT_MODULE_SUBDIRS) \
		INSTALL_MOD_PATH=$(TARGET_DIR) DEPMOD=true modules_install
	touch $@
