// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc: the process abstraction of an operating-systems course, with
 * kernel threads for bodies. Module parameters, load and unload.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "miniproc.h"

#define MINIPROC_NPROC_DEFAULT		64
#define MINIPROC_NPROC_MAX		65536
#define MINIPROC_MAX_PER_UID_DEFAULT	32
#define MINIPROC_MAX_READERS_PER_UID_DEFAULT	64
/* As the kernel's PID_MAX_LIMIT on 64-bit, which systemd sets pid_max to. */
#define MINIPROC_PID_MAX_DEFAULT	4194304

unsigned int miniproc_nproc = MINIPROC_NPROC_DEFAULT;
unsigned int miniproc_max_per_uid = MINIPROC_MAX_PER_UID_DEFAULT;
unsigned int miniproc_max_readers_per_uid = MINIPROC_MAX_READERS_PER_UID_DEFAULT;
unsigned int miniproc_pid_max = MINIPROC_PID_MAX_DEFAULT;

/* The counts, table slots and processes or readers per user, are 1..65536. */
static int miniproc_param_set_count(const char *val,
				    const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, MINIPROC_NPROC_MAX);
}

static const struct kernel_param_ops miniproc_count_ops = {
	.set = miniproc_param_set_count,
	.get = param_get_uint,
};

module_param_cb(nproc, &miniproc_count_ops, &miniproc_nproc, 0444);
MODULE_PARM_DESC(nproc, "Slots in the process table, fixed at load (1-65536, default 64)");

module_param_cb(max_per_uid, &miniproc_count_ops, &miniproc_max_per_uid, 0644);
MODULE_PARM_DESC(max_per_uid, "Live mini-processes one user may have (1-65536, default 32)");

module_param_cb(max_readers_per_uid, &miniproc_count_ops,
		&miniproc_max_readers_per_uid, 0644);
MODULE_PARM_DESC(max_readers_per_uid, "Files one user may read events from at once (1-65536, default 64)");

/* A pid is a pid_t; init's is below every user's. */
static int miniproc_param_set_pid_max(const char *val,
				      const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, MINIPROC_INIT_PID + 1, INT_MAX);
}

static const struct kernel_param_ops miniproc_pid_max_ops = {
	.set = miniproc_param_set_pid_max,
	.get = param_get_uint,
};

module_param_cb(pid_max, &miniproc_pid_max_ops, &miniproc_pid_max, 0444);
MODULE_PARM_DESC(pid_max, "Largest pid, fixed at load: pids wrap after it and are reused (nproc+1 to 2147483647, default 4194304)");

bool miniproc_admin_exempt;
module_param_named(admin_exempt, miniproc_admin_exempt, bool, 0644);
MODULE_PARM_DESC(admin_exempt, "CAP_SYS_ADMIN is not held to max_per_uid (default N)");

bool miniproc_restrict_create;
module_param_named(restrict_create, miniproc_restrict_create, bool, 0644);
MODULE_PARM_DESC(restrict_create, "Only CAP_SYS_ADMIN may create mini-processes (default N)");

/*
 * Users' pids run from MINIPROC_INIT_PID + 1 to pid_max: enough of them for
 * a full table, so that a free slot always finds a free pid.
 */
static int __init miniproc_check_pid_max(void)
{
	if (miniproc_pid_max - MINIPROC_INIT_PID >= miniproc_nproc)
		return 0;
	pr_err("pid_max=%u leaves no pid for a full table of nproc=%u: it must be at least %u\n",
	       miniproc_pid_max, miniproc_nproc,
	       miniproc_nproc + MINIPROC_INIT_PID);
	return -EINVAL;
}

static int __init miniproc_module_init(void)
{
	int ret;

	ret = miniproc_check_pid_max();
	if (ret)
		goto err_out;
	ret = miniproc_events_init();
	if (ret)
		goto err_out;
	ret = miniproc_table_init(miniproc_nproc, miniproc_pid_max);
	if (ret)
		goto err_events_exit;
	/* The hooks first: init's kthread registers its notifier as it starts. */
	ret = miniproc_sched_init(miniproc_kthread);
	if (ret)
		goto err_free_table;
	ret = miniproc_proc_init();
	if (ret)
		goto err_sched_exit;
	ret = miniproc_procfs_init();
	if (ret)
		goto err_kill_all;
	ret = miniproc_dev_init();
	if (ret)
		goto err_procfs_exit;
	pr_info("loaded: %u slots, pids up to %u, ABI %u\n", miniproc_nproc,
		miniproc_pid_max, MINIPROC_ABI_VERSION);
	return 0;

err_procfs_exit:
	miniproc_procfs_exit();
err_kill_all:
	miniproc_kill_all();
	miniproc_proc_exit();
err_sched_exit:
	miniproc_sched_exit();
err_free_table:
	miniproc_table_exit();
err_events_exit:
	miniproc_events_exit();
err_out:
	return ret;
}

static void __exit miniproc_module_exit(void)
{
	miniproc_dev_exit();
	miniproc_procfs_exit();
	miniproc_kill_all();
	miniproc_proc_exit();
	miniproc_sched_exit();
	miniproc_table_exit();
	miniproc_events_exit();
	pr_info("unloaded\n");
}

module_init(miniproc_module_init);
module_exit(miniproc_module_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The miniproc developers");
MODULE_DESCRIPTION("xv6-style mini-processes backed by kernel threads");
MODULE_VERSION(MINIPROC_VERSION);
