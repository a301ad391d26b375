/* The remote core: one QEMU Malta process, controlled over QMP. */
#ifndef RPROC_SIM_QEMU_H
#define RPROC_SIM_QEMU_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct qemu_cfg {
	const char *binary;	/* qemu-system-mips or qemu-system-mipsel */
	const char *cpu;
	uint64_t ram_size;
	const char *ram_path;	/* shared memory backend: phys X = offset X */
	const char *image;	/* ELF loaded at p_paddr, entered at e_entry */
	const char *uart_log;	/* NULL: UART output discarded */
	const char *qmp_path;	/* unix socket */
	const char *err_path;	/* QEMU's stdout and stderr */
};

struct qemu {
	pid_t pid;		/* 0: none */
	int qmp;		/* -1: not connected */
	size_t len;		/* bytes in buf */
	char buf[8192];		/* QMP input not yet split into lines */
};

void qemu_init(struct qemu *q);
/* Start QEMU paused and complete the QMP handshake. The machine is then
 * built and the image is in RAM. On failure QEMU is gone (killed and
 * reaped), its output is logged, and -EINVAL is returned. */
int qemu_start(struct qemu *q, const struct qemu_cfg *c);
int qemu_cont(struct qemu *q);
/* Ask QEMU to exit; the caller reaps it. */
int qemu_quit(struct qemu *q);
/* Kill and reap a QEMU that nobody else waits for, then qemu_close. */
void qemu_abort(struct qemu *q);
/* Drop the QMP connection and forget the pid (after it was reaped). */
void qemu_close(struct qemu *q);

#endif
