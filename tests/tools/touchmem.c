// SPDX-License-Identifier: GPL-2.0
/*
 * touchmem MODE MIB [PATH]: maps MIB, touches every page, prints "ready" and
 * holds it until killed.
 *   nothp    anonymous, 4 KiB pages (MADV_NOHUGEPAGE)
 *   thp      anonymous, transparent huge pages (2 MiB aligned, MADV_HUGEPAGE)
 *   anon     anonymous, 2 MiB aligned, no advice: THP as the system setting says
 *   hugetlb  hugetlbfs pages (MAP_HUGETLB; reserve them first)
 *   mlock    4 KiB pages, mlock()ed
 *   pageout  4 KiB pages, then MADV_PAGEOUT of all of them (needs swap)
 *   cow      4 KiB pages, then fork(): prints "ready CHILDPID"; SIGUSR1 to the
 *            child makes it write the first half (copy on write), then it
 *            prints "written"
 *   file     MAP_SHARED of PATH (created, MIB long): reads the first half,
 *            writes the second
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define HUGE (2UL << 20)

static volatile sig_atomic_t write_now;

static void on_usr1(int sig)
{
	(void)sig;
	write_now = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: touchmem nothp|thp|anon|hugetlb|mlock|pageout|cow MIB | file MIB PATH\n");
	return 2;
}

static void touch(char *p, size_t from, size_t to)
{
	for (; from < to; from += 4096)
		p[from] = 1;
}

static char *map_file(const char *path, size_t len)
{
	volatile char sum = 0;
	size_t off;
	char *p;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, len)) {
		perror("touchmem: file");
		exit(1);
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("touchmem: mmap");
		exit(1);
	}
	close(fd);
	for (off = 0; off < len / 2; off += 4096)
		sum += p[off];
	touch(p, len / 2, len);
	return p;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	size_t len = argc > 2 ? strtoul(argv[2], NULL, 10) << 20 : 0;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	pid_t child = 0;
	char *p;

	if (!len)
		return usage();
	if (!strcmp(mode, "file")) {
		if (argc < 4)
			return usage();
		map_file(argv[3], len);
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (strcmp(mode, "nothp") && strcmp(mode, "thp") && strcmp(mode, "anon") &&
	    strcmp(mode, "hugetlb") && strcmp(mode, "mlock") && strcmp(mode, "pageout") &&
	    strcmp(mode, "cow"))
		return usage();
	if (!strcmp(mode, "hugetlb"))
		flags |= MAP_HUGETLB;
	p = mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("touchmem: mmap");
		return 1;
	}
	if (!strcmp(mode, "thp") || !strcmp(mode, "anon")) {
		p = (char *)(((uintptr_t)p + HUGE - 1) & ~(HUGE - 1));
		if (!strcmp(mode, "thp"))
			madvise(p, len, MADV_HUGEPAGE);
	} else if (strcmp(mode, "hugetlb")) {
		madvise(p, len, MADV_NOHUGEPAGE);
	}
	touch(p, 0, len);
	if (!strcmp(mode, "mlock") && mlock(p, len)) {
		perror("touchmem: mlock");
		return 1;
	}
	if (!strcmp(mode, "pageout") && madvise(p, len, MADV_PAGEOUT)) {
		perror("touchmem: madvise(MADV_PAGEOUT)");
		return 1;
	}
	if (!strcmp(mode, "cow")) {
		signal(SIGUSR1, on_usr1);
		child = fork();
		if (child < 0) {
			perror("touchmem: fork");
			return 1;
		}
		if (child == 0) {
			for (;;) {
				pause();
				if (write_now) {
					write_now = 0;
					touch(p, 0, len / 2);
					printf("written\n");
					fflush(stdout);
				}
			}
		}
		printf("ready %d\n", (int)child);
	} else {
		printf("ready\n");
	}
	fflush(stdout);
	for (;;)
		pause();
}
