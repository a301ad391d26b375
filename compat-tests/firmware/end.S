/*
 * End of .bss.  Linked last, so this empty .bss contribution sits after
 * every other object's.  A marker symbol works in both builds: the ET_EXEC
 * link and the relocatable (ld -r) one, where no linker script runs and the
 * legacy loader places the single merged .bss wherever it likes.
 */
	.bss
	.balign	4
	.globl	fw_bss_end
fw_bss_end:

	.section .note.GNU-stack, "", @progbits
