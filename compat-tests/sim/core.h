/* Internals of the simulated remoteproc core, shared by rproc.c (sysfs
 * semantics), boot.c (boot and stop) and crash.c (QEMU exits, recovery).
 * Every function here runs with r->lock held. */
#ifndef RPROC_SIM_CORE_H
#define RPROC_SIM_CORE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "elfcheck.h"
#include "qemu.h"
#include "rproc.h"

enum sim_state { SIM_OFFLINE, SIM_RUNNING, SIM_CRASHED };

struct sim_rproc {
	const struct sim_cfg *cfg;
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* watched, reaped or quit changed */
	pthread_t watcher;
	bool watcher_started;

	char *firmware;		/* rproc->firmware */
	enum sim_state state;
	unsigned power;		/* rproc->power: users that started it */
	bool recovery_disabled;
	unsigned crash_cnt;

	struct fw_rsc rsc;	/* resources of the running image */
	int ram_fd;
	uint64_t dma_size;	/* RAM where carveouts can be allocated */
	char *image_path;	/* the checked bytes, as QEMU loads them */
	char *qmp_path;
	char *err_path;

	struct qemu q;
	pid_t watched;		/* the QEMU the watcher waits for, 0: none */
	bool stopping;		/* its exit was asked for */
	bool reaped;
	bool quit;		/* the watcher must end */
	bool unbound;		/* the driver was unbound: no instance */
};

/* boot.c */
int sim_boot(struct sim_rproc *r);	/* a "start": power up or count */
int sim_start(struct sim_rproc *r, const struct fw_elf *fw);
void sim_stop(struct sim_rproc *r);	/* end QEMU, state offline */
struct fw_elf sim_fw_elf(const struct sim_rproc *r, const uint8_t *data,
			   size_t size);

/* crash.c */
void sim_trigger_recovery(struct sim_rproc *r);
void *sim_watch(void *arg);

#endif
