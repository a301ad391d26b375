# Stand-in for OpenWrt's rules.mk (see ../README.md).  Set by the test:
# TOPDIR (this directory), LINUX_DIR, TARGET_CROSS, TARGET_PKG_CONFIG,
# PKG_BUILD_DIR, DEST, VPE_COMPAT_SRC, CONFIG_BIG_ENDIAN (y or empty).
INCLUDE_DIR := $(TOPDIR)/include
CP := cp -fpR
INSTALL_DIR := install -d -m0755
INSTALL_BIN := install -m0755
INSTALL_DATA := install -m0644
TARGET_CC := $(TARGET_CROSS)gcc
TARGET_CFLAGS := -Os -pipe
TARGET_LDFLAGS :=
TARGET_CONFIGURE_OPTS = CC="$(TARGET_CC)" AR="$(TARGET_CROSS)ar" \
	PKG_CONFIG="$(TARGET_PKG_CONFIG)"
