/* SPDX-License-Identifier: MIT */
/* chatter: prints the same line, "chatter ID: ...", `lines` times (default
 * 200; ID is the `id` argument, default 0) as fast as the console takes
 * it, then powers off. Two VMs running it at once on
 * different CPUs (one on the real PL011, one on minihyp's emulated
 * console) show whether a character of one can land inside a line of the
 * other: every line must come out whole (tests/qemu/minihyp/meson.build,
 * qemu-minihyp-console-whole-lines-*). */
#include "common.h"

#define CHATTER_TEXT ": the quick brown fox jumps over the lazy dog 0123456789\n"

void guest_main(const void *dtb)
{
	struct guest_dt dt;
	uint64_t n, id;

	guest_setup(dtb, &dt);
	n = guest_arg(&dt, "lines", 200);
	id = guest_arg(&dt, "id", 0);
	for (uint64_t i = 0; i < n; i++) {
		guest_puts("chatter ");
		guest_put_dec(id);
		guest_puts(CHATTER_TEXT);
	}
	guest_puts("chatter done\n");
	guest_exit(0);
}
