/* The FUSE file system: MOUNTPOINT/remoteproc0/{name,firmware,state,recovery}
 * with the modes, contents and write errors of the kernel's sysfs files. */
#ifndef RPROC_SIM_ATTRS_H
#define RPROC_SIM_ATTRS_H

/* 3.14 exactly: with a bare 34, fuse_session_loop_mt() misreads its loop
 * config and runs one thread per request. */
#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 14)
#include <fuse.h>

/* The operations; fuse private_data is the struct sim_rproc. */
extern const struct fuse_operations attrs_ops;

#endif
