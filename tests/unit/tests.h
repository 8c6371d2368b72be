/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MS_TESTS_H
#define MS_TESTS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

int run_output_tests(void);
int run_emit_tests(void);
int run_record_tests(void);
int run_tlb_tests(void);
int run_pages_tests(void);
int run_task_tests(void);
int run_ux_tests(void);
int run_lockdown_tests(void);

/* Captures what a renderer writes: open, render into ->f, then take the text. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

void capture_open(struct capture *c);
const char *capture_text(struct capture *c);
void capture_close(struct capture *c);

#endif
