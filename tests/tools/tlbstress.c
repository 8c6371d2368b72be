// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * tlbstress MODE N: N x (mmap 64 KiB, touch, munmap) or N x (mprotect a
 * touched 64 KiB region away and back) on CPU 0.
 *   MODE munmap1|mprotect1: one thread; run it under "taskset 1" so the
 *                           address space never lived on another CPU.
 *   MODE munmap2|mprotect2: a second thread spins on CPU 1 in the same
 *                           address space, so every change must shoot down
 *                           CPU 1's TLB with an IPI.
 * Prints the elapsed nanoseconds.
 *
 * tlbstress MODE N B: the N iterations run as B batches and it prints the
 * fastest batch's nanoseconds per iteration.  Interference from outside (the
 * host descheduling a vCPU, other guests) only ever adds time, so the minimum
 * is the stable estimate of the loop's own cost that a ratio needs.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define LEN (64 << 10)

static volatile int done;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("tlbstress: sched_setaffinity");
}

static void *spin(void *arg)
{
	(void)arg;
	pin(1);
	while (!done)
		;
	return NULL;
}

static void step(int prot, char *p)
{
	if (prot) {
		mprotect(p, LEN, PROT_READ);
		mprotect(p, LEN, PROT_READ | PROT_WRITE);
		p[0] = 1;
	} else {
		char *q = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		memset(q, 1, LEN);
		munmap(q, LEN);
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0, i;
	long batches = argc > 3 ? atol(argv[3]) : 1, per, k;
	double best = 0, dt;
	int threads = strchr(mode, '2') != NULL;
	int prot = !strncmp(mode, "mprotect", 8);
	struct timespec a, b;
	pthread_t t;
	char *p = NULL;

	if (n <= 0 || batches <= 0 || batches > n || (strncmp(mode, "munmap", 6) && !prot)) {
		fprintf(stderr, "usage: tlbstress munmap1|munmap2|mprotect1|mprotect2 N [BATCHES]\n");
		return 2;
	}
	pin(0);
	if (threads && pthread_create(&t, NULL, spin, NULL))
		return 1;
	if (prot) {
		p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		madvise(p, LEN, MADV_NOHUGEPAGE);
		memset(p, 1, LEN);
	}
	per = n / batches;
	for (k = 0; k < batches; k++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (i = 0; i < per; i++)
			step(prot, p);
		clock_gettime(CLOCK_MONOTONIC, &b);
		dt = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
		if (batches == 1)
			best = dt;
		else if (k == 0 || dt / per < best)
			best = dt / per;
	}
	done = 1;
	if (threads)
		pthread_join(t, NULL);
	printf("%.0f\n", best);
	return 0;
}
