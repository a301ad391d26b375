################################################################################
#
# vpe-compat
#
################################################################################

VPE_COMPAT_VERSION = 0.1.0
VPE_COMPAT_SITE = $(call github,vpe-compat,vpe-compat,v$(VPE_COMPAT_VERSION))
VPE_COMPAT_LICENSE = GPL-2.0 (kernel modules), GPL-2.0+ (fuse-vpe)
VPE_COMPAT_DEPENDENCIES = libfuse3 host-pkgconf

VPE_COMPAT_MODULE_SUBDIRS = kernel
VPE_COMPAT_ENDIAN = $(if $(BR2_ENDIAN),$(if $(filter BIG,$(BR2_ENDIAN)),eb,el),el)
VPE_COMPAT_FIXTURES = $(foreach l,296 300,echo-$(VPE_COMPAT_ENDIAN)-$(l).elf)

define VPE_COMPAT_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) fuse-vpe BUILD=$(@D)/build \
		$(TARGET_CONFIGURE_OPTS)
	$(if $(BR2_PACKAGE_VPE_COMPAT_TESTS), \
		$(TARGET_MAKE_ENV) $(MAKE) -C $(@D)/selftest O=$(@D)/build/selftest \
			$(TARGET_CONFIGURE_OPTS) && \
		$(TARGET_MAKE_ENV) $(MAKE) -C $(@D)/compat-tests/firmware \
			O=$(@D)/build/firmware \
			CROSS_$(VPE_COMPAT_ENDIAN)=$(TARGET_CROSS) \
			$(addprefix $(@D)/build/firmware/,$(VPE_COMPAT_FIXTURES)))
endef

define VPE_COMPAT_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/build/fuse-vpe/fuse-vpe \
		$(TARGET_DIR)/usr/sbin/fuse-vpe
	$(if $(BR2_PACKAGE_VPE_COMPAT_TESTS), \
		$(INSTALL) -D -m 0755 $(@D)/selftest/vpe-compat-selftest \
			$(TARGET_DIR)/usr/bin/vpe-compat-selftest && \
		$(INSTALL) -D -m 0755 $(@D)/build/selftest/rtlxprobe \
			$(TARGET_DIR)/usr/lib/vpe-compat/selftest/bin/rtlxprobe && \
		$(INSTALL) -D -m 0755 $(@D)/build/selftest/rtlxscript \
			$(TARGET_DIR)/usr/lib/vpe-compat/selftest/bin/rtlxscript && \
		$(foreach f,$(VPE_COMPAT_FIXTURES), \
			$(INSTALL) -D -m 0644 $(@D)/build/firmware/$(f) \
				$(TARGET_DIR)/usr/lib/vpe-compat/selftest/firmware/$(f) &&) true)
endef

define VPE_COMPAT_INSTALL_INIT_SYSV
	$(INSTALL) -D -m 0755 $(VPE_COMPAT_PKGDIR)/S60fuse-vpe \
		$(TARGET_DIR)/etc/init.d/S60fuse-vpe
endef

define VPE_COMPAT_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_REMOTEPROC)
	$(call KCONFIG_ENABLE_OPT,CONFIG_FUSE_FS)
	$(call KCONFIG_DISABLE_OPT,CONFIG_MIPS_VPE_LOADER)
endef

$(eval $(kernel-module))
$(eval $(generic-package))
