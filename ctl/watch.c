// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "watch.h"

int ms_watch_opt(struct ms_watch *w, int c, const char *arg)
{
	char *end;
	double v;

	if (c == 'c') {
		unsigned long n;

		if (ms_parse_uint("--count", arg, 1000000000UL, &n))
			return MS_EXIT_USAGE;
		if (!n)
			return ms_fail(MS_EXIT_USAGE, "--count: give 1 or more samples (leave it out to watch until interrupted)");
		w->count = n;
		if (!w->interval)	/* like vmstat: a count alone samples every second */
			w->interval = 1;
		return 0;
	}
	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !isfinite(v) || v < 0.1 || v > 86400)
		return ms_fail(MS_EXIT_USAGE,
			       "--watch: '%s' is not an interval in seconds from 0.1 to 86400", arg);
	w->interval = v;
	return 0;
}

static bool ms_watch_tty(const struct ms_ctx *ctx, const struct ms_watch *w)
{
	return w->interval && ctx->format == MS_FMT_TABLE && isatty(fileno(ctx->out));
}

/* Sleeps to a deadline on the monotonic clock, so samples do not drift. */
static void ms_watch_sleep(double interval)
{
	static struct timespec next;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!next.tv_sec)
		next = now;
	next.tv_sec += (time_t)interval;
	next.tv_nsec += (long)((interval - (double)(time_t)interval) * 1e9);
	if (next.tv_nsec >= 1000000000L) {
		next.tv_sec++;
		next.tv_nsec -= 1000000000L;
	}
	if (now.tv_sec > next.tv_sec || (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec))
		next = now;	/* a slow sample: start again from now */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
		;
}

bool ms_watch_next(const struct ms_ctx *ctx, const struct ms_watch *w, unsigned long n)
{
	char when[16];
	time_t t;

	if (n) {
		if (!w->interval || (w->count && n >= w->count))
			return false;
		ms_watch_sleep(w->interval);
	} else if (w->interval) {
		ms_watch_sleep(0);
	}
	if (!w->interval)
		return true;
	if (ms_watch_tty(ctx, w)) {
		/* Home and clear, then the whole sample in one write: no flicker. */
		static char buf[1 << 16];

		if (!n)
			setvbuf(ctx->out, buf, _IOFBF, sizeof(buf));
		fputs("\033[H\033[2J", ctx->out);
	} else if (n > w->baseline) {
		fputc('\n', ctx->out);
	}
	if (ctx->format != MS_FMT_TABLE || n < w->baseline)
		return true;
	t = time(NULL);
	strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
	if (w->count)
		fprintf(ctx->out, "Every %.1f s: %s %s, sample %lu of %lu at %s\n\n", w->interval,
			ms_prog, ctx->cmd_name ? ctx->cmd_name : "", n + 1 - w->baseline,
			w->count - w->baseline, when);
	else
		fprintf(ctx->out, "Every %.1f s: %s %s, sample %lu at %s (Ctrl-C stops)\n\n",
			w->interval, ms_prog, ctx->cmd_name ? ctx->cmd_name : "", n + 1 - w->baseline,
			when);
	return true;
}

int ms_watch_run(struct ms_ctx *ctx, const struct ms_sampler *s, void *arg)
{
	void *cur = calloc(1, s->size), *prev = calloc(1, s->size), *t;
	unsigned long n;
	int err = 0;

	if (!cur || !prev)
		err = ms_fail(MS_EXIT_ERROR, "out of memory");
	for (n = 0; !err && ms_watch_next(ctx, &ctx->watch, n); n++) {
		err = s->fetch(ctx, arg, cur);
		if (!err)
			err = s->show(ctx, arg, cur, n ? prev : NULL);
		fflush(ctx->out);
		s->release(prev);
		memset(prev, 0, s->size);
		t = prev;
		prev = cur;
		cur = t;
	}
	if (cur)
		s->release(cur);
	if (prev)
		s->release(prev);
	free(cur);
	free(prev);
	return err;
}
