// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpe: /dev/vpe1 — staging, stop on open, load on the opener's close.
 *
 * When to load (docs/architecture.md, "Load at the opener's close"): FUSE
 * sends a flush on every close of every duplicate of the file, and release
 * (the real last close) cannot return an error. So the image is loaded at
 * the flush sent by the process that opened the file — for cat, dd, cp and
 * tee that is their last close — while flushes from other processes
 * sharing the file only let data accumulate, and a flush with nothing
 * staged is ignored (shells dup the fd and close the original before
 * running the writer). Release loads whatever no flush loaded and can only
 * log the outcome.
 *
 * Unless the bytes settle it sooner: a close error is not always seen
 * (busybox's cat never checks its close; busybox ash and dash open
 * "> /dev/vpe1" themselves and drop the error of their own close). So
 * each write asks fwimage_extent() whether the bytes so far settle the
 * image: one that rules it out, or completes an image that cannot be
 * converted, fails with that error (ENOEXEC, or ENOMEM), and the image is
 * dropped. A whole image written by a process that did not open the file
 * is loaded at that writer's last close, the outcome returned to it. An
 * image still incomplete keeps the rule above, so "(cat part1; cat part2)
 * > /dev/vpe1" loads it once, whole. After either verdict the open is
 * spent: its later writes fail (with the refusal's error, or EBUSY after
 * a load).
 *
 * Where the image is staged: in the firmware directory itself, in an
 * unnamed file (O_TMPFILE) that the load turns into the remoteproc image
 * in place (fwimage_convert_pieces(): the ELF header rewritten, the
 * tables appended, the loaded bytes left where the writer put them) and
 * then renames over the firmware file. So the image's bytes are copied
 * once, by the writes, as `cp` into the firmware directory would; nothing
 * of their size is in the daemon's memory, and nothing is left behind
 * should the daemon die. Where the file system has no unnamed files the
 * image is staged in a memfd and written to a temporary file at the load.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdbool.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fwimage.h"
#include "fwwrite.h"
#include "legacy.h"
#include "notice.h"
#include "vpe.h"
#include "warn.h"

/* Total staged over all opens at once, in units of the image limit. */
#define VPE_STAGING_LIMIT_IMAGES 4

struct vpe_file {
	pthread_mutex_t lock;	/* duplicates in several processes write at once */
	pid_t opener;
	struct loader_id who;	/* the opener, as the legacy loader kept it */
	bool written;		/* any write at all since open */
	bool reported;		/* an outcome was already given for it */
	struct rproc_image img;	/* the staged image, fd -1 until a write */
	bool in_fwdir;		/* img is in the firmware directory (else a memfd) */
	size_t len;
	int replaced;		/* the firmware file a load replaced, closed
				   at release, after the loader has its answer */
	/* what the writes settle (judge()) */
	pid_t last_writer;
	size_t need;		/* the image is not whole below this length */
	bool whole;		/* it is, and it converts */
	int verdict;		/* -ENOEXEC: refused; -EBUSY: loaded; 0: neither */
	pid_t judged_for;	/* the writer the verdict was given to */
};

void vpe_init(struct vpe *v, struct rproc *rp, const struct vpe_config *cfg,
	      const struct vpe_listener *listener)
{
	memset(v, 0, sizeof(*v));
	v->rp = rp;
	v->cfg = *cfg;
	if (listener)
		v->listener = *listener;
	pthread_mutex_init(&v->lock, NULL);
	pthread_mutex_init(&v->load_lock, NULL);
}

void vpe_destroy(struct vpe *v)
{
	pthread_mutex_destroy(&v->lock);
	pthread_mutex_destroy(&v->load_lock);
}

/* ---- staging ---------------------------------------------------------- */

static int staging_reserve(struct vpe *v, size_t more)
{
	int err = 0;

	pthread_mutex_lock(&v->lock);
	if (v->staged_total + more >
	    VPE_STAGING_LIMIT_IMAGES * v->cfg.max_image)
		err = -ENOMEM;
	else
		v->staged_total += more;
	pthread_mutex_unlock(&v->lock);
	return err;
}

static void staging_unreserve(struct vpe *v, size_t less)
{
	pthread_mutex_lock(&v->lock);
	v->staged_total -= less;
	pthread_mutex_unlock(&v->lock);
}

/* The staging file, at the first write. */
static int staging_open(struct vpe *v, struct vpe_file *f)
{
	int err;

	if (f->img.fd >= 0)
		return 0;
	err = rproc_image_open(v->rp, &f->img, false);
	f->in_fwdir = !err;
	if (err == -EOPNOTSUPP) {
		f->img.fd = memfd_create("vpe1-image", MFD_CLOEXEC);
		err = f->img.fd < 0 ? -errno : 0;
	}
	if (err)
		warn_log(LOG_ERR,
			 "vpe-compat: cannot stage an image in the firmware directory %s: %s",
			 v->rp->fw_dir, strerror(-err));
	return err;
}

static void staging_free(struct vpe *v, struct vpe_file *f)
{
	if (f->img.fd >= 0)
		rproc_image_discard(v->rp, &f->img);
	staging_unreserve(v, f->len);
	f->len = 0;
}

static int staging_write(struct vpe_file *f, const uint8_t *p, size_t len)
{
	off_t off = (off_t)f->len;

	while (len) {
		ssize_t n = pwrite(f->img.fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			/* all or nothing: what was written of it goes */
			if (ftruncate(f->img.fd, (off_t)f->len) < 0)
				warn_log(LOG_ERR,
					 "vpe-compat: cannot cut back the staged image: %s",
					 strerror(errno));
			return err;
		}
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The whole write is refused, nothing copied, as the legacy loader did. */
static ssize_t append(struct vpe *v, struct vpe_file *f, const void *buf,
		      size_t len)
{
	int err;

	if (len == 0)
		return 0;
	if (len > v->cfg.max_image - f->len) {
		warn_log(LOG_WARNING, LEGACY_MSG_TOO_BIG);
		warn_log(LOG_ERR,
			 "vpe-compat: image would exceed %zu bytes (--max-image)",
			 v->cfg.max_image);
		return -ENOMEM;
	}
	err = staging_reserve(v, len);
	if (err) {
		warn_log(LOG_ERR,
			 "vpe-compat: too many images staged at once (%zu bytes)",
			 VPE_STAGING_LIMIT_IMAGES * v->cfg.max_image);
		return err;
	}
	err = staging_open(v, f);
	if (!err) {
		err = staging_write(f, buf, len);
		if (err)
			warn_log(LOG_ERR,
				 "vpe-compat: cannot stage the image in %s (%zu bytes staged, %zu more refused): %s",
				 f->in_fwdir ? v->rp->fw_dir : "memory",
				 f->len, len, strerror(-err));
	}
	if (err) {
		staging_unreserve(v, len);
		return err;
	}
	f->len += len;
	return len;
}

/* ---- loading ---------------------------------------------------------- */

static void log_result(const struct fwimage_result *res)
{
	unsigned int i;

	for (i = 0; i < res->nlegacy; i++)
		warn_log(res->legacy[i].level, "%s",
			 res->legacy[i].text);
	for (i = 0; i < res->nwarnings; i++)
		warn_log(LOG_WARNING, "vpe-compat: %s", res->warnings[i]);
	if (res->err)
		warn_log(LOG_ERR, "vpe-compat: %s", res->error);
}

static void notify_stopped(struct vpe *v)
{
	if (v->listener.stopped)
		v->listener.stopped(v->listener.ctx);
}

/* Stop whatever runs. Called with load_lock held. */
static int stop_locked(struct vpe *v)
{
	int err = rproc_stop(v->rp);

	notify_stopped(v);
	if (err)
		warn_log(LOG_ERR, "vpe-compat: cannot stop %s: %s",
			 v->rp->name, strerror(-err));
	return err;
}

/*
 * The converted image into the file remoteproc reads. Staged in the
 * firmware directory: the staging file becomes it (before the load lock:
 * the file is ours alone). Else a new file, from the memfd (under it: one
 * temporary name at a time).
 */
static int write_image(struct vpe *v, struct vpe_file *f,
		       const struct fwimage_result *res,
		       struct rproc_image *out, bool locked)
{
	int err;

	if (f->in_fwdir == locked)
		return 0;	/* done in the other step */
	if (f->in_fwdir) {
		err = fwwrite_pieces(f->img.fd, f->img.fd, res, true);
		if (!err) {
			*out = f->img;
			f->img.fd = -1;
			f->img.tmp[0] = '\0';
		}
	} else {
		err = rproc_image_open(v->rp, out, true);
		if (!err) {
			err = fwwrite_pieces(out->fd, f->img.fd, res, false);
			if (err)
				rproc_image_discard(v->rp, out);
		}
	}
	if (err)
		warn_log(LOG_ERR, "vpe-compat: cannot write firmware %s: %s",
			 v->rp->fw_name, strerror(-err));
	return err;
}

static void unmap_staged(void **map, size_t len)
{
	if (*map)
		munmap(*map, len);
	*map = NULL;
}

/* How images are converted here. */
static struct fwimage_opts image_opts(const struct vpe *v)
{
	return (struct fwimage_opts){
		.load_addr = v->cfg.load_addr,
		.max_size = v->cfg.max_image,
		.order = v->cfg.order,
	};
}

/* The @len staged bytes, mapped for fwimage to read @why; NULL, -errno. */
static void *map_staged(const struct vpe_file *f, const char *why, int *err)
{
	void *map = mmap(NULL, f->len, PROT_READ, MAP_SHARED, f->img.fd, 0);

	if (map != MAP_FAILED)
		return map;
	*err = -errno;
	warn_log(LOG_ERR,
		 "vpe-compat: cannot map the staged image (%zu bytes) to %s it: %s",
		 f->len, why, strerror(errno));
	return NULL;
}

/* Convert, install and start what @f staged (maybe nothing). 0 or -errno. */
static int load_image(struct vpe *v, struct vpe_file *f)
{
	struct fwimage_opts opts = image_opts(v);
	struct rproc_image out = { .fd = -1 };
	struct fwimage_result *res;
	void *map = NULL;
	int err;

	if (f->len) {
		map = map_staged(f, "convert", &err);
		if (!map)
			return err;
	}
	res = malloc(sizeof(*res));
	if (!res) {
		err = -ENOMEM;
		goto unmap;
	}
	err = fwimage_convert_pieces(map, f->len, &opts, res);
	log_result(res);
	if (!err)
		err = write_image(v, f, res, &out, false);
	if (err)
		goto out;
	pthread_mutex_lock(&v->load_lock);
	/* a load from another open may have started since our open */
	err = stop_locked(v);
	if (!err)
		err = write_image(v, f, res, &out, true);
	if (!err) {
		if (f->replaced >= 0)
			close(f->replaced);
		err = rproc_image_install(v->rp, &out, &f->replaced);
		if (err)
			warn_log(LOG_ERR, "vpe-compat: cannot write firmware %s: %s",
				 v->rp->fw_name, strerror(-err));
	}
	/*
	 * The kernel refuses to load a file open for writing (ETXTBSY), and
	 * this mapping of the staged file keeps it so: it goes first.
	 */
	unmap_staged(&map, f->len);
	if (!err)
		err = rproc_start(v->rp);
	if (!err && v->listener.started)
		v->listener.started(v->listener.ctx, &res->info, &f->who);
	pthread_mutex_unlock(&v->load_lock);
out:
	if (out.fd >= 0)
		rproc_image_discard(v->rp, &out);
	fwimage_result_free(res);
	free(res);
unmap:
	unmap_staged(&map, f->len);
	return err;
}

static int load_staged(struct vpe *v, struct vpe_file *f)
{
	int err = load_image(v, f);

	staging_free(v, f);
	/* a load is rare: give back what the conversion freed now */
	malloc_trim(0);
	return err;
}

/* ---- what the bytes settle -------------------------------------------- */

/* Would @len staged bytes convert? 0, or -errno with the reasons logged. */
static int check_convert(const void *map, size_t len,
			 const struct fwimage_opts *opts)
{
	struct fwimage_result *res = malloc(sizeof(*res));
	int err;

	if (!res)
		return -ENOMEM;
	err = fwimage_convert_pieces(map, len, opts, res);
	if (err)
		log_result(res);
	fwimage_result_free(res);
	free(res);
	return err;
}

/*
 * After a write by @pid: do the bytes staged so far settle the image?
 * 0 while it may still become one, or the conversion's -errno for this
 * write when it cannot (the bytes are dropped): -ENOEXEC, or -ENOMEM for
 * what could never fit (a .bss past --max-image). Asked only as often as
 * the answer can change: when the bytes reach what it last asked for.
 */
static int judge(struct vpe *v, struct vpe_file *f, pid_t pid)
{
	struct fwimage_opts opts = image_opts(v);
	size_t need = 0;
	int settled, err = 0;
	void *map;

	if (f->whole || f->len < f->need)
		return 0;
	map = map_staged(f, "check", &err);
	if (!map) {
		f->need = SIZE_MAX;	/* not here, then: the load will tell */
		return 0;
	}
	settled = fwimage_extent(map, f->len, &opts, &need);
	if (!settled && need > f->len) {
		f->need = need;
	} else {
		/* refused or whole: the conversion says why, or that it is fine */
		err = check_convert(map, f->len, &opts);
		f->whole = !err && !settled;
		if (!err && settled)	/* they disagree: the load will tell */
			f->need = SIZE_MAX;
	}
	munmap(map, f->len);
	if (err) {
		staging_free(v, f);
		f->verdict = err;
		f->judged_for = pid;
	}
	return err;
}

/* A write once the open's image was judged: refused, and why. */
static int spent(struct vpe_file *f)
{
	if (f->verdict == -EBUSY)
		warn_log(LOG_ERR,
			 "vpe-compat: the image written through this open of /dev/vpe1 was loaded when process %d closed it; open /dev/vpe1 again to load another",
			 (int)f->judged_for);
	return f->verdict;
}

/* ---- file operations -------------------------------------------------- */

int vpe_open(struct vpe *v, pid_t pid, struct vpe_file **file)
{
	struct vpe_file *f;
	int err;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->opener = pid;
	loader_id_read(pid, &f->who);	/* unknown if it cannot be read */
	f->img.fd = -1;
	f->replaced = -1;
	pthread_mutex_init(&f->lock, NULL);
	notice_forget(NOTICE_LOADER);
	/* legacy: merely opening stops the running program */
	pthread_mutex_lock(&v->load_lock);
	err = stop_locked(v);
	pthread_mutex_unlock(&v->load_lock);
	if (err) {
		notice_use(NOTICE_LOADER, pid);
		pthread_mutex_destroy(&f->lock);
		free(f);
		return err;
	}
	*file = f;
	return 0;
}

ssize_t vpe_write(struct vpe *v, struct vpe_file *f, const void *buf,
		  size_t len, pid_t pid)
{
	ssize_t n;

	/*
	 * The deprecation line names the writer, not the opener: a shell
	 * opens "> /dev/vpe1" before it becomes cat, or for cat to inherit.
	 */
	notice_use(NOTICE_LOADER, pid);
	pthread_mutex_lock(&f->lock);
	if (f->verdict) {
		n = spent(f);
	} else {
		n = append(v, f, buf, len);
		if (n > 0) {
			f->written = true;
			f->last_writer = pid;
		}
		if (n > 0 && !v->cfg.legacy_close) {
			int err = judge(v, f, pid);

			n = err ? err : n;
		}
	}
	pthread_mutex_unlock(&f->lock);
	return n;
}

/*
 * Does @pid still have a descriptor on @path? A flush from the opener that
 * still holds one is a shell closing the original after dup2(); the one
 * after its last descriptor went is its real close. When /proc cannot tell,
 * assume it still does: the load then happens at release, logged.
 */
static bool still_holds(pid_t pid, const char *path)
{
	char dir[64], target[PATH_MAX];
	bool holds = false;
	struct dirent *de;
	ssize_t n;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return true;
	while (!holds && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		holds = !strcmp(target, path);
	}
	closedir(d);
	return holds;
}

/* Nothing was written at all: the legacy loader's "only elf files". */
static int load_nothing(struct vpe *v, struct vpe_file *f)
{
	f->reported = true;
	return load_image(v, f);
}

/*
 * After a verdict: a refusal is told to every process that closes the
 * file but the one whose write was refused (it knows: cat would say it
 * twice); after a load at a writer's close, there is nothing to tell.
 */
static int judged_close(const struct vpe_file *f, pid_t pid)
{
	if (f->verdict == -EBUSY || pid == f->judged_for)
		return 0;
	return f->verdict;
}

/* The opener's close: it loads what was staged (see the top). */
static int opener_close(struct vpe *v, struct vpe_file *f, pid_t pid)
{
	int err = 0;

	if (f->len) {
		err = load_staged(v, f);
		f->reported = true;
	} else if (!f->written && !f->reported &&
		   !still_holds(pid, v->cfg.node_path)) {
		notice_use(NOTICE_LOADER, pid);
		err = load_nothing(v, f);
	}
	return err;
}

/* The last close of a writer that did not open the file: a whole image. */
static int writer_close(struct vpe *v, struct vpe_file *f, pid_t pid)
{
	int err;

	if (pid != f->last_writer || !f->whole ||
	    still_holds(pid, v->cfg.node_path))
		return 0;	/* not the writer, or not yet whole */
	err = load_staged(v, f);
	f->reported = true;
	f->verdict = -EBUSY;	/* loaded: later writes are refused */
	f->judged_for = pid;
	return err;
}

int vpe_flush(struct vpe *v, struct vpe_file *f, pid_t pid)
{
	int err = 0;

	pthread_mutex_lock(&f->lock);
	if (f->verdict)
		err = judged_close(f, pid);
	else if (pid == f->opener)
		err = opener_close(v, f, pid);
	else if (!v->cfg.legacy_close)
		err = writer_close(v, f, pid);
	pthread_mutex_unlock(&f->lock);
	return v->cfg.legacy_close ? 0 : err;
}

void vpe_release(struct vpe *v, struct vpe_file *f)
{
	if (f->len)
		load_staged(v, f);
	else if (!f->written && !f->reported)
		load_nothing(v, f);
	staging_free(v, f);	/* a staging file with nothing in it */
	/* the old image's storage, freed after the close was answered */
	if (f->replaced >= 0)
		close(f->replaced);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

int vpe_halt(struct vpe *v)
{
	int err;

	pthread_mutex_lock(&v->load_lock);
	err = stop_locked(v);
	pthread_mutex_unlock(&v->load_lock);
	return err;
}

int vpe_kill(struct vpe *v, pid_t pid)
{
	notice_use(NOTICE_KILL, pid);
	return vpe_halt(v);
}
