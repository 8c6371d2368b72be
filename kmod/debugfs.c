// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only text view under /sys/kernel/debug/memscope/.  Files are 0400 or
 * 0444 single-open seq_files with no write, ioctl or mmap, so they stay
 * readable under lockdown=integrity.  Debugfs is optional: netlink is the
 * primary interface, and a failure here does not fail the module.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>

#include "memscope.h"

struct ms_debugfs_file {
	const char *name;
	umode_t mode;
	int (*show)(struct seq_file *m, void *v);
};

static const struct ms_debugfs_file ms_files[] = {
	{ "info", 0444, ms_info_show },
	{ "zones", 0400, ms_zones_show },
	{ "buddy", 0400, ms_buddy_show },
	{ "tlb", 0444, ms_tlb_show },
	{ "pages", 0400, ms_pages_show },
	{ "map", 0400, ms_map_show },
};

static struct dentry *ms_dir;

static int ms_debugfs_open(struct inode *inode, struct file *file)
{
	const struct ms_debugfs_file *f = inode->i_private;

	return single_open(file, f->show, NULL);
}

static const struct file_operations ms_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = ms_debugfs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

void ms_debugfs_init(void)
{
	int i;

	ms_dir = debugfs_create_dir("memscope", NULL);
	for (i = 0; i < ARRAY_SIZE(ms_files); i++)
		debugfs_create_file(ms_files[i].name, ms_files[i].mode, ms_dir,
				    (void *)&ms_files[i], &ms_debugfs_fops);
}

void ms_debugfs_exit(void)
{
	debugfs_remove_recursive(ms_dir);
}
