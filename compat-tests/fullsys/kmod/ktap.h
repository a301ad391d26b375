/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test modules' results, as TAP lines in the kernel log
 * ("MODNAME: ok 3 - what"), which the guest script collects.  Each
 * module's init returns 0 only if every check passed.
 */
#ifndef KTAP_H
#define KTAP_H

#include <linux/compiler.h>
#include <linux/printk.h>
#include <linux/types.h>

struct ktap {
	int n;		/* checks so far */
	int failed;
};

static inline __printf(3, 4)
bool ktap_ok(struct ktap *t, bool cond, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	t->n++;
	if (!cond)
		t->failed++;
	pr_info("%s %d - %pV\n", cond ? "ok" : "not ok", t->n, &vaf);
	va_end(args);
	return cond;
}

static inline int ktap_done(struct ktap *t)
{
	pr_info("%d checks, %d failed\n", t->n, t->failed);
	return t->failed ? -EIO : 0;
}

#endif /* KTAP_H */
