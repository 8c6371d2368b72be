// SPDX-License-Identifier: GPL-2.0
/*
 * nlprobe: sends requests memscopectl never sends, through memscopectl's own
 * request path (ctl/nl.c), so tests see exactly the line a user would see.
 *
 *   nlprobe unknown-attr    GET_INFO with an attribute it does not take
 *   nlprobe wrong-type      GET_ZONES with a string where the node (u32) goes
 *   nlprobe out-of-range    GET_ZONES with node 1000000
 *   nlprobe unknown-cmd     command 200
 *   nlprobe loop N          N GET_INFO requests on one socket
 */
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "subjects.h"
#include "uapi/memscope.h"

static int put_unknown(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_u32(msg, MEMSCOPE_INFO_A_PAGE_SIZE, 1);
}

static int put_wrong_type(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_string(msg, MEMSCOPE_ZONE_A_NODE, "zero");
}

static int put_big_node(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_u32(msg, MEMSCOPE_ZONE_A_NODE, 1000000);
}

static int ignore(struct nlattr **tb, void *arg)
{
	(void)tb;
	(void)arg;
	return 0;
}

int main(int argc, char **argv)
{
	struct ms_ctx ctx = { .out = stdout };
	struct ms_request req = { .maxattr = MEMSCOPE_ZONE_A_MAX, .parse = ignore };
	const char *mode = argc > 1 ? argv[1] : "";
	int err, i, n;

	err = ms_nl_open(&ctx);
	if (err)
		return err;
	if (!strcmp(mode, "unknown-attr")) {
		req.cmd = MEMSCOPE_CMD_GET_INFO;
		req.what = "info";
		req.build = put_unknown;
	} else if (!strcmp(mode, "wrong-type")) {
		req.cmd = MEMSCOPE_CMD_GET_ZONES;
		req.dump = true;
		req.what = "zones";
		req.build = put_wrong_type;
	} else if (!strcmp(mode, "out-of-range")) {
		req.cmd = MEMSCOPE_CMD_GET_ZONES;
		req.dump = true;
		req.what = "zones";
		req.build = put_big_node;
	} else if (!strcmp(mode, "unknown-cmd")) {
		req.cmd = 200;
		req.what = "command 200";
	} else if (!strcmp(mode, "loop") && argc > 2) {
		struct ms_info_rec rec;

		n = atoi(argv[2]);
		for (i = 0; i < n && !err; i++)
			err = ms_info_fetch(&ctx, &rec);
		printf("%d requests, last error %d\n", i, err);
		ms_nl_close(&ctx);
		return err;
	} else {
		fprintf(stderr, "usage: nlprobe unknown-attr|wrong-type|out-of-range|unknown-cmd|loop N\n");
		return 2;
	}
	err = ms_nl_run(&ctx, &req);
	ms_nl_close(&ctx);
	return err;
}
