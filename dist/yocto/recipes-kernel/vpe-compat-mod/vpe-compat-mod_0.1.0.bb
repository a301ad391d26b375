SUMMARY = "Remoteproc for VPE1 of MIPS MT cores, its memory window, the legacy VPE API"
DESCRIPTION = "vpe_rproc.ko runs firmware on the second VPE of a MIPS MT core \
through remoteproc, vpe_compat.ko gives fuse-vpe its memory and doorbells, \
vpe_legacy.ko the legacy in-kernel VPE API (vpe1_sw_start, vpe_alloc)."
LICENSE = "GPL-2.0-only"
LIC_FILES_CHKSUM = "file://vpe_main.c;beginline=1;endline=1;md5=50d2ba0afecd20f74c12a4bdbcfcfe61"

inherit module

SRC_URI = "git://github.com/vpe-compat/vpe-compat.git;protocol=https;branch=main"
SRCREV = "v${PV}"
S = "${WORKDIR}/git/kernel"

# module.bbclass passes KERNEL_SRC and the kernel's O=; kernel/Makefile
# follows those conventions and installs with modules_install.
EXTRA_OEMAKE += "KERNEL_SRC=${STAGING_KERNEL_DIR}"

RPROVIDES:${PN} += "kernel-module-vpe-rproc kernel-module-vpe-compat kernel-module-vpe-legacy"
KERNEL_MODULE_AUTOLOAD += "vpe_rproc vpe_compat"
COMPATIBLE_MACHINE = "(qemumips|malta|lantiq).*"
