// SPDX-License-Identifier: GPL-2.0
/*
 * labmem: the memory experiments of the labs (docs/labs/), one per mode.
 * Each mode prints one line per phase and then waits: "next" phases start
 * when the lab sends SIGUSR1, and the program holds its memory until killed.
 *
 *   labmem demand MIB    map MIB of anonymous memory (4 KiB pages), print
 *                        "mapped"; on SIGUSR1 touch every page and print
 *                        "touched minflt=N majflt=N" (faults of that pass);
 *                        again on every further SIGUSR1
 *   labmem cow MIB       map and touch MIB, print "ready"; on SIGUSR1 fork and
 *                        the child prints "child PID"; on SIGUSR1 to the child
 *                        it writes every page: "written minflt=N majflt=N"
 *   labmem mapfile FILE  map FILE read-only, print "mapped pages=N"; on SIGUSR1
 *                        read one byte per page: "read minflt=N majflt=N"
 *   labmem shm MIB       create a SysV shared memory segment of MIB, attach and
 *                        touch it, print "shmid ID"; the segment outlives us
 *   labmem shmrm ID      remove segment ID (IPC_RMID)
 *   labmem commit MIB    map MIB of private writable memory without touching
 *                        it: "committed", or "refused: REASON" and exit 1
 *   labmem sparse MIB    reserve MIB of address space and touch one page per
 *                        2 MiB in it: "ready touched=N"
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define HUGE (2UL << 20)

static sigset_t usr1;
static struct rusage ru0;

static void wait_usr1(void)
{
	int sig;

	sigwait(&usr1, &sig);
}

static void hold(void)
{
	for (;;)
		pause();
}

static void faults_start(void)
{
	getrusage(RUSAGE_SELF, &ru0);
}

static void faults_print(const char *what)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("%s minflt=%ld majflt=%ld\n", what, ru.ru_minflt - ru0.ru_minflt,
	       ru.ru_majflt - ru0.ru_majflt);
}

static char *map_anon(size_t len, int extra)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);

	if (p == MAP_FAILED) {
		printf("refused: %s\n", strerror(errno));
		exit(1);
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static void touch(char *p, size_t len, size_t step, char v)
{
	size_t off;

	for (off = 0; off < len; off += step)
		p[off] = v;
}

static int cow(size_t len)
{
	char *p = map_anon(len, 0);
	pid_t pid;

	touch(p, len, PAGE, 1);
	printf("ready\n");
	wait_usr1();
	pid = fork();
	if (pid < 0) {
		perror("labmem: fork");
		return 1;
	}
	if (pid > 0)
		hold();
	printf("child %d\n", getpid());
	wait_usr1();
	faults_start();
	touch(p, len, PAGE, 2);
	faults_print("written");
	hold();
	return 0;
}

static int mapfile(const char *path)
{
	struct stat st;
	volatile char sum = 0;
	size_t off;
	char *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st)) {
		perror("labmem: open");
		return 1;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("labmem: mmap");
		return 1;
	}
	printf("mapped pages=%lu\n", (unsigned long)((st.st_size + PAGE - 1) / PAGE));
	wait_usr1();
	faults_start();
	for (off = 0; off < (size_t)st.st_size; off += PAGE)
		sum += p[off];
	faults_print("read");
	hold();
	return 0;
}

static int shm(size_t len)
{
	int id = shmget(IPC_PRIVATE, len, IPC_CREAT | 0600);
	char *p;

	if (id < 0) {
		printf("refused: %s\n", strerror(errno));
		return 1;
	}
	p = shmat(id, NULL, 0);
	if (p == (void *)-1) {
		perror("labmem: shmat");
		return 1;
	}
	touch(p, len, PAGE, 1);
	printf("shmid %d\n", id);
	hold();
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	size_t mib = argc > 2 ? strtoul(argv[2], NULL, 10) : 0, len = mib << 20;
	char *p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	if (!strcmp(mode, "demand") && len) {
		p = map_anon(len, 0);
		printf("mapped\n");
		for (;;) {
			wait_usr1();
			faults_start();
			touch(p, len, PAGE, 1);
			faults_print("touched");
		}
	} else if (!strcmp(mode, "cow") && len) {
		return cow(len);
	} else if (!strcmp(mode, "mapfile")) {
		return mapfile(argv[2]);
	} else if (!strcmp(mode, "shm") && len) {
		return shm(len);
	} else if (!strcmp(mode, "shmrm")) {
		if (shmctl(atoi(argv[2]), IPC_RMID, NULL)) {
			perror("labmem: shmctl");
			return 1;
		}
		return 0;
	} else if (!strcmp(mode, "commit") && len) {
		map_anon(len, 0);
		printf("committed\n");
		hold();
	} else if (!strcmp(mode, "sparse") && len) {
		p = map_anon(len, MAP_NORESERVE);
		touch(p, len, HUGE, 1);
		printf("ready touched=%zu\n", len / HUGE);
		hold();
	}
	fprintf(stderr, "usage: labmem demand|cow|commit|sparse|shm MIB, labmem mapfile FILE, labmem shmrm ID\n");
	return 2;
}
