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

/*
 * What a subject does per sample, for ms_watch_run(): fetch one sample into a
 * zeroed record of @size bytes, show it (with the previous sample for changes
 * and rates, NULL for the first), and free what a record holds (called on
 * zeroed records too).
 */
struct ms_sampler {
	size_t size;
	int (*fetch)(struct ms_ctx *ctx, void *arg, void *cur);
	int (*show)(struct ms_ctx *ctx, void *arg, const void *cur, const void *prev);
	void (*release)(void *rec);
};

/* Samples per ctx->watch (one when not watching); returns an exit code. */
int ms_watch_run(struct ms_ctx *ctx, const struct ms_sampler *s, void *arg);

#endif
