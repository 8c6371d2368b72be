// SPDX-License-Identifier: GPL-2.0
/*
 * benchtime N CMD [ARGS...]: runs CMD N times (stdout to /dev/null) and prints
 * the mean wall time per run in nanoseconds.  "-" separates further commands
 * that count as one run: benchtime 100 cat /proc/zoneinfo - cat /proc/buddyinfo
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	int starts[argc], ncmd = 0, j;
	struct timespec a, b;
	long n, i;

	if (argc < 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: benchtime N CMD [ARGS...] [- CMD ...]\n");
		return 2;
	}
	starts[ncmd++] = 2;
	for (j = 2; j < argc; j++)
		if (!strcmp(argv[j], "-")) {
			argv[j] = NULL;
			starts[ncmd++] = j + 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		for (j = 0; j < ncmd; j++)
			if (run(&argv[starts[j]])) {
				fprintf(stderr, "benchtime: %s failed\n", argv[starts[j]]);
				return 1;
			}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
