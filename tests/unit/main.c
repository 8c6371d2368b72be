// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>

#include "tests.h"

void capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f)
		abort();
}

const char *capture_text(struct capture *c)
{
	fflush(c->f);
	return c->buf;
}

void capture_close(struct capture *c)
{
	fclose(c->f);
	free(c->buf);
}

int main(void)
{
	int failed = 0;

	failed += run_output_tests();
	failed += run_emit_tests();
	failed += run_record_tests();
	failed += run_tlb_tests();
	failed += run_pages_tests();
	failed += run_task_tests();
	failed += run_ux_tests();
	failed += run_lockdown_tests();
	return failed ? 1 : 0;
}
