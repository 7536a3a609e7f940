/* SPDX-License-Identifier: MIT */
/*
 * lt-cnt: the Linux measurement's workload (tests/linux/measure,
 * docs/linux-guest.md "Measurements"), a static arm64 Linux program with no
 * libc (raw system calls; built with aarch64-linux-gnu-gcc -nostdlib, since
 * no arm64 libc is installed):
 *
 *   lt-cnt now LABEL      print "LM LABEL cnt=CNTVCT_EL0 frq=CNTFRQ_EL0"
 *   lt-cnt spin N         N iterations of a dependent arithmetic loop
 *   lt-cnt pingpong N     a cross-CPU pipe ping-pong: this process on CPU 0,
 *                         a child on CPU 1, one byte passed back and forth
 *                         N times; prints "LM pingpong n=N ticks=T" (T:
 *                         CNTVCT_EL0 ticks from the first byte to the last)
 *
 * Linux lets EL0 read CNTVCT_EL0 (CNTKCTL_EL1.EL0VCTEN, for the vDSO).
 * Under -icount shift=0 one counter tick of QEMU virt's 62.5 MHz counter
 * is 16 instructions (one per virtual nanosecond).
 */
typedef unsigned long u64;
typedef long i64;

/* Linux's arm64 system call numbers (include/uapi/asm-generic/unistd.h). */
#define SYS_pipe2	      59
#define SYS_read	      63
#define SYS_write	      64
#define SYS_exit	      93
#define SYS_sched_setaffinity 122
#define SYS_clone	      220
#define SYS_wait4	      260
#define SIGCHLD		      17

static i64 sys(i64 n, i64 a, i64 b, i64 c, i64 d, i64 e)
{
	register i64 x8 __asm__("x8") = n;
	register i64 x0 __asm__("x0") = a;
	register i64 x1 __asm__("x1") = b;
	register i64 x2 __asm__("x2") = c;
	register i64 x3 __asm__("x3") = d;
	register i64 x4 __asm__("x4") = e;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}

static u64 cntvct(void)
{
	u64 v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

static u64 cntfrq(void)
{
	u64 v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static __attribute__((noreturn)) void quit(int code)
{
	sys(SYS_exit, code, 0, 0, 0, 0);
	for (;;)
		;
}

static unsigned int len(const char *s)
{
	unsigned int n = 0;

	while (s[n])
		n++;
	return n;
}

struct out {
	char b[160];
	unsigned int n;
};

static void put(struct out *o, const char *s)
{
	while (*s && o->n < sizeof(o->b) - 1)
		o->b[o->n++] = *s++;
}

static void put_u(struct out *o, u64 v)
{
	char d[20];
	unsigned int i = 0;

	do {
		d[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i && o->n < sizeof(o->b) - 1)
		o->b[o->n++] = d[--i];
}

static void flush(struct out *o)
{
	o->b[o->n++] = '\n';
	sys(SYS_write, 1, (i64)o->b, o->n, 0, 0);
	o->n = 0;
}

static int num(const char *s, u64 *v)
{
	u64 x = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		x = x * 10 + (u64)(*s - '0');
	}
	*v = x;
	return 0;
}

static int pin(unsigned int cpu)
{
	u64 mask = 1ul << cpu;

	return (int)sys(SYS_sched_setaffinity, 0, sizeof(mask), (i64)&mask, 0, 0);
}

static void die(const char *what)
{
	struct out o = {.n = 0};

	put(&o, "LM error: ");
	put(&o, what);
	flush(&o);
	quit(1);
}

static void xfer(int rfd, int wfd, char *c)
{
	if (sys(SYS_write, wfd, (i64)c, 1, 0, 0) != 1)
		die("write");
	if (sys(SYS_read, rfd, (i64)c, 1, 0, 0) != 1)
		die("read");
}

static void pingpong(u64 n)
{
	int a[2], b[2]; /* a: CPU 0 -> CPU 1, b: back */
	char c = 'x';
	u64 t0, t1;
	i64 pid;
	struct out o = {.n = 0};

	if (sys(SYS_pipe2, (i64)a, 0, 0, 0, 0) || sys(SYS_pipe2, (i64)b, 0, 0, 0, 0))
		die("pipe2");
	if (pin(0))
		die("sched_setaffinity 0");
	pid = sys(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		die("clone");
	if (!pid) {
		if (pin(1))
			die("sched_setaffinity 1");
		/* ready: one byte back, then echo each byte */
		if (sys(SYS_write, b[1], (i64)&c, 1, 0, 0) != 1)
			die("write");
		for (u64 i = 0; i < n; i++) {
			if (sys(SYS_read, a[0], (i64)&c, 1, 0, 0) != 1)
				die("read");
			if (sys(SYS_write, b[1], (i64)&c, 1, 0, 0) != 1)
				die("write");
		}
		quit(0);
	}
	if (sys(SYS_read, b[0], (i64)&c, 1, 0, 0) != 1)
		die("read");
	t0 = cntvct();
	for (u64 i = 0; i < n; i++)
		xfer(b[0], a[1], &c);
	t1 = cntvct();
	sys(SYS_wait4, pid, 0, 0, 0, 0);
	put(&o, "LM pingpong n=");
	put_u(&o, n);
	put(&o, " ticks=");
	put_u(&o, t1 - t0);
	put(&o, " frq=");
	put_u(&o, cntfrq());
	flush(&o);
}

static void spin(u64 n)
{
	u64 x = 1;

	for (u64 i = 0; i < n; i++)
		__asm__ volatile("add %0, %0, %1; eor %0, %0, %1, lsl #3" : "+r"(x) : "r"(i));
	if (x == 42) /* never: keeps x live */
		die("spin");
}

void lt_main(u64 *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	u64 n;

	if (argc >= 3 && len(argv[1]) == 3 && argv[1][0] == 'n' && argv[1][1] == 'o' &&
	    argv[1][2] == 'w') {
		struct out o = {.n = 0};
		u64 t = cntvct();

		put(&o, "LM ");
		put(&o, argv[2]);
		put(&o, " cnt=");
		put_u(&o, t);
		put(&o, " frq=");
		put_u(&o, cntfrq());
		flush(&o);
		quit(0);
	}
	if (argc >= 3 && !num(argv[2], &n)) {
		if (len(argv[1]) == 4 && argv[1][0] == 's' && argv[1][1] == 'p') {
			spin(n);
			quit(0);
		}
		if (len(argv[1]) == 8 && argv[1][0] == 'p' && argv[1][4] == 'p') {
			pingpong(n);
			quit(0);
		}
	}
	die("usage: lt-cnt now LABEL | spin N | pingpong N");
}

__asm__(".globl _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl lt_main\n"
	"	mov x8, 93\n"
	"	svc #0\n");
