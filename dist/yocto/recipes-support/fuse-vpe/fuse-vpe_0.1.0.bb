SUMMARY = "Legacy /dev/vpe1 and /dev/rtlx0..7 on remoteproc"
DESCRIPTION = "fuse-vpe keeps firmware, scripts and programs written for the \
Linux VPE loader working on remoteproc; vpe-fwconvert converts legacy images."
LICENSE = "GPL-2.0-or-later"
LIC_FILES_CHKSUM = "file://fuse-vpe/main.c;beginline=1;endline=1;md5=7226e442a172bcf25807246d7ef1eba1"

SRC_URI = "git://github.com/vpe-compat/vpe-compat.git;protocol=https;branch=main"
SRCREV = "v${PV}"
S = "${WORKDIR}/git"

DEPENDS = "fuse3"
RDEPENDS:${PN} = "fuse3-utils"
RRECOMMENDS:${PN} = "vpe-compat-mod"

inherit pkgconfig systemd

SYSTEMD_SERVICE:${PN} = "fuse-vpe.service"
SYSTEMD_AUTO_ENABLE = "disable"

EXTRA_OEMAKE = "BUILD=${B} PREFIX=${prefix} \
	SYSTEMDUNITDIR=${systemd_system_unitdir} \
	UDEVRULESDIR=${nonarch_base_libdir}/udev/rules.d"

do_compile() {
	oe_runmake fuse-vpe
}

do_install() {
	oe_runmake install DESTDIR=${D}
}

PACKAGES =+ "vpe-fwconvert"
FILES:vpe-fwconvert = "${bindir}/vpe-fwconvert ${mandir}/man1/vpe-fwconvert.1"
FILES:${PN} += "${systemd_system_unitdir} ${nonarch_base_libdir}/udev/rules.d"
