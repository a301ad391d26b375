/*
 * fwprobe: play "Linux with direct access to the SP's memory" against a
 * firmware fixture running in the simulator.
 *
 * The simulator's RAM file is the remote's physical memory (physical
 * address X = file offset X).  Symbols (fw_report, vpe_shared) come from the
 * fixture's ELF image, which also gives the byte order of every shared
 * field.  Every address read from the image or from shared memory is
 * translated and bounds-checked before use; nothing the firmware wrote is
 * trusted.
 *
 * Ring protocol as the legacy kernel's rtlx.c (docs/legacy-abi.md 7.8-7.11):
 * Linux owns rt_write and lx_read; barrier before sampling the peer's index,
 * copy, barrier, single store of the new index, barrier.
 *
 * Exit status: 0 success, 1 failure (timeout, bad data, bad image),
 * 2 usage, 3 the firmware crashed (report state CRASHED or BAD_ENTRY).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define EXIT_USAGE	2
#define EXIT_CRASHED	3

#define RTLX_ID		0x12345602u
#define RTLX_CHANNELS	8
#define RTLX_CHAN_SIZE	36
#define RTLX_MAX_RING	(1u << 24)	/* sanity bound for buffer_size */

/* struct rtlx_channel field offsets */
#define CH_RT_STATE	0
#define CH_LX_STATE	4
#define CH_BUFFER_SIZE	8
#define CH_RT_WRITE	12
#define CH_RT_READ	16
#define CH_RT_BUFFER	20
#define CH_LX_WRITE	24
#define CH_LX_READ	28
#define CH_LX_BUFFER	32

static const char *prog = "fwprobe";

struct image {
	bool big_endian;
	bool have_report, have_shared;
	uint32_t report;	/* address of fw_report */
	uint32_t shared;	/* address of vpe_shared */
};

struct ram {
	uint8_t *base;
	size_t size;
	bool big_endian;
};

struct rtlx {
	uint32_t info;		/* address of rtlx_info */
	unsigned int layout;	/* 296 or 300 */
};

/* one direction of one channel, validated */
struct ring {
	uint32_t size;
	uint8_t *buf;
	uint8_t *prod;		/* producer index field */
	uint8_t *cons;		/* consumer index field */
};

struct opts {
	const char *ram, *elf, *cmd;
	int channel;
	unsigned int layout;	/* 0 = detect */
	double timeout;
	unsigned long count;
	unsigned long chunk;
	char **args;
	int nargs;
};

static void __attribute__((format(printf, 1, 2))) warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

/* ---- ELF image ---------------------------------------------------------- */

static Elf *elf_open(const char *path, int *fdp)
{
	Elf *e;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		die(1, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(1, "%s: %s", path, strerror(errno));
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF)
		die(1, "%s: not an ELF file", path);
	*fdp = fd;
	return e;
}

static void elf_check_mips32(Elf *e, const char *path, GElf_Ehdr *eh)
{
	if (!gelf_getehdr(e, eh))
		die(1, "%s: %s", path, elf_errmsg(-1));
	if (eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_machine != EM_MIPS)
		die(1, "%s: not an ELF32 MIPS image", path);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB && eh->e_ident[EI_DATA] != ELFDATA2MSB)
		die(1, "%s: unknown byte order", path);
}

/* find NAME in the symbol table; the last match wins, as in the legacy loader */
static bool elf_find_sym(Elf *e, const char *name, GElf_Sym *out)
{
	Elf_Scn *scn = NULL;
	bool found = false;

	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *s;

			if (!gelf_getsym(d, (int)i, &sym))
				break;
			s = elf_strptr(e, sh.sh_link, sym.st_name);
			if (s && !strcmp(s, name) && sym.st_shndx != SHN_UNDEF) {
				*out = sym;
				found = true;
			}
		}
	}
	return found;
}

static void image_load(const char *path, struct image *img)
{
	GElf_Ehdr eh;
	GElf_Sym sym;
	Elf *e;
	int fd;

	e = elf_open(path, &fd);
	elf_check_mips32(e, path, &eh);
	if (eh.e_type != ET_EXEC)
		die(1, "%s: not ET_EXEC (addresses of an ET_REL image are not final)", path);
	memset(img, 0, sizeof(*img));
	img->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	if (elf_find_sym(e, "fw_report", &sym)) {
		img->have_report = true;
		img->report = (uint32_t)sym.st_value;
	}
	if (elf_find_sym(e, "vpe_shared", &sym)) {
		img->have_shared = true;
		img->shared = (uint32_t)sym.st_value;
	}
	elf_end(e);
	close(fd);
}

/* file offset of the bytes of symbol NAME + add (for tests that corrupt images) */
static int cmd_file_offset(const char *path, const char *name, unsigned long add)
{
	GElf_Ehdr eh;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Scn *scn;
	uint64_t off;
	Elf *e;
	int fd;

	e = elf_open(path, &fd);
	elf_check_mips32(e, path, &eh);
	if (!elf_find_sym(e, name, &sym))
		die(1, "%s: no symbol %s", path, name);
	scn = elf_getscn(e, sym.st_shndx);
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
		die(1, "%s: symbol %s has no bytes in the file", path, name);
	/* ET_REL symbol values are section offsets, ET_EXEC ones addresses */
	off = sym.st_value + add;
	if (eh.e_type != ET_REL) {
		if (off < sh.sh_addr)
			die(1, "%s: %s is below its section", path, name);
		off -= sh.sh_addr;
	}
	if (off >= sh.sh_size)
		die(1, "%s: %s+%lu is outside its section", path, name, add);
	printf("%llu\n", (unsigned long long)(sh.sh_offset + off));
	elf_end(e);
	close(fd);
	return 0;
}

/* ---- the RAM file ------------------------------------------------------- */

static void ram_open(const char *path, bool writable, struct ram *ram)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(path, writable ? O_RDWR : O_RDONLY);
	if (fd < 0)
		die(1, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || st.st_size <= 0)
		die(1, "%s: empty or unreadable RAM file", path);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | (writable ? PROT_WRITE : 0),
		 MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die(1, "%s: mmap: %s", path, strerror(errno));
	close(fd);
	ram->base = p;
	ram->size = (size_t)st.st_size;
}

/*
 * Translate an SP address to a pointer into the RAM file, or NULL when it
 * is not KSEG0/KSEG1, not 4-byte aligned (when asked), or [addr, addr+len)
 * is not entirely inside the file.
 */
static uint8_t *ram_ptr(const struct ram *ram, uint32_t addr, uint32_t len, bool align4)
{
	uint64_t phys;

	if (addr < 0x80000000u || addr >= 0xc0000000u)
		return NULL;
	if (align4 && (addr & 3))
		return NULL;
	phys = addr & 0x1fffffffu;
	if (phys + len > ram->size || phys + len < phys)
		return NULL;
	return ram->base + phys;
}

static uint32_t from_fw(const struct ram *ram, uint32_t v)
{
	bool host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	return ram->big_endian == host_be ? v : __builtin_bswap32(v);
}

/* shared 32-bit fields: single aligned accesses, the firmware's byte order */
static uint32_t ld32(const struct ram *ram, const uint8_t *p)
{
	return from_fw(ram, __atomic_load_n((const uint32_t *)(const void *)p, __ATOMIC_RELAXED));
}

static void st32(const struct ram *ram, uint8_t *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)(void *)p, from_fw(ram, v), __ATOMIC_RELAXED);
}

static uint8_t *report_field(const struct ram *ram, const struct image *img, unsigned int off)
{
	uint8_t *p = ram_ptr(ram, img->report + off, 4, true);

	if (!p)
		die(1, "fw_report at 0x%08x is outside the RAM file", img->report);
	return p;
}

static uint32_t report_get(const struct ram *ram, const struct image *img, unsigned int off)
{
	return ld32(ram, report_field(ram, img, off));
}

static bool report_valid(const struct ram *ram, const struct image *img)
{
	return report_get(ram, img, FW_REP_MAGIC) == FW_REPORT_MAGIC;
}

static bool fw_dead(const struct ram *ram, const struct image *img)
{
	uint32_t st = report_get(ram, img, FW_REP_STATE);

	return st == FW_STATE_CRASHED || st == FW_STATE_BAD_ENTRY;
}

static void __attribute__((noreturn)) die_crashed(const struct ram *ram, const struct image *img)
{
	uint32_t st = report_get(ram, img, FW_REP_STATE);

	if (st == FW_STATE_BAD_ENTRY)
		die(EXIT_CRASHED, "firmware was started at e_entry, not __start");
	die(EXIT_CRASHED, "firmware crashed: cause=0x%08x epc=0x%08x badvaddr=0x%08x",
	    report_get(ram, img, FW_REP_EXC_CAUSE), report_get(ram, img, FW_REP_EXC_EPC),
	    report_get(ram, img, FW_REP_EXC_BADVADDR));
}

/* ---- RTLX structure ----------------------------------------------------- */

static unsigned int hdr_size(unsigned int layout)
{
	return layout == 300 ? 12 : 8;
}

static uint8_t *chan_ptr(const struct ram *ram, const struct rtlx *rx, int i)
{
	return ram_ptr(ram, rx->info + hdr_size(rx->layout) + RTLX_CHAN_SIZE * (uint32_t)i,
		       RTLX_CHAN_SIZE, true);
}

/* do the eight channels look sane under this layout? */
static bool layout_plausible(const struct ram *ram, uint32_t info, unsigned int layout)
{
	struct rtlx rx = { info, layout };
	int i;

	if (!ram_ptr(ram, info, layout, true))
		return false;
	for (i = 0; i < RTLX_CHANNELS; i++) {
		uint8_t *ch = chan_ptr(ram, &rx, i);
		uint32_t size = ld32(ram, ch + CH_BUFFER_SIZE);

		if (size < 2 || size > RTLX_MAX_RING)
			return false;
		if (!ram_ptr(ram, ld32(ram, ch + CH_RT_BUFFER), size, false) ||
		    !ram_ptr(ram, ld32(ram, ch + CH_LX_BUFFER), size, false))
			return false;
	}
	return true;
}

/*
 * Follow vpe_shared.  Returns 0 and fills *rx when the structure is
 * published with the right id and a usable layout, else a static message.
 */
static const char *rtlx_attach(const struct ram *ram, const struct image *img,
			       unsigned int want_layout, struct rtlx *rx)
{
	uint8_t *sp;
	uint32_t info;
	bool ok296, ok300;

	if (!img->have_shared)
		return "image has no vpe_shared symbol";
	sp = ram_ptr(ram, img->shared, 4, true);
	if (!sp)
		return "vpe_shared is outside the RAM file";
	info = ld32(ram, sp);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (info == 0)
		return "rtlx_info not published yet (*vpe_shared == NULL)";
	if (info < 0x80000000u)
		return "*vpe_shared is not a kernel address";
	if (!ram_ptr(ram, info, 8, true))
		return "*vpe_shared points outside the RAM file";
	if (ld32(ram, ram_ptr(ram, info, 4, true)) != RTLX_ID)
		return "no valid RTLX id";
	rx->info = info;
	if (want_layout) {
		rx->layout = want_layout;
		return layout_plausible(ram, info, want_layout) ?
			NULL : "rtlx_info does not match the requested layout";
	}
	ok296 = layout_plausible(ram, info, 296);
	ok300 = layout_plausible(ram, info, 300);
	if (!ok296 && !ok300)
		return "rtlx_info matches neither layout (296 nor 300)";
	rx->layout = ok296 ? 296 : 300;	/* 296 is canonical if both fit */
	return NULL;
}

/* the Linux->SP (tx) or SP->Linux (rx) ring of a channel */
static const char *ring_get(const struct ram *ram, const struct rtlx *rx, int chan,
			    bool to_sp, struct ring *r)
{
	uint8_t *ch = chan_ptr(ram, rx, chan);

	if (!ch)
		return "channel outside the RAM file";
	r->size = ld32(ram, ch + CH_BUFFER_SIZE);
	if (r->size < 2 || r->size > RTLX_MAX_RING)
		return "implausible buffer_size";
	r->buf = ram_ptr(ram, ld32(ram, ch + (to_sp ? CH_RT_BUFFER : CH_LX_BUFFER)),
			 r->size, false);
	if (!r->buf)
		return "ring buffer outside the RAM file";
	r->prod = ch + (to_sp ? CH_RT_WRITE : CH_LX_WRITE);
	r->cons = ch + (to_sp ? CH_RT_READ : CH_LX_READ);
	return NULL;
}

/*
 * Write up to len bytes (Linux's rtlx_write): returns bytes written, or -1
 * when an index is out of range.  *wrapped is set when the index wrapped.
 */
static long ring_write(const struct ram *ram, const struct ring *r, const uint8_t *src,
		       size_t len, bool *wrapped)
{
	uint32_t rd, wr, space, n, first;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	rd = ld32(ram, r->cons);		/* the SP's index */
	wr = ld32(ram, r->prod);		/* ours */
	if (rd >= r->size || wr >= r->size)
		return -1;
	space = (rd + r->size - wr - 1) % r->size;
	n = len < space ? (uint32_t)len : space;
	if (!n)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* index before the space it frees */
	first = n < r->size - wr ? n : r->size - wr;
	memcpy(r->buf + wr, src, first);
	memcpy(r->buf, src + first, n - first);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* data before the index */
	st32(ram, r->prod, (wr + n) % r->size);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*wrapped = wr + n >= r->size;
	return n;
}

/* Read up to len bytes (Linux's rtlx_read); same conventions as ring_write. */
static long ring_read(const struct ram *ram, const struct ring *r, uint8_t *dst,
		      size_t len, bool *wrapped)
{
	uint32_t rd, wr, avail, n, first;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	wr = ld32(ram, r->prod);		/* the SP's index */
	rd = ld32(ram, r->cons);		/* ours */
	if (rd >= r->size || wr >= r->size)
		return -1;
	avail = (wr + r->size - rd) % r->size;
	n = len < avail ? (uint32_t)len : avail;
	if (!n)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* index before the data */
	first = n < r->size - rd ? n : r->size - rd;
	memcpy(dst, r->buf + rd, first);
	memcpy(dst + first, r->buf, n - first);
	__atomic_thread_fence(__ATOMIC_RELEASE);	/* copy done before freeing */
	st32(ram, r->cons, (rd + n) % r->size);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*wrapped = rd + n >= r->size;
	return n;
}

/* ---- commands ----------------------------------------------------------- */

static const char *state_name(uint32_t s)
{
	switch (s) {
	case 0: return "NONE";
	case FW_STATE_BOOTING: return "BOOTING";
	case FW_STATE_RUNNING: return "RUNNING";
	case FW_STATE_CRASHED: return "CRASHED";
	case FW_STATE_BAD_ENTRY: return "BAD_ENTRY";
	default: return "UNKNOWN";
	}
}

static const char *kind_name(uint32_t k)
{
	switch (k) {
	case FW_KIND_ECHO: return "echo";
	case FW_KIND_LARGE: return "large";
	case FW_KIND_NOSYM: return "nosym";
	case FW_KIND_CRASH: return "crash";
	case FW_KIND_BELL: return "bell";
	case FW_KIND_KSPD: return "kspd";
	default: return "unknown";
	}
}

static const char *trigger_name(uint32_t t)
{
	switch (t) {
	case FW_TRIGGER_NONE: return "none";
	case FW_TRIGGER_TIMER: return "timer";
	case FW_TRIGGER_BANG: return "bang";
	default: return "unknown";
	}
}

static const struct {
	const char *name;
	unsigned int off;
	bool hex;
} report_fields[] = {
	{ "magic", FW_REP_MAGIC, true },
	{ "version", FW_REP_VERSION, false },
	{ "kind_id", FW_REP_KIND, false },
	{ "layout", FW_REP_LAYOUT, false },
	{ "state_id", FW_REP_STATE, false },
	{ "heartbeat", FW_REP_HEARTBEAT, false },
	{ "entry_a2", FW_REP_ENTRY_A2, true },
	{ "entry_a3", FW_REP_ENTRY_A3, true },
	{ "sum_expected", FW_REP_SUM_EXPECTED, true },
	{ "sum_actual", FW_REP_SUM_ACTUAL, true },
	{ "sum_ok", FW_REP_SUM_OK, false },
	{ "sum_bytes", FW_REP_SUM_BYTES, false },
	{ "echoed", FW_REP_ECHOED, false },
	{ "exc_cause", FW_REP_EXC_CAUSE, true },
	{ "exc_epc", FW_REP_EXC_EPC, true },
	{ "exc_badvaddr", FW_REP_EXC_BADVADDR, true },
	{ "crash_trigger_id", FW_REP_CRASH_TRIGGER, false },
	{ "bad_index", FW_REP_BAD_INDEX, false },
	{ "sleeps", FW_REP_SLEEPS, false },
	{ "count", FW_REP_COUNT, false },
	{ "count_hz", FW_REP_COUNT_HZ, false },
	{ "sum_counts", FW_REP_SUM_COUNTS, false },
	{ "rtlx", FW_REP_RTLX, true },
	{ "entry_status", FW_REP_ENTRY_STATUS, true },
	{ "bells", FW_REP_BELLS, false },
	{ "kspd_step", FW_REP_KSPD_STEP, false },
	{ "kspd_fail", FW_REP_KSPD_FAIL, false },
	{ "kspd_got", FW_REP_KSPD_GOT, true },
	{ "kspd_time", FW_REP_KSPD_TIME, false },
};

static int cmd_report(const struct ram *ram, const struct image *img, const struct opts *o)
{
	struct rtlx rx;
	const char *err;
	size_t i;

	if (!report_valid(ram, img))
		die(1, "no fw_report (magic 0x%08x): image not loaded yet?",
		    report_get(ram, img, FW_REP_MAGIC));
	for (i = 0; i < sizeof(report_fields) / sizeof(report_fields[0]); i++) {
		uint32_t v = report_get(ram, img, report_fields[i].off);

		printf(report_fields[i].hex ? "%s=0x%08x\n" : "%s=%u\n", report_fields[i].name, v);
	}
	printf("kind=%s\n", kind_name(report_get(ram, img, FW_REP_KIND)));
	printf("state=%s\n", state_name(report_get(ram, img, FW_REP_STATE)));
	printf("exc_code=%u\n", (report_get(ram, img, FW_REP_EXC_CAUSE) >> 2) & 0x1f);
	printf("crash_trigger=%s\n", trigger_name(report_get(ram, img, FW_REP_CRASH_TRIGGER)));
	if (!img->have_shared) {
		printf("vpe_shared=none\n");
		return 0;
	}
	printf("vpe_shared_addr=0x%08x\n", img->shared);
	if (ram_ptr(ram, img->shared, 4, true))
		printf("vpe_shared=0x%08x\n", ld32(ram, ram_ptr(ram, img->shared, 4, true)));
	err = rtlx_attach(ram, img, o->layout, &rx);
	if (err) {
		printf("rtlx_error=%s\n", err);
		return 0;
	}
	printf("rtlx_id=0x%08x\n", ld32(ram, ram_ptr(ram, rx.info, 4, true)));
	printf("rtlx_layout=%u\n", rx.layout);
	return 0;
}

/* the simulator creates the RAM file, then sizes it: wait for both */
static bool ram_ready(const char *path, uint32_t report)
{
	struct stat st;

	return stat(path, &st) == 0 &&
	       (uint64_t)st.st_size >= (uint64_t)(report & 0x1fffffffu) + FW_REP_SIZE;
}

static int cmd_wait_ready(const struct opts *o, const struct image *img)
{
	double end = now_s() + o->timeout;
	const char *why = "RAM file missing";
	struct ram ram = { .big_endian = img->big_endian };
	bool mapped = false;

	for (;;) {
		if (!mapped && ram_ready(o->ram, img->report)) {
			ram_open(o->ram, false, &ram);
			mapped = true;
		}
		if (mapped) {
			struct rtlx rx;

			if (!report_valid(&ram, img))
				why = "fw_report not loaded";
			else if (fw_dead(&ram, img))
				die_crashed(&ram, img);
			else if (report_get(&ram, img, FW_REP_STATE) != FW_STATE_RUNNING)
				why = "firmware not RUNNING";
			else if (!img->have_shared || !(why = rtlx_attach(&ram, img, o->layout, &rx)))
				return 0;
		}
		if (now_s() > end)
			die(1, "not ready after %.1f s: %s", o->timeout, why);
		nap_us(500);
	}
}

/* what the fixtures send back: channel 0 inverts the case of ASCII letters */
static uint8_t expected_echo(int chan, uint8_t c)
{
	if (chan == 0 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return c ^ 0x20;
	return c;
}

struct xfer {
	const uint8_t *tx;
	size_t tx_len, tx_done;
	uint8_t *rx;
	size_t rx_len, rx_done;
	unsigned long tx_wraps, rx_wraps;
};

/*
 * Push xf->tx through the Linux->SP ring and collect rx_len bytes from the
 * SP->Linux ring, interleaved (the SP only consumes what it can echo), in
 * chunks of at most `chunk` bytes so the wrap points vary.
 */
static void transfer(const struct ram *ram, const struct image *img, const struct opts *o,
		     struct xfer *xf)
{
	double end = now_s() + o->timeout;
	struct rtlx rx;
	struct ring tx_ring, rx_ring;
	const char *err;

	err = rtlx_attach(ram, img, o->layout, &rx);
	if (!err)
		err = ring_get(ram, &rx, o->channel, true, &tx_ring);
	if (!err)
		err = ring_get(ram, &rx, o->channel, false, &rx_ring);
	if (err)
		die(1, "channel %d: %s", o->channel, err);

	while (xf->tx_done < xf->tx_len || xf->rx_done < xf->rx_len) {
		size_t want;
		long n, m = 0;
		bool wrapped = false;

		want = xf->tx_len - xf->tx_done;
		n = !want ? 0 : ring_write(ram, &tx_ring, xf->tx + xf->tx_done,
					   want < o->chunk ? want : o->chunk, &wrapped);
		if (n > 0) {
			xf->tx_done += n;
			xf->tx_wraps += wrapped;
		}
		if (n >= 0 && xf->rx_done < xf->rx_len) {
			wrapped = false;
			m = ring_read(ram, &rx_ring, xf->rx + xf->rx_done,
				      xf->rx_len - xf->rx_done, &wrapped);
			if (m > 0) {
				xf->rx_done += m;
				xf->rx_wraps += wrapped;
			}
		}
		if (n < 0 || m < 0)
			die(1, "channel %d: ring index out of range", o->channel);
		if (n || m)
			continue;
		if (fw_dead(ram, img))
			die_crashed(ram, img);
		if (now_s() > end)
			die(1, "channel %d: timeout after %.1f s: sent %zu/%zu, received %zu/%zu",
			    o->channel, o->timeout, xf->tx_done, xf->tx_len, xf->rx_done, xf->rx_len);
		nap_us(50);
	}
}

static int cmd_echo(const struct ram *ram, const struct image *img, const struct opts *o)
{
	const char *text = o->args[0];
	size_t len = strlen(text);
	struct xfer xf = { .tx = (const uint8_t *)text, .tx_len = len, .rx_len = len };

	xf.rx = malloc(len + 1);
	if (!xf.rx)
		die(1, "out of memory");
	transfer(ram, img, o, &xf);
	fwrite(xf.rx, 1, xf.rx_done, stdout);
	putchar('\n');
	free(xf.rx);
	return 0;
}

static int cmd_send(const struct ram *ram, const struct image *img, const struct opts *o)
{
	const char *text = o->args[0];
	struct xfer xf = { .tx = (const uint8_t *)text, .tx_len = strlen(text) };

	transfer(ram, img, o, &xf);
	return 0;
}

static int cmd_recv(const struct ram *ram, const struct image *img, const struct opts *o)
{
	struct xfer xf = { .rx_len = o->count };

	xf.rx = malloc(o->count + 1);
	if (!xf.rx)
		die(1, "out of memory");
	transfer(ram, img, o, &xf);
	fwrite(xf.rx, 1, xf.rx_done, stdout);
	putchar('\n');
	free(xf.rx);
	return 0;
}

/* --count bytes of varied printable data through one channel, checked byte by byte */
static int cmd_stream(const struct ram *ram, const struct image *img, const struct opts *o)
{
	struct xfer xf = { .tx_len = o->count, .rx_len = o->count };
	uint8_t *tx = malloc(o->count + 1);
	uint32_t x = 12345;
	double t0;
	size_t i;

	xf.rx = malloc(o->count + 1);
	if (!tx || !xf.rx)
		die(1, "out of memory");
	for (i = 0; i < o->count; i++) {
		x = x * 1103515245u + 12345u;
		tx[i] = (uint8_t)(' ' + (x >> 16) % 95);
	}
	xf.tx = tx;
	t0 = now_s();
	transfer(ram, img, o, &xf);
	t0 = now_s() - t0;
	for (i = 0; i < o->count; i++)
		if (xf.rx[i] != expected_echo(o->channel, tx[i]))
			die(1, "channel %d: byte %zu is 0x%02x, expected 0x%02x", o->channel, i,
			    xf.rx[i], expected_echo(o->channel, tx[i]));
	printf("stream channel=%d bytes=%lu ok tx_wraps=%lu rx_wraps=%lu seconds=%.3f\n",
	       o->channel, o->count, xf.tx_wraps, xf.rx_wraps, t0);
	free(tx);
	free(xf.rx);
	return 0;
}

static const struct {
	const char *name;
	unsigned int off;
} chan_fields[] = {
	{ "rt_state", CH_RT_STATE }, { "lx_state", CH_LX_STATE },
	{ "buffer_size", CH_BUFFER_SIZE }, { "rt_write", CH_RT_WRITE },
	{ "rt_read", CH_RT_READ }, { "rt_buffer", CH_RT_BUFFER },
	{ "lx_write", CH_LX_WRITE }, { "lx_read", CH_LX_READ },
	{ "lx_buffer", CH_LX_BUFFER },
};

static uint8_t *chan_field(const struct ram *ram, const struct image *img,
			   const struct opts *o, const char *name)
{
	struct rtlx rx;
	const char *err = rtlx_attach(ram, img, o->layout, &rx);
	uint8_t *ch;
	size_t i;

	if (err)
		die(1, "%s", err);
	ch = chan_ptr(ram, &rx, o->channel);
	if (!ch)
		die(1, "channel %d outside the RAM file", o->channel);
	for (i = 0; i < sizeof(chan_fields) / sizeof(chan_fields[0]); i++)
		if (!strcmp(name, chan_fields[i].name))
			return ch + chan_fields[i].off;
	die(EXIT_USAGE, "unknown channel field '%s'", name);
}

static int cmd_get(const struct ram *ram, const struct image *img, const struct opts *o)
{
	printf("%u\n", ld32(ram, chan_field(ram, img, o, o->args[0])));
	return 0;
}

static int cmd_set(const struct ram *ram, const struct image *img, const struct opts *o)
{
	uint8_t *p = chan_field(ram, img, o, o->args[0]);
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(o->args[1], &end, 0);
	if (errno || *end || v > 0xffffffffu)
		die(EXIT_USAGE, "bad value '%s'", o->args[1]);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	st32(ram, p, (uint32_t)v);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return 0;
}

/* ---- command line ------------------------------------------------------- */

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"usage: fwprobe --ram FILE --elf IMAGE [options] COMMAND [ARGS]\n"
		"  report                        key=value lines of fw_report (+ rtlx_id, rtlx_layout)\n"
		"  wait-ready                    wait until RUNNING and rtlx published (if any)\n"
		"  echo --channel N TEXT         send TEXT, print the same number of bytes back\n"
		"  send --channel N TEXT         send TEXT only\n"
		"  recv --channel N --count N    print N received bytes\n"
		"  stream --channel N --count N  N bytes through the channel, echo checked\n"
		"  get --channel N FIELD         print a channel field (rt_write, lx_read, ...)\n"
		"  set --channel N FIELD VALUE   store a channel field\n"
		"  file-offset SYMBOL [ADD]      file offset of SYMBOL+ADD in IMAGE (no --ram)\n"
		"options: --layout 296|300 (default: detect)  --timeout SEC (default 5)\n"
		"         --chunk N (largest single ring write, default 1000)\n");
	exit(EXIT_USAGE);
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v > max)
		die(EXIT_USAGE, "bad value for %s: '%s'", opt, s);
	return v;
}

static double parse_seconds(const char *opt, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !*s || !(v >= 0 && v <= 3600))
		die(EXIT_USAGE, "bad value for %s: '%s' (seconds, 0..3600)", opt, s);
	return v;
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static char *pos[8];
	int i, n = 0;
	bool dashdash = false;

	memset(o, 0, sizeof(*o));
	o->channel = -1;
	o->timeout = 5;
	o->chunk = 1000;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (dashdash || strncmp(a, "--", 2) || !strcmp(a, "--")) {
			if (!dashdash && !strcmp(a, "--")) {
				dashdash = true;
				continue;
			}
			if (n == (int)(sizeof(pos) / sizeof(pos[0])))
				usage();
			pos[n++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--help"))
			usage();
		if (!v)
			die(EXIT_USAGE, "%s needs a value", a);
		i++;
		if (!strcmp(a, "--ram"))
			o->ram = v;
		else if (!strcmp(a, "--elf"))
			o->elf = v;
		else if (!strcmp(a, "--channel"))
			o->channel = (int)parse_num(a, v, RTLX_CHANNELS - 1);
		else if (!strcmp(a, "--layout"))
			o->layout = (unsigned int)parse_num(a, v, 300);
		else if (!strcmp(a, "--timeout"))
			o->timeout = parse_seconds(a, v);
		else if (!strcmp(a, "--count"))
			o->count = parse_num(a, v, 1ul << 30);
		else if (!strcmp(a, "--chunk"))
			o->chunk = parse_num(a, v, 1ul << 30);
		else
			die(EXIT_USAGE, "unknown option %s", a);
	}
	if (n == 0)
		usage();
	o->cmd = pos[0];
	o->args = pos + 1;
	o->nargs = n - 1;
	if (o->layout && o->layout != 296 && o->layout != 300)
		die(EXIT_USAGE, "--layout must be 296 or 300");
	if (!o->chunk)
		die(EXIT_USAGE, "--chunk must be at least 1");
	if (!o->elf)
		die(EXIT_USAGE, "--elf IMAGE is required");
}

static void need(const struct opts *o, int nargs, bool channel, bool count)
{
	if (o->nargs != nargs)
		die(EXIT_USAGE, "%s: expected %d argument(s), got %d", o->cmd, nargs, o->nargs);
	if (channel && o->channel < 0)
		die(EXIT_USAGE, "%s: --channel N is required", o->cmd);
	if (count && !o->count)
		die(EXIT_USAGE, "%s: --count N is required", o->cmd);
	if (!o->ram)
		die(EXIT_USAGE, "%s: --ram FILE is required", o->cmd);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(const struct ram *, const struct image *, const struct opts *);
		int nargs;
		bool channel, count, writes;
	} cmds[] = {
		{ "report", cmd_report, 0, false, false, false },
		{ "echo", cmd_echo, 1, true, false, true },
		{ "send", cmd_send, 1, true, false, true },
		{ "recv", cmd_recv, 0, true, true, true },
		{ "stream", cmd_stream, 0, true, true, true },
		{ "get", cmd_get, 1, true, false, false },
		{ "set", cmd_set, 2, true, false, true },
	};
	struct image img;
	struct ram ram;
	struct opts o;
	size_t i;

	parse_args(argc, argv, &o);
	if (!strcmp(o.cmd, "file-offset")) {
		if (o.nargs < 1 || o.nargs > 2)
			die(EXIT_USAGE, "file-offset SYMBOL [ADD]");
		return cmd_file_offset(o.elf, o.args[0],
				       o.nargs == 2 ? parse_num("ADD", o.args[1], 1ul << 30) : 0);
	}
	image_load(o.elf, &img);
	if (!img.have_report)
		die(1, "%s: no fw_report symbol", o.elf);
	if (!strcmp(o.cmd, "wait-ready")) {
		need(&o, 0, false, false);
		return cmd_wait_ready(&o, &img);
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(o.cmd, cmds[i].name))
			continue;
		need(&o, cmds[i].nargs, cmds[i].channel, cmds[i].count);
		ram_open(o.ram, cmds[i].writes, &ram);
		ram.big_endian = img.big_endian;
		if (!ram_ptr(&ram, img.report, FW_REP_SIZE, true))
			die(1, "fw_report at 0x%08x is outside the RAM file", img.report);
		return cmds[i].fn(&ram, &img, &o);
	}
	warnx("unknown command '%s'", o.cmd);
	usage();
}
