// SPDX-License-Identifier: GPL-2.0
/*
 * touchmem MODE MIB: maps MIB of anonymous memory, touches every page, prints
 * "ready" and holds it until killed.
 *   nothp    4 KiB pages (MADV_NOHUGEPAGE)
 *   thp      transparent huge pages (2 MiB aligned, MADV_HUGEPAGE)
 *   hugetlb  hugetlbfs pages (MAP_HUGETLB; reserve them first)
 *   mlock    4 KiB pages, mlock()ed
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE (2UL << 20)

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	size_t len = argc > 2 ? strtoul(argv[2], NULL, 10) << 20 : 0, off;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	char *p;

	if (!len || (strcmp(mode, "nothp") && strcmp(mode, "thp") && strcmp(mode, "hugetlb") &&
		     strcmp(mode, "mlock"))) {
		fprintf(stderr, "usage: touchmem nothp|thp|hugetlb|mlock MIB\n");
		return 2;
	}
	if (!strcmp(mode, "hugetlb"))
		flags |= MAP_HUGETLB;
	p = mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("touchmem: mmap");
		return 1;
	}
	if (!strcmp(mode, "thp")) {
		p = (char *)(((uintptr_t)p + HUGE - 1) & ~(HUGE - 1));
		madvise(p, len, MADV_HUGEPAGE);
	} else if (strcmp(mode, "hugetlb")) {
		madvise(p, len, MADV_NOHUGEPAGE);
	}
	for (off = 0; off < len; off += 4096)
		p[off] = 1;
	if (!strcmp(mode, "mlock") && mlock(p, len)) {
		perror("touchmem: mlock");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
