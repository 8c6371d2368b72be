// SPDX-License-Identifier: GPL-2.0
/*
 * memscope: a read-only observatory of the kernel's memory management.
 * Each subject (zones, buddy, ...) is collected by one file and shown
 * through two views: the "memscope" generic-netlink family and debugfs.
 */
#include <linux/module.h>

#include "memscope.h"

static int __init memscope_init(void)
{
	int err;

	err = ms_tlb_init();
	if (err)
		return err;
	err = ms_netlink_init();
	if (err) {
		ms_tlb_exit();
		return err;
	}
	ms_debugfs_init();
	return 0;
}

static void __exit memscope_exit(void)
{
	/* Netlink first: in-flight dumps hold a module reference until they end. */
	ms_netlink_exit();
	ms_debugfs_exit();
	ms_tlb_exit();
}

module_init(memscope_init);
module_exit(memscope_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("memscope developers");
MODULE_DESCRIPTION("Memory observatory: zones, buddy lists, pages, page tables, TLB");
MODULE_VERSION(MEMSCOPE_VERSION);
MODULE_ALIAS_GENL_FAMILY(MEMSCOPE_GENL_NAME);
