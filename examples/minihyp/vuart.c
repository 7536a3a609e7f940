/* SPDX-License-Identifier: MIT */
/*
 * The emulated console of a VM that does not own the PL011 (issue 15,
 * item 3; minihyp.h, "the emulated console"): an Arm PrimeCell UART
 * (PL011) as far as a guest's console driver needs one, at the address and
 * with the interrupt number the guest DT gives the real one.
 *
 * - UARTDR writes: the character goes into the VM's line buffer; a newline
 *   or a full buffer prints the line on minihyp's console as one
 *   mh_printf() ("vmN: TEXT"), so under the console lock: lines of
 *   different VMs (and minihyp's own) never mix. '\r' and the other
 *   control characters but '\t' are dropped: a guest cannot move the
 *   terminal's cursor over the prefix or send it escape sequences.
 * - UARTFR reads TXFE | RXFE: the transmit FIFO is never full (a driver
 *   that writes while !TXFF never waits, and so never needs the TX
 *   interrupt), the receive FIFO always empty (UARTDR reads 0: no input).
 * - The control registers are stored and read back, masked to their width;
 *   UARTRIS and UARTMIS read 0: the emulated UART never raises its
 *   interrupt.
 * - The PrimeCell identification registers give the PL011's values, so
 *   that Linux's AMBA bus binds its pl011 driver.
 * - Anything else in the 4 KiB page reads 0, writes are ignored; an access
 *   other than 1, 2 or 4 bytes, naturally aligned, is refused (HYP_EINVAL:
 *   the caller answers it in the guest).
 *
 * Register offsets, widths and reset values: PrimeCell UART (PL011)
 * Technical Reference Manual, ARM DDI 0183, 3.2 "Summary of registers" and
 * 3.3 "Register descriptions".
 */
#include <libhyp/error.h>

#include "minihyp.h"

/* ARM DDI 0183, 3.2 */
#define UARTDR	  0x000
#define UARTRSR	  0x004 /* UARTECR when written */
#define UARTFR	  0x018
#define UARTILPR  0x020
#define UARTIBRD  0x024
#define UARTFBRD  0x028
#define UARTLCR_H 0x02c
#define UARTCR	  0x030
#define UARTIFLS  0x034
#define UARTIMSC  0x038
#define UARTRIS	  0x03c
#define UARTMIS	  0x040
#define UARTICR	  0x044
#define UARTDMACR 0x048
#define UARTID	  0xfe0 /* UARTPeriphID0..3, UARTPCellID0..3: 0xfe0..0xffc */

#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)

/*
 * UARTPeriphID0..3 and UARTPCellID0..3 (ARM DDI 0183, 3.3, "Peripheral
 * Identification Registers" and "PrimeCell Identification Registers"):
 * part number 0x011, designer 0x41 (ARM), revision 1, configuration 0;
 * cell ID 0xb105f00d. The values QEMU's PL011 reports (hw/char/pl011.c,
 * pl011_id_arm), so a VM reads the same IDs on the real and the emulated
 * UART.
 */
static const uint8_t vuart_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

static void vuart_lock(struct mh_vuart *u)
{
	while (__atomic_exchange_n(&u->lock, 1u, __ATOMIC_ACQUIRE))
		mh_spin_pause();
}

static void vuart_unlock(struct mh_vuart *u)
{
	__atomic_store_n(&u->lock, 0u, __ATOMIC_RELEASE);
}

void mh_vuart_init(struct mh_vuart *u, unsigned int vm, uint64_t base, uint64_t size)
{
	__builtin_memset(u, 0, sizeof(*u));
	u->base = base;
	u->size = size;
	u->vm = vm;
	/* reset values (ARM DDI 0183, 3.2): UARTCR 0x0300 (TXE, RXE),
	 * UARTIFLS 0x12 (both FIFOs at half) */
	u->cr = 0x300;
	u->ifls = 0x12;
}

/* The line so far, printed as one console line; under the vuart's lock. */
static void flush_line(struct mh_vuart *u)
{
	mh_printf("vm%u: %.*s\n", u->vm, (int)u->len, u->line);
	u->len = 0;
	u->lines++;
}

static void put_char(struct mh_vuart *u, uint8_t c)
{
	u->chars++;
	if (c == '\n') {
		flush_line(u);
		return;
	}
	/* Control characters (C0 but tab, and DEL) are dropped. */
	if ((c < 0x20 && c != '\t') || c == 0x7f)
		return;
	u->line[u->len++] = (char)c;
	if (u->len == MH_VUART_LINE)
		flush_line(u);
}

void mh_vuart_vm_end(struct mh_vuart *u)
{
	if (!u->size)
		return;
	vuart_lock(u);
	if (u->len)
		flush_line(u);
	mh_printf("minihyp: vm%u: emulated console: %u characters, %u lines, %u refused "
		  "accesses\n",
		  u->vm, u->chars, u->lines, u->bad);
	vuart_unlock(u);
}

/* The 32-bit register at word offset @reg as read (under the lock). */
static uint32_t reg_read(const struct mh_vuart *u, uint64_t reg)
{
	switch (reg) {
	case UARTFR:
		return FR_TXFE | FR_RXFE;
	case UARTILPR:
		return u->ilpr;
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcr_h;
	case UARTCR:
		return u->cr;
	case UARTIFLS:
		return u->ifls;
	case UARTIMSC:
		return u->imsc;
	case UARTDMACR:
		return u->dmacr;
	default:
		/* UARTDR (nothing received), UARTRSR (no error), UARTRIS and
		 * UARTMIS (no interrupt), UARTICR (write-only), reserved */
		if (reg >= UARTID && reg <= UARTID + 0x1c)
			return vuart_id[(reg - UARTID) / 4];
		return 0;
	}
}

/* Write @v (the whole 32-bit register, merged) to word offset @reg. */
static void reg_write(struct mh_vuart *u, uint64_t reg, uint32_t v)
{
	/* Widths: ARM DDI 0183, 3.3 (each register's bit assignments) */
	switch (reg) {
	case UARTILPR:
		u->ilpr = v & 0xff;
		break;
	case UARTIBRD:
		u->ibrd = v & 0xffff;
		break;
	case UARTFBRD:
		u->fbrd = v & 0x3f;
		break;
	case UARTLCR_H:
		u->lcr_h = v & 0xff;
		break;
	case UARTCR:
		u->cr = v & 0xffff;
		break;
	case UARTIFLS:
		u->ifls = v & 0x3f;
		break;
	case UARTIMSC:
		u->imsc = v & 0x7ff;
		break;
	case UARTDMACR:
		u->dmacr = v & 0x7;
		break;
	default:
		/* UARTECR, UARTICR: nothing to clear; FR, RIS, MIS, the IDs:
		 * read-only; reserved: ignored */
		break;
	}
}

int mh_vuart_access(struct mh_vuart *u, uint64_t ipa, unsigned int width, bool is_write,
		    uint64_t *val)
{
	uint64_t off, reg;
	unsigned int shift;
	uint32_t mask, cur;

	if (!u->size || ipa < u->base || ipa - u->base >= u->size)
		return HYP_ENOENT;
	off = ipa - u->base;
	if ((width != 1 && width != 2 && width != 4) || (off & (width - 1))) {
		__atomic_add_fetch(&u->bad, 1u, __ATOMIC_RELAXED);
		return HYP_EINVAL;
	}
	reg = off & 0xffcull;
	shift = (unsigned int)(off & 3) * 8;
	mask = width == 4 ? 0xffffffffu : ((1u << (width * 8)) - 1);
	vuart_lock(u);
	if (!is_write) {
		*val = (reg_read(u, reg) >> shift) & mask;
	} else if (reg == UARTDR) {
		/* The character is DATA, bits [7:0]; a write to another byte
		 * of UARTDR transmits nothing. */
		if (!shift)
			put_char(u, (uint8_t)*val);
	} else {
		cur = reg_read(u, reg);
		reg_write(u, reg, (cur & ~(mask << shift)) | (((uint32_t)*val & mask) << shift));
	}
	vuart_unlock(u);
	return 0;
}
