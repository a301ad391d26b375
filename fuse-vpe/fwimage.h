/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fwimage: turn a legacy VPE-loader image into a remoteproc-loadable ELF.
 *
 * The legacy loader (/dev/vpe1, docs/legacy-abi.md section 5) accepted
 * MIPS o32 ELF32 relocatable objects and executables, laid out and
 * relocated the objects itself and started the program at its __start
 * symbol. remoteproc (drivers/remoteproc/remoteproc_elf_loader.c) only copies PT_LOAD
 * segments to p_paddr and needs a .resource_table. fwimage bridges the two:
 * it validates the image the way the legacy loader did, with every offset,
 * size and index checked against the real image length, relocates objects
 * and writes an ET_EXEC with physical load addresses, e_entry = __start and
 * one carveout covering the whole image.
 *
 * Pure: bytes in, bytes or an error out. No I/O, no globals, no printing;
 * safe to call from an event loop (work is linear in the input size, no
 * recursion). Every message for the log is handed back in the result.
 *
 * Two ways to get the output: fwimage_convert() builds it in one buffer;
 * fwimage_convert_pieces() describes it as pieces, most of them the
 * input's own bytes, so that a caller writing it to a file copies the
 * loaded bytes once (or, holding the input in that file, not at all) and
 * the conversion itself copies nothing of their size. Both give the same
 * output (fwimage_convert() flattens the pieces).
 */
#ifndef FWIMAGE_H
#define FWIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>	/* LOG_ERR, LOG_WARNING, LOG_INFO: the lines' levels */

#define FWIMAGE_VERSION			"1.0"

/* Where ET_REL objects are placed unless told otherwise (KSEG0). */
#define FWIMAGE_LOAD_ADDR_DEFAULT	0x80800000u
/* Largest input image and largest loaded span (carveout length). */
#define FWIMAGE_MAX_SIZE_DEFAULT	(64u << 20)
/* The name of the one carveout in the resource table. */
#define FWIMAGE_CARVEOUT_NAME		"vpe-compat"

/* Values chosen to equal ELFDATA2LSB and ELFDATA2MSB. */
enum fwimage_order {
	FWIMAGE_ORDER_ANY = 0,		/* options only: accept both */
	FWIMAGE_ORDER_LSB = 1,
	FWIMAGE_ORDER_MSB = 2,
};

struct fwimage_opts {
	/*
	 * KSEG0 address an ET_REL object is laid out at; 0 means
	 * FWIMAGE_LOAD_ADDR_DEFAULT. Must be 4 KiB aligned (the fixtures'
	 * exception vectors are); a section asking for more alignment than
	 * the address has is refused. Ignored for ET_EXEC.
	 */
	uint32_t load_addr;
	/* Largest input and carveout in bytes; 0: FWIMAGE_MAX_SIZE_DEFAULT. */
	uint32_t max_size;
	/* The remote's byte order; an image of the other order is refused. */
	enum fwimage_order order;
};

#define FWIMAGE_LINE_MAX	192
#define FWIMAGE_MAX_LEGACY	8
#define FWIMAGE_MAX_WARNINGS	8

struct fwimage_line {
	int level;			/* LOG_ERR, LOG_WARNING or LOG_INFO */
	char text[FWIMAGE_LINE_MAX];	/* no newline, printable ASCII */
};

/* One loaded segment of the output (the resource table's excluded). */
struct fwimage_segment {
	uint32_t paddr;		/* physical = remoteproc device address */
	uint32_t vaddr;		/* the KSEG0 alias the remote runs it at */
	uint32_t filesz;
	uint32_t memsz;
	uint32_t flags;		/* PF_R | PF_W | PF_X */
};

struct fwimage_info {
	enum fwimage_order order;	/* of the input and the output */
	unsigned int type;		/* ET_REL or ET_EXEC, 0 if unknown */
	uint32_t e_flags;		/* copied to the output */
	uint32_t load_addr;		/* ET_REL: where it was laid out */
	uint32_t start;			/* __start, the output's e_entry */
	bool has_vpe_shared;
	uint32_t vpe_shared;		/* address of the vpe_shared variable */
	bool vpe_shared_has_phys;	/* false: not inside KSEG0/KSEG1 */
	uint32_t vpe_shared_phys;
	unsigned int ncommons;		/* SHN_COMMON symbols given space */
	uint32_t commons_size;
	unsigned int nsegments;
	struct fwimage_segment *segments;	/* freed with the result */
	uint32_t rsc_table_addr;	/* physical, = the section's sh_addr */
	uint32_t rsc_table_size;
	struct {
		uint32_t da, pa, len;	/* da = pa = physical */
	} carveout;
};

/*
 * A run of output bytes (fwimage_convert_pieces()): len bytes at offset
 * in the output, whose contents are at data.
 */
struct fwimage_piece {
	size_t offset;		/* in the output */
	size_t len;		/* never 0 */
	const uint8_t *data;	/* into the input, or into res->piece_data */
	bool from_input;	/* data is the input's, at in_offset */
	size_t in_offset;
};

struct fwimage_result {
	int err;		/* 0, ENOEXEC, ENOMEM or EINVAL (bad options) */
	/* fwimage_convert(): the remoteproc ELF, NULL on error */
	uint8_t *image;
	/* the output's length (both entry points) */
	size_t image_len;
	/*
	 * fwimage_convert_pieces(): the output, npieces pieces in increasing
	 * offset order, not overlapping; NULL on error and for
	 * fwimage_convert(). Bytes no piece covers are used by nothing (the
	 * flat image has zeros there; any content will do).
	 */
	struct fwimage_piece *pieces;
	unsigned int npieces;
	uint8_t *piece_data;	/* the bytes of pieces not from the input */
	struct fwimage_info info;	/* filled as far as conversion got */
	/*
	 * What the legacy kernel would have logged for this image, line by
	 * line and in order, e.g. "VPE loader: program wrong arch or weird
	 * elf version" then "VPE loader: ELF load failed.". On success the
	 * info lines "VPE loader: loading to ..." and " elf loaded", and the
	 * two-line warning when vpe_shared is missing.
	 */
	unsigned int nlegacy;
	struct fwimage_line legacy[FWIMAGE_MAX_LEGACY];
	/* fwimage's own warnings ("fwimage: ..."); success or not. */
	unsigned int nwarnings;
	bool warnings_dropped;		/* more than FWIMAGE_MAX_WARNINGS */
	char warnings[FWIMAGE_MAX_WARNINGS][FWIMAGE_LINE_MAX];
	/* On error, the one check that failed and where ("fwimage: ..."). */
	char error[FWIMAGE_LINE_MAX];
};

/*
 * Convert the len bytes at in. opts may be NULL for the defaults. res is
 * overwritten (call fwimage_result_free() on it afterwards, success or
 * not). Returns 0 or -res->err.
 */
int fwimage_convert(const void *in, size_t len,
		    const struct fwimage_opts *opts,
		    struct fwimage_result *res);

/*
 * The same conversion, the output given as res->pieces (res->image stays
 * NULL). Pieces from the input point into in, which must outlive them.
 *
 * Layout, so that a file holding the input can become the output in
 * place: an ET_EXEC's segments keep their input offsets where they can
 * (from_input, offset == in_offset); every other piece lies at or after
 * len (rounded up to 16), except the ELF header (at 0, fwimage's own) and,
 * for an ET_REL, the whole output (fwimage's own). So, with the input in a
 * file of len bytes: copy the input pieces whose offset differs from
 * in_offset (they land past len, their source is still intact), then
 * write the others that are not from the input, then truncate the file to
 * image_len. Same return values as fwimage_convert().
 */
int fwimage_convert_pieces(const void *in, size_t len,
			   const struct fwimage_opts *opts,
			   struct fwimage_result *res);

/*
 * How long is the image whose first @len bytes are at @in? For a writer
 * that hands an image over in several writes and is told its verdict by
 * a write (fwimage-extent.c says why). Returns
 *   0         with *need the length the image's headers and tables give
 *             it so far. More than @len: wait for more bytes and ask
 *             again (the answer grows as the tables arrive). At most
 *             @len: the image is whole; fwimage_convert() of the bytes
 *             there gives its verdict, and no byte after them changes it
 *             (only their number, against the largest image).
 *   -ENOEXEC  the bytes there rule out an image whatever follows: not
 *             ELF, the wrong class, byte order, type, machine or ABI, or
 *             tables that end past 4 GiB. (Tables that end past the
 *             largest image only ask for that many bytes: their writer
 *             runs into the limit, as with the legacy loader.)
 *             fwimage_convert() of them gives the reason and the lines.
 *   -EINVAL   @opts are bad (fwimage_check_opts()).
 * Pure and cheap: it reads the header and the tables, nothing else.
 */
int fwimage_extent(const void *in, size_t len,
		   const struct fwimage_opts *opts, size_t *need);

/* Either result: everything it holds (not the input). */
void fwimage_result_free(struct fwimage_result *res);

/*
 * Read back an image fwimage_convert() wrote (the file remoteproc loaded),
 * for a daemon that restarts while its program runs: fills res->info's
 * order, start and vpe_shared fields as the conversion did.  Returns 0,
 * -ENOEXEC (not such an image, or no vpe_shared: the reason in res->error)
 * or -ENOMEM.  Nothing to free.
 */
int fwimage_inspect(const void *image, size_t len, struct fwimage_result *res);

/*
 * Would fwimage_convert() take @opts? 0, or -EINVAL with the reason in
 * res->error (nothing to free).  For programs that check their options
 * before they have an image.
 */
int fwimage_check_opts(const struct fwimage_opts *opts,
		       struct fwimage_result *res);

/* "little-endian", "big-endian"; "ET_REL", "ET_EXEC", "ET_<n>". */
const char *fwimage_order_name(enum fwimage_order order);
const char *fwimage_type_name(unsigned int type);

#endif /* FWIMAGE_H */
