// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun COLS ROWS CMD [ARGS...]: runs CMD on a new pseudo-terminal of that
 * size and copies everything it writes to stdout, so a test sees what a user
 * at a terminal would (isatty() true, TIOCGWINSZ answered).  Exits with
 * CMD's status.  Mounts devpts first when /dev/pts is missing (the test VM).
 */
#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct winsize ws = { 0 };
	char buf[4096];
	int master, status;
	ssize_t n;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: ptyrun COLS ROWS CMD [ARGS...]\n");
		return 2;
	}
	ws.ws_col = (unsigned short)atoi(argv[1]);
	ws.ws_row = (unsigned short)atoi(argv[2]);
	if (access("/dev/pts/ptmx", F_OK)) {
		mkdir("/dev/pts", 0755);
		mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666");
	}
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("ptyrun: forkpty");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		perror("ptyrun: exec");
		_exit(127);
	}
	for (;;) {
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)	/* EIO once the child closed the terminal */
			break;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			break;
	}
	fflush(stdout);
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
