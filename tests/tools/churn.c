// SPDX-License-Identifier: GPL-2.0
/*
 * churn SECONDS: changes memory under memscope's walkers for SECONDS, then
 * prints what it did: "forks N maps N thp N compactions N".
 * Each round: fork a child that maps, touches and exits; map and unmap 4 KiB
 * pages; fault in two 2 MiB THPs, split one by MADV_DONTNEED of its second
 * half and the other by unmapping its first 1 MiB; every 16th round, ask for
 * compaction of all memory (/proc/sys/vm/compact_memory).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HUGE (2UL << 20)

static void touch(char *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += 4096)
		p[off] = 1;
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("churn: mmap");
		exit(1);
	}
	return p;
}

/* Two THPs in a 2 MiB-aligned window, split two ways. */
static void thp_split(void)
{
	char *raw = map(3 * HUGE), *p;

	p = (char *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	madvise(p, 2 * HUGE, MADV_HUGEPAGE);
	touch(p, 2 * HUGE);
	madvise(p + HUGE / 2, HUGE / 2, MADV_DONTNEED);
	munmap(p + HUGE, HUGE / 2);
	munmap(raw, 3 * HUGE);
}

static void compact(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			perror("churn: compact_memory");
		close(fd);
	}
}

int main(int argc, char **argv)
{
	long forks = 0, maps = 0, thp = 0, compactions = 0, round;
	time_t end = time(NULL) + (argc > 1 ? atol(argv[1]) : 0);
	pid_t pid;
	char *p;

	if (argc != 2 || atol(argv[1]) <= 0) {
		fprintf(stderr, "usage: churn SECONDS\n");
		return 2;
	}
	for (round = 0; time(NULL) < end; round++) {
		pid = fork();
		if (pid == 0) {
			p = map(1 << 20);
			touch(p, 1 << 20);
			_exit(0);
		}
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			forks++;
		}
		p = map(256 << 10);
		touch(p, 256 << 10);
		munmap(p, 256 << 10);
		maps++;
		thp_split();
		thp++;
		if (round % 16 == 0) {
			compact();
			compactions++;
		}
	}
	printf("forks %ld maps %ld thp %ld compactions %ld\n", forks, maps, thp, compactions);
	return 0;
}
