// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
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
		w->count = n;
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

bool ms_watch_next(const struct ms_ctx *ctx, const struct ms_watch *w, unsigned long n)
{
	struct timespec ts;

	if (n == 0)
		goto draw;
	if (!w->interval || (w->count && n >= w->count))
		return false;
	ts.tv_sec = (time_t)w->interval;
	ts.tv_nsec = (long)((w->interval - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
draw:
	if (w->interval && ctx->format != MS_FMT_JSON && isatty(fileno(ctx->out)))
		fputs("\033[H\033[2J", ctx->out);
	else if (n)
		fputc('\n', ctx->out);
	return true;
}
