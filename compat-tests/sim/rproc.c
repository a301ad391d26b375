/* The sysfs side of the simulated remoteproc core: the attribute
 * semantics of drivers/remoteproc/remoteproc_sysfs.c by kernel era, and the
 * instance's life (create, watcher, destroy). */
#include "core.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "ram.h"

/* Malta maps the first 256 MiB of RAM at physical 0; anything above is
 * only reachable through a high alias, so carveouts are allocated below. */
#define MALTA_LOW_RAM (256ull << 20)

static const char *const state_names[] = {
	[SIM_OFFLINE] = "offline",
	[SIM_RUNNING] = "running",
	[SIM_CRASHED] = "crashed",
};

static char *path_in(const char *dir, const char *file)
{
	char *s;
	return asprintf(&s, "%s/%s", dir, file) < 0 ? NULL : s;
}

static void free_rproc(struct sim_rproc *r)
{
	if (r->ram_fd >= 0)
		close(r->ram_fd);
	fw_rsc_release(&r->rsc);
	free(r->firmware);
	free(r->image_path);
	free(r->qmp_path);
	free(r->err_path);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

struct sim_rproc *sim_create(const struct sim_cfg *cfg, int *err)
{
	struct sim_rproc *r = calloc(1, sizeof(*r));
	if (!r) {
		*err = -ENOMEM;
		return NULL;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&r->lock, NULL);
	qemu_init(&r->q);
	r->cfg = cfg;
	r->recovery_disabled = !cfg->recovery;
	r->dma_size = cfg->ram_size < MALTA_LOW_RAM ? cfg->ram_size :
						      MALTA_LOW_RAM;
	r->ram_fd = ram_open(cfg->ram_path, cfg->ram_size);
	if (r->ram_fd < 0) {
		*err = r->ram_fd;
		free_rproc(r);
		return NULL;
	}
	/* The driver's default name when it passes none to rproc_alloc. */
	if (asprintf(&r->firmware, "rproc-%s-fw", cfg->name) < 0)
		r->firmware = NULL;
	r->image_path = path_in(cfg->run_dir, "image.elf");
	r->qmp_path = path_in(cfg->run_dir, "qmp.sock");
	r->err_path = path_in(cfg->run_dir, "qemu.out");
	if (!r->firmware || !r->image_path || !r->qmp_path || !r->err_path) {
		*err = -ENOMEM;
		free_rproc(r);
		return NULL;
	}
	return r;
}

int sim_start_watcher(struct sim_rproc *r)
{
	/* Signals for the process (SIGTERM, SIGINT, SIGHUP) must reach the
	 * FUSE loop's thread, never this one. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int ret = pthread_create(&r->watcher, NULL, sim_watch, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	r->watcher_started = true;
	return 0;
}

void sim_destroy(struct sim_rproc *r)
{
	pthread_mutex_lock(&r->lock);
	if (r->q.pid)
		sim_stop(r);
	r->quit = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	if (r->watcher_started)
		pthread_join(r->watcher, NULL);
	free_rproc(r);
}

void sim_unbind(struct sim_rproc *r)
{
	pthread_mutex_lock(&r->lock);
	if (!r->unbound && r->state != SIM_OFFLINE)
		sim_stop(r);
	r->unbound = true;
	pthread_mutex_unlock(&r->lock);
}

bool sim_bound(struct sim_rproc *r)
{
	pthread_mutex_lock(&r->lock);
	bool bound = !r->unbound;
	pthread_mutex_unlock(&r->lock);
	return bound;
}

/* sysfs_streq: equal, allowing one trailing newline in what was written
 * (which ends at its first NUL, like the C string sysfs hands over). */
static bool streq(const char *buf, size_t len, const char *word)
{
	size_t n = strnlen(buf, len);
	if (n && buf[n - 1] == '\n')
		n--;
	return n == strlen(word) && memcmp(buf, word, n) == 0;
}

static void show(char *buf, size_t cap, const char *s)
{
	snprintf(buf, cap, "%s\n", s);
}

void sim_show_name(struct sim_rproc *r, char *buf, size_t cap)
{
	show(buf, cap, r->cfg->name);
}

void sim_show_firmware(struct sim_rproc *r, char *buf, size_t cap)
{
	pthread_mutex_lock(&r->lock);
	show(buf, cap, r->firmware);
	pthread_mutex_unlock(&r->lock);
}

void sim_show_state(struct sim_rproc *r, char *buf, size_t cap)
{
	pthread_mutex_lock(&r->lock);
	show(buf, cap, state_names[r->state]);
	pthread_mutex_unlock(&r->lock);
}

void sim_show_recovery(struct sim_rproc *r, char *buf, size_t cap)
{
	pthread_mutex_lock(&r->lock);
	show(buf, cap, r->recovery_disabled ? "disabled" : "enabled");
	pthread_mutex_unlock(&r->lock);
}

/* rproc_set_firmware: the name ends at the first newline. */
static int set_firmware(struct sim_rproc *r, const char *buf, size_t len)
{
	if (r->state != SIM_OFFLINE) {
		klog(KL_ERR, "can't change firmware while running");
		return -EBUSY;
	}
	size_t n = strnlen(buf, len);
	const char *nl = memchr(buf, '\n', n);
	if (nl)
		n = nl - buf;
	if (!n) {
		klog(KL_ERR, "can't provide empty string for firmware name");
		return -EINVAL;
	}
	char *name = strndup(buf, n);
	if (!name)
		return -ENOMEM;
	free(r->firmware);
	r->firmware = name;
	return 0;
}

int sim_store_firmware(struct sim_rproc *r, const char *buf, size_t len)
{
	pthread_mutex_lock(&r->lock);
	int ret = set_firmware(r, buf, len);
	pthread_mutex_unlock(&r->lock);
	return ret;
}

/* rproc_shutdown: only the last user really stops the remote. */
static int shutdown_rproc(struct sim_rproc *r)
{
	if (r->state != SIM_RUNNING)
		return -EINVAL;
	if (--r->power > 0)
		return 0;
	sim_stop(r);
	fw_rsc_release(&r->rsc);	/* the carveouts are freed */
	return 0;
}

static int start(struct sim_rproc *r)
{
	/* 4.10 .. 5.18 refused here; 5.19+ lets sim_boot count the user. */
	if (r->cfg->era == ERA_4X && r->state == SIM_RUNNING)
		return -EBUSY;
	int ret = sim_boot(r);
	if (ret)
		klog(KL_ERR, "Boot failed: %d", ret);
	return ret;
}

static int store_state(struct sim_rproc *r, const char *buf, size_t len)
{
	if (streq(buf, len, "start"))
		return start(r);
	if (streq(buf, len, "stop"))
		return shutdown_rproc(r);
	/* 5.19: rproc_detach refuses what was not attached; 4.x did not
	 * know the word. Either way nothing is ever attached here. */
	if (r->cfg->era != ERA_4X && streq(buf, len, "detach"))
		return -EINVAL;
	klog(KL_ERR, "Unrecognised option: %.*s", (int)strcspn(buf, "\n"), buf);
	return -EINVAL;
}

int sim_store_state(struct sim_rproc *r, const char *buf, size_t len)
{
	pthread_mutex_lock(&r->lock);
	int ret = store_state(r, buf, len);
	pthread_mutex_unlock(&r->lock);
	return ret;
}

/* recovery_store: the recovery's own outcome never reaches the writer. */
int sim_store_recovery(struct sim_rproc *r, const char *buf, size_t len)
{
	int ret = 0;
	pthread_mutex_lock(&r->lock);
	if (streq(buf, len, "enabled")) {
		r->recovery_disabled = false;
		sim_trigger_recovery(r);
	} else if (streq(buf, len, "disabled")) {
		r->recovery_disabled = true;
	} else if (streq(buf, len, "recover")) {
		sim_trigger_recovery(r);
	} else {
		ret = -EINVAL;
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}
