// SPDX-License-Identifier: GPL-2.0
/*
 * splatgen: provokes one kind of debug-kernel report per load, so that
 * tests/splats/ holds real console text to check tests/vm/splats.sh against.
 * Test code only, never shipped: `insmod splatgen.ko what=NAME` reports and
 * fails the load with -EAGAIN (nothing stays loaded, except the kmemleak
 * object it leaks on purpose).
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mmdebug.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static char *what = "";
module_param(what, charp, 0);

static DEFINE_MUTEX(splat_a);
static DEFINE_MUTEX(splat_b);
static int __rcu *splat_rcu_ptr;
static void *splat_leak;

static noinline void splat_kasan(void)
{
	char *p = kmalloc(16, GFP_KERNEL);

	if (p)
		((volatile char *)p)[16] = 1;
	kfree(p);
}

static noinline void splat_ubsan(void)
{
	volatile int shift = 40;
	volatile int one = 1;

	pr_info("splatgen: %d\n", one << shift);
}

static noinline void splat_lockdep(void)
{
	mutex_lock(&splat_a);
	mutex_lock(&splat_b);
	mutex_unlock(&splat_b);
	mutex_unlock(&splat_a);
	mutex_lock(&splat_b);
	mutex_lock(&splat_a);
	mutex_unlock(&splat_a);
	mutex_unlock(&splat_b);
}

static noinline void splat_rcu(void)
{
	pr_info("splatgen: %p\n", rcu_dereference(splat_rcu_ptr));
}

static noinline void splat_atomic_sleep(void)
{
	preempt_disable();
	might_sleep();
	preempt_enable();
}

static noinline void splat_kmemleak(void)
{
	splat_leak = kmalloc(128, GFP_KERNEL);
	splat_leak = NULL;
}

static noinline void splat_busy(unsigned int ms)
{
	preempt_disable();
	mdelay(ms);
	preempt_enable();
}

static noinline void splat_vm_bug(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	VM_BUG_ON_PAGE(page, page);
}

static int __init splatgen_init(void)
{
	if (!strcmp(what, "kasan"))
		splat_kasan();
	else if (!strcmp(what, "ubsan"))
		splat_ubsan();
	else if (!strcmp(what, "lockdep"))
		splat_lockdep();
	else if (!strcmp(what, "rcu"))
		splat_rcu();
	else if (!strcmp(what, "atomic-sleep"))
		splat_atomic_sleep();
	else if (!strcmp(what, "kmemleak"))
		splat_kmemleak();
	else if (!strcmp(what, "hung-task"))
		msleep(8000);
	else if (!strcmp(what, "busy"))
		splat_busy(8000);
	else if (!strcmp(what, "vm-bug"))
		splat_vm_bug();
	else
		return -EINVAL;
	return -EAGAIN;
}

module_init(splatgen_init);
MODULE_LICENSE("GPL");
