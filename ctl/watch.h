/* SPDX-License-Identifier: GPL-2.0 */
/* --watch SECS [--count N]: repeated samples, redrawn in place on a terminal. */
#ifndef MS_WATCH_H
#define MS_WATCH_H

#include "memscopectl.h"

#define MS_WATCH_OPTS \
	{ "watch", required_argument, NULL, 'w' }, \
	{ "count", required_argument, NULL, 'c' }

/* Handles 'w' and 'c'; returns 0 or a usage exit code. */
int ms_watch_opt(struct ms_watch *w, int c, const char *arg);
/* Before sample @n (0-based): waits, clears a terminal. False when done. */
bool ms_watch_next(const struct ms_ctx *ctx, const struct ms_watch *w, unsigned long n);

#endif
