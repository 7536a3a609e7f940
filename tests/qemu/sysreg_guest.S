/* SPDX-License-Identifier: MIT */
/* EL1 guest stubs for tests/qemu/sysreg.c: writes and reads of TVM-group
 * registers, reporting to the host with HVC #1 between rounds. */
#define HVC_REPORT 1
#define HVC_BAD 0xbad

	.text
	.balign	4
	.global	g_writer
g_writer:
	/* round 1: four writes to three TVM-group registers */
	msr	contextidr_el1, x1
	msr	ttbr0_el1, x2
	msr	contextidr_el1, x3
	msr	mair_el1, x4
	hvc	#HVC_REPORT
	/* round 2 (after a put/load through another vCPU): read them back */
	mrs	x10, contextidr_el1
	mrs	x11, ttbr0_el1
	mrs	x12, mair_el1
	msr	tcr_el1, x5
	hvc	#HVC_REPORT
	/* round 3: the last write survived too */
	mrs	x13, tcr_el1
	hvc	#HVC_REPORT
	b	.

	/* ACTLR_EL1 (issue 11, defect 16): trapped by HCR_EL2.TACR and
	 * answered from the vCPU's value; the write is ignored. */
	.global	g_actlr
g_actlr:
	mrs	x14, actlr_el1
	msr	actlr_el1, x6
	mrs	x15, actlr_el1
	hvc	#HVC_REPORT
	b	.

	/* The MSR/MRS dispatcher (issue 13): ID reads trapped by
	 * HCR_EL2.TID3 answered by the integrator's table (ID_AA64ISAR0_EL1),
	 * the VM's ID view (ID_AA64MMFR1_EL1, twice: the second from the
	 * cache, into x20, which only a full resume reloads), and a table
	 * handler that fails (ID_AA64ISAR1_EL1): the run loop sees it. */
	.global	g_dispatch
g_dispatch:
	mrs	x16, id_aa64isar0_el1
	mrs	x17, id_aa64mmfr1_el1
	mrs	x20, id_aa64mmfr1_el1
	mrs	x18, id_aa64isar1_el1
	hvc	#HVC_REPORT
	b	.

	/* A direct entry (ID_AA64ISAR2_EL1) through the assembly cached
	 * hit: a miss, hits into x6 and x21, the cached key with XZR, an
	 * ordinary entry, then the direct one again after the key moved. */
	.global	g_direct
g_direct:
	mrs	x5, id_aa64isar2_el1
	mrs	x6, id_aa64isar2_el1
	mrs	xzr, id_aa64isar2_el1
	mrs	x21, id_aa64isar2_el1
	mrs	x7, id_aa64isar0_el1
	mrs	x8, id_aa64isar2_el1
	hvc	#HVC_REPORT
	b	.

	/* The vector code's early answer: ACTLR_EL1 (HCR_EL2.TACR) a
	 * storage slot (write mask 0xff0f), ID_AA64ISAR2_EL1 (TID3) a
	 * direct entry. In each pair the first access is answered by the
	 * dispatcher, which records it, the second (same register and Rt,
	 * either direction) by the vector code: Rt X1, the scratch-held X2
	 * X3 X4 X5, X19, X30 and XZR for the slot; X7, X8 for the direct
	 * entry (X8's record made by the assembly dispatcher's cached hit). */
	.global	g_early
g_early:
	msr	actlr_el1, x1
	mrs	x1, actlr_el1
	msr	actlr_el1, x2
	msr	actlr_el1, x2
	mrs	x2, actlr_el1
	msr	actlr_el1, x4
	msr	actlr_el1, x4
	mrs	x4, actlr_el1
	msr	actlr_el1, x5
	mrs	x5, actlr_el1
	msr	actlr_el1, x19
	mrs	x19, actlr_el1
	msr	actlr_el1, x30
	mrs	x30, actlr_el1
	msr	actlr_el1, xzr
	mrs	xzr, actlr_el1
	mrs	x6, actlr_el1
	msr	actlr_el1, x3
	msr	actlr_el1, x3
	mrs	x3, actlr_el1
	mrs	x7, id_aa64isar2_el1
	mrs	x7, id_aa64isar2_el1
	mrs	x8, id_aa64isar2_el1
	mrs	x8, id_aa64isar2_el1
	mrs	x8, id_aa64isar2_el1
	/* HCR_EL2.TWI: a WFx handler that returns HYP_FAST_RESUME_SKIP */
	wfi
	wfi
	hvc	#HVC_REPORT
	b	.

	/* Another vCPU on the same CPU, clobbering the same registers. */
	.global	g_clobber
g_clobber:
	msr	contextidr_el1, x1
	msr	ttbr0_el1, x1
	msr	mair_el1, x1
	msr	tcr_el1, x1
	hvc	#HVC_REPORT
	b	g_clobber

	/* Anything unexpected in the guest ends in HVC #0xbad with x0 = the
	 * vector offset. */
	.balign	2048
	.global	g_vectors
g_vectors:
	.irp	off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780
	.org	g_vectors + \off
	mov	x0, #\off
	hvc	#HVC_BAD
	.endr
