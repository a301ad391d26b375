/* QEMU exits and what the kernel makes of them.
 *
 * A QEMU that exits while nobody asked it to is a crash of the remote (the
 * fixtures' exception handler resets the Malta board, and QEMU runs with
 * -no-reboot): rproc_report_crash, then the crash handler, then recovery
 * if enabled. The watcher thread lives as long as the simulator, so a QEMU
 * it restarts keeps its PR_SET_PDEATHSIG parent. */
#include "core.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "fwfile.h"
#include "log.h"

static void log_exit(pid_t pid, int status)
{
	if (WIFEXITED(status))
		slog(KL_INFO, "QEMU pid %d exited by itself, status %d",
		     (int)pid, WEXITSTATUS(status));
	else
		slog(KL_INFO, "QEMU pid %d killed by signal %d", (int)pid,
		     WTERMSIG(status));
}

/* The kernel keeps power and carveouts when recovery fails, leaving an
 * instance that start/stop can no longer move. We reset instead (the one
 * deliberate difference), so that a test can carry on. */
static void recovery_failed(struct sim_rproc *r, int err)
{
	slog(KL_ERR, "recovery failed (%d): %s is offline, power count %u "
	     "reset to 0", err, r->cfg->name, r->power);
	r->power = 0;
	fw_rsc_release(&r->rsc);
}

/* rproc_boot_recovery: stop, fetch the firmware again, sim_start with
 * the carveouts and cached table of the first boot (memory not cleared,
 * the power count unchanged). */
void sim_trigger_recovery(struct sim_rproc *r)
{
	if (r->state != SIM_CRASHED)
		return;
	klog(KL_ERR, "recovering %s", r->cfg->name);
	sim_stop(r);

	uint8_t *data;
	size_t size;
	int ret = fw_request(r->cfg->fw_dir, r->firmware, &data, &size);
	if (ret) {
		klog(KL_ERR, "request_firmware failed: %d", ret);
		recovery_failed(r, ret);
		return;
	}
	struct fw_elf fw = sim_fw_elf(r, data, size);
	/* Not in the kernel's recovery path: the file may have changed, and
	 * the segment checks must not read past its end. */
	ret = fw_sanity_check(&fw);
	if (!ret)
		ret = sim_start(r, &fw);
	free(data);
	if (ret)
		recovery_failed(r, ret);
}

/* rproc_report_crash + rproc_crash_handler_work. */
static void report_crash(struct sim_rproc *r)
{
	klog(KL_ERR, "crash detected in %s: type fatal error", r->cfg->name);
	if (r->state != SIM_RUNNING)
		return;		/* only the first crash is handled */
	r->state = SIM_CRASHED;
	klog(KL_ERR, "handling crash #%u in %s", ++r->crash_cnt, r->cfg->name);
	if (!r->recovery_disabled)
		sim_trigger_recovery(r);
}

static void qemu_exited(struct sim_rproc *r, pid_t pid, int status)
{
	if (pid != r->q.pid)
		return;
	if (r->stopping) {
		r->reaped = true;
		pthread_cond_broadcast(&r->cond);
		return;
	}
	log_exit(pid, status);
	slog_file(KL_INFO, "qemu", r->err_path);
	qemu_close(&r->q);
	report_crash(r);
}

void *sim_watch(void *arg)
{
	struct sim_rproc *r = arg;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (!r->quit && !r->watched)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->quit)
			break;
		pid_t pid = r->watched;
		pthread_mutex_unlock(&r->lock);

		int status = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		pthread_mutex_lock(&r->lock);
		if (r->watched == pid)
			r->watched = 0;
		qemu_exited(r, pid, status);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}
