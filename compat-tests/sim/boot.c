/* Booting and stopping the remote, in the kernel's order (its names in
 * brackets):
 *   sim_boot    (rproc_boot) power count, request_firmware
 *   fw_boot     (rproc_fw_boot) sanity check, resource table, carveouts
 *               (zeroed)
 *   sim_start   (rproc_start) segment checks, QEMU loads the image paused,
 *               the resource table is copied into RAM, then the CPU runs
 * All of it runs inside the write() of "start", so errors reach the writer. */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fwfile.h"
#include "log.h"
#include "ram.h"

#define QUIT_WAIT_MS 3000	/* QMP quit to exit */
#define KILL_WAIT_MS 3000	/* SIGKILL to reaped */

static void fw_log(void *ctx, bool sim, enum klevel lvl, const char *fmt,
		   va_list ap)
{
	(void)ctx;
	if (sim)
		vslog(lvl, fmt, ap);
	else
		vklog(lvl, fmt, ap);
}

struct fw_elf sim_fw_elf(const struct sim_rproc *r, const uint8_t *data,
			   size_t size)
{
	return (struct fw_elf){
		.data = data,
		.size = size,
		.big_endian = r->cfg->big_endian,
		.log = fw_log,
	};
}

static int write_file(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int ret = ram_write(fd, 0, data, size);	/* a plain pwrite loop */
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

/* dma_alloc_coherent returns zeroed memory. */
static int zero_carveouts(struct sim_rproc *r)
{
	for (size_t i = 0; i < r->rsc.ncv; i++) {
		int ret = ram_zero(r->ram_fd, r->rsc.cv[i].da, r->rsc.cv[i].len);
		if (ret) {
			slog(KL_ERR, "cannot clear RAM: %s", strerror(-ret));
			return -ENOMEM;
		}
	}
	return 0;
}

/* After loading, the kernel copies its table (pa filled in) over the one
 * in the image's memory, if the section's address is in a carveout. */
static int copy_table(struct sim_rproc *r, const struct fw_elf *fw)
{
	uint32_t pa;
	if (!fw_loaded_table(fw, &r->rsc, &pa)) {
		slog(KL_DBG, ".resource_table address not in a carveout: "
		     "not copied to RAM");
		return 0;
	}
	int ret = ram_write(r->ram_fd, pa, r->rsc.table, r->rsc.size);
	if (ret)
		slog(KL_ERR, "cannot write RAM: %s", strerror(-ret));
	return ret;
}

static void run_qemu_cfg(const struct sim_rproc *r, struct qemu_cfg *qc,
			 char *bin, size_t cap)
{
	snprintf(bin, cap, "%s%s", r->cfg->qemu_prefix,
		 r->cfg->big_endian ? "mips" : "mipsel");
	*qc = (struct qemu_cfg){
		.binary = bin,
		.cpu = r->cfg->cpu,
		.ram_size = r->cfg->ram_size,
		.ram_path = r->cfg->ram_path,
		.image = r->image_path,
		.uart_log = r->cfg->uart_log,
		.qmp_path = r->qmp_path,
		.err_path = r->err_path,
	};
}

int sim_start(struct sim_rproc *r, const struct fw_elf *fw)
{
	int ret = fw_check_segments(fw, &r->rsc);
	if (ret)
		return ret;
	/* QEMU gets exactly the checked bytes, whatever happens to the file
	 * in the firmware directory meanwhile. */
	ret = write_file(r->image_path, fw->data, fw->size);
	if (ret) {
		slog(KL_ERR, "%s: %s", r->image_path, strerror(-ret));
		return -ENOMEM;
	}
	struct qemu_cfg qc;
	char bin[4096];
	run_qemu_cfg(r, &qc, bin, sizeof(bin));
	ret = qemu_start(&r->q, &qc);
	if (ret)
		return ret;
	ret = copy_table(r, fw);
	if (!ret && qemu_cont(&r->q)) {
		slog(KL_ERR, "QEMU did not resume");
		ret = -EINVAL;
	}
	if (ret) {
		qemu_abort(&r->q);
		return ret;
	}
	slog(KL_DBG, "QEMU pid %d runs from 0x%08x", (int)r->q.pid,
	     fw_entry(fw));
	r->state = SIM_RUNNING;
	r->watched = r->q.pid;
	pthread_cond_broadcast(&r->cond);
	klog(KL_INFO, "remote processor %s is now up", r->cfg->name);
	return 0;
}

/* rproc_fw_boot: everything from the image to a running remote. */
static int fw_boot(struct sim_rproc *r, const uint8_t *data, size_t size)
{
	struct fw_elf fw = sim_fw_elf(r, data, size);
	struct fw_ram ram = {
		.size = r->dma_size,
		.core_5x = r->cfg->era != ERA_4X,
	};
	int ret = fw_sanity_check(&fw);
	if (ret)
		return ret;
	klog(KL_INFO, "Booting fw image %s, size %zu", r->firmware, size);
	ret = fw_parse_table(&fw, &r->rsc);
	if (!ret)
		ret = fw_handle_resources(&fw, &r->rsc, &ram);
	if (!ret)
		ret = zero_carveouts(r);
	if (!ret)
		ret = sim_start(r, &fw);
	if (ret)
		fw_rsc_release(&r->rsc);
	return ret;
}

int sim_boot(struct sim_rproc *r)
{
	/* Already powered (running, or crashed: a crash keeps the count):
	 * just one more user. */
	if (r->power++ > 0)
		return 0;
	klog(KL_INFO, "powering up %s", r->cfg->name);
	uint8_t *data;
	size_t size;
	int ret = fw_request(r->cfg->fw_dir, r->firmware, &data, &size);
	if (ret) {
		klog(KL_ERR, "request_firmware failed: %d", ret);
	} else {
		ret = fw_boot(r, data, size);
		free(data);
	}
	if (ret)
		r->power--;
	return ret;
}

static void wait_reaped(struct sim_rproc *r, int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (!r->reaped)
		if (pthread_cond_timedwait(&r->cond, &r->lock, &ts) ==
		    ETIMEDOUT)
			break;
}

/* QMP quit, SIGKILL if that is not enough; the watcher reaps. */
static void end_qemu(struct sim_rproc *r)
{
	if (!r->q.pid)
		return;
	r->stopping = true;
	r->reaped = false;
	if (qemu_quit(&r->q) == 0)
		wait_reaped(r, QUIT_WAIT_MS);
	if (!r->reaped) {
		slog(KL_WARN, "QEMU pid %d ignored quit: killing it",
		     (int)r->q.pid);
		kill(r->q.pid, SIGKILL);
		wait_reaped(r, KILL_WAIT_MS);
	}
	if (!r->reaped)
		slog(KL_ERR, "QEMU pid %d was not reaped", (int)r->q.pid);
	r->stopping = false;
	qemu_close(&r->q);
}

void sim_stop(struct sim_rproc *r)
{
	end_qemu(r);
	r->state = SIM_OFFLINE;
	klog(KL_INFO, "stopped remote processor %s", r->cfg->name);
}
