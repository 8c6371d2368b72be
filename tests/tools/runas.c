// SPDX-License-Identifier: GPL-2.0
/*
 * runas UID GID COMMAND [ARG...]: runs COMMAND as UID:GID with no
 * supplementary groups and no capabilities (checked in /proc/self/status
 * before the exec), for the unprivileged-user tests.  Must start as root.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

static unsigned long long cap(const char *name)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long v = ~0ULL;
	size_t n = strlen(name);

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':')
			v = strtoull(line + n + 1, NULL, 16);
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: runas UID GID COMMAND [ARG...]\n");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	gid = (gid_t)strtoul(argv[2], NULL, 10);
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
		perror("runas: dropping to the user");
		return 126;
	}
	/* No way back: no setuid binary may give privileges to what runs next. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		perror("runas: PR_SET_NO_NEW_PRIVS");
		return 126;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid || cap("CapEff") ||
	    cap("CapPrm") || cap("CapAmb")) {
		fprintf(stderr, "runas: still privileged after dropping to %u:%u\n", uid, gid);
		return 126;
	}
	execvp(argv[3], argv + 3);
	perror("runas: exec");
	return 127;
}
