/* SPDX-License-Identifier: MIT */
/*
 * The simulated CPU with threads (suite 'concurrency', run under
 * ThreadSanitizer by scripts/test's host-tsan stage; without Criterion,
 * whose runner does not run under TSan): each thread is one CPU, its
 * current CPU is its own (a new thread has none), and four threads
 * hammering their own CPUs at once see only their own registers and
 * counts.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <libhyp/hw.h>

#define NT    4
#define ROUND 20000

static struct hyp_sim_cpu cpus[NT];
static pthread_barrier_t start;
static int failures;

#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "FAIL: %s:%d: ", __FILE__, __LINE__);                      \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n");                                                     \
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);                        \
		}                                                                                  \
	} while (0)

static void *cpu_thread(void *arg)
{
	unsigned int me = (unsigned int)(uintptr_t)arg;
	struct hyp_sim_cpu *c = &cpus[me];

	CHECK(hyp_sim_current() == NULL, "thread %u starts with a current CPU", me);
	hyp_sim_set_current(c);
	pthread_barrier_wait(&start);
	for (uint64_t i = 0; i < ROUND; i++) {
		hyp_write_sysreg(HYP_SYS_TPIDR_EL1, me * 1000000ull + i);
		hyp_dsb(SY);
		if (hyp_read_sysreg(HYP_SYS_TPIDR_EL1) != me * 1000000ull + i) {
			CHECK(0, "thread %u round %llu: another CPU's value", me,
			      (unsigned long long)i);
			break;
		}
	}
	CHECK(hyp_sim_current() == c, "thread %u: current CPU changed", me);
	return NULL;
}

int main(void)
{
	pthread_t t[NT];

	for (unsigned int i = 0; i < NT; i++) {
		hyp_sim_init(&cpus[i]);
		hyp_sim_reg_define(&cpus[i], HYP_SYS_TPIDR_EL1, 0);
	}
	pthread_barrier_init(&start, NULL, NT);
	for (unsigned int i = 0; i < NT; i++)
		if (pthread_create(&t[i], NULL, cpu_thread, (void *)(uintptr_t)i)) {
			fprintf(stderr, "FAIL: pthread_create\n");
			return 1;
		}
	for (unsigned int i = 0; i < NT; i++)
		pthread_join(t[i], NULL);
	for (unsigned int i = 0; i < NT; i++) {
		uint64_t v = 0;

		hyp_sim_reg_peek(&cpus[i], HYP_SYS_TPIDR_EL1, &v);
		CHECK(v == i * 1000000ull + ROUND - 1, "CPU %u ends with %#llx", i,
		      (unsigned long long)v);
		CHECK(cpus[i].counts[HYP_SIM_DSB] == ROUND, "CPU %u counted %llu DSBs, want %u", i,
		      (unsigned long long)cpus[i].counts[HYP_SIM_DSB], ROUND);
	}
	if (failures)
		return 1;
	printf("sim threads: %u CPUs x %u rounds ok\n", NT, ROUND);
	return 0;
}
