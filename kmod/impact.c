// SPDX-License-Identifier: GPL-2.0
/*
 * What a request costs the rest of the system, measured by the request
 * itself (docs/impact.md): the longest stretch with interrupts off (only
 * memscope's own irq-disabled sections, i.e. buddy's zone->lock holds, wait
 * for the lock included) and the longest stretch between two reschedule
 * points (the start of the request, each cond_resched() of the walks, the
 * end).  Every reply message carries both, as measured up to that message.
 */
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include "memscope.h"

void ms_impact_begin(struct ms_impact *im)
{
	im->irqoff_max_ns = 0;
	im->resched_max_ns = 0;
	im->since = local_clock();
}

static void ms_impact_close(struct ms_impact *im)
{
	u64 stretch = local_clock() - im->since;

	if (stretch > im->resched_max_ns)
		im->resched_max_ns = stretch;
}

/* A reschedule point: ends the current stretch, cond_resched(), starts the next. */
void ms_impact_resched(struct ms_impact *im)
{
	ms_impact_close(im);
	cond_resched();
	im->since = local_clock();
}

void ms_impact_irqoff(struct ms_impact *im, u64 ns)
{
	if (ns > im->irqoff_max_ns)
		im->irqoff_max_ns = ns;
}

/* Puts both maxima, the current stretch counted up to now. */
int ms_impact_put(struct sk_buff *skb, struct ms_impact *im, int irqoff_attr,
		  int resched_attr, int pad_attr)
{
	ms_impact_close(im);
	if (nla_put_u64_64bit(skb, irqoff_attr, im->irqoff_max_ns, pad_attr) ||
	    nla_put_u64_64bit(skb, resched_attr, im->resched_max_ns, pad_attr))
		return -EMSGSIZE;
	return 0;
}
