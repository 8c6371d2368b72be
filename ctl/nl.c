// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the memscope family with libnl-3: resolve and version-check the
 * family once, then one request/reply loop that turns kernel errors and
 * extack messages into one line a user can act on.
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "nl.h"
#include "uapi/memscope.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct ms_nl {
	struct nl_sock *sk;
	int family;
	unsigned int version;
};

struct ms_reply {
	const struct ms_request *req;
	int error;		/* negative errno from the kernel */
	int parse_error;	/* ms_exit code from req->parse */
	bool done;
	char extack[256];
};

struct ms_family {
	int id;
	unsigned int version;
};

static int ms_family_parse(struct nlattr **tb, void *arg)
{
	struct ms_family *f = arg;

	if (tb[CTRL_ATTR_FAMILY_ID])
		f->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		f->version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	return MS_EXIT_OK;
}

static int ms_family_build(struct nl_msg *msg, void *arg)
{
	(void)arg;
	return nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, MEMSCOPE_GENL_NAME);
}

/* From "none [integrity] confidentiality": the bracketed level unless "none". */
bool ms_lockdown_parse(const char *line, char *level, size_t len)
{
	const char *open = strchr(line, '['), *close = open ? strchr(open, ']') : NULL;

	if (!close || close == open + 1 || !strncmp(open + 1, "none]", 5))
		return false;
	snprintf(level, len, "%.*s", (int)(close - open - 1), open + 1);
	return true;
}

/*
 * Under lockdown (integrity or confidentiality) the kernel loads only signed
 * modules: then that is why memscope is absent, and the fix differs.
 */
bool ms_lockdown(char *level, size_t len)
{
	FILE *f = fopen(MS_LOCKDOWN_FILE, "r");
	char line[128] = "";
	bool locked;

	if (!f)
		return false;
	locked = fgets(line, sizeof(line), f) && ms_lockdown_parse(line, level, len);
	fclose(f);
	return locked;
}

int ms_nl_open(struct ms_ctx *ctx)
{
	struct ms_family fam = { .id = -1 };
	/* One GETFAMILY by name: id and version at once, and the kernel autoloads the module. */
	struct ms_request req = {
		.cmd = CTRL_CMD_GETFAMILY,
		.maxattr = CTRL_ATTR_MAX,
		.what = "family",
		.build = ms_family_build,
		.parse = ms_family_parse,
		.arg = &fam,
		.quiet = true,
	};
	struct ms_nl *nl;
	char lockdown[32];
	int one = 1, err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return ms_fail(MS_EXIT_ERROR, "out of memory");
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk)) {
		free(nl);
		return ms_fail(MS_EXIT_ERROR, "cannot open a generic netlink socket");
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Replies fit one 32 KiB read: no MSG_PEEK round to size each one. */
	nl_socket_disable_msg_peek(nl->sk);
	nl_socket_set_msg_buf_size(nl->sk, 32768);
	nl->family = GENL_ID_CTRL;
	ctx->nl = nl;

	err = ms_nl_run(ctx, &req);
	if ((err || fam.id < 0) && ms_lockdown(lockdown, sizeof(lockdown)))
		return ms_fail(MS_EXIT_NO_MODULE,
			       "memscope module is not loaded, and the kernel is locked down (lockdown=%s): it loads only signed modules: sign memscope.ko with an enrolled MOK key (docs/install.md, Secure Boot), then sudo modprobe memscope",
			       lockdown);
	if (err || fam.id < 0)
		return ms_fail(MS_EXIT_NO_MODULE,
			       "memscope module is not loaded: sudo modprobe memscope, or sudo insmod kmod/memscope.ko");
	nl->family = fam.id;
	nl->version = fam.version;
	if (nl->version != MEMSCOPE_PROTOCOL_VERSION)
		return ms_fail(MS_EXIT_VERSION,
			       "memscope module speaks protocol %u, this memscopectl speaks %u: build and install both from one source tree (make && sudo make install)",
			       nl->version, MEMSCOPE_PROTOCOL_VERSION);
	return MS_EXIT_OK;
}

void ms_nl_close(struct ms_ctx *ctx)
{
	if (!ctx->nl)
		return;
	nl_socket_free(ctx->nl->sk);
	free(ctx->nl);
	ctx->nl = NULL;
}

unsigned int ms_nl_module_protocol(const struct ms_ctx *ctx)
{
	return ctx->nl ? ctx->nl->version : 0;
}

/* Pulls NLMSGERR_ATTR_MSG out of the TLVs that follow an error or DONE payload. */
static void ms_extack_copy(struct ms_reply *r, const struct nlmsghdr *nlh, size_t payload)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)payload;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)NLMSG_DATA(nlh) + NLMSG_ALIGN(payload)),
		      len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(r->extack, sizeof(r->extack), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int ms_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct ms_reply *r = arg;
	size_t payload = sizeof(*e);

	(void)who;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		payload += e->msg.nlmsg_len - sizeof(e->msg);
	r->error = e->error;
	r->done = true;
	ms_extack_copy(r, nlh, payload);
	return NL_STOP;
}

static int ms_on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ms_reply *r = arg;
	int err;

	/* A dump that failed carries its errno (and extack) in NLMSG_DONE. */
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (err < 0) {
			r->error = err;
			ms_extack_copy(r, nlh, sizeof(int));
		}
	}
	r->done = true;
	return NL_STOP;
}

static int ms_on_ack(struct nl_msg *msg, void *arg)
{
	struct ms_reply *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

static int ms_on_valid(struct nl_msg *msg, void *arg)
{
	struct ms_reply *r = arg;
	const struct ms_request *req = r->req;
	struct nlattr *tb[req->maxattr + 1];
	int err;

	if (r->parse_error || !req->parse)
		return NL_SKIP;
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, req->maxattr, NULL);
	if (err < 0) {
		r->parse_error = ms_fail(MS_EXIT_ERROR, "%s: malformed reply from the module",
					 req->what);
		return NL_SKIP;
	}
	r->parse_error = req->parse(tb, req->arg);
	return NL_OK;
}

static int ms_kernel_error(const struct ms_reply *r)
{
	const char *what = r->req->what;
	const char *msg = r->extack[0] ? r->extack : strerror(-r->error);

	if (r->req->quiet) {	/* the caller words it: only the exit code */
		switch (-r->error) {
		case EPERM:
		case EACCES:
			return MS_EXIT_PERM;
		case ENODEV:
		case ENOENT:
		case ESRCH:
			return MS_EXIT_NOT_FOUND;
		case EOPNOTSUPP:
			return MS_EXIT_VERSION;
		default:
			return MS_EXIT_ERROR;
		}
	}
	switch (-r->error) {
	case EPERM:
	case EACCES:
		return ms_fail(MS_EXIT_PERM, "%s: not permitted (%s): run as root (sudo memscopectl ...)",
			       what, msg);
	case ENODEV:
	case ENOENT:
	case ESRCH:
		return ms_fail(MS_EXIT_NOT_FOUND, "%s: %s", what, msg);
	case EOPNOTSUPP:
		return ms_fail(MS_EXIT_VERSION,
			       "%s: the loaded memscope module does not know this command: install the module built with this memscopectl",
			       what);
	default:
		return ms_fail(MS_EXIT_ERROR, "%s: the module refused the request: %s", what, msg);
	}
}

int ms_nl_run(struct ms_ctx *ctx, const struct ms_request *req)
{
	struct ms_reply r = { .req = req };
	struct nl_msg *msg;
	struct nl_cb *cb;
	int err;

	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		err = ms_fail(MS_EXIT_ERROR, "out of memory");
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->nl->family, 0,
			 req->dump ? NLM_F_DUMP : 0, req->cmd, MEMSCOPE_PROTOCOL_VERSION) ||
	    (req->build && req->build(msg, req->build_arg))) {
		err = ms_fail(MS_EXIT_ERROR, "%s: cannot build the request", req->what);
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, ms_on_valid, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ms_on_finish, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ms_on_ack, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, ms_on_error, &r);

	if (nl_send_auto(ctx->nl->sk, msg) < 0) {
		err = ms_fail(MS_EXIT_ERROR, "%s: cannot send the request", req->what);
		goto out;
	}
	while (!r.done) {
		err = nl_recvmsgs(ctx->nl->sk, cb);
		if (err < 0 && !r.done) {
			err = ms_fail(MS_EXIT_ERROR, "%s: receiving the reply failed: %s",
				      req->what, nl_geterror(err));
			goto out;
		}
	}
	if (r.error)
		err = ms_kernel_error(&r);
	else
		err = r.parse_error;
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return err;
}

int ms_nla_u64_array(const struct nlattr *nest, uint64_t *out, int max)
{
	struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != MEMSCOPE_ARRAY_A_ITEM || n >= max)
			continue;
		out[n++] = nla_len(a) >= 8 ? nla_get_u64(a) : 0;
	}
	return n;
}

int ms_nla_u32_array(const struct nlattr *nest, uint32_t *out, int max)
{
	struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != MEMSCOPE_ARRAY_A_ITEM || n >= max)
			continue;
		out[n++] = nla_len(a) >= 4 ? nla_get_u32(a) : 0;
	}
	return n;
}

int ms_nla_names(const struct nlattr *nest, char (*out)[32], int max)
{
	struct nlattr *a;
	int rem, n = 0;

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != MEMSCOPE_NAME_A_NAME || n >= max)
			continue;
		snprintf(out[n++], 32, "%.*s", nla_len(a), (char *)nla_data(a));
	}
	return n;
}
