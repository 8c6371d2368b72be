// SPDX-License-Identifier: GPL-2.0
/* The "memscope" generic-netlink family: policies, operations, helpers. */
#include <linux/capability.h>
#include <linux/netlink.h>

#include "memscope.h"

/* GET_INFO takes no attributes: strict validation rejects any. */
static const struct nla_policy ms_info_policy[MEMSCOPE_INFO_A_MAX + 1] = {};

static const struct nla_policy ms_zone_policy[MEMSCOPE_ZONE_A_MAX + 1] = {
	[MEMSCOPE_ZONE_A_NODE] = NLA_POLICY_MAX(NLA_U32, MAX_NUMNODES - 1),
	[MEMSCOPE_ZONE_A_NAME] = { .type = NLA_NUL_STRING, .len = 31 },
};

static const struct nla_policy ms_tlb_policy[MEMSCOPE_TLB_A_MAX + 1] = {
	[MEMSCOPE_TLB_A_TOP_N] = NLA_POLICY_RANGE(NLA_U32, 1, MS_TLB_TOP_MAX),
};

static const struct nla_policy ms_pages_policy[MEMSCOPE_PAGES_A_MAX + 1] = {
	[MEMSCOPE_PAGES_A_NODE] = NLA_POLICY_MAX(NLA_U32, MAX_NUMNODES - 1),
	[MEMSCOPE_PAGES_A_ZONE] = { .type = NLA_NUL_STRING, .len = 31 },
	[MEMSCOPE_PAGES_A_FLOOR] = { .type = NLA_FLAG },
	[MEMSCOPE_PAGES_A_START_PFN] = { .type = NLA_U64 },
	[MEMSCOPE_PAGES_A_END_PFN] = { .type = NLA_U64 },
};

static const struct nla_policy ms_task_policy[MEMSCOPE_TASK_A_MAX + 1] = {
	[MEMSCOPE_TASK_A_PID] = NLA_POLICY_MIN(NLA_U32, 1),
	[MEMSCOPE_TASK_A_START] = { .type = NLA_U64 },
	[MEMSCOPE_TASK_A_END] = { .type = NLA_U64 },
	[MEMSCOPE_TASK_A_VMAS] = { .type = NLA_FLAG },
};

static const struct genl_ops ms_ops[] = {
	{
		.cmd = MEMSCOPE_CMD_GET_INFO,
		.doit = ms_info_nl_get,
		.policy = ms_info_policy,
		.maxattr = MEMSCOPE_INFO_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_GET_ZONES,
		.start = ms_zones_nl_start,
		.dumpit = ms_zones_nl_dump,
		.policy = ms_zone_policy,
		.maxattr = MEMSCOPE_ZONE_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_GET_BUDDY,
		.dumpit = ms_buddy_nl_dump,
		.policy = ms_zone_policy,
		.maxattr = MEMSCOPE_ZONE_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_GET_TLB,
		.dumpit = ms_tlb_nl_dump,
		.policy = ms_tlb_policy,
		.maxattr = MEMSCOPE_TLB_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_GET_TLB_TOP,
		.doit = ms_tlb_nl_top,
		.policy = ms_tlb_policy,
		.maxattr = MEMSCOPE_TLB_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_TLB_RESET,
		.doit = ms_tlb_nl_reset,
		.policy = ms_tlb_policy,
		.maxattr = MEMSCOPE_TLB_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_GET_PAGES,
		.dumpit = ms_pages_nl_dump,
		.policy = ms_pages_policy,
		.maxattr = MEMSCOPE_PAGES_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_GET_MAP,
		.dumpit = ms_map_nl_dump,
		.policy = ms_pages_policy,
		.maxattr = MEMSCOPE_PAGES_A_MAX,
	},
	{
		.cmd = MEMSCOPE_CMD_GET_TASK,
		.dumpit = ms_task_nl_dump,
		.done = ms_task_nl_done,
		.policy = ms_task_policy,
		.maxattr = MEMSCOPE_TASK_A_MAX,
	},
};

struct genl_family ms_family __ro_after_init = {
	.name = MEMSCOPE_GENL_NAME,
	.version = MEMSCOPE_PROTOCOL_VERSION,
	.module = THIS_MODULE,
	.ops = ms_ops,
	.n_ops = ARRAY_SIZE(ms_ops),
	.parallel_ops = true,
};

/*
 * Physical layout is sensitive: decide on the credentials of whoever opened
 * the socket, as /proc/PID/pagemap does, not on the current task's.
 */
bool ms_nl_admin(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN);
}

void *ms_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ms_family, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/*
 * End one dumpit pass.  @unsent is the object that did not fit; if not even
 * one message fit an empty skb the dump can never progress: fail it.
 */
int ms_nl_dump_end(struct sk_buff *skb, const void *unsent)
{
	if (unsent && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

int ms_nl_put_u64_array(struct sk_buff *skb, int attr, const u64 *v, int n)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (nla_put_u64_64bit(skb, MEMSCOPE_ARRAY_A_ITEM, v[i],
				      MEMSCOPE_ARRAY_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

int ms_nl_put_names(struct sk_buff *skb, int attr, const char * const *names, int n)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (nla_put_string(skb, MEMSCOPE_NAME_A_NAME, names[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

int ms_netlink_init(void)
{
	return genl_register_family(&ms_family);
}

void ms_netlink_exit(void)
{
	genl_unregister_family(&ms_family);
}
