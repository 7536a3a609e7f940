/* SPDX-License-Identifier: MIT */
/*
 * /init of the initramfs bench.py builds for a Linux guest under minihyp
 * (`bench.py linux`): a static aarch64 Linux program without a C library.
 * It writes a line to /dev/kmsg (the kernel logs it on its console, which
 * writes the PL011 by polling: minihyp does not forward the UART's
 * interrupt) and powers the machine off with reboot(2), which Linux does
 * with PSCI SYSTEM_OFF: minihyp then ends QEMU.
 * Syscall numbers: include/uapi/asm-generic/unistd.h (openat 56, write 64,
 * reboot 142); reboot's magic numbers and LINUX_REBOOT_CMD_POWER_OFF:
 * include/uapi/linux/reboot.h.
 */
#define SYS_openat 56
#define SYS_write  64
#define SYS_reboot 142
#define AT_FDCWD   -100
#define O_WRONLY   1

	.text
	.global	_start
_start:
	mov	x0, #AT_FDCWD
	adr	x1, kmsg
	mov	x2, #O_WRONLY
	mov	x3, #0
	mov	x8, #SYS_openat
	svc	#0
	adr	x1, msg
	mov	x2, #(msg_end - msg)
	mov	x8, #SYS_write
	svc	#0
	movz	x0, #0xfee1, lsl #16	/* LINUX_REBOOT_MAGIC1 0xfee1dead */
	movk	x0, #0xdead
	movz	x1, #0x2812, lsl #16	/* LINUX_REBOOT_MAGIC2 672274793 */
	movk	x1, #0x1969
	movz	x2, #0x4321, lsl #16	/* LINUX_REBOOT_CMD_POWER_OFF */
	movk	x2, #0xfedc
	mov	x3, #0
	mov	x8, #SYS_reboot
	svc	#0
1:	b	1b

kmsg:	.asciz	"/dev/kmsg"
msg:	.ascii	"minihyp-init: hello from Linux userspace\n"
msg_end:
