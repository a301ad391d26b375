/*
 * The large fixtures' data: generated once at build time by gendata (see
 * Makefile), pulled in with .incbin.  The expected checksum for this byte
 * order comes from the generated blob.h.  Both are found through the
 * include path of the size being built (gen/2m or gen/16m).
 */
#include "blob.h"

	.section .rodata.blob, "a", @progbits
	.balign	16
	.globl	fw_blob
	.type	fw_blob, @object
fw_blob:
	.incbin	"blob.bin"
	.globl	fw_blob_end
fw_blob_end:
	.size	fw_blob, FW_BLOB_BYTES

	.section .rodata, "a", @progbits
	.balign	4
	.globl	fw_blob_sum
	.type	fw_blob_sum, @object
fw_blob_sum:
#ifdef __MIPSEB__
	.word	FW_BLOB_SUM_BE
#else
	.word	FW_BLOB_SUM_LE
#endif
	.size	fw_blob_sum, 4

	.section .note.GNU-stack, "", @progbits
