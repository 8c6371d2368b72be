// SPDX-License-Identifier: GPL-2.0
/*
 * fragment MIB: maps MIB of anonymous memory in 4 KiB pages, touches it, then
 * frees every page whose pfn is even while keeping the odd ones: a freed page's
 * buddy (pfn ^ 1) is still in use, so it cannot merge and stays an order-0
 * free block.  Needs root (pagemap shows pfns to CAP_SYS_ADMIN only).  Prints
 * "ready N" (N pages freed) and holds the rest until killed.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 512;
	size_t len = mib << 20, i, freed = 0;
	uint64_t *pm;
	char *p;
	int fd;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pm = malloc(len / PAGE * sizeof(*pm));
	if (p == MAP_FAILED || !pm) {
		perror("fragment: mmap");
		return 1;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += PAGE)
		p[i] = 1;
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, pm, len / PAGE * sizeof(*pm),
			    (off_t)((uintptr_t)p / PAGE * sizeof(*pm))) < 0) {
		perror("fragment: pagemap");
		return 1;
	}
	for (i = 0; i < len / PAGE; i++) {
		uint64_t pfn = pm[i] & ((1ULL << 55) - 1);

		if ((pm[i] >> 63) && pfn && !(pfn & 1)) {
			madvise(p + i * PAGE, PAGE, MADV_DONTNEED);
			freed++;
		}
	}
	printf("ready %zu\n", freed);
	fflush(stdout);
	for (;;)
		pause();
}
