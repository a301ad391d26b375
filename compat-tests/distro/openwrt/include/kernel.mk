# Stand-in for OpenWrt's include/kernel.mk (see ../../README.md).
KERNEL_MAKE = $(MAKE) -C $(LINUX_DIR) ARCH=mips CROSS_COMPILE=$(TARGET_CROSS)
AutoProbe = $(1)
