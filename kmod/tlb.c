// SPDX-License-Identifier: GPL-2.0
/*
 * Subject "tlb": TLB flushes counted by reason and CPU from the tlb_flush
 * tracepoint, which the module attaches to while loaded (Debian's kernels
 * have no CONFIG_DEBUG_TLBFLUSH counters), plus the shootdown IPIs each CPU
 * received (/proc/interrupts' TLB line) and the processes causing flushes.
 *
 * Hot path: per-CPU counters only (this_cpu ops), no locks or atomics.  The
 * per-CPU top table is updated under a per-CPU sequence count so readers on
 * other CPUs copy consistent slots.  Only task context updates it (flushes from
 * interrupts, the shootdown IPI's among them, are not attributed to a
 * process) and the probe runs with preemption off, so no other writer can
 * run on that CPU meanwhile: interrupts stay on.  Reset never writes another
 * CPU's data: counters are reported against a baseline, and top tables clear
 * themselves on their own CPU when they see a new epoch.
 */
#include <linux/cpumask.h>
#include <linux/hardirq.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/tracepoint.h>
#include <asm/tlbflush.h>

#include "memscope.h"

#define MS_TLB_SLOTS	32	/* processes tracked per CPU (space-saving) */
struct ms_tlb_pcpu {
	u64 flushes[MS_TLB_NR_REASONS];
	u64 full[MS_TLB_NR_REASONS];	/* TLB_FLUSH_ALL */
	u64 pages[MS_TLB_NR_REASONS];	/* pages of ranged flushes */
	seqcount_t seq;
	unsigned int epoch;
	unsigned int last;
	struct ms_tlb_slot slots[MS_TLB_SLOTS];
};

static DEFINE_PER_CPU(struct ms_tlb_pcpu, ms_tlb);
static struct tracepoint *ms_tlb_tp;
static unsigned int ms_tlb_epoch;
static DEFINE_MUTEX(ms_tlb_reset_lock);
/* Baseline subtracted from the counters since the last reset, per CPU. */
static struct ms_tlb_cpu_rec *ms_tlb_base;

/* Flushes a process causes: its own local flushes and the IPIs it sends. */
static bool ms_tlb_attributable(int reason)
{
	return reason == TLB_LOCAL_SHOOTDOWN || reason == TLB_LOCAL_MM_SHOOTDOWN ||
	       reason == TLB_REMOTE_SEND_IPI;
}

static struct ms_tlb_slot *ms_tlb_slot_for(struct ms_tlb_pcpu *c, pid_t tgid)
{
	struct ms_tlb_slot *min = &c->slots[0];
	unsigned int i;

	if (c->slots[c->last].tgid == tgid)
		return &c->slots[c->last];
	for (i = 0; i < MS_TLB_SLOTS; i++) {
		if (c->slots[i].tgid == tgid) {
			c->last = i;
			return &c->slots[i];
		}
		if (c->slots[i].total < min->total)
			min = &c->slots[i];
	}
	/* Space-saving: the newcomer inherits the evicted count as its error. */
	min->tgid = tgid;
	memcpy(min->comm, current->comm, TASK_COMM_LEN);
	memset(min->count, 0, sizeof(min->count));
	c->last = min - c->slots;
	return min;
}

static void ms_tlb_attribute(struct ms_tlb_pcpu *c, int reason)
{
	unsigned int epoch = READ_ONCE(ms_tlb_epoch);
	struct ms_tlb_slot *s;

	raw_write_seqcount_begin(&c->seq);
	if (c->epoch != epoch) {
		memset(c->slots, 0, sizeof(c->slots));
		c->epoch = epoch;
	}
	s = ms_tlb_slot_for(c, current->tgid);
	s->count[reason]++;
	s->total++;
	raw_write_seqcount_end(&c->seq);
}

static void ms_tlb_probe(void *data, int reason, unsigned long pages)
{
	if (unlikely((unsigned int)reason >= MS_TLB_NR_REASONS))
		return;
	/* this_cpu ops: one instruction each, safe against the flush IPI's probe */
	this_cpu_inc(ms_tlb.flushes[reason]);
	if (pages == TLB_FLUSH_ALL)
		this_cpu_inc(ms_tlb.full[reason]);
	else
		this_cpu_add(ms_tlb.pages[reason], pages);
	if (ms_tlb_attributable(reason) && current->pid && !in_interrupt())
		ms_tlb_attribute(this_cpu_ptr(&ms_tlb), reason);
}

static void ms_tlb_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "tlb_flush"))
		*(struct tracepoint **)priv = tp;
}

int ms_tlb_init(void)
{
	int cpu, err;

	for_each_possible_cpu(cpu)
		seqcount_init(&per_cpu_ptr(&ms_tlb, cpu)->seq);
	ms_tlb_base = kcalloc(nr_cpu_ids, sizeof(*ms_tlb_base), GFP_KERNEL);
	if (!ms_tlb_base)
		return -ENOMEM;
	for_each_kernel_tracepoint(ms_tlb_find, &ms_tlb_tp);
	if (!ms_tlb_tp) {
		pr_info("memscope: no tlb_flush tracepoint in this kernel: TLB counting off\n");
		return 0;
	}
	err = tracepoint_probe_register(ms_tlb_tp, ms_tlb_probe, NULL);
	if (err) {
		pr_warn("memscope: cannot attach to tlb_flush (%d): TLB counting off\n", err);
		ms_tlb_tp = NULL;
	}
	return 0;
}

void ms_tlb_exit(void)
{
	if (ms_tlb_tp) {
		tracepoint_probe_unregister(ms_tlb_tp, ms_tlb_probe, NULL);
		/* No probe may still run on another CPU once the module text goes. */
		tracepoint_synchronize_unregister();
	}
	kfree(ms_tlb_base);
}

bool ms_tlb_counting(void)
{
	return ms_tlb_tp;
}

static void ms_tlb_raw(int cpu, struct ms_tlb_cpu_rec *r)
{
	struct ms_tlb_pcpu *c = per_cpu_ptr(&ms_tlb, cpu);
	unsigned int i;

	r->cpu = cpu;
	for (i = 0; i < MS_TLB_NR_REASONS; i++) {
		r->flushes[i] = READ_ONCE(c->flushes[i]);
		r->full[i] = READ_ONCE(c->full[i]);
		r->pages[i] = READ_ONCE(c->pages[i]);
	}
#ifdef CONFIG_SMP
	r->ipis = READ_ONCE(per_cpu(irq_stat, cpu).irq_tlb_count);
#endif
}

/* Counters of @cpu since the last reset. */
void ms_tlb_collect_cpu(int cpu, struct ms_tlb_cpu_rec *r)
{
	const struct ms_tlb_cpu_rec *b = &ms_tlb_base[cpu];
	unsigned int i;

	ms_tlb_raw(cpu, r);
	for (i = 0; i < MS_TLB_NR_REASONS; i++) {
		r->flushes[i] -= b->flushes[i];
		r->full[i] -= b->full[i];
		r->pages[i] -= b->pages[i];
	}
	r->ipis -= b->ipis;
}

void ms_tlb_reset(void)
{
	int cpu;

	mutex_lock(&ms_tlb_reset_lock);
	for_each_possible_cpu(cpu)
		ms_tlb_raw(cpu, &ms_tlb_base[cpu]);
	WRITE_ONCE(ms_tlb_epoch, ms_tlb_epoch + 1);
	mutex_unlock(&ms_tlb_reset_lock);
}

static int ms_tlb_top_cmp(const void *a, const void *b)
{
	const struct ms_tlb_slot *x = a, *y = b;

	return x->total < y->total ? 1 : x->total > y->total ? -1 : 0;
}

/*
 * A slot keeps the name its process had at its first flush, which for a
 * process started from a shell is often still the shell's: fork flushes
 * before exec renames it.  Show the name it has now while it lives.
 */
static void ms_tlb_current_comm(struct ms_tlb_slot *s)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(find_pid_ns(s->tgid, &init_pid_ns), PIDTYPE_TGID);
	if (task)
		get_task_comm(s->comm, task);
	rcu_read_unlock();
}

/*
 * Merges every CPU's table by process into @out (at most @max entries,
 * most flushes first); returns the number of entries.
 */
int ms_tlb_collect_top(struct ms_tlb_slot *out, int max, struct ms_impact *im)
{
	unsigned int epoch = READ_ONCE(ms_tlb_epoch), i, r;
	struct ms_tlb_slot *all, snap;
	int cpu, n = 0, j;

	all = kcalloc(nr_cpu_ids * MS_TLB_SLOTS, sizeof(*all), GFP_KERNEL);
	if (!all)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		struct ms_tlb_pcpu *c = per_cpu_ptr(&ms_tlb, cpu);

		for (i = 0; i < MS_TLB_SLOTS; i++) {
			unsigned int seq;

			do {
				seq = read_seqcount_begin(&c->seq);
				snap = c->slots[i];
			} while (read_seqcount_retry(&c->seq, seq));
			if (READ_ONCE(c->epoch) != epoch || !snap.tgid || !snap.total)
				continue;
			for (j = 0; j < n && all[j].tgid != snap.tgid; j++)
				;
			if (j == n)
				all[n++] = snap;
			else
				for (r = 0; r < MS_TLB_NR_REASONS; r++)
					all[j].count[r] += snap.count[r];
			for (r = 0, all[j].total = 0; r < MS_TLB_NR_REASONS; r++)
				all[j].total += all[j].count[r];
		}
		/* The merge is quadratic in CPUs: one CPU's slots per stretch. */
		ms_impact_resched(im);
	}
	sort(all, n, sizeof(*all), ms_tlb_top_cmp, NULL);
	n = min(n, max);
	for (j = 0; j < n; j++)
		ms_tlb_current_comm(&all[j]);
	memcpy(out, all, n * sizeof(*out));
	kfree(all);
	return n;
}

static int ms_tlb_put_impact(struct sk_buff *skb, struct ms_impact *im)
{
	return ms_impact_put(skb, im, MEMSCOPE_TLB_A_IRQOFF_MAX_NS,
			     MEMSCOPE_TLB_A_RESCHED_MAX_NS, MEMSCOPE_TLB_A_PAD);
}

static int ms_tlb_put_arrays(struct sk_buff *skb, const struct ms_tlb_cpu_rec *r)
{
	if (nla_put_u32(skb, MEMSCOPE_TLB_A_CPU, r->cpu) ||
	    ms_nl_put_u64_array(skb, MEMSCOPE_TLB_A_FLUSHES, r->flushes, MS_TLB_NR_REASONS) ||
	    ms_nl_put_u64_array(skb, MEMSCOPE_TLB_A_FULL, r->full, MS_TLB_NR_REASONS) ||
	    ms_nl_put_u64_array(skb, MEMSCOPE_TLB_A_PAGES, r->pages, MS_TLB_NR_REASONS) ||
	    nla_put_u64_64bit(skb, MEMSCOPE_TLB_A_IPIS, r->ipis, MEMSCOPE_TLB_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static bool ms_tlb_check(struct netlink_ext_ack *extack)
{
	if (ms_tlb_counting())
		return true;
	NL_SET_ERR_MSG(extack, "the tlb_flush tracepoint is not available in this kernel");
	return false;
}

/* cb->args[0]: next CPU. */
int ms_tlb_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ms_tlb_cpu_rec r;
	int cpu = cb->args[0];
	struct ms_impact im;
	void *hdr;

	if (!ms_tlb_check(cb->extack))
		return -EOPNOTSUPP;
	ms_impact_begin(&im);
	for (; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_online(cpu))
			continue;
		ms_tlb_collect_cpu(cpu, &r);
		hdr = ms_nl_dump_put(skb, cb, MEMSCOPE_CMD_GET_TLB);
		if (!hdr)
			break;
		if (ms_tlb_put_arrays(skb, &r) || ms_tlb_put_impact(skb, &im)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = cpu + 1;
		ms_impact_resched(&im);
	}
	return ms_nl_dump_end(skb, cpu < nr_cpu_ids ? &r : NULL);
}

static int ms_tlb_put_top(struct sk_buff *skb, const struct ms_tlb_slot *top, int n)
{
	struct nlattr *procs, *proc;
	int i;

	procs = nla_nest_start(skb, MEMSCOPE_TLB_A_PROCS);
	if (!procs)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		proc = nla_nest_start(skb, MEMSCOPE_ARRAY_A_ITEM);
		if (!proc || nla_put_u32(skb, MEMSCOPE_TLB_PROC_A_TGID, top[i].tgid) ||
		    nla_put_string(skb, MEMSCOPE_TLB_PROC_A_COMM, top[i].comm) ||
		    ms_nl_put_u64_array(skb, MEMSCOPE_TLB_PROC_A_FLUSHES, top[i].count,
					MS_TLB_NR_REASONS))
			return -EMSGSIZE;
		nla_nest_end(skb, proc);
	}
	nla_nest_end(skb, procs);
	return 0;
}

/* 64 processes take about 6 KiB: more than NLMSG_GOODSIZE. */
static size_t ms_tlb_top_size(int n)
{
	size_t proc = nla_total_size(0) + nla_total_size(sizeof(u32)) +
		      nla_total_size(TASK_COMM_LEN) + nla_total_size(0) +
		      MS_TLB_NR_REASONS * nla_total_size_64bit(sizeof(u64));

	return nla_total_size(0) + n * proc;
}

int ms_tlb_nl_top(struct sk_buff *skb, struct genl_info *info)
{
	int want = 10, n, err = -ENOMEM;
	struct ms_tlb_slot *top;
	struct ms_impact im;
	struct sk_buff *msg;
	void *hdr;

	if (!ms_tlb_check(info->extack))
		return -EOPNOTSUPP;
	ms_impact_begin(&im);
	if (info->attrs[MEMSCOPE_TLB_A_TOP_N])
		want = nla_get_u32(info->attrs[MEMSCOPE_TLB_A_TOP_N]);
	top = kcalloc(want, sizeof(*top), GFP_KERNEL);
	if (!top)
		return -ENOMEM;
	n = ms_tlb_collect_top(top, want, &im);
	if (n < 0)
		goto out;
	msg = genlmsg_new(ms_tlb_top_size(n), GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &ms_family, 0, MEMSCOPE_CMD_GET_TLB_TOP);
	if (!hdr || ms_tlb_put_top(msg, top, n) || ms_tlb_put_impact(msg, &im)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	kfree(top);
	return err;
}

int ms_tlb_nl_reset(struct sk_buff *skb, struct genl_info *info)
{
	if (!ms_nl_admin(skb)) {
		NL_SET_ERR_MSG(info->extack, "resetting TLB counters needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (!ms_tlb_check(info->extack))
		return -EOPNOTSUPP;
	ms_tlb_reset();
	return 0;
}

int ms_tlb_show(struct seq_file *m, void *v)
{
	struct ms_tlb_slot *top;
	struct ms_tlb_cpu_rec r;
	struct ms_impact im;
	unsigned int i;
	int cpu, n;

	if (!ms_tlb_counting()) {
		seq_puts(m, "tlb_flush tracepoint not available: not counting\n");
		return 0;
	}
	seq_printf(m, "%-5s", "cpu");
	for (i = 0; i < MS_TLB_NR_REASONS; i++)
		seq_printf(m, " %18s", ms_tlb_reason_names[i]);
	seq_printf(m, " %14s\n", "shootdown_ipis");
	for_each_online_cpu(cpu) {
		ms_tlb_collect_cpu(cpu, &r);
		seq_printf(m, "%-5d", cpu);
		for (i = 0; i < MS_TLB_NR_REASONS; i++)
			seq_printf(m, " %18llu", r.flushes[i]);
		seq_printf(m, " %14llu\n", r.ipis);
	}
	top = kcalloc(MS_TLB_TOP_MAX, sizeof(*top), GFP_KERNEL);
	if (!top)
		return -ENOMEM;
	ms_impact_begin(&im);
	n = ms_tlb_collect_top(top, 10, &im);
	seq_puts(m, "\ntop processes (local flushes + IPIs sent)\n");
	for (i = 0; n > 0 && i < n; i++)
		seq_printf(m, "%8d %-16s %llu\n", top[i].tgid, top[i].comm, top[i].total);
	kfree(top);
	return 0;
}
