/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kspd: the SP system-call service the kernel had until 3.6 (KSPD,
 * docs/legacy-abi.md §8), in user space, as its maintainers said it should
 * be. Firmware built with the MIPS SDE kit asks Linux, over RTLX channel
 * 2, to open, read, write, seek and close files, for the time, and to say
 * it exited. Off unless fuse-vpe runs with --kspd DIR.
 *
 * A request is an 8-byte header (cmd, abi, size) and @size bytes of
 * arguments, the reply 8 bytes (retval, errno), all in the firmware's byte
 * order. Served here, differently from the kernel's, where it was unsafe:
 *   - the files are beneath DIR: relative paths resolve against the
 *     loader's working directory when that is inside DIR, else against
 *     DIR; an absolute path, "..", or a symbolic link never leads out of
 *     it (openat2 RESOLVE_IN_ROOT: DIR is the firmware's "/");
 *   - as the process that loaded the firmware (its fs uid, gid, groups
 *     and umask), set on the serving thread only;
 *   - pointers are the firmware's KSEG0/KSEG1 addresses, translated and
 *     bounds-checked through the window (-EFAULT outside it), a path read
 *     up to PATH_MAX bytes, read and write counts cut to KSPD_IO_MAX (a
 *     short read or write, as POSIX allows);
 *   - arguments past the 28 bytes of seven words are read and dropped
 *     (the kernel overran its stack buffer), missing ones are 0;
 *   - its own descriptors, numbered from KSPD_FD_BASE, all closed when the
 *     program exits or stops, all non-blocking (a FIFO or device beneath
 *     DIR answers EAGAIN or ENXIO rather than stalling the service);
 *   - of the raw o32 range (4000 + n) only the calls the SDE commands
 *     also are (exit, read, write, open, close, lseek, gettimeofday), each
 *     with its arguments checked as above; the rest, and ioctl (whose
 *     argument cannot be checked), get -ENOSYS rather than running with
 *     the daemon's rights;
 *   - errors are negative MIPS errno numbers, whatever the host.
 */
#ifndef VPE_KSPD_H
#define VPE_KSPD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "loader_id.h"
#include "window.h"

#define KSPD_CHANNEL	2
#define KSPD_HDR_SIZE	8
#define KSPD_ARGS	7		/* words of arguments kept */
#define KSPD_REQ_MAX	(KSPD_HDR_SIZE + 255)	/* size is one byte */
#define KSPD_REPLY_SIZE	8
#define KSPD_FILES	32		/* files open at once */
#define KSPD_FD_BASE	3		/* the first descriptor given out */
#define KSPD_IO_MAX	(1u << 20)	/* bytes one read or write moves */

/* SDE command numbers (docs/legacy-abi.md §8.3) */
enum kspd_cmd {
	KSPD_EXIT = 0,
	KSPD_OPEN = 1,
	KSPD_READ = 2,
	KSPD_WRITE = 3,
	KSPD_CLOSE = 4,
	KSPD_LSEEK32 = 5,
	KSPD_ISATTY = 6,
	KSPD_GETTIME = 7,
	KSPD_PIPEFREQ = 8,
	KSPD_GETTOD = 9,
	KSPD_IOCTL = 10,
	KSPD_O32_BASE = 4000,	/* raw o32 system calls */
};

struct kspd_req {
	int32_t cmd;
	uint8_t size;		/* argument bytes sent */
	uint32_t arg[KSPD_ARGS];
};

struct kspd {
	int root;			/* DIR, O_PATH; -1: not serving */
	struct window *win;
	char prefix[PATH_MAX];		/* the loader's cwd inside DIR */
	mode_t umask;			/* the loader's */
	int files[KSPD_FILES];		/* host fds, -1 free */
	uint32_t warned[4];		/* commands already said unknown */
	bool switched;			/* the thread has the loader's ids */
	int nsaved;			/* ... and had these groups */
	gid_t saved_groups[LOADER_ID_GROUPS];
};

/* @dir: --kspd DIR. 0 or -errno. */
int kspd_init(struct kspd *k, const char *dir);
void kspd_destroy(struct kspd *k);

/*
 * A program starts: serve it through @win for @who (NULL: as the daemon;
 * unknown: refused, -EPERM). Changes the calling thread's fs credentials:
 * the thread that serves calls it, and kspd_end() after.
 */
int kspd_begin(struct kspd *k, struct window *win,
	       const struct loader_id *who);
/* It ended: its files closed, the thread's credentials the daemon's. */
void kspd_end(struct kspd *k);

/*
 * The request at the start of @buf (@len bytes there): its length once
 * all of it is there (header and arguments), else 0. Pure.
 */
size_t kspd_parse(const uint8_t *buf, size_t len, bool big,
		  struct kspd_req *req);
/* Serve it: the reply's retval; *@exited for the exit call. */
int32_t kspd_serve(struct kspd *k, const struct kspd_req *req, bool *exited);
/* The 8 reply bytes for @retval (errno 0, as PIPEFREQ's). Pure. */
void kspd_reply(int32_t retval, bool big, uint8_t out[KSPD_REPLY_SIZE]);

#endif
