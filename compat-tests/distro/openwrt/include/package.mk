# Stand-in for OpenWrt's include/package.mk (see ../../README.md):
# KernelPackage and BuildPackage note what a package declares, and these
# targets run its steps:
#   compile            Build/Prepare, then Build/Compile
#   install-NAME       Package/NAME/install into $(DEST)/NAME
#   show-VAR           print VAR (KMOD_FILES, KMOD_AUTOLOAD, KMOD_KCONFIG)
define KernelPackage
$(eval $(KernelPackage/$(1)))
KMOD_FILES += $(FILES)
KMOD_AUTOLOAD += $(AUTOLOAD)
KMOD_KCONFIG += $(KCONFIG)
endef

define BuildPackage
OWRT_PACKAGES += $(1)
endef

.PHONY: compile show-% install-%
compile:
	$(Build/Prepare)
	$(Build/Compile)

install-%:
	$(call Package/$*/install,$(DEST)/$*)

show-%:
	@echo $($*)
