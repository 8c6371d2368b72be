// SPDX-License-Identifier: GPL-2.0
/*
 * fragment MIB: maps MIB of anonymous memory in 4 KiB pages, touches it,
 * then unmaps every other page so the freed pages cannot merge with their
 * buddies: about MIB*128 order-0 free blocks.  Writes "ready" to stdout and
 * holds the rest until killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 512;
	size_t len = mib << 20, page = 4096, off;
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	for (off = 0; off < len; off += page)
		p[off] = 1;
	for (off = 0; off < len; off += 2 * page)
		munmap(p + off, page);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
