/* SPDX-License-Identifier: MIT */
/* minihyp's emulated PL011 (examples/minihyp/vuart.c; issue 15 item 3):
 * the registers a guest's console driver uses, the identification
 * registers Linux's AMBA bus reads, the line buffering with the VM prefix
 * on minihyp's console, and the accesses it refuses.
 *
 * Facts used here as literals, from the PrimeCell UART (PL011) Technical
 * Reference Manual, ARM DDI 0183, 3.2 "Summary of registers" and 3.3
 * "Register descriptions":
 * - offsets: UARTDR 0x000, UARTRSR/UARTECR 0x004, UARTFR 0x018, UARTILPR
 *   0x020, UARTIBRD 0x024, UARTFBRD 0x028, UARTLCR_H 0x02C, UARTCR 0x030,
 *   UARTIFLS 0x034, UARTIMSC 0x038, UARTRIS 0x03C, UARTMIS 0x040, UARTICR
 *   0x044 (write-only), UARTDMACR 0x048, UARTPeriphID0..3 0xFE0..0xFEC,
 *   UARTPCellID0..3 0xFF0..0xFFC;
 * - UARTFR: RXFE bit 4, TXFF bit 5, TXFE bit 7, BUSY bit 3;
 * - widths: IBRD 16 bits, FBRD 6, LCR_H 8, CR 16, IFLS 6, IMSC 11, DMACR 3,
 *   ILPR 8; reset values UARTCR 0x0300, UARTIFLS 0x12;
 * - identification: PeriphID 0x11, 0x10, 0x14, 0x00 (part 0x011, designer
 *   0x41, revision 1) and PCellID 0x0D, 0xF0, 0x05, 0xB1, the values QEMU's
 *   PL011 reports (QEMU hw/char/pl011.c, pl011_id_arm), which Linux's AMBA
 *   bus matches with the pl011 driver's ID 0x00041011 (mask 0x000fffff).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libhyp/error.h>

#include "minihyp.h"

/* minihyp's console: what vuart.c prints, captured; each mh_printf() is
 * one call (under the console lock in minihyp). */
static char out[8192];
static size_t out_len;
static unsigned int printf_calls;

void mh_vprintf(const char *fmt, va_list ap)
{
	int n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, ap);

	if (n > 0)
		out_len +=
		    (size_t)n < sizeof(out) - out_len ? (size_t)n : sizeof(out) - out_len - 1;
}

void mh_printf(const char *fmt, ...)
{
	va_list ap;

	printf_calls++;
	va_start(ap, fmt);
	mh_vprintf(fmt, ap);
	va_end(ap);
}

#define BASE 0x09000000ull

static struct mh_vuart u;

static void setup(void)
{
	memset(out, 0, sizeof(out));
	out_len = 0;
	printf_calls = 0;
	mh_vuart_init(&u, 1, BASE, 0x1000);
}

static uint64_t rd(uint64_t off, unsigned width)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	cr_assert_eq(mh_vuart_access(&u, BASE + off, width, false, &v), 0, "read %#llx/%u",
		     (unsigned long long)off, width);
	return v;
}

static void wr(uint64_t off, unsigned width, uint64_t v)
{
	cr_assert_eq(mh_vuart_access(&u, BASE + off, width, true, &v), 0, "write %#llx/%u",
		     (unsigned long long)off, width);
}

static void puts_(const char *s)
{
	while (*s)
		wr(0x000, 4, (uint8_t)*s++);
}

TestSuite(minihyp_vuart, .init = setup);

Test(minihyp_vuart, flags_and_data)
{
	/* TXFE | RXFE: never full, nothing received; BUSY, TXFF clear */
	cr_assert_eq(rd(0x018, 4), 0x90);
	cr_assert_eq(rd(0x018, 2), 0x90);
	cr_assert_eq(rd(0x000, 4), 0); /* UARTDR: nothing to read */
	cr_assert_eq(rd(0x004, 4), 0); /* UARTRSR: no error */
	wr(0x004, 4, 0xff);	       /* UARTECR: clears nothing */
	wr(0x018, 4, 0xffff);	       /* UARTFR is read-only */
	cr_assert_eq(rd(0x018, 4), 0x90);
	/* no interrupt, ever */
	wr(0x038, 4, 0x7ff);
	cr_assert_eq(rd(0x03c, 4), 0);
	cr_assert_eq(rd(0x040, 4), 0);
	cr_assert_eq(out_len, 0);
}

Test(minihyp_vuart, control_registers_read_back)
{
	static const struct {
		uint64_t off;
		uint32_t reset, mask;
	} regs[] = {
	    {0x020, 0, 0xff},	    /* UARTILPR */
	    {0x024, 0, 0xffff},	    /* UARTIBRD */
	    {0x028, 0, 0x3f},	    /* UARTFBRD */
	    {0x02c, 0, 0xff},	    /* UARTLCR_H */
	    {0x030, 0x300, 0xffff}, /* UARTCR */
	    {0x034, 0x12, 0x3f},    /* UARTIFLS */
	    {0x038, 0, 0x7ff},	    /* UARTIMSC */
	    {0x048, 0, 0x7},	    /* UARTDMACR */
	};

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		cr_assert_eq(rd(regs[i].off, 4), regs[i].reset, "reset of %#llx",
			     (unsigned long long)regs[i].off);
		wr(regs[i].off, 4, 0xffffffffull);
		cr_assert_eq(rd(regs[i].off, 4), regs[i].mask, "mask of %#llx",
			     (unsigned long long)regs[i].off);
		wr(regs[i].off, 4, 0x5a5a5a5aull);
		cr_assert_eq(rd(regs[i].off, 4), 0x5a5a5a5au & regs[i].mask);
	}
	/* Linux's pl011 driver uses 16-bit accesses (readw/writew) */
	wr(0x030, 2, 0x0301);
	cr_assert_eq(rd(0x030, 2), 0x0301);
	cr_assert_eq(rd(0x030, 4), 0x0301);
	/* a byte write merges into its byte lane */
	wr(0x031, 1, 0x02);
	cr_assert_eq(rd(0x030, 4), 0x0201);
	cr_assert_eq(rd(0x031, 1), 0x02);
	/* UARTICR is write-only: reads 0; a write clears nothing there is */
	wr(0x044, 4, 0x7ff);
	cr_assert_eq(rd(0x044, 4), 0);
	/* reserved: reads 0, writes ignored */
	wr(0x04c, 4, 0x1234);
	cr_assert_eq(rd(0x04c, 4), 0);
	cr_assert_eq(rd(0xf00, 4), 0);
	cr_assert_eq(out_len, 0);
}

Test(minihyp_vuart, identification)
{
	static const uint8_t id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
	uint32_t pid = 0, cid = 0;

	for (unsigned i = 0; i < 8; i++) {
		cr_assert_eq(rd(0xfe0 + 4 * i, 4), id[i], "ID register %#x", 0xfe0 + 4 * i);
		wr(0xfe0 + 4 * i, 4, 0); /* read-only */
		cr_assert_eq(rd(0xfe0 + 4 * i, 4), id[i]);
	}
	/* what Linux's amba_read_ids() builds: the low byte of each word */
	for (unsigned i = 0; i < 4; i++) {
		pid |= (uint32_t)(rd(0xfe0 + 4 * i, 4) & 0xff) << (8 * i);
		cid |= (uint32_t)(rd(0xff0 + 4 * i, 4) & 0xff) << (8 * i);
	}
	cr_assert_eq(pid, 0x00141011);
	cr_assert_eq(cid, 0xb105f00d);
	cr_assert_eq(pid & 0x000fffff, 0x00041011); /* the pl011 driver's amba_id */
}

Test(minihyp_vuart, whole_lines_with_the_prefix)
{
	puts_("hello");
	cr_assert_eq(out_len, 0, "nothing before the newline: '%s'", out);
	puts_(", world\r\n");
	cr_assert_str_eq(out, "vm1: hello, world\n");
	cr_assert_eq(printf_calls, 1, "one line, one mh_printf (under the console lock)");
	/* 8-bit writes (Linux's earlycon uses writeb) */
	wr(0x000, 1, 'a');
	wr(0x000, 2, 'b');
	/* a write to UARTDR's upper byte transmits nothing */
	wr(0x001, 1, 'X');
	wr(0x000, 4, 0x100 | '\n'); /* only DATA, bits [7:0], counts */
	cr_assert_str_eq(out, "vm1: hello, world\nvm1: ab\n");
	/* control characters but tab are dropped: no escape sequence, no
	 * cursor movement over the prefix */
	puts_("\x1b[2Kx\ty\b\x7f\r\n");
	cr_assert_str_eq(out, "vm1: hello, world\nvm1: ab\nvm1: [2Kx\ty\n");
	cr_assert_eq(u.lines, 3);
}

Test(minihyp_vuart, full_buffer_and_vm_end)
{
	char line[MH_VUART_LINE + 1];
	char want[2 * MH_VUART_LINE + 64];

	/* 120 characters: printed as a line at once, the rest on the next */
	memset(line, 'z', MH_VUART_LINE);
	line[MH_VUART_LINE] = 0;
	cr_assert_eq(MH_VUART_LINE, 120);
	puts_(line);
	snprintf(want, sizeof(want), "vm1: %s\n", line);
	cr_assert_str_eq(out, want);
	puts_("tail");
	cr_assert_str_eq(out, want, "a partial line waits");
	/* the VM ends: its partial line, then the counts */
	mh_vuart_vm_end(&u);
	snprintf(want, sizeof(want),
		 "vm1: %s\nvm1: tail\nminihyp: vm1: emulated console: 124 characters, 2 lines, 0 "
		 "refused accesses\n",
		 line);
	cr_assert_str_eq(out, want);
	/* another VM's prefix */
	mh_vuart_init(&u, 3, BASE, 0x1000);
	out_len = 0;
	out[0] = 0;
	puts_("x\n");
	cr_assert_str_eq(out, "vm3: x\n");
}

Test(minihyp_vuart, refused_accesses_change_nothing)
{
	uint64_t v = 0x41;

	wr(0x030, 4, 0x301);
	puts_("ab");
	/* 64-bit: not a PL011 access; unaligned ones neither */
	cr_assert_eq(mh_vuart_access(&u, BASE + 0x030, 8, true, &v), HYP_EINVAL);
	cr_assert_eq(mh_vuart_access(&u, BASE + 0x000, 8, true, &v), HYP_EINVAL);
	cr_assert_eq(mh_vuart_access(&u, BASE + 0x031, 2, true, &v), HYP_EINVAL);
	cr_assert_eq(mh_vuart_access(&u, BASE + 0x002, 4, true, &v), HYP_EINVAL);
	cr_assert_eq(mh_vuart_access(&u, BASE + 0x018, 3, false, &v), HYP_EINVAL);
	cr_assert_eq(v, 0x41, "a refused read writes nothing");
	cr_assert_eq(u.bad, 5);
	cr_assert_eq(rd(0x030, 4), 0x301);
	cr_assert_eq(u.len, 2);
	cr_assert_eq(u.chars, 2);
	/* outside its page, or no emulated PL011: not its access */
	cr_assert_eq(mh_vuart_access(&u, BASE + 0x1000, 4, false, &v), HYP_ENOENT);
	cr_assert_eq(mh_vuart_access(&u, BASE - 4, 4, false, &v), HYP_ENOENT);
	cr_assert_eq(u.bad, 5);
	mh_vuart_init(&u, 2, 0, 0);
	cr_assert_eq(mh_vuart_access(&u, 0, 4, false, &v), HYP_ENOENT);
	mh_vuart_vm_end(&u); /* nothing: no emulated PL011 */
	cr_assert_eq(out_len, 0);
}
