// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a generic-netlink fuzzer for the memscope family (raw sockets, no
 * libnl, so nothing between it and the kernel repairs a message).
 *
 *   fuzz [--seed N] [--count M] [--timeout SECS] [--sockets K] [--verbose]
 *   fuzz --probe     one clean request per command, result per line
 *   fuzz --flushers N   N processes that flush the TLB, then exit
 *
 * Prints "fuzz: seed N" first; the same seed and count replay the same run.
 * Every message is a request for one of the family's commands, built from the
 * command's policy (kmod/uapi/memscope.h) and then mutated: wrong attribute
 * types and lengths, NLA_F_NESTED garbage, unknown and zero types, huge
 * values and payloads, strings without NUL, truncated netlink and genl
 * headers, nlmsg_len beyond the data, NLM_F_DUMP on do-ops and the reverse,
 * random flags, random genl commands.  Besides single requests it starts
 * dumps and leaves them unfinished, starts a second dump on a busy socket,
 * reads dumps round-robin across sockets and closes sockets mid-dump.
 *
 * After each request it sends a NLMSG_NOOP with NLM_F_ACK on the same socket:
 * its ack marks the point where every synchronous reply to the request has
 * arrived (a truncated request gets no reply at all).  Every reply is
 * checked: an error or DONE carries an errno from the set the command may
 * return (EPERM only without CAP_SYS_ADMIN and only for the admin-only
 * requests, EBUSY only with a dump in progress), its echoed header and extack
 * TLVs are well-formed and the extack offset points inside the request; a
 * data message has the family's type, the request's command and version, the
 * right NLM_F_MULTI, attributes of the command's reply space with the right
 * sizes, well-formed nests, and - without CAP_SYS_ADMIN - no pfn attribute
 * and no value that looks like a kernel address.  A reply that is not
 * complete within --timeout seconds is a hang.  Any failure prints the seed,
 * the message number and both messages in hex, and exits 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "uapi/memscope.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define MAX_SOCKS	4
#define BUF_SIZE	(1 << 20)
#define MAX_NODE	1023		/* MAX_NUMNODES - 1 on Debian's kernels */
#define TOP_MAX		64
#define CAP_SYS_ADMIN_BIT 21

/* ---- PRNG (xorshift64*), seeded once; every choice comes from it ---- */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* ---- what the family looks like ---- */
enum kind { K_NONE, K_U8, K_U32, K_U64, K_STR, K_FLAG, K_NEST, K_BIN, K_PAD };

struct req_attr {
	int type;
	enum kind kind;
	uint64_t min, max;
};

struct cmd_desc {
	const char *name;
	int cmd;
	bool dump;			/* dumpit (else doit) */
	bool admin;			/* EPERM possible without CAP_SYS_ADMIN */
	bool costly;			/* a valid request walks every page */
	int reply_max;
	const enum kind *reply;		/* kind by reply attribute type */
	const int *secret;		/* reply attributes only an admin may see, 0-ended */
	const struct req_attr *attrs;
	int nattrs;
	int req_max;			/* the op's maxattr */
	const int *errnos;		/* besides EINVAL/ERANGE, 0-ended */
};

static const enum kind info_reply[MEMSCOPE_INFO_A_MAX + 1] = {
	[MEMSCOPE_INFO_A_MODULE_VERSION] = K_STR, [MEMSCOPE_INFO_A_PROTOCOL_VERSION] = K_U32,
	[MEMSCOPE_INFO_A_KERNEL_RELEASE] = K_STR, [MEMSCOPE_INFO_A_PAGE_SIZE] = K_U32,
	[MEMSCOPE_INFO_A_NR_NODES] = K_U32, [MEMSCOPE_INFO_A_NR_CPUS] = K_U32,
	[MEMSCOPE_INFO_A_MAX_ORDER] = K_U32, [MEMSCOPE_INFO_A_PAGEBLOCK_ORDER] = K_U32,
	[MEMSCOPE_INFO_A_MIGRATETYPES] = K_NEST, [MEMSCOPE_INFO_A_ZONES] = K_NEST,
	[MEMSCOPE_INFO_A_FEATURES] = K_U32, [MEMSCOPE_INFO_A_TLB_REASONS] = K_NEST,
	[MEMSCOPE_INFO_A_PAGE_CLASSES] = K_NEST, [MEMSCOPE_INFO_A_PAGE_KINDS] = K_U32,
	[MEMSCOPE_INFO_A_PAD] = K_PAD, [MEMSCOPE_INFO_A_IRQOFF_MAX_NS] = K_U64,
	[MEMSCOPE_INFO_A_RESCHED_MAX_NS] = K_U64,
};

static const enum kind zone_reply[MEMSCOPE_ZONE_A_MAX + 1] = {
	[MEMSCOPE_ZONE_A_PAD] = K_PAD, [MEMSCOPE_ZONE_A_NODE] = K_U32,
	[MEMSCOPE_ZONE_A_NAME] = K_STR, [MEMSCOPE_ZONE_A_INDEX] = K_U32,
	[MEMSCOPE_ZONE_A_START_PFN] = K_U64, [MEMSCOPE_ZONE_A_SPANNED] = K_U64,
	[MEMSCOPE_ZONE_A_PRESENT] = K_U64, [MEMSCOPE_ZONE_A_MANAGED] = K_U64,
	[MEMSCOPE_ZONE_A_CMA] = K_U64, [MEMSCOPE_ZONE_A_FREE] = K_U64,
	[MEMSCOPE_ZONE_A_WMARK_MIN] = K_U64, [MEMSCOPE_ZONE_A_WMARK_LOW] = K_U64,
	[MEMSCOPE_ZONE_A_WMARK_HIGH] = K_U64, [MEMSCOPE_ZONE_A_WMARK_PROMO] = K_U64,
	[MEMSCOPE_ZONE_A_WMARK_BOOST] = K_U64, [MEMSCOPE_ZONE_A_LOWMEM_RESERVE] = K_NEST,
	[MEMSCOPE_ZONE_A_STATS] = K_NEST, [MEMSCOPE_ZONE_A_PCP] = K_NEST,
	[MEMSCOPE_ZONE_A_KSWAPD_WAKE] = K_U8, [MEMSCOPE_ZONE_A_FREE_BLOCKS] = K_NEST,
	[MEMSCOPE_ZONE_A_FREE_LISTS] = K_NEST, [MEMSCOPE_ZONE_A_LOCK_HOLD_MAX_NS] = K_U64,
	[MEMSCOPE_ZONE_A_LOCK_HOLDS] = K_U32, [MEMSCOPE_ZONE_A_UNUSABLE_INDEX] = K_NEST,
	[MEMSCOPE_ZONE_A_FRAG_INDEX] = K_NEST, [MEMSCOPE_ZONE_A_RESTARTS] = K_U32,
	[MEMSCOPE_ZONE_A_IRQOFF_MAX_NS] = K_U64, [MEMSCOPE_ZONE_A_RESCHED_MAX_NS] = K_U64,
};

static const enum kind tlb_reply[MEMSCOPE_TLB_A_MAX + 1] = {
	[MEMSCOPE_TLB_A_PAD] = K_PAD, [MEMSCOPE_TLB_A_CPU] = K_U32,
	[MEMSCOPE_TLB_A_FLUSHES] = K_NEST, [MEMSCOPE_TLB_A_FULL] = K_NEST,
	[MEMSCOPE_TLB_A_PAGES] = K_NEST, [MEMSCOPE_TLB_A_IPIS] = K_U64,
	[MEMSCOPE_TLB_A_PROCS] = K_NEST, [MEMSCOPE_TLB_A_IRQOFF_MAX_NS] = K_U64,
	[MEMSCOPE_TLB_A_RESCHED_MAX_NS] = K_U64,
};

static const enum kind pages_reply[MEMSCOPE_PAGES_A_MAX + 1] = {
	[MEMSCOPE_PAGES_A_PAD] = K_PAD, [MEMSCOPE_PAGES_A_NODE] = K_U32,
	[MEMSCOPE_PAGES_A_ZONE] = K_STR, [MEMSCOPE_PAGES_A_PAGES] = K_U64,
	[MEMSCOPE_PAGES_A_CLASSES] = K_NEST, [MEMSCOPE_PAGES_A_SCAN_NS] = K_U64,
	[MEMSCOPE_PAGES_A_RESCHED_MAX_NS] = K_U64, [MEMSCOPE_PAGES_A_START_PFN] = K_U64,
	[MEMSCOPE_PAGES_A_PB_PAGES] = K_U32, [MEMSCOPE_PAGES_A_BLOCKS] = K_BIN,
	[MEMSCOPE_PAGES_A_IRQOFF_MAX_NS] = K_U64,
};

static const enum kind task_reply[MEMSCOPE_TASK_A_MAX + 1] = {
	[MEMSCOPE_TASK_A_PAD] = K_PAD, [MEMSCOPE_TASK_A_PID] = K_U32,
	[MEMSCOPE_TASK_A_COMM] = K_STR, [MEMSCOPE_TASK_A_PT_PAGES] = K_NEST,
	[MEMSCOPE_TASK_A_PT_DEPOSITED] = K_U64, [MEMSCOPE_TASK_A_LEVELS] = K_U32,
	[MEMSCOPE_TASK_A_PRESENT] = K_U64, [MEMSCOPE_TASK_A_SWAP] = K_U64,
	[MEMSCOPE_TASK_A_MIGRATION] = K_U64, [MEMSCOPE_TASK_A_NONE] = K_U64,
	[MEMSCOPE_TASK_A_HUGE_PMD] = K_U64, [MEMSCOPE_TASK_A_HUGE_PUD] = K_U64,
	[MEMSCOPE_TASK_A_YOUNG] = K_U64, [MEMSCOPE_TASK_A_DIRTY] = K_U64,
	[MEMSCOPE_TASK_A_WRITABLE] = K_U64, [MEMSCOPE_TASK_A_RES_ANON] = K_U64,
	[MEMSCOPE_TASK_A_RES_FILE] = K_U64, [MEMSCOPE_TASK_A_RES_SHMEM] = K_U64,
	[MEMSCOPE_TASK_A_RES_HUGETLB] = K_U64, [MEMSCOPE_TASK_A_CONTIG] = K_U64,
	[MEMSCOPE_TASK_A_NR_VMAS] = K_U32, [MEMSCOPE_TASK_A_WALK_NS] = K_U64,
	[MEMSCOPE_TASK_A_LOCK_HOLD_MAX_NS] = K_U64, [MEMSCOPE_TASK_A_VMA] = K_NEST,
	[MEMSCOPE_TASK_A_SHARE] = K_NEST, [MEMSCOPE_TASK_A_IRQOFF_MAX_NS] = K_U64,
	[MEMSCOPE_TASK_A_RESCHED_MAX_NS] = K_U64, [MEMSCOPE_TASK_A_LOCK_HOLDS] = K_U32,
};

/* A new reply attribute in the uapi header needs its kind in a table above. */
#define REPLY_KNOWN(last, max, what) \
	_Static_assert((last) == (max), "tests/fuzz/fuzz.c: add the new " what " reply attributes")
REPLY_KNOWN(MEMSCOPE_INFO_A_RESCHED_MAX_NS, MEMSCOPE_INFO_A_MAX, "GET_INFO");
REPLY_KNOWN(MEMSCOPE_ZONE_A_RESCHED_MAX_NS, MEMSCOPE_ZONE_A_MAX, "GET_ZONES/GET_BUDDY");
REPLY_KNOWN(MEMSCOPE_TLB_A_RESCHED_MAX_NS, MEMSCOPE_TLB_A_MAX, "GET_TLB");
REPLY_KNOWN(MEMSCOPE_PAGES_A_IRQOFF_MAX_NS, MEMSCOPE_PAGES_A_MAX, "GET_PAGES/GET_MAP");
REPLY_KNOWN(MEMSCOPE_TASK_A_LOCK_HOLDS, MEMSCOPE_TASK_A_MAX, "GET_TASK");

static const int no_secret[] = { 0 };
static const int zone_secret[] = { MEMSCOPE_ZONE_A_START_PFN, 0 };
static const int task_secret[] = { MEMSCOPE_TASK_A_CONTIG, 0 };
static const int map_secret[] = { MEMSCOPE_PAGES_A_START_PFN, MEMSCOPE_PAGES_A_BLOCKS, 0 };

static const struct req_attr zone_attrs[] = {
	{ MEMSCOPE_ZONE_A_NODE, K_U32, 0, MAX_NODE },
	{ MEMSCOPE_ZONE_A_NAME, K_STR, 0, 31 },
};

static const struct req_attr tlb_attrs[] = {
	{ MEMSCOPE_TLB_A_TOP_N, K_U32, 1, TOP_MAX },
};

static const struct req_attr pages_attrs[] = {
	{ MEMSCOPE_PAGES_A_NODE, K_U32, 0, MAX_NODE },
	{ MEMSCOPE_PAGES_A_ZONE, K_STR, 0, 31 },
	{ MEMSCOPE_PAGES_A_FLOOR, K_FLAG, 0, 0 },
	{ MEMSCOPE_PAGES_A_START_PFN, K_U64, 0, UINT64_MAX },
	{ MEMSCOPE_PAGES_A_END_PFN, K_U64, 0, UINT64_MAX },
};

static const struct req_attr task_attrs[] = {
	{ MEMSCOPE_TASK_A_PID, K_U32, 1, UINT32_MAX },
	{ MEMSCOPE_TASK_A_START, K_U64, 0, UINT64_MAX },
	{ MEMSCOPE_TASK_A_END, K_U64, 0, UINT64_MAX },
	{ MEMSCOPE_TASK_A_VMAS, K_FLAG, 0, 0 },
};

static const int e_none[] = { 0 };
static const int e_zone[] = { ENODEV, ENOENT, 0 };
static const int e_tlb[] = { EOPNOTSUPP, 0 };
static const int e_task[] = { ESRCH, EACCES, 0 };

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static const struct cmd_desc cmds[] = {
	{ "GET_INFO", MEMSCOPE_CMD_GET_INFO, false, false, false, MEMSCOPE_INFO_A_MAX,
	  info_reply, no_secret, NULL, 0, MEMSCOPE_INFO_A_MAX, e_none },
	{ "GET_ZONES", MEMSCOPE_CMD_GET_ZONES, true, false, false, MEMSCOPE_ZONE_A_MAX,
	  zone_reply, zone_secret, zone_attrs, N(zone_attrs), MEMSCOPE_ZONE_A_MAX, e_zone },
	{ "GET_BUDDY", MEMSCOPE_CMD_GET_BUDDY, true, true, false, MEMSCOPE_ZONE_A_MAX,
	  zone_reply, no_secret, zone_attrs, N(zone_attrs), MEMSCOPE_ZONE_A_MAX, e_zone },
	{ "GET_TLB", MEMSCOPE_CMD_GET_TLB, true, false, false, MEMSCOPE_TLB_A_MAX,
	  tlb_reply, no_secret, tlb_attrs, N(tlb_attrs), MEMSCOPE_TLB_A_MAX, e_tlb },
	{ "GET_TLB_TOP", MEMSCOPE_CMD_GET_TLB_TOP, false, false, false, MEMSCOPE_TLB_A_MAX,
	  tlb_reply, no_secret, tlb_attrs, N(tlb_attrs), MEMSCOPE_TLB_A_MAX, e_tlb },
	{ "TLB_RESET", MEMSCOPE_CMD_TLB_RESET, false, true, false, MEMSCOPE_TLB_A_MAX,
	  tlb_reply, no_secret, tlb_attrs, N(tlb_attrs), MEMSCOPE_TLB_A_MAX, e_tlb },
	{ "GET_PAGES", MEMSCOPE_CMD_GET_PAGES, true, true, true, MEMSCOPE_PAGES_A_MAX,
	  pages_reply, no_secret, pages_attrs, N(pages_attrs), MEMSCOPE_PAGES_A_MAX, e_zone },
	{ "GET_MAP", MEMSCOPE_CMD_GET_MAP, true, true, true, MEMSCOPE_PAGES_A_MAX,
	  pages_reply, map_secret, pages_attrs, N(pages_attrs), MEMSCOPE_PAGES_A_MAX, e_none },
	{ "GET_TASK", MEMSCOPE_CMD_GET_TASK, true, false, false, MEMSCOPE_TASK_A_MAX,
	  task_reply, task_secret, task_attrs, N(task_attrs), MEMSCOPE_TASK_A_MAX, e_task },
};

#define NCMDS N(cmds)

_Static_assert(N(cmds) == MEMSCOPE_CMD_MAX, "a command of kmod/uapi/memscope.h is not fuzzed");

/* ---- run state ---- */
struct sock {
	int fd;
	uint32_t seq;
	uint32_t pending;		/* seq of an unfinished dump, 0 if none */
	const struct cmd_desc *pending_cmd;
	int pending_len;		/* its request's length */
};

struct stats {
	unsigned long sent, replies, data, acks, noreply, dumps_left, closes, ebusy;
	unsigned long err[256];
	unsigned long ok_by_cmd[NCMDS], err_by_cmd[NCMDS];
	double secs_by_cmd[NCMDS];	/* request to last reply, where the run's time goes */
};

static struct sock socks[MAX_SOCKS];
static int nsocks = 2;
static uint16_t family;
static bool admin;
static uint64_t seed;
static unsigned long iter, count = 100000;
static int timeout_ms = 30000;
static bool verbose, probe_only;
static struct stats st;
static int last_err;		/* of the last request drained: 0 or -errno */
static uint8_t rbuf[BUF_SIZE];

/* The request in flight, for the failure report. */
static uint8_t req_buf[65536];
static int req_len;

static void hexdump(const char *what, const void *p, int len)
{
	const uint8_t *b = p;
	int i;

	fprintf(stderr, "%s (%d bytes):", what, len);
	for (i = 0; i < len && i < 512; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n  ", b[i]);
	fprintf(stderr, "%s\n", len > 512 ? " ..." : "");
}

static void __attribute__((format(printf, 3, 4), noreturn))
die(const void *reply, int rlen, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FUZZ-FAIL seed=%" PRIu64 " message=%lu: ", seed, iter);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	hexdump("request", req_buf, req_len);
	if (reply)
		hexdump("reply", reply, rlen);
	fprintf(stderr, "replay: fuzz --seed %" PRIu64 " --count %lu\n", seed, iter + 1);
	exit(1);
}

/* ---- sockets ---- */
static int open_sock(bool cap_ack)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1, rcv = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("fuzz: netlink socket");
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (cap_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

static void send_raw(int fd, const void *buf, int len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		/* A message shorter than a netlink header is refused by sendmsg
		 * itself on no kernel we know; anything else is ours to fix. */
		die(NULL, 0, "sendto: %s", strerror(errno));
	}
}

/* Receives one datagram; returns its length, 0 on timeout. */
static int recv_one(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;

	r = poll(&p, 1, ms);
	if (r == 0)
		return 0;
	if (r < 0)
		die(NULL, 0, "poll: %s", strerror(errno));
	n = recv(fd, rbuf, sizeof(rbuf), MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN)
			return recv_one(fd, ms);
		die(NULL, 0, "recv: %s (the kernel dropped a reply?)", strerror(errno));
	}
	if ((size_t)n > sizeof(rbuf))
		die(NULL, 0, "a %zd-byte datagram: larger than any reply should be", n);
	if (n == 0)
		die(NULL, 0, "empty datagram");
	return (int)n;
}

/* ---- family lookup ---- */
static void resolve_family(void)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} m = { 0 };
	struct nlattr *a = (struct nlattr *)m.attrs;
	int fd = open_sock(true), len, rem;
	struct nlmsghdr *h;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(MEMSCOPE_GENL_NAME);
	memcpy((char *)a + NLA_HDRLEN, MEMSCOPE_GENL_NAME, sizeof(MEMSCOPE_GENL_NAME));
	m.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
	m.n.nlmsg_type = GENL_ID_CTRL;
	m.n.nlmsg_flags = NLM_F_REQUEST;
	m.n.nlmsg_seq = 1;
	m.g.cmd = CTRL_CMD_GETFAMILY;
	m.g.version = 1;
	send_raw(fd, &m, m.n.nlmsg_len);
	len = recv_one(fd, timeout_ms);
	h = (struct nlmsghdr *)rbuf;
	if (len < (int)NLMSG_HDRLEN || h->nlmsg_type != GENL_ID_CTRL) {
		fprintf(stderr, "fuzz: the memscope family is not registered (insmod memscope.ko)\n");
		exit(2);
	}
	rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	     rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
	     rem -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			memcpy(&family, (char *)a + NLA_HDRLEN, 2);
	close(fd);
	if (!family) {
		fprintf(stderr, "fuzz: no family id in the controller's reply\n");
		exit(2);
	}
}

static bool have_cap_sys_admin(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	return eff & (1ULL << CAP_SYS_ADMIN_BIT);
}

/* ---- building requests ---- */
struct builder {
	uint8_t *buf;
	int len, cap;
};

static struct nlattr *put_attr(struct builder *b, uint16_t type, const void *data, int dlen,
			       int claimed_len)
{
	struct nlattr *a;
	int total = NLA_ALIGN(NLA_HDRLEN + dlen);

	if (b->len + total > b->cap)
		return NULL;
	a = (struct nlattr *)(b->buf + b->len);
	a->nla_type = type;
	a->nla_len = claimed_len >= 0 ? claimed_len : NLA_HDRLEN + dlen;
	if (dlen)
		memcpy((char *)a + NLA_HDRLEN, data, dlen);
	memset((char *)a + NLA_HDRLEN + dlen, 0, total - NLA_HDRLEN - dlen);
	b->len += total;
	return a;
}

static const char *const zone_names[] = {
	"DMA", "DMA32", "Normal", "Movable", "Device", "HighMem", "normal", "dma32", "",
	"Normal ", "NORMAL", "Nor\0mal", "x",
};

static uint64_t pick_u64(uint64_t min, uint64_t max)
{
	static const uint64_t edges[] = {
		0, 1, 2, 63, 64, 65, 255, 256, 4095, 4096, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL, UINT64_MAX,
		0x00007ffffffff000ULL, 0x0000800000000000ULL, 0xffff880000000000ULL,
	};

	switch (below(6)) {
	case 0:
		return min;
	case 1:
		return max;
	case 2:
		return min ? min - 1 : 0;
	case 3:
		return max + 1;
	case 4:
		return edges[below(N(edges))];
	default:
		return max > min ? min + rnd() % (max - min + 1 ? max - min + 1 : UINT64_MAX) : rnd();
	}
}

/* A plausible pid: ours, init, the parent, a kernel thread, none, huge. */
static uint32_t pick_pid(void)
{
	switch (below(7)) {
	case 0: return (uint32_t)getpid();
	case 1: return 1;
	case 2: return (uint32_t)getppid();
	case 3: return 2;
	case 4: return 0;
	case 5: return 4194304 + below(100);
	default: return below(400);
	}
}

/* Puts one attribute of @ra's kind, valid or not. */
static void put_policy_attr(struct builder *b, const struct cmd_desc *c, const struct req_attr *ra,
			    bool mutate)
{
	uint8_t data[4096];
	int dlen = 0;
	uint16_t type = ra->type;
	uint64_t v;
	uint32_t v32;

	switch (ra->kind) {
	case K_U32:
		v = c->cmd == MEMSCOPE_CMD_GET_TASK && ra->type == MEMSCOPE_TASK_A_PID && chance(70) ?
		    pick_pid() : pick_u64(ra->min, ra->max);
		if (ra->type == MEMSCOPE_ZONE_A_NODE && chance(60))
			v = below(3);
		v32 = (uint32_t)v;
		memcpy(data, &v32, 4);
		dlen = 4;
		break;
	case K_U64:
		v = pick_u64(ra->min, ra->max);
		if (chance(40))	/* plausible pfns and addresses */
			v = chance(50) ? below(1 << 20) : (uint64_t)below(1 << 30) << 12;
		memcpy(data, &v, 8);
		dlen = 8;
		break;
	case K_STR: {
		const char *s = zone_names[below(N(zone_names))];

		dlen = (int)strlen(s) + 1;
		memcpy(data, s, dlen);
		if (chance(10)) {	/* too long */
			dlen = 32 + below(300);
			memset(data, 'A' + below(26), dlen);
			data[dlen - 1] = 0;
		} else if (chance(10)) {	/* no NUL */
			dlen--;
		}
		break;
	}
	case K_FLAG:
	default:
		break;
	}
	if (mutate) {
		switch (below(8)) {
		case 0:	/* wrong length */
			dlen = below(17);
			for (int i = 0; i < dlen; i++)
				data[i] = (uint8_t)rnd();
			break;
		case 1:	/* huge payload */
			dlen = 256 + below(sizeof(data) - 256);
			memset(data, (int)below(256), dlen);
			break;
		case 2:	/* NLA_F_NESTED or byte-order bit on a scalar */
			type |= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
			break;
		case 3:	/* an unknown type */
			type = chance(50) ? (uint16_t)(c->req_max + 1 + below(5)) : (uint16_t)below(0x4000);
			break;
		case 4:	/* type 0 */
			type = 0;
			break;
		case 5:	/* claimed length beyond the payload */
			put_attr(b, type, data, dlen, NLA_HDRLEN + dlen + 1 + (int)below(64));
			return;
		case 6:	/* claimed length below the header */
			put_attr(b, type, data, dlen, (int)below(NLA_HDRLEN));
			return;
		default:	/* random bytes of the right size */
			for (int i = 0; i < dlen; i++)
				data[i] = (uint8_t)rnd();
			break;
		}
	}
	put_attr(b, type, data, dlen, -1);
}

/* A nest of random (often malformed) attributes, @depth deep. */
static void put_garbage_nest(struct builder *b, uint16_t type, int depth)
{
	int start = b->len, n = (int)below(5), i;
	struct nlattr *nest = put_attr(b, type | NLA_F_NESTED, NULL, 0, -1);

	if (!nest)
		return;
	for (i = 0; i < n; i++) {
		if (depth > 0 && chance(40)) {
			put_garbage_nest(b, (uint16_t)below(40), depth - 1);
		} else {
			uint8_t d[16];
			int dl = (int)below(17);

			for (int j = 0; j < dl; j++)
				d[j] = (uint8_t)rnd();
			put_attr(b, (uint16_t)below(40), d, dl, chance(5) ? (int)below(64) : -1);
		}
	}
	nest = (struct nlattr *)(b->buf + start);
	nest->nla_len = (uint16_t)(b->len - start);
	if (chance(10))
		nest->nla_len += (uint16_t)below(32);
}

struct request {
	const struct cmd_desc *c;	/* NULL: not our family's command */
	uint16_t type;
	uint16_t flags;
	uint8_t gcmd;
	bool dump;			/* the kernel will treat it as a dump */
	bool valid_shape;		/* no mutation: policy-valid attributes */
	uint32_t seq;
	int len;			/* bytes sent */
	int claimed;			/* nlmsg_len */
};

/* Builds a request for @c in req_buf; @clean: no mutation at all. */
static void build_request(struct request *r, const struct cmd_desc *c, uint32_t seq, bool clean)
{
	struct nlmsghdr *n = (struct nlmsghdr *)req_buf;
	struct genlmsghdr *g = (struct genlmsghdr *)NLMSG_DATA(n);
	struct builder b = { .buf = req_buf, .len = NLMSG_LENGTH(GENL_HDRLEN), .cap = 16384 };
	static const uint16_t odd_flags[] = {
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_ECHO, NLM_F_EXCL, NLM_F_CREATE,
		NLM_F_APPEND, NLM_F_MULTI, NLM_F_DUMP_INTR, 0x4000, 0x8000, 0x2000, 0x1000,
	};
	bool mutate = !clean && chance(70);
	int i, nattr;

	memset(req_buf, 0, (size_t)b.len);
	r->c = c;
	r->seq = seq;
	r->valid_shape = !mutate;
	r->type = family;
	r->gcmd = (uint8_t)c->cmd;
	r->flags = NLM_F_REQUEST | (c->dump ? NLM_F_DUMP : 0);
	if (!clean && chance(30))
		r->flags |= NLM_F_ACK;
	if (mutate && chance(15)) {	/* dump on a do-op, or the reverse */
		r->flags ^= NLM_F_DUMP;
		r->valid_shape = false;
	}
	if (mutate && chance(10)) {	/* odd flags, one or two */
		r->flags |= odd_flags[below(N(odd_flags))];
		if (chance(30))
			r->flags |= odd_flags[below(N(odd_flags))];
		r->valid_shape = false;
	}
	if (mutate && chance(2))
		r->flags &= (uint16_t)~NLM_F_REQUEST;
	if (mutate && chance(4)) {	/* a command the family does not have */
		r->gcmd = chance(50) ? (uint8_t)(MEMSCOPE_CMD_MAX + 1 + below(4)) : (uint8_t)below(256);
		r->c = NULL;
		for (i = 0; i < NCMDS; i++)
			if (cmds[i].cmd == r->gcmd)
				r->c = &cmds[i];
	}
	if (mutate && chance(2)) {	/* a netlink control message type */
		r->type = (uint16_t)below(NLMSG_MIN_TYPE);
		r->c = NULL;
	}

	nattr = c->nattrs ? (int)below(c->nattrs + 2) : 0;
	if (mutate && !c->nattrs && chance(50))
		nattr = 1;
	for (i = 0; i < nattr; i++) {
		if (c->nattrs)
			put_policy_attr(&b, c, &c->attrs[below(c->nattrs)], mutate && chance(40));
		else	/* GET_INFO takes nothing: anything is unknown */
			put_policy_attr(&b, c, &(struct req_attr){ (int)below(MEMSCOPE_INFO_A_MAX + 3),
							   K_U32, 0, 1 }, true);
	}
	/* A census or map of all memory costs a lot under TCG: most requests of
	 * those ask for the DMA zone or the first 64 MiB only (the last of two
	 * equal attributes wins). */
	if (c->costly && !chance(1)) {
		if (c->cmd == MEMSCOPE_CMD_GET_PAGES) {
			put_attr(&b, MEMSCOPE_PAGES_A_ZONE, "DMA", 4, -1);
		} else {
			uint64_t end = below(16384);

			put_attr(&b, MEMSCOPE_PAGES_A_END_PFN, &end, 8, -1);
		}
	}
	if (mutate && chance(15))
		put_garbage_nest(&b, (uint16_t)below(c->req_max + 3), 4);
	if (mutate && chance(5)) {	/* trailing bytes that are not an attribute */
		int k = 1 + (int)below(3);

		for (i = 0; i < k; i++)
			req_buf[b.len++] = (uint8_t)rnd();
	}
	if (b.len > b.cap)
		b.len = b.cap;

	n->nlmsg_len = (uint32_t)b.len;
	n->nlmsg_type = r->type;
	n->nlmsg_flags = r->flags;
	n->nlmsg_seq = seq;
	n->nlmsg_pid = mutate && chance(2) ? (uint32_t)rnd() : 0;
	g->cmd = r->gcmd;
	g->version = mutate && chance(10) ? (uint8_t)rnd() : MEMSCOPE_PROTOCOL_VERSION;
	g->reserved = mutate && chance(5) ? (uint16_t)rnd() : 0;
	r->len = b.len;
	if (mutate && chance(6)) {	/* truncated: genl header or attributes cut */
		r->len = NLMSG_HDRLEN + (int)below((uint32_t)(b.len - NLMSG_HDRLEN + 1));
		n->nlmsg_len = (uint32_t)r->len;
	} else if (mutate && chance(3)) {	/* nlmsg_len says more than was sent */
		n->nlmsg_len = (uint32_t)b.len + 1 + below(100);
	} else if (mutate && chance(3)) {	/* nlmsg_len below a netlink header */
		n->nlmsg_len = below(NLMSG_HDRLEN);
	} else if (mutate && chance(2)) {	/* a datagram shorter than a netlink header */
		r->len = (int)below(NLMSG_HDRLEN) + 1;
	}
	r->claimed = (int)n->nlmsg_len;
	r->dump = (r->flags & NLM_F_DUMP) == NLM_F_DUMP;
	req_len = r->len;
}

/* ---- checking replies ---- */
static bool errno_allowed(const struct request *r, int e, bool busy)
{
	const int *p;

	if (e == EINVAL || e == ERANGE)
		return true;
	if (e == EBUSY)
		return busy && r->dump;
	if (!r->c)	/* an unknown command of our family */
		return e == EOPNOTSUPP && r->type == family;
	if (e == EOPNOTSUPP)	/* dump flag on a do-op or the reverse, or no tracepoint */
		return r->dump != r->c->dump || r->c->errnos == e_tlb;
	if (e == EPERM)
		return !admin && r->c->admin;
	for (p = r->c->errnos; *p; p++)
		if (*p == e && !(e == EACCES && admin))
			return true;
	return false;
}

/* Walks an attribute stream; nests are walked too (@depth levels). */
static const char *check_stream(const uint8_t *p, int len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return "attribute length outside the message";
		if ((a->nla_type & NLA_F_NESTED) && depth > 0) {
			const char *e = check_stream(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN, depth - 1);

			if (e)
				return e;
		}
		if (NLA_ALIGN(a->nla_len) > len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return len == 0 ? NULL : "bytes left over after the last attribute";
}

static void check_data(const struct request *r, const struct cmd_desc *c, const struct nlmsghdr *h)
{
	const struct genlmsghdr *g = NLMSG_DATA(h);
	const uint8_t *p = (const uint8_t *)g + GENL_HDRLEN;
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	const int *s;

	if (h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		die(h, h->nlmsg_len, "data message shorter than a genl header");
	if (g->cmd != c->cmd)
		die(h, h->nlmsg_len, "reply command %u to a %s request", g->cmd, c->name);
	if (g->version != MEMSCOPE_PROTOCOL_VERSION)
		die(h, h->nlmsg_len, "reply version %u", g->version);
	if (!!(h->nlmsg_flags & NLM_F_MULTI) != r->dump)
		die(h, h->nlmsg_len, "NLM_F_MULTI %s on a %s reply",
		    h->nlmsg_flags & NLM_F_MULTI ? "set" : "missing", r->dump ? "dump" : "do");
	if (!admin && c->admin && c->cmd != MEMSCOPE_CMD_GET_PAGES)
		die(h, h->nlmsg_len, "%s answered without CAP_SYS_ADMIN", c->name);
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int t = a->nla_type & NLA_TYPE_MASK, plen = a->nla_len - NLA_HDRLEN;
		enum kind k;
		uint64_t v = 0;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			die(h, h->nlmsg_len, "attribute length %u outside the message", a->nla_len);
		if (t == 0 || t > c->reply_max || c->reply[t] == K_NONE)
			die(h, h->nlmsg_len, "attribute type %d is not in %s's reply", t, c->name);
		k = c->reply[t];
		if ((k == K_U8 && plen != 1) || (k == K_U32 && plen != 4) || (k == K_U64 && plen != 8) ||
		    (k == K_STR && (plen < 1 || ((const char *)a)[NLA_HDRLEN + plen - 1])) ||
		    (k == K_BIN && plen % (int)sizeof(struct memscope_map_block)))
			die(h, h->nlmsg_len, "attribute %d has a bad length %d", t, plen);
		if (k == K_NEST) {	/* nla_nest_start() sets NLA_F_NESTED */
			const char *e = check_stream(p + NLA_HDRLEN, plen, 4);

			if (!(a->nla_type & NLA_F_NESTED))
				die(h, h->nlmsg_len, "nest attribute %d without NLA_F_NESTED", t);
			if (e)
				die(h, h->nlmsg_len, "attribute %d: %s", t, e);
		}
		if (k == K_U64)
			memcpy(&v, p + NLA_HDRLEN, 8);
		if (!admin) {
			for (s = c->secret; *s; s++)
				if (*s == t)
					die(h, h->nlmsg_len, "attribute %d (admin only) sent without CAP_SYS_ADMIN", t);
			if (v >= 0xff00000000000000ULL)
				die(h, h->nlmsg_len, "attribute %d = %#" PRIx64 " looks like a kernel address", t, v);
		}
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	if (len)
		die(h, h->nlmsg_len, "%d bytes left over after the attributes", len);
}

/* Error or DONE payload: errno, then (NLM_F_ACK_TLVS) extack attributes. */
static int check_error(const struct request *r, const struct nlmsghdr *h, bool busy, bool done)
{
	int hdr = done ? (int)sizeof(int) : (int)sizeof(struct nlmsgerr), err, tlv;
	const struct nlmsgerr *e = NLMSG_DATA(h);
	const uint8_t *p;

	if ((int)h->nlmsg_len < (int)NLMSG_LENGTH(hdr))
		die(h, h->nlmsg_len, "%s message too short", done ? "DONE" : "error");
	memcpy(&err, NLMSG_DATA(h), sizeof(err));
	if (err > 0)
		die(h, h->nlmsg_len, "positive error %d", err);
	if (err < 0 && (-err > 255 || !errno_allowed(r, -err, busy)))
		die(h, h->nlmsg_len, "errno %d (%s) is not one this %s request may return", -err,
		    strerror(-err), r->c ? r->c->name : "unknown-command");
	if (!done) {
		if (e->msg.nlmsg_seq != r->seq || e->msg.nlmsg_type != r->type)
			die(h, h->nlmsg_len, "the error echoes another request (seq %u type %u)",
			    e->msg.nlmsg_seq, e->msg.nlmsg_type);
		if (!(h->nlmsg_flags & NLM_F_CAPPED) && err)
			hdr += (int)e->msg.nlmsg_len - (int)sizeof(e->msg);
	}
	tlv = (int)h->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(hdr);
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return err;
	if (tlv < 0)
		die(h, h->nlmsg_len, "NLM_F_ACK_TLVS without room for them");
	p = (const uint8_t *)NLMSG_DATA(h) + NLMSG_ALIGN(hdr);
	while (tlv >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int plen = a->nla_len - NLA_HDRLEN;
		uint32_t off;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > tlv)
			die(h, h->nlmsg_len, "extack attribute length %u out of bounds", a->nla_len);
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (plen < 1 || p[NLA_HDRLEN + plen - 1] || strlen((const char *)p + NLA_HDRLEN) + 1 != (size_t)plen)
				die(h, h->nlmsg_len, "extack message not one NUL-terminated string");
			break;
		case NLMSGERR_ATTR_OFFS:
			memcpy(&off, p + NLA_HDRLEN, 4);
			if (plen != 4 || off < NLMSG_HDRLEN || off >= (uint32_t)r->len)
				die(h, h->nlmsg_len, "extack offset %u outside the %d-byte request", off, r->len);
			break;
		default:
			break;
		}
		tlv -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return err;
}

/* A message of the unfinished dump on @s. */
static void pending_msg(struct sock *s, const struct nlmsghdr *h)
{
	struct request pr = { .c = s->pending_cmd, .type = family, .dump = true,
			      .seq = s->pending, .len = s->pending_len };

	if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
		check_error(&pr, h, false, h->nlmsg_type == NLMSG_DONE);
		s->pending = 0;
	} else if (h->nlmsg_type == family) {
		check_data(&pr, s->pending_cmd, h);
		st.data++;
	} else {
		die(h, h->nlmsg_len, "type %u in a dump", h->nlmsg_type);
	}
}

/*
 * Reads socket @s until the sentinel ack (seq @sentinel) has arrived and the
 * request @r (NULL: none) is complete, checking every message on the way.
 * Messages of the socket's unfinished dump are checked against that dump.
 */
static void drain(struct sock *s, const struct request *r, uint32_t sentinel, bool busy)
{
	bool got_sentinel = false, seen = false, complete = !r;

	if (r)
		last_err = 0;

	while (!got_sentinel || (seen && r->dump && !complete)) {
		int len = recv_one(s->fd, timeout_ms), off = 0;

		if (!len)
			die(NULL, 0, "no %s within %d ms (%s)", got_sentinel ? "end of the dump" : "reply",
			    timeout_ms, r && r->c ? r->c->name : "-");
		while (off + (int)NLMSG_HDRLEN <= len) {
			struct nlmsghdr *h = (struct nlmsghdr *)(rbuf + off);

			if (h->nlmsg_len < NLMSG_HDRLEN || off + (int)h->nlmsg_len > len)
				die(h, len - off, "reply nlmsg_len %u outside the datagram", h->nlmsg_len);
			st.replies++;
			if (h->nlmsg_seq == sentinel) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_type != NLMSG_ERROR || e->error)
					die(h, h->nlmsg_len, "the NOOP sentinel got type %u error %d",
					    h->nlmsg_type, e->error);
				got_sentinel = true;
			} else if (s->pending && h->nlmsg_seq == s->pending) {
				pending_msg(s, h);
			} else if (r && h->nlmsg_seq == r->seq && !complete) {
				int err;

				seen = true;
				if (h->nlmsg_type == NLMSG_ERROR) {
					err = check_error(r, h, busy, false);
					last_err = err;
					complete = true;
					if (err)
						st.err[-err]++;
					else
						st.acks++;
					if (r->c && r->type == family && (r->flags & NLM_F_REQUEST))
						(err ? st.err_by_cmd : st.ok_by_cmd)[r->c - cmds]++;
				} else if (h->nlmsg_type == NLMSG_DONE) {
					if (!r->dump)
						die(h, h->nlmsg_len, "DONE for a do request");
					err = check_error(r, h, busy, true);
					last_err = err;
					complete = true;
					if (err)
						st.err[-err]++;
					if (r->c)
						(err ? st.err_by_cmd : st.ok_by_cmd)[r->c - cmds]++;
				} else if (h->nlmsg_type == family && r->c) {
					check_data(r, r->c, h);
					st.data++;
					if (!r->dump) {
						st.ok_by_cmd[r->c - cmds]++;
						/* An ack may follow (NLM_F_ACK); else this is all. */
						complete = !(r->flags & NLM_F_ACK);
					}
				} else {
					die(h, h->nlmsg_len, "unexpected type %u for the request", h->nlmsg_type);
				}
			} else {
				die(h, h->nlmsg_len, "a message with seq %u nobody asked for (request %u)",
				    h->nlmsg_seq, r ? r->seq : 0);
			}
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
		if (off < len)
			die(rbuf + off, len - off, "%d stray bytes after the last message", len - off);
	}
	if (!r)
		return;
	if (!seen)
		st.noreply++;
	else if (!complete)	/* a do request's reply came, its NLM_F_ACK ack did not */
		die(NULL, 0, "NLM_F_ACK requested, the reply came, the ack did not");
}

static void send_sentinel(struct sock *s, uint32_t seq)
{
	struct nlmsghdr n = {
		.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = seq,
	};

	send_raw(s->fd, &n, sizeof(n));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fuzz_one(struct sock *s)
{
	const struct cmd_desc *c = &cmds[below(NCMDS)];
	bool busy = s->pending != 0;
	struct request r;
	uint32_t seq = ++s->seq;
	double t0 = now_s();

	if (s->seq > 0x7fff0000)
		s->seq = 1;
	build_request(&r, c, seq, false);
	send_raw(s->fd, req_buf, r.len);
	st.sent++;
	s->seq++;
	send_sentinel(s, s->seq);
	drain(s, &r, s->seq, busy);
	if (busy && r.dump && r.c && s->pending)
		st.ebusy++;
	st.secs_by_cmd[c - cmds] += now_s() - t0;
}

/* A clean dump that is started and then left running on @s. */
static void start_dump(struct sock *s)
{
	static const int dumps[] = { MEMSCOPE_CMD_GET_ZONES, MEMSCOPE_CMD_GET_TASK,
				     MEMSCOPE_CMD_GET_TLB, MEMSCOPE_CMD_GET_MAP };
	const struct cmd_desc *c = &cmds[dumps[below(N(dumps))] - 1];
	struct request r;
	struct nlmsghdr *n = (struct nlmsghdr *)req_buf;

	if (s->pending)
		return;
	build_request(&r, c, ++s->seq, true);
	if (c->cmd == MEMSCOPE_CMD_GET_TASK) {	/* our own VMAs: a multi-message dump */
		struct builder b = { .buf = req_buf, .len = NLMSG_LENGTH(GENL_HDRLEN), .cap = 4096 };
		uint32_t pid = (uint32_t)getpid();

		put_attr(&b, MEMSCOPE_TASK_A_PID, &pid, 4, -1);
		put_attr(&b, MEMSCOPE_TASK_A_VMAS, NULL, 0, -1);
		n->nlmsg_len = (uint32_t)b.len;
		r.len = b.len;
		req_len = r.len;
	} else if (c->cmd == MEMSCOPE_CMD_GET_MAP) {	/* 1 GiB: 4 messages */
		struct builder b = { .buf = req_buf, .len = NLMSG_LENGTH(GENL_HDRLEN), .cap = 4096 };
		uint64_t end = 262144;

		put_attr(&b, MEMSCOPE_PAGES_A_END_PFN, &end, 8, -1);
		n->nlmsg_len = (uint32_t)b.len;
		r.len = b.len;
		req_len = r.len;
	}
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	send_raw(s->fd, req_buf, r.len);
	st.sent++;
	s->pending = r.seq;
	s->pending_len = r.len;
	s->pending_cmd = c;
	st.dumps_left++;
}

/* Lets the unfinished dump on @s progress by one read, checking what comes. */
static void read_some(struct sock *s)
{
	if (!s->pending)
		return;
	send_sentinel(s, ++s->seq);
	drain(s, NULL, s->seq, false);
}

static void reopen(struct sock *s, bool count_close)
{
	if (s->fd > 0) {
		close(s->fd);
		if (count_close && s->pending)
			st.closes++;
	}
	s->fd = open_sock(chance(50));
	s->seq = (uint32_t)below(1000) + 1;
	s->pending = 0;
}

/*
 * --probe: one clean request per command (and the admin-only variants),
 * checked like any other; prints "probe NAME ok N" (N data messages) or
 * "probe NAME ERRNONAME".  The unprivileged-user test reads this table.
 */
static void probe_one(const char *name, int cmd, bool dump, uint16_t attr, const void *v, int vlen)
{
	struct nlmsghdr *n = (struct nlmsghdr *)req_buf;
	struct genlmsghdr *g = NLMSG_DATA(n);
	struct builder b = { .buf = req_buf, .len = NLMSG_LENGTH(GENL_HDRLEN), .cap = 4096 };
	struct sock *s = &socks[0];
	struct request r = { .c = &cmds[cmd - 1], .type = family, .gcmd = (uint8_t)cmd,
			     .dump = dump, .valid_shape = true };
	unsigned long data0 = st.data;

	/* A fresh socket: a dump's first skb is then NLMSG_GOODSIZE only. */
	reopen(s, false);
	memset(req_buf, 0, (size_t)b.len);
	if (attr)
		put_attr(&b, attr, v, vlen, -1);
	if (cmd == MEMSCOPE_CMD_GET_TASK && attr != MEMSCOPE_TASK_A_VMAS) {
		put_attr(&b, MEMSCOPE_TASK_A_VMAS, NULL, 0, -1);
	} else if (cmd == MEMSCOPE_CMD_GET_TASK) {
		uint32_t pid = (uint32_t)getpid();

		put_attr(&b, MEMSCOPE_TASK_A_PID, &pid, 4, -1);
	}
	r.flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	r.seq = ++s->seq;
	n->nlmsg_len = (uint32_t)b.len;
	n->nlmsg_type = family;
	n->nlmsg_flags = r.flags;
	n->nlmsg_seq = r.seq;
	g->cmd = (uint8_t)cmd;
	g->version = MEMSCOPE_PROTOCOL_VERSION;
	r.len = r.claimed = req_len = b.len;
	send_raw(s->fd, req_buf, r.len);
	send_sentinel(s, ++s->seq);
	drain(s, &r, s->seq, false);
	if (last_err)
		printf("probe %s %s\n", name, strerrorname_np(-last_err));
	else
		printf("probe %s ok %lu\n", name, st.data - data0);
}

static void probe(void)
{
	uint32_t top = TOP_MAX, self = (uint32_t)getpid(), init = 1;
	uint64_t end = 16384;

	probe_one("GET_INFO", MEMSCOPE_CMD_GET_INFO, false, 0, NULL, 0);
	probe_one("GET_ZONES", MEMSCOPE_CMD_GET_ZONES, true, 0, NULL, 0);
	probe_one("GET_BUDDY", MEMSCOPE_CMD_GET_BUDDY, true, 0, NULL, 0);
	probe_one("GET_TLB", MEMSCOPE_CMD_GET_TLB, true, 0, NULL, 0);
	probe_one("GET_TLB_TOP", MEMSCOPE_CMD_GET_TLB_TOP, false, MEMSCOPE_TLB_A_TOP_N, &top, 4);
	probe_one("TLB_RESET", MEMSCOPE_CMD_TLB_RESET, false, 0, NULL, 0);
	probe_one("GET_PAGES", MEMSCOPE_CMD_GET_PAGES, true, 0, NULL, 0);
	probe_one("GET_PAGES_FLOOR", MEMSCOPE_CMD_GET_PAGES, true, MEMSCOPE_PAGES_A_FLOOR, NULL, 0);
	probe_one("GET_MAP", MEMSCOPE_CMD_GET_MAP, true, MEMSCOPE_PAGES_A_END_PFN, &end, 8);
	probe_one("GET_TASK_SELF", MEMSCOPE_CMD_GET_TASK, true, MEMSCOPE_TASK_A_PID, &self, 4);
	probe_one("GET_TASK_INIT", MEMSCOPE_CMD_GET_TASK, true, MEMSCOPE_TASK_A_PID, &init, 4);
}

/*
 * --flushers N: N short-lived processes, spread over the CPUs, each causing
 * TLB flushes (mmap, touch, munmap), so the module's TLB top table is full.
 */
static void flushers(int n)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int i, j;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(i % (ncpu > 0 ? ncpu : 1), &set);
			sched_setaffinity(0, sizeof(set), &set);
			for (j = 0; j < 20; j++) {
				char *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (p == MAP_FAILED)
					_exit(1);
				memset(p, 1, 65536);
				munmap(p, 65536);
			}
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: fuzz [--seed N] [--count M] [--timeout SECS] [--sockets K] [--verbose] | --probe\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double t0, secs;
	int i;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout_ms = atoi(argv[++i]) * 1000;
		else if (!strcmp(argv[i], "--sockets") && i + 1 < argc)
			nsocks = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else if (!strcmp(argv[i], "--probe"))
			probe_only = true;
		else if (!strcmp(argv[i], "--flushers") && i + 1 < argc) {
			flushers(atoi(argv[++i]));
			return 0;
		}
		else
			usage();
	}
	if (nsocks < 1 || nsocks > MAX_SOCKS || timeout_ms <= 0)
		usage();
	admin = have_cap_sys_admin();
	printf("fuzz: seed %" PRIu64 " count %lu (%s)\n", seed, count,
	       admin ? "CAP_SYS_ADMIN" : "unprivileged");
	fflush(stdout);
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	resolve_family();
	for (i = 0; i < nsocks; i++)
		reopen(&socks[i], false);
	if (probe_only) {
		probe();
		return 0;
	}

	t0 = now_s();
	for (iter = 0; st.sent < count; iter++) {
		struct sock *s = &socks[below((uint32_t)nsocks)];
		uint32_t action = below(1000);

		if (action < 15) {
			start_dump(s);
			if (chance(30))	/* closed before anything is read */
				reopen(s, true);
		} else if (action < 20 && s->pending) {	/* closed after some reading */
			read_some(s);
			reopen(s, true);
		} else if (action < 40) {
			read_some(s);
		} else if (action < 45) {
			reopen(s, true);
		} else {
			fuzz_one(s);
		}
		if (verbose && iter % 10000 == 0)
			fprintf(stderr, "fuzz: %lu messages\n", st.sent);
	}
	for (i = 0; i < nsocks; i++)
		close(socks[i].fd);
	secs = now_s() - t0;

	printf("fuzz: %lu messages in %.1f s (%.0f/s), %lu replies, %lu data messages, %lu acks, "
	       "%lu without reply; %lu dumps left unfinished, %lu sockets closed mid-dump, %lu EBUSY\n",
	       st.sent, secs, st.sent / (secs > 0 ? secs : 1), st.replies, st.data, st.acks, st.noreply,
	       st.dumps_left, st.closes, st.ebusy);
	printf("fuzz: errors:");
	for (i = 1; i < 256; i++)
		if (st.err[i])
			printf(" %s=%lu", strerrorname_np(i) ? strerrorname_np(i) : "?", st.err[i]);
	printf("\nfuzz: answered by command:");
	for (i = 0; i < NCMDS; i++)
		printf(" %s=%lu/%lu", cmds[i].name, st.ok_by_cmd[i], st.ok_by_cmd[i] + st.err_by_cmd[i]);
	printf("\nfuzz: seconds by command:");
	for (i = 0; i < NCMDS; i++)
		printf(" %s=%.1f", cmds[i].name, st.secs_by_cmd[i]);
	printf("\nfuzz: PASS seed %" PRIu64 "\n", seed);
	return 0;
}
