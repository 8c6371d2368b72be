/* SPDX-License-Identifier: GPL-2.0 */
/* The one libnl request/response path every subcommand plugs into. */
#ifndef MS_NL_H
#define MS_NL_H

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "memscopectl.h"

struct ms_request {
	uint8_t cmd;
	bool dump;
	int maxattr;			/* of the reply's top-level attributes */
	const char *what;		/* names the request in error messages */
	int (*build)(struct nl_msg *msg, void *arg);	/* optional */
	void *build_arg;
	int (*parse)(struct nlattr **tb, void *arg);	/* per reply message */
	void *arg;
	bool quiet;			/* no message for a kernel error */
};

/* The kernel's lockdown level into @level, if locked down (not "none"). */
#define MS_LOCKDOWN_FILE "/sys/kernel/security/lockdown"
bool ms_lockdown(char *level, size_t len);
bool ms_lockdown_parse(const char *line, char *level, size_t len);

/* Connects and checks the module's protocol version; returns an ms_exit code. */
int ms_nl_open(struct ms_ctx *ctx);
void ms_nl_close(struct ms_ctx *ctx);

/* Sends @req, feeds each reply to req->parse; returns an ms_exit code. */
int ms_nl_run(struct ms_ctx *ctx, const struct ms_request *req);

/* The protocol version the loaded module speaks (after ms_nl_open). */
unsigned int ms_nl_module_protocol(const struct ms_ctx *ctx);

/* Array nests (MEMSCOPE_ARRAY_A_ITEM per index): return entries stored. */
int ms_nla_u64_array(const struct nlattr *nest, uint64_t *out, int max);
int ms_nla_u32_array(const struct nlattr *nest, uint32_t *out, int max);
int ms_nla_names(const struct nlattr *nest, char (*out)[32], int max);

#endif
