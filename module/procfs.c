// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/miniproc: the process table as text, like xv6's procdump (^P).
 * Readable by anyone, as ps is; it shows no kernel addresses.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "miniproc.h"

#define MINIPROC_PROC_NAME	"miniproc"

static int miniproc_procdump_show(struct seq_file *m, void *v)
{
	struct miniproc_viewer viewer;
	struct miniproc_info info;
	struct miniproc *p;

	seq_printf(m, "%-7s %-7s %-6s %-9s %-10s %-4s %-14s %s\n", "PID",
		   "PPID", "UID", "STATE", "CHAN", "CPU", "RUNTIME_NS", "NAME");
	miniproc_viewer_init(&viewer);
	mutex_lock(&miniproc_table.lock);
	list_for_each_entry(p, &miniproc_table.used, used_node) {
		if (miniproc_is_reaping(p))
			continue;
		miniproc_fill_info(p, &viewer, &info);
		seq_printf(m, "%-7d %-7d %-6u %-9s %-10s %-4d %-14llu %s\n",
			   info.pid, info.ppid, info.uid,
			   miniproc_state_name(info.state),
			   info.chan[0] ? info.chan : "-", info.cpu,
			   info.runtime_ns, info.name);
	}
	mutex_unlock(&miniproc_table.lock);
	return 0;
}

/**
 * miniproc_procfs_init() - create /proc/miniproc
 *
 * Return: 0 or -ENOMEM.
 */
int miniproc_procfs_init(void)
{
	if (!proc_create_single(MINIPROC_PROC_NAME, 0444, NULL,
				miniproc_procdump_show))
		return -ENOMEM;
	return 0;
}

/**
 * miniproc_procfs_exit() - remove /proc/miniproc; waits for its readers
 */
void miniproc_procfs_exit(void)
{
	remove_proc_entry(MINIPROC_PROC_NAME, NULL);
}
