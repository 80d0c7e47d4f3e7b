/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * minixen entry: arm64 Image header, boot and secondary entry, EL2
 * exception vectors and the guest world switch.
 */
#include <minixen/config.h>

	.section .head, "ax"
	.global _head
_head:
	b	primary_entry
	.long	0
	.quad	0x200000		/* text_offset: QEMU loads at RAM + this */
	.quad	_end - _head		/* image_size, BSS included */
	.quad	0x2			/* flags: little endian, 4 KiB pages */
	.quad	0
	.quad	0
	.quad	0
	.ascii	"ARM\x64"		/* magic */
	.long	0

primary_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* DTB */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	.			/* not at EL2: nothing we can say */
	adr	x1, _head
	ldr	x2, =_head
	cmp	x1, x2
	b.ne	.			/* loaded away from the link address */
	ldr	x1, =_bss_start
	ldr	x2, =_bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x20, #0
	bl	cpu_setup
	mov	x0, x19
	bl	start_minixen
	b	.

	.text
/* PSCI CPU_ON lands here, at EL2, MMU off, x0 = our CPU index. */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x20, x0
	bl	cpu_setup
	mov	x0, x20
	bl	secondary_main
	b	.

/* x20 = CPU index: stack, vectors, FP/SIMD allowed at EL2 (libfdt). */
cpu_setup:
	ldr	x1, =hyp_stacks
	add	x2, x20, #1
	lsl	x2, x2, #HYP_STACK_SHIFT
	add	sp, x1, x2
	ldr	x1, =hyp_vectors
	msr	vbar_el2, x1
	mov	x1, #0x33ff		/* CPTR_EL2: RES1, TFP = 0 */
	msr	cptr_el2, x1
	isb
	ret

/* Exceptions taken from EL2 itself: fatal. */
.macro hyp_bad kind
	.align	7
	stp	x29, x30, [sp, #-16]!
	mov	x0, #\kind
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	mov	x4, sp
	bl	hyp_fatal_exception
	b	.
.endm

/* Exceptions from a guest: leave guest_enter() with an exit code. */
.macro guest_vector code
	.align	7
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\code
	b	guest_exit
.endm

	.align	11
	.global hyp_vectors
hyp_vectors:
	hyp_bad	0
	hyp_bad	1
	hyp_bad	2
	hyp_bad	3
	hyp_bad	4
	hyp_bad	5
	hyp_bad	6
	hyp_bad	7
	guest_vector EXIT_SYNC
	guest_vector EXIT_IRQ
	guest_vector EXIT_FIQ
	guest_vector EXIT_SERROR
	guest_vector EXIT_BAD
	guest_vector EXIT_BAD
	guest_vector EXIT_BAD
	guest_vector EXIT_BAD

/*
 * unsigned long guest_enter(struct gregs *regs): run the guest with the
 * general registers in @regs (ELR/SPSR_EL2 already set) until it exits.
 */
	.global guest_enter
guest_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x1, tpidr_el2
	str	x0, [x1]		/* pcpu->regs */
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret
	dsb	nsh
	isb

guest_exit:
	mrs	x0, tpidr_el2
	ldr	x0, [x0]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/* void fpsimd_save(struct fpregs *), fpsimd_restore(const struct fpregs *) */
	.global fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret

	.global fpsimd_restore
fpsimd_restore:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret

	.global hyp_stacks
	.bss
	.align	12
hyp_stacks:
	.space	(MAX_PCPUS << HYP_STACK_SHIFT)
