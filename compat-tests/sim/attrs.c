/* FUSE operations presenting one remoteproc class device. Each write() is
 * one sysfs store: its whole buffer, its result the write's result, so
 * errors reach the writer synchronously. Reads always call show (direct
 * I/O), so every read is fresh. */
#include "attrs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rproc.h"

#define DEV_DIR "remoteproc0"
#define SYSFS_PAGE 4096	/* a sysfs show/store sees at most one page */

struct attr {
	const char *name;
	mode_t mode;
	void (*show)(struct sim_rproc *r, char *buf, size_t cap);
	int (*store)(struct sim_rproc *r, const char *buf, size_t len);
};

static const struct attr attrs[] = {
	{ "firmware", 0644, sim_show_firmware, sim_store_firmware },
	{ "name", 0444, sim_show_name, NULL },
	{ "recovery", 0644, sim_show_recovery, sim_store_recovery },
	{ "state", 0644, sim_show_state, sim_store_state },
};

#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

static time_t mount_time;

static struct sim_rproc *sim_of_request(void)
{
	return fuse_get_context()->private_data;
}

static volatile sig_atomic_t unbind_asked;

static void ask_unbind(int sig)
{
	(void)sig;
	unbind_asked = 1;
}

/* Is remoteproc0 there? An unbind SIGUSR1 asked for happens here, in the
 * next call: a signal handler cannot stop QEMU. */
static bool present(void)
{
	if (unbind_asked)
		sim_unbind(sim_of_request());
	return sim_bound(sim_of_request());
}

/* "/remoteproc0/NAME" -> its attribute, else NULL. */
static const struct attr *lookup(const char *path)
{
	static const char prefix[] = "/" DEV_DIR "/";
	if (strncmp(path, prefix, sizeof(prefix) - 1) || !present())
		return NULL;
	for (size_t i = 0; i < N_ATTRS; i++)
		if (!strcmp(path + sizeof(prefix) - 1, attrs[i].name))
			return &attrs[i];
	return NULL;
}

static bool is_dir(const char *path)
{
	return !strcmp(path, "/") || (!strcmp(path, "/" DEV_DIR) && present());
}

/* A file of the instance, opened before it went: kernfs says ENODEV. */
static int gone(const char *path)
{
	return strncmp(path, "/" DEV_DIR "/", sizeof(DEV_DIR) + 1) ? -ENOENT :
								    -ENODEV;
}

static int do_getattr(const char *path, struct stat *st,
		      struct fuse_file_info *fi)
{
	(void)fi;
	const struct attr *a = lookup(path);
	memset(st, 0, sizeof(*st));
	if (a) {
		st->st_mode = S_IFREG | a->mode;
		st->st_nlink = 1;
		st->st_size = SYSFS_PAGE;	/* what sysfs reports */
	} else if (is_dir(path)) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else {
		return -ENOENT;
	}
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atime = st->st_mtime = st->st_ctime = mount_time;
	return 0;
}

static int do_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		      off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	if (!is_dir(path))
		return lookup(path) ? -ENOTDIR : -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	if (!strcmp(path, "/")) {
		if (present())
			fill(buf, DEV_DIR, NULL, 0, 0);
		return 0;
	}
	for (size_t i = 0; i < N_ATTRS; i++)
		fill(buf, attrs[i].name, NULL, 0, 0);
	return 0;
}

static int do_open(const char *path, struct fuse_file_info *fi)
{
	const struct attr *a = lookup(path);
	if (!a)
		return is_dir(path) ? -EISDIR : -ENOENT;
	/* kernfs refuses write access to a file without store, even to
	 * root. O_TRUNC is accepted and means nothing, as in sysfs. */
	if ((fi->flags & O_ACCMODE) != O_RDONLY && !a->store)
		return -EACCES;
	fi->direct_io = 1;
	return 0;
}

static int do_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	(void)fi;
	const struct attr *a = lookup(path);
	if (!a)
		return gone(path);
	char page[SYSFS_PAGE];
	a->show(sim_of_request(), page, sizeof(page));
	size_t len = strlen(page);
	if (off < 0 || (size_t)off >= len)
		return 0;
	if (size > len - off)
		size = len - off;
	memcpy(buf, page + off, size);
	return (int)size;
}

static int do_write(const char *path, const char *buf, size_t size,
		    off_t off, struct fuse_file_info *fi)
{
	(void)off;	/* sysfs stores ignore the position */
	(void)fi;
	const struct attr *a = lookup(path);
	if (!a)
		return gone(path);
	if (!a->store)
		return -EACCES;
	/* kernfs: a longer write is cut to one page, NUL-terminated. */
	char page[SYSFS_PAGE + 1];
	size_t len = size < SYSFS_PAGE ? size : SYSFS_PAGE;
	memcpy(page, buf, len);
	page[len] = '\0';
	int ret = a->store(sim_of_request(), page, len);
	return ret ? ret : (int)len;
}

/* Without atomic O_TRUNC the kernel truncates separately: accept it. */
static int do_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	const struct attr *a = lookup(path);
	if (!a)
		return is_dir(path) ? -EISDIR : -ENOENT;
	return a->store ? 0 : -EACCES;
}

/* sysfs directories cannot hold new files. */
static int do_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	(void)path;
	(void)mode;
	(void)fi;
	return -EACCES;
}

static void *do_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->direct_io = 1;	/* every read reaches show */
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->entry_timeout = 0;		/* an unbind removes entries */
	mount_time = time(NULL);
	/* SIGUSR1: unbind the driver (sim_unbind()) */
	struct sigaction sa = { .sa_handler = ask_unbind, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	return fuse_get_context()->private_data;
}

const struct fuse_operations attrs_ops = {
	.init = do_init,
	.getattr = do_getattr,
	.readdir = do_readdir,
	.open = do_open,
	.read = do_read,
	.write = do_write,
	.truncate = do_truncate,
	.create = do_create,
};
