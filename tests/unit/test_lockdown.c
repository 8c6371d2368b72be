// SPDX-License-Identifier: GPL-2.0
/* The lockdown level memscopectl names when the module is absent. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tests.h"
#include "nl.h"

static void lockdown_levels(void **state)
{
	char level[32];

	(void)state;
	assert_false(ms_lockdown_parse("[none] integrity confidentiality\n", level, sizeof(level)));
	assert_true(ms_lockdown_parse("none [integrity] confidentiality\n", level, sizeof(level)));
	assert_string_equal(level, "integrity");
	assert_true(ms_lockdown_parse("none integrity [confidentiality]\n", level, sizeof(level)));
	assert_string_equal(level, "confidentiality");
	assert_false(ms_lockdown_parse("", level, sizeof(level)));
	assert_false(ms_lockdown_parse("none integrity [", level, sizeof(level)));
	assert_false(ms_lockdown_parse("[]", level, sizeof(level)));
}

int run_lockdown_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lockdown_levels),
	};

	return cmocka_run_group_tests_name("lockdown", tests, NULL, NULL);
}
