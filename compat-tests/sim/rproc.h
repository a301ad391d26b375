/* The remoteproc core as user space sees it through sysfs: one instance,
 * its state machine, power count, firmware name, boot, crash and recovery.
 * Every entry point is serialised by the instance lock, like rproc->lock. */
#ifndef RPROC_SIM_RPROC_H
#define RPROC_SIM_RPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sim_era {
	ERA_4X,		/* 4.10 .. 5.18: start while running is -EBUSY */
	ERA_5_19,	/* 5.19+: start and stop are power-refcounted */
};

struct sim_cfg {
	const char *name;		/* rproc->name, e.g. mips-cpu1 */
	const char *fw_dir;		/* the firmware search path */
	const char *ram_path;
	uint64_t ram_size;
	bool big_endian;		/* the simulated kernel's byte order */
	enum sim_era era;
	bool recovery;			/* initial recovery setting */
	const char *qemu_prefix;	/* + "mips" / "mipsel" */
	const char *cpu;
	const char *uart_log;		/* NULL: discarded */
	const char *run_dir;		/* private: QMP socket, QEMU output */
};

struct sim_rproc;

/* Opens (creates) the RAM file. NULL and *err = -errno on failure. */
struct sim_rproc *sim_create(const struct sim_cfg *cfg, int *err);
/* The thread that reaps QEMU and handles crashes. Start it after any
 * fork (daemonizing) and before the first boot. */
int sim_start_watcher(struct sim_rproc *r);
/* Stop the remote whatever its power count, end the watcher, free. */
void sim_destroy(struct sim_rproc *r);

/*
 * The driver is unbound (rproc_del(): a running remote is shut down, the
 * instance leaves sysfs). Asked for by SIGUSR1; sim_bound() is false after.
 */
void sim_unbind(struct sim_rproc *r);
bool sim_bound(struct sim_rproc *r);

/* Attribute contents, "\n"-terminated, as sysfs shows them. */
void sim_show_name(struct sim_rproc *r, char *buf, size_t cap);
void sim_show_firmware(struct sim_rproc *r, char *buf, size_t cap);
void sim_show_state(struct sim_rproc *r, char *buf, size_t cap);
void sim_show_recovery(struct sim_rproc *r, char *buf, size_t cap);

/* Attribute writes: 0 or the -errno the writer's write() gets. buf holds
 * what was written (len bytes) and is NUL-terminated at buf[len], as
 * sysfs hands it to a store function. */
int sim_store_firmware(struct sim_rproc *r, const char *buf, size_t len);
int sim_store_state(struct sim_rproc *r, const char *buf, size_t len);
int sim_store_recovery(struct sim_rproc *r, const char *buf, size_t len);

#endif
