/* The simulated kernel log ("dmesg"): timestamped lines, one write() each. */
#ifndef RPROC_SIM_LOG_H
#define RPROC_SIM_LOG_H

#include <stdarg.h>
#include <stdbool.h>

/* Kernel printk levels that the simulator reproduces. */
enum klevel { KL_ERR, KL_WARN, KL_INFO, KL_DBG };

/* Open the log (NULL: stderr). debug: also print KL_DBG lines. */
int klog_open(const char *path, bool debug);
void klog_close(void);

/* A line from the remoteproc device: "remoteproc remoteproc0: ..." */
void klog(enum klevel lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vklog(enum klevel lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* A line from the simulator itself, not something a kernel would print. */
void slog(enum klevel lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void vslog(enum klevel lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Copy a text file (e.g. QEMU's stderr) into the log, line by line. */
void slog_file(enum klevel lvl, const char *what, const char *path);

#endif
