# Stand-in for BitBake's environment of a recipe's shell tasks (see
# README.md).  Source it, set S, B, D, the STAGING_KERNEL_* and the cross
# compiler (ARCH, CROSS_COMPILE, CC, PKG_CONFIG) as a recipe would see
# them, then:
#
#   yocto_task RECIPE TASK     print the body of TASK() in RECIPE
#   yocto_var RECIPE VAR       print VAR's value (one line), ${...} kept
#   yocto_run RECIPE TASK      run TASK's body here, with EXTRA_OEMAKE
#   module_compile, module_install
#                              module.bbclass's do_compile and do_install

yocto_task() {
	awk -v t="$2" '$0 ~ "^" t "\\(\\) *\\{" { f = 1; next }
		f && /^}/ { exit } f' "$1"
}

yocto_var() {
	awk -v v="$2" '
		$0 ~ "^" v " *\\+?=" { f = 1 }
		f { line = line $0; if ($0 !~ /\\$/) exit; sub(/\\$/, "", line) }
		END { sub(/^[^"]*"/, "", line); sub(/"[^"]*$/, "", line); print line }' "$1"
}

oe_runmake() {
	# shellcheck disable=SC2086
	make -C "$S" $EXTRA_OEMAKE "$@"
}

yocto_run() {
	EXTRA_OEMAKE=$(eval "echo \"$(yocto_var "$1" EXTRA_OEMAKE)\"")
	eval "$(yocto_task "$1" "$2")"
}

# module.bbclass: KERNEL_SRC from the recipe's EXTRA_OEMAKE, the kernel's
# O=, its compilers; modules_install into ${D} with MODLIB.
module_compile() {
	EXTRA_OEMAKE=$(eval "echo \"$(yocto_var "$1" EXTRA_OEMAKE)\"")
	oe_runmake KERNEL_PATH="$STAGING_KERNEL_DIR" \
		KERNEL_VERSION="$KERNEL_VERSION" CC="${CROSS_COMPILE}gcc" \
		LD="${CROSS_COMPILE}ld" AR="${CROSS_COMPILE}ar" \
		O="$STAGING_KERNEL_BUILDDIR"
}

module_install() {
	EXTRA_OEMAKE=$(eval "echo \"$(yocto_var "$1" EXTRA_OEMAKE)\"")
	oe_runmake DEPMOD=echo MODLIB="$D/lib/modules/$KERNEL_VERSION" \
		INSTALL_FW_PATH="$D/lib/firmware" CC="${CROSS_COMPILE}gcc" \
		LD="${CROSS_COMPILE}ld" O="$STAGING_KERNEL_BUILDDIR" modules_install
}
