/*
 * vpetest: checks of vpe_compat.ko from user space, run inside the test VM
 * (static, no libraries).  Each subcommand checks one documented behaviour
 * and exits 0 when it holds; it says what went wrong on stderr otherwise.
 *
 *   vpetest info SIZE            INFO on both nodes of a test window
 *   vpetest share                both nodes map the same bytes
 *   vpetest bounds               mappings outside the window: EINVAL
 *   vpetest bells FROM N         N kicks from FROM (linux|remote), all counted
 *   vpetest openers N            several openers: own read positions, shared map
 *   vpetest readsem              read/poll corner cases
 *   vpetest deprecate PID COMM IFACE REPL   one deprecation line (3: EAGAIN)
 *   vpetest flood N TAG          N deprecation calls at once; prints results
 *   vpetest badargs TAG          invalid deprecation requests: EINVAL
 *   vpetest holdmap READYFILE S  map, close, wait for SIGTERM, check the map
 *   vpetest unbind               remove the window under open files
 *   vpetest phys PHYS SIZE DEV   a window from module parameters
 *   vpetest irqbell N            N hardware interrupts (x86: i8042, IRQ 1)
 *
 * The nodes are /dev/vpe_compat0 and /dev/vpe_compat0_remote, or $VPE_NODE
 * and $VPE_NODE"_remote".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#endif

#include "vpe_compat.h"

static char lnode[PATH_MAX] = "/dev/vpe_compat0";
static char rnode[PATH_MAX] = "/dev/vpe_compat0_remote";
static size_t pagesize;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vpetest: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static int open_node(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

static struct vpe_compat_info get_info(int fd)
{
	struct vpe_compat_info info;

	memset(&info, 0xa5, sizeof(info));
	if (ioctl(fd, VPE_COMPAT_IOC_INFO, &info) != 0)
		die("VPE_COMPAT_IOC_INFO: %s", strerror(errno));
	return info;
}

static void *map(int fd, size_t len, off_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);

	if (p == MAP_FAILED)
		die("mmap len %zu off %lld: %s", len, (long long)off,
		    strerror(errno));
	return p;
}

static void kick(int fd)
{
	if (ioctl(fd, VPE_COMPAT_IOC_KICK) != 0)
		die("VPE_COMPAT_IOC_KICK: %s", strerror(errno));
}

/* read() the doorbell count; -1 with errno on failure */
static int64_t bell_read(int fd)
{
	uint64_t v;
	ssize_t n = read(fd, &v, sizeof(v));

	if (n < 0)
		return -1;
	if (n != sizeof(v))
		die("read returned %zd bytes, not 8", n);
	return (int64_t)v;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, ms);

	if (n < 0)
		die("poll: %s", strerror(errno));
	return n > 0 && (p.revents & POLLIN);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void reap(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		die("waitpid %s: %s", what, strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("%s failed (status %#x)", what, st);
}

/* ---- info ---------------------------------------------------------------- */
static int cmd_info(int argc, char **argv)
{
	unsigned long long want = argc > 0 ? strtoull(argv[0], NULL, 0) : 0;
	const uint32_t common = VPE_COMPAT_INFO_TEST | VPE_COMPAT_INFO_DOORBELL |
				VPE_COMPAT_INFO_KICK | VPE_COMPAT_INFO_CACHED;
	int l = open_node(lnode, O_RDWR), r = open_node(rnode, O_RDWR);
	struct vpe_compat_info li = get_info(l), ri = get_info(r);

	printf("%s: phys %#llx size %#llx dev %#llx flags %#x\n", lnode,
	       (unsigned long long)li.phys_base, (unsigned long long)li.size,
	       (unsigned long long)li.dev_base, li.flags);
	printf("%s: phys %#llx size %#llx dev %#llx flags %#x\n", rnode,
	       (unsigned long long)ri.phys_base, (unsigned long long)ri.size,
	       (unsigned long long)ri.dev_base, ri.flags);
	if (want && li.size != want)
		die("size %#llx, expected %#llx", (unsigned long long)li.size,
		    want);
	if (li.size % pagesize)
		die("size is not a page multiple");
	if (li.flags != common || ri.flags != (common | VPE_COMPAT_INFO_REMOTE))
		die("flags %#x/%#x, expected %#x/%#x", li.flags, ri.flags,
		    common, common | VPE_COMPAT_INFO_REMOTE);
	if (li.phys_base || li.reserved || ri.reserved || ri.size != li.size)
		die("phys_base/reserved not zero or sizes differ");
	if (ioctl(l, _IO(VPE_COMPAT_IOC_MAGIC, 0x7f)) != -1 || errno != ENOTTY)
		die("an unknown ioctl did not fail with ENOTTY");
	return 0;
}

/* ---- share --------------------------------------------------------------- */
static int cmd_share(void)
{
	int l = open_node(lnode, O_RDWR), r = open_node(rnode, O_RDWR);
	size_t size = get_info(l).size, i, n = size / sizeof(uint32_t);
	uint32_t *lm = map(l, size, 0), *rm = map(r, size, 0), *part;

	for (i = 0; i < n; i++)
		lm[i] = (uint32_t)(i * 2654435761u);
	for (i = 0; i < n; i++)
		if (rm[i] != (uint32_t)(i * 2654435761u))
			die("remote sees %#x at %zu, Linux wrote %#x", rm[i],
			    i * 4, (uint32_t)(i * 2654435761u));
	for (i = 0; i < n; i++)
		rm[i] = ~(uint32_t)i;
	for (i = 0; i < n; i++)
		if (lm[i] != ~(uint32_t)i)
			die("Linux sees %#x at %zu, remote wrote %#x", lm[i],
			    i * 4, ~(uint32_t)i);
	/* a mapping at an offset shows the same bytes at that offset */
	part = map(r, pagesize, size - pagesize);
	lm[(size - pagesize) / 4 + 7] = 0xfeedf00d;
	if (part[7] != 0xfeedf00d)
		die("the last page mapped alone differs");
	/* a second mapping of the same node aliases the first */
	part = map(l, size, 0);
	if (memcmp(part, lm, size))
		die("two mappings of the Linux node differ");
	printf("%zu bytes seen identically through both nodes\n", size);
	return 0;
}

/* ---- bounds -------------------------------------------------------------- */
static int expect_einval(int fd, size_t len, off_t off, int flags,
			 const char *what)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);

	if (p != MAP_FAILED)
		die("%s: mmap succeeded", what);
	if (errno != EINVAL)
		die("%s: %s, expected EINVAL", what, strerror(errno));
	printf("%s: EINVAL\n", what);
	return 0;
}

static int cmd_bounds(void)
{
	int l = open_node(lnode, O_RDWR), r = open_node(rnode, O_RDWR);
	size_t size = get_info(l).size;
	int fd, k;

	for (k = 0; k < 2; k++) {
		fd = k ? r : l;
		printf("%s:\n", k ? rnode : lnode);
		expect_einval(fd, size + pagesize, 0, MAP_SHARED,
			      "one page longer than the window");
		expect_einval(fd, pagesize, size, MAP_SHARED,
			      "a page just past the end");
		expect_einval(fd, 2 * pagesize, size - pagesize, MAP_SHARED,
			      "last page plus one");
		expect_einval(fd, pagesize, (off_t)1 << 40, MAP_SHARED,
			      "offset 1 TiB");
		expect_einval(fd, pagesize, 0, MAP_PRIVATE,
			      "a private mapping");
		munmap(map(fd, pagesize, size - pagesize), pagesize);
		munmap(map(fd, size, 0), size);
		printf("whole window and last page alone: mapped\n");
	}
	return 0;
}

/* ---- bells --------------------------------------------------------------- */
/*
 * The kicker writes the ring number into the window before each kick; when
 * the reader sees count c, the window must already say at least c.
 */
static int cmd_bells(int argc, char **argv)
{
	int from_remote, kfd, rfd, selffd;
	const char *kpath, *rpath;
	volatile uint64_t *seq;
	int64_t v, last = 0;
	unsigned long reads = 0;
	long n;
	double t0;
	pid_t pid;

	if (argc < 2)
		die("usage: bells linux|remote N");
	from_remote = !strcmp(argv[0], "remote");
	n = atol(argv[1]);
	kpath = from_remote ? rnode : lnode;
	rpath = from_remote ? lnode : rnode;
	rfd = open_node(rpath, O_RDWR);
	selffd = open_node(kpath, O_RDWR | O_NONBLOCK);
	seq = map(rfd, pagesize, 0);
	seq[0] = 0;

	t0 = now_s();
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		volatile uint64_t *kseq;
		long i;

		kfd = open_node(kpath, O_RDWR);
		kseq = map(kfd, pagesize, 0);
		for (i = 1; i <= n; i++) {
			kseq[0] = i;
			kick(kfd);
		}
		_exit(0);
	}
	while (last < n) {
		if (!readable(rfd, 60000))
			die("no doorbell for 60 s after %lld of %ld",
			    (long long)last, n);
		v = bell_read(rfd);
		if (v < 0)
			die("read: %s", strerror(errno));
		reads++;
		if (v <= last || v > n)
			die("count went from %lld to %lld (of %ld)",
			    (long long)last, (long long)v, n);
		if ((int64_t)seq[0] < v)
			die("count %lld but the window says %llu", (long long)v,
			    (unsigned long long)seq[0]);
		last = v;
	}
	reap(pid, "the kicker");
	usleep(100000);
	fcntl(rfd, F_SETFL, O_NONBLOCK);
	if (bell_read(rfd) != -1 || errno != EAGAIN)
		die("a ring after the last kick");
	if (bell_read(selffd) != -1 || errno != EAGAIN)
		die("the kicking side's own doorbell rang");
	printf("%ld kicks from %s counted exactly by %s in %lu reads, %.2f s\n",
	       n, kpath, rpath, reads, now_s() - t0);
	return 0;
}

/* ---- openers ------------------------------------------------------------- */
static int cmd_openers(int argc, char **argv)
{
	long n = argc > 0 ? atol(argv[0]) : 1000, i;
	int r = open_node(rnode, O_RDWR);
	int a = open_node(lnode, O_RDWR), b, c;
	int fds[2], k;
	pid_t pids[2];
	uint32_t *ma, *mb;
	int64_t v;

	/* a was opened before 5 kicks, b after them */
	for (i = 0; i < 5; i++)
		kick(r);
	b = open_node(lnode, O_RDWR);
	for (i = 0; i < 3; i++)
		kick(r);
	if (!readable(a, 0) || !readable(b, 0))
		die("POLLIN missing on one opener");
	if ((v = bell_read(a)) != 8)
		die("first opener read %lld, expected 8", (long long)v);
	if (readable(a, 0))
		die("POLLIN still set after the read");
	if (!readable(b, 0))
		die("a read by one opener cleared POLLIN of the other");
	if ((v = bell_read(b)) != 3)
		die("second opener read %lld, expected 3", (long long)v);
	printf("own read positions: 8 and 3 rings since each open\n");

	/* both map the window and see each other's writes */
	ma = map(a, pagesize, 0);
	mb = map(b, pagesize, 0);
	ma[1] = 0x1234abcd;
	mb[2] = 0x5678ef01;
	if (mb[1] != 0x1234abcd || ma[2] != 0x5678ef01)
		die("two openers' mappings differ");
	printf("both openers map the same memory\n");

	/* two concurrent readers in other processes each see all n rings */
	for (k = 0; k < 2; k++) {
		if (pipe(fds))
			die("pipe: %s", strerror(errno));
		pids[k] = fork();
		if (pids[k] < 0)
			die("fork: %s", strerror(errno));
		if (pids[k] == 0) {
			int64_t last = 0;

			c = open_node(lnode, O_RDWR);
			close(fds[0]);
			if (write(fds[1], "r", 1) != 1)
				_exit(2);
			close(fds[1]);
			while (last < n) {
				v = bell_read(c);
				if (v <= last || v > n) {
					fprintf(stderr, "reader %d: %lld after %lld\n",
						k, (long long)v, (long long)last);
					_exit(1);
				}
				last = v;
			}
			_exit(0);
		}
		close(fds[1]);
		if (read(fds[0], &v, 1) != 1)
			die("reader %d did not start", k);
		close(fds[0]);
	}
	for (i = 0; i < n; i++)
		kick(r);
	reap(pids[0], "reader 0");
	reap(pids[1], "reader 1");
	printf("two concurrent openers in other processes each counted %ld rings\n",
	       n);
	return 0;
}

/* ---- readsem ------------------------------------------------------------- */
static void on_alarm(int sig)
{
	(void)sig;
}

static int cmd_readsem(void)
{
	int l = open_node(lnode, O_RDWR), ln = open_node(lnode, O_RDWR | O_NONBLOCK);
	int r = open_node(rnode, O_RDWR);
	struct sigaction sa;
	uint32_t small;
	int64_t v;
	pid_t pid;

	if (read(l, &small, sizeof(small)) != -1 || errno != EINVAL)
		die("a 4-byte read did not fail with EINVAL");
	if (bell_read(ln) != -1 || errno != EAGAIN)
		die("O_NONBLOCK read without a ring did not fail with EAGAIN");
	if (readable(l, 0))
		die("POLLIN without a ring");
	if (lseek(l, 0, SEEK_SET) != -1 || errno != ESPIPE)
		die("lseek did not fail with ESPIPE");
	printf("short read EINVAL, O_NONBLOCK EAGAIN, no POLLIN, lseek ESPIPE\n");

	/* a blocking read wakes on a kick from another process */
	pid = fork();
	if (pid == 0) {
		usleep(300000);
		kick(r);
		_exit(0);
	}
	v = bell_read(l);
	reap(pid, "the kicker");
	if (v != 1)
		die("blocking read returned %lld, expected 1", (long long)v);
	printf("a blocking read woke on the kick: 1\n");

	/* a blocked read is interrupted by a signal */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	if (bell_read(l) != -1 || errno != EINTR)
		die("a signal did not interrupt a blocked read with EINTR");
	printf("a signal interrupts a blocked read: EINTR\n");

	/* rings while nobody reads are all counted, not merged */
	kick(r);
	kick(r);
	kick(r);
	if ((v = bell_read(ln)) != 4)
		die("the non-blocking opener read %lld, expected 4",
		    (long long)v);
	printf("rings while nobody reads are counted: 4\n");
	return 0;
}

/* ---- irqbell ------------------------------------------------------------- */
#if defined(__x86_64__) || defined(__i386__)
/* The i8042 keyboard controller: wait until it takes a byte. */
static void kbc_wait(void)
{
	int i;

	for (i = 0; inb(0x64) & 0x02; i++) {
		if (i > 100000)
			die("the i8042 controller stays busy");
		usleep(10);
	}
}

/*
 * A hardware doorbell: the window's interrupt is IRQ 1, shared with the
 * i8042 driver.  The controller's "write keyboard output buffer" command
 * (0xd2) makes it raise IRQ 1 once per byte; 0xff reads to the keyboard
 * driver as a harmless "too many keys" report.  Each interrupt must wake a
 * blocked read with the count one higher.
 */
static int cmd_irqbell(int argc, char **argv)
{
	long n = argc > 0 ? atol(argv[0]) : 100, i;
	struct vpe_compat_info info;
	struct sigaction sa;
	double t0 = now_s();
	int64_t v;
	int l;

	l = open_node(lnode, O_RDWR);
	info = get_info(l);
	if (info.flags != (VPE_COMPAT_INFO_DOORBELL | VPE_COMPAT_INFO_CACHED))
		die("flags %#x, expected DOORBELL|CACHED", info.flags);
	if (ioperm(0x60, 5, 1))
		die("ioperm: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	for (i = 1; i <= n; i++) {
		kbc_wait();
		outb(0xd2, 0x64);
		kbc_wait();
		outb(0xff, 0x60);
		alarm(10);
		v = bell_read(l);
		alarm(0);
		if (v < 0)
			die("interrupt %ld: read: %s", i, strerror(errno));
		if (v != i)
			die("count %lld after %ld interrupts", (long long)v, i);
	}
	printf("%ld interrupts on IRQ 1, each woke a blocked read with the next count (%.2f s)\n",
	       n, now_s() - t0);
	return 0;
}
#else
static int cmd_irqbell(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die("irqbell needs an x86 PC (i8042)");
	return 1;
}
#endif

/* ---- deprecation --------------------------------------------------------- */
static int deprecate(int fd, int pid, const char *comm, const char *iface,
		     const char *repl)
{
	struct vpe_compat_deprecation d;

	memset(&d, 0, sizeof(d));
	d.pid = pid;
	snprintf(d.comm, sizeof(d.comm), "%s", comm);
	snprintf(d.iface, sizeof(d.iface), "%s", iface);
	snprintf(d.replacement, sizeof(d.replacement), "%s", repl);
	return ioctl(fd, VPE_COMPAT_IOC_DEPRECATED, &d);
}

static int cmd_deprecate(int argc, char **argv)
{
	int l;

	if (argc < 4)
		die("usage: deprecate PID COMM IFACE REPLACEMENT");
	l = open_node(lnode, O_RDWR);
	if (deprecate(l, atoi(argv[0]), argv[1], argv[2], argv[3]) == 0)
		return 0;
	if (errno == EAGAIN)
		return 3;
	die("VPE_COMPAT_IOC_DEPRECATED: %s", strerror(errno));
	return 1;
}

/* prints "ok I" or "eagain I" for each call */
static int cmd_flood(int argc, char **argv)
{
	char iface[64];
	int l, i, n;

	if (argc < 2)
		die("usage: flood N TAG");
	n = atoi(argv[0]);
	l = open_node(lnode, O_RDWR);
	for (i = 0; i < n; i++) {
		snprintf(iface, sizeof(iface), "/dev/flood-%s-%d", argv[1], i);
		if (deprecate(l, 77, "flooder", iface, "remoteproc") == 0)
			printf("ok %d\n", i);
		else if (errno == EAGAIN)
			printf("eagain %d\n", i);
		else
			die("call %d: %s", i, strerror(errno));
	}
	return 0;
}

static int cmd_badargs(int argc, char **argv)
{
	struct vpe_compat_deprecation d;
	const char *tag = argc > 0 ? argv[0] : "x";
	char iface[64];
	int l = open_node(lnode, O_RDWR), k;

	snprintf(iface, sizeof(iface), "/dev/bad-%s", tag);
	for (k = 0; k < 9; k++) {
		const char *what = "";

		memset(&d, 0, sizeof(d));
		d.pid = 99;
		strcpy(d.comm, "badcomm");
		strcpy(d.iface, iface);
		strcpy(d.replacement, "remoteproc");
		switch (k) {
		case 0: what = "pid 0"; d.pid = 0; break;
		case 1: what = "negative pid"; d.pid = -5; break;
		case 2: what = "flags set"; d.flags = 1; break;
		case 3: what = "unterminated comm";
			memset(d.comm, 'a', sizeof(d.comm)); break;
		case 4: what = "empty iface"; d.iface[0] = 0; break;
		case 5: what = "unterminated replacement";
			memset(d.replacement, 'r', sizeof(d.replacement)); break;
		case 6: what = "newline in iface";
			strcat(d.iface, "\nvpe-compat: forged"); break;
		case 7: what = "escape in comm"; d.comm[2] = 0x1b; break;
		case 8: what = "DEL in replacement"; d.replacement[1] = 0x7f;
			break;
		}
		if (ioctl(l, VPE_COMPAT_IOC_DEPRECATED, &d) != -1 ||
		    errno != EINVAL)
			die("%s: not EINVAL (%s)", what, strerror(errno));
		printf("%s: EINVAL\n", what);
	}
	if (ioctl(l, VPE_COMPAT_IOC_DEPRECATED, (void *)16) != -1 ||
	    errno != EFAULT)
		die("a bad pointer did not fail with EFAULT");
	printf("bad pointer: EFAULT\n");
	return 0;
}

/* ---- holdmap ------------------------------------------------------------- */
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_holdmap(int argc, char **argv)
{
	struct sigaction sa;
	uint32_t *m;
	int l, fd, secs;
	size_t i;

	if (argc < 2)
		die("usage: holdmap READYFILE SECONDS");
	secs = atoi(argv[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);

	l = open_node(lnode, O_RDWR);
	m = map(l, pagesize, 0);
	close(l);
	for (i = 0; i < pagesize / 4; i++)
		m[i] = 0xc0de0000 + i;
	fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("%s: %s", argv[0], strerror(errno));
	close(fd);
	while (!stop && secs-- > 0)
		sleep(1);
	if (!stop)
		die("no SIGTERM within the time limit");
	for (i = 0; i < pagesize / 4; i++)
		if (m[i] != 0xc0de0000 + i)
			die("the mapping changed while held");
	m[0] = 1;
	printf("the mapping outlived its file and stayed usable\n");
	return 0;
}

/* ---- phys ---------------------------------------------------------------- */
/* On x86, the window's mapping must be listed as write-back by PAT. */
static void pat_check(unsigned long long phys, unsigned long long size)
{
	const char *path = "/sys/kernel/debug/x86/pat_memtype_list";
	char want[96], line[256];
	int found = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		printf("%s: %s; memory type not checked\n", path,
		       strerror(errno));
		return;
	}
	snprintf(want, sizeof(want), "[mem 0x%016llx-0x%016llx] ", phys,
		 phys + size);
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, want);

		if (!p)
			continue;
		found = 1;
		line[strcspn(line, "\n")] = 0;
		if (strcmp(p + strlen(want), "write-back"))
			die("the window is mapped %s, not write-back",
			    p + strlen(want));
	}
	fclose(f);
	if (!found)
		die("%s does not list the window's mapping", path);
	printf("the mapping is cached: PAT lists %swrite-back\n", want);
}

/*
 * A window from module parameters: INFO as given, no doorbells, the same
 * bytes through two files and at the physical address (/dev/mem).
 */
static int cmd_phys(int argc, char **argv)
{
	unsigned long long phys, size, dev;
	struct vpe_compat_info info;
	uint32_t *a, *b, *m;
	int l, l2, mem;
	size_t i, n;

	if (argc < 3)
		die("usage: phys PHYS SIZE DEV");
	phys = strtoull(argv[0], NULL, 0);
	size = strtoull(argv[1], NULL, 0);
	dev = strtoull(argv[2], NULL, 0);
	l = open_node(lnode, O_RDWR);
	l2 = open_node(lnode, O_RDWR | O_NONBLOCK);
	info = get_info(l);
	printf("%s: phys %#llx size %#llx dev %#llx flags %#x\n", lnode,
	       (unsigned long long)info.phys_base,
	       (unsigned long long)info.size,
	       (unsigned long long)info.dev_base, info.flags);
	if (info.phys_base != phys || info.size != size ||
	    info.dev_base != dev || info.flags != VPE_COMPAT_INFO_CACHED)
		die("INFO differs from phys %#llx size %#llx dev %#llx flags CACHED",
		    phys, size, dev);
	if (bell_read(l2) != -1 || errno != EOPNOTSUPP)
		die("read without a doorbell: not EOPNOTSUPP");
	if (readable(l, 0))
		die("POLLIN without a doorbell");
	if (ioctl(l, VPE_COMPAT_IOC_KICK) != -1 || errno != EOPNOTSUPP)
		die("kick without a kick method: not EOPNOTSUPP");
	printf("no doorbells: read and kick EOPNOTSUPP, no POLLIN\n");

	expect_einval(l, size + pagesize, 0, MAP_SHARED,
		      "one page longer than the window");
	expect_einval(l, pagesize, size, MAP_SHARED, "a page just past the end");
	expect_einval(l, pagesize, 0, MAP_PRIVATE, "a private mapping");

	a = map(l, size, 0);
	b = map(l2, size, 0);
	n = size / 4;
	for (i = 0; i < n; i++)
		a[i] = 0x5a000000u ^ (uint32_t)i;
	for (i = 0; i < n; i++)
		if (b[i] != (0x5a000000u ^ (uint32_t)i))
			die("two files see different bytes at %zu", i * 4);
	printf("two files map the same %llu bytes\n", size);

	/* x86 PAT records the memory type of every pfn mapping */
	pat_check(phys, size);

	/* cached, like the window's mapping (PAT refuses a conflicting type) */
	mem = open("/dev/mem", O_RDWR);
	if (mem < 0)
		die("/dev/mem: %s", strerror(errno));
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mem, phys);
	if (m == MAP_FAILED)
		die("mmap /dev/mem at %#llx: %s", phys, strerror(errno));
	for (i = 0; i < n; i++)
		if (m[i] != (0x5a000000u ^ (uint32_t)i))
			die("physical %#llx holds %#x, the window wrote %#x",
			    phys + i * 4, m[i], 0x5a000000u ^ (uint32_t)i);
	m[n - 1] = 0x600dcafe;
	if (a[n - 1] != 0x600dcafe)
		die("a write at the physical address is not seen in the window");
	printf("the window is physical memory at %#llx (checked via /dev/mem)\n",
	       phys);
	return 0;
}

/* ---- unbind -------------------------------------------------------------- */
static void sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die("write %s to %s: %s", val, path, strerror(errno));
	close(fd);
}

static int cmd_unbind(void)
{
	char link[PATH_MAX], dev[PATH_MAX], *name;
	const char *drv = "/sys/bus/platform/drivers/vpe-compat";
	int l, r, i;
	uint32_t *m;
	ssize_t n;
	pid_t pid;
	double t0;
	struct stat st;
	struct pollfd p;

	snprintf(link, sizeof(link), "/sys/class/misc/%s/device",
		 strrchr(lnode, '/') + 1);
	n = readlink(link, dev, sizeof(dev) - 1);
	if (n < 0)
		die("readlink %s: %s", link, strerror(errno));
	dev[n] = 0;
	name = basename(dev);

	l = open_node(lnode, O_RDWR);
	r = open_node(rnode, O_RDWR);
	m = map(l, pagesize, 0);
	m[0] = 0xabad1dea;

	pid = fork();
	if (pid == 0) {
		int64_t v = bell_read(l);

		if (v != -1 || errno != ENODEV) {
			fprintf(stderr, "blocked read: %lld (%s), expected ENODEV\n",
				(long long)v, strerror(errno));
			_exit(1);
		}
		_exit(0);
	}
	usleep(300000);
	printf("unbinding %s with files, a mapping and a blocked read\n",
	       name);
	sysfs_write("/sys/bus/platform/drivers/vpe-compat/unbind", name);
	reap(pid, "the blocked reader");
	printf("the blocked read returned ENODEV\n");

	if (stat(lnode, &st) == 0 || stat(rnode, &st) == 0)
		die("device nodes still exist after unbind");
	p.fd = r;
	p.events = POLLIN;
	if (poll(&p, 1, 0) != 1 || !(p.revents & POLLHUP))
		die("poll on a removed window: no POLLHUP");
	if (ioctl(r, VPE_COMPAT_IOC_KICK) != -1 || errno != ENODEV)
		die("kick on a removed window: not ENODEV");
	if (mmap(NULL, pagesize, PROT_READ, MAP_SHARED, l, 0) != MAP_FAILED ||
	    errno != ENODEV)
		die("new mmap of a removed window: not ENODEV");
	if (m[0] != 0xabad1dea)
		die("the old mapping lost its contents");
	m[1] = 1;
	printf("POLLHUP, kick ENODEV, new mmap ENODEV; the old mapping works\n");
	close(l);
	close(r);
	munmap(m, pagesize);

	snprintf(link, sizeof(link), "%s/bind", drv);
	sysfs_write(link, name);
	t0 = now_s();
	for (i = 0; stat(lnode, &st) != 0; i++) {
		if (now_s() - t0 > 10)
			die("%s did not come back after bind", lnode);
		usleep(10000);
	}
	l = open_node(lnode, O_RDWR);
	m = map(l, pagesize, 0);
	if (m[0] != 0)
		die("a rebound window is not fresh memory");
	printf("bound again: %s is back, with fresh memory\n", lnode);
	return 0;
}

int main(int argc, char **argv)
{
	const char *node = getenv("VPE_NODE");

	pagesize = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (node && *node) {
		snprintf(lnode, sizeof(lnode), "%s", node);
		snprintf(rnode, sizeof(rnode), "%s_remote", node);
	}
	if (argc < 2)
		die("usage: vpetest COMMAND [ARGS]");
	argc -= 2;
	if (!strcmp(argv[1], "info"))
		return cmd_info(argc, argv + 2);
	if (!strcmp(argv[1], "share"))
		return cmd_share();
	if (!strcmp(argv[1], "bounds"))
		return cmd_bounds();
	if (!strcmp(argv[1], "bells"))
		return cmd_bells(argc, argv + 2);
	if (!strcmp(argv[1], "openers"))
		return cmd_openers(argc, argv + 2);
	if (!strcmp(argv[1], "readsem"))
		return cmd_readsem();
	if (!strcmp(argv[1], "deprecate"))
		return cmd_deprecate(argc, argv + 2);
	if (!strcmp(argv[1], "flood"))
		return cmd_flood(argc, argv + 2);
	if (!strcmp(argv[1], "badargs"))
		return cmd_badargs(argc, argv + 2);
	if (!strcmp(argv[1], "holdmap"))
		return cmd_holdmap(argc, argv + 2);
	if (!strcmp(argv[1], "unbind"))
		return cmd_unbind();
	if (!strcmp(argv[1], "phys"))
		return cmd_phys(argc, argv + 2);
	if (!strcmp(argv[1], "irqbell"))
		return cmd_irqbell(argc, argv + 2);
	die("unknown command %s", argv[1]);
	return 2;
}
