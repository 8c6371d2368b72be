// SPDX-License-Identifier: GPL-2.0
/*
 * vmagrow BASE EXTRA: maps BASE one-page VMAs (alternating protections so
 * none merge), prints "ready", then until killed adds EXTRA more VMAs one
 * mmap at a time and removes them again: a process whose VMA count keeps
 * changing while memscope walks it (memscope drops mmap_lock every
 * millisecond, so the mmaps land in the middle of a walk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static char *map_one(void)
{
	static int n;
	char *p = mmap(NULL, 4096, (n++ & 1) ? PROT_READ : PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("vmagrow: mmap");
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	int base = argc > 1 ? atoi(argv[1]) : 4000, extra = argc > 2 ? atoi(argv[2]) : 4000, i;
	char **more = calloc((size_t)extra, sizeof(*more));

	if (!more)
		return 1;
	for (i = 0; i < base; i++)
		map_one();
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		for (i = 0; i < extra; i++)
			more[i] = map_one();
		for (i = 0; i < extra; i++)
			munmap(more[i], 4096);
	}
}
