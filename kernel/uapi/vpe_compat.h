/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vpe_compat: user-space interface of the VPE-loader compatibility module.
 *
 * Each remote memory window is a misc device, /dev/vpe_compatN (the Linux
 * side).  In test mode a second node, /dev/vpe_compatN_remote, stands for
 * the remote processor: it maps the same memory and its doorbells are
 * crossed with the Linux side's.
 *
 * mmap(2)   MAP_SHARED only; offset and length are page multiples and must
 *           lie inside the window (else EINVAL).  The mapping is cached, as
 *           the remote sees the memory.
 * read(2)   8 bytes: a __u64, the number of doorbells rung towards this
 *           node since this file was opened.  Blocks until the count differs
 *           from the value this file last returned (O_NONBLOCK: EAGAIN).
 *           Every ring is counted; none is lost.  EOPNOTSUPP if the window
 *           has no incoming doorbell (VPE_COMPAT_INFO_DOORBELL clear).
 * poll(2)   POLLIN while the count differs from the last value read.
 * ioctl(2)  the requests below.
 */
#ifndef _UAPI_LINUX_VPE_COMPAT_H
#define _UAPI_LINUX_VPE_COMPAT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The window is vmalloc'd memory of a test-mode module (phys_base is 0). */
#define VPE_COMPAT_INFO_TEST		0x01U
/* This node is the remote's side of a test-mode window. */
#define VPE_COMPAT_INFO_REMOTE		0x02U
/* read(2) and poll(2) see the other side's doorbells. */
#define VPE_COMPAT_INFO_DOORBELL	0x04U
/* VPE_COMPAT_IOC_KICK reaches the other side. */
#define VPE_COMPAT_INFO_KICK		0x08U
/* mmap(2) gives a cached mapping. */
#define VPE_COMPAT_INFO_CACHED		0x10U

/**
 * struct vpe_compat_info - where the window is
 * @phys_base: physical address of window offset 0 (0 in test mode)
 * @size: window size in bytes, a multiple of the page size
 * @dev_base: the remote's (device) address of window offset 0
 * @flags: VPE_COMPAT_INFO_* bits
 * @reserved: zero
 */
struct vpe_compat_info {
	__u64 phys_base;
	__u64 size;
	__u64 dev_base;
	__u32 flags;
	__u32 reserved;
};

#define VPE_COMPAT_COMM_LEN	16
#define VPE_COMPAT_IFACE_LEN	64
#define VPE_COMPAT_REPL_LEN	128

/**
 * struct vpe_compat_deprecation - one deprecation line for the kernel log
 * @pid: the process that used the legacy interface (> 0)
 * @flags: zero
 * @comm: its name
 * @iface: the legacy interface it used, e.g. "/dev/rtlx0"
 * @replacement: what to use instead, e.g. "remoteproc sysfs"
 *
 * Each string must be non-empty, NUL-terminated inside its array and free
 * of control characters (bytes below 0x20 and 0x7f); otherwise EINVAL.
 * The kernel logs, at warning level:
 *
 *   vpe-compat: COMM[PID] uses IFACE, which is deprecated; use REPLACEMENT
 *
 * Lines are rate-limited (10 per 5 seconds for the whole module): a call
 * over the limit logs nothing and fails with EAGAIN; do not retry it.
 */
struct vpe_compat_deprecation {
	__s32 pid;
	__u32 flags;
	char comm[VPE_COMPAT_COMM_LEN];
	char iface[VPE_COMPAT_IFACE_LEN];
	char replacement[VPE_COMPAT_REPL_LEN];
};

#define VPE_COMPAT_IOC_MAGIC	0xB8

/* Fill a struct vpe_compat_info. */
#define VPE_COMPAT_IOC_INFO \
	_IOR(VPE_COMPAT_IOC_MAGIC, 0x10, struct vpe_compat_info)
/* Ring the other side's doorbell (EOPNOTSUPP without VPE_COMPAT_INFO_KICK). */
#define VPE_COMPAT_IOC_KICK \
	_IO(VPE_COMPAT_IOC_MAGIC, 0x11)
/* Log one deprecation line (see struct vpe_compat_deprecation). */
#define VPE_COMPAT_IOC_DEPRECATED \
	_IOW(VPE_COMPAT_IOC_MAGIC, 0x12, struct vpe_compat_deprecation)

#endif /* _UAPI_LINUX_VPE_COMPAT_H */
