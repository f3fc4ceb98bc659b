// SPDX-License-Identifier: GPL-2.0
/*
 * miniproc_bench: plain kernel threads doing what miniproc's do, for
 * miniproc-bench to measure miniproc against. See miniproc_bench.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "miniproc_bench.h"

/* A spinner spins this long between two cond_resched(), as the cpu op does. */
#define BENCH_SLICE_NS		NSEC_PER_MSEC

/* The spinners' name, "mpbench-spin/N": miniproc-bench finds them by it. */
#define BENCH_SPIN_NAME		"mpbench-spin"

/* Most iterations one LIFECYCLE or YIELD call may ask for. */
#define BENCH_MAX_ITERS		1000000

/* The running spinners; bench_lock serialises every ioctl. */
static DEFINE_MUTEX(bench_lock);
static struct task_struct **bench_spinners;
static unsigned int bench_nr_spinners;
/* Tells every spinner to end at once, before each is kthread_stop()ed. */
static bool bench_spin_ending;

static int bench_exit_at_once(void *data)
{
	return 0;
}

/* kthread_create() + wake + kthread_stop(), @n times, as miniproc does. */
static int bench_lifecycle(struct miniproc_bench_arg *a)
{
	u64 start = local_clock();
	u32 i;

	if (!a->n || a->n > BENCH_MAX_ITERS)
		return -EINVAL;
	for (i = 0; i < a->n; i++) {
		struct task_struct *task;

		task = kthread_create(bench_exit_at_once, NULL, "mpbench/%u", i);
		if (IS_ERR(task))
			return PTR_ERR(task);
		get_task_struct(task);
		wake_up_process(task);
		kthread_stop(task);
		put_task_struct(task);
	}
	a->ns = local_clock() - start;
	a->count = a->n;
	return 0;
}

/*
 * The cpu op's loop: spin on local_clock() for a slice, let the scheduler
 * in, again. The scheduler's own accounting (/proc/<tid>/schedstat) says
 * how much CPU time it got, as for a mini-process.
 */
static int bench_spin(void *data)
{
	while (!READ_ONCE(bench_spin_ending) && !kthread_should_stop()) {
		u64 until = local_clock() + BENCH_SLICE_NS;

		while (local_clock() < until)
			cpu_relax();
		cond_resched();
	}
	return 0;
}

static void bench_spin_stop(void)
{
	unsigned int i;

	/* All end together, not each one in its turn for a CPU. */
	WRITE_ONCE(bench_spin_ending, true);
	for (i = 0; i < bench_nr_spinners; i++) {
		kthread_stop(bench_spinners[i]);
		put_task_struct(bench_spinners[i]);
	}
	kfree(bench_spinners);
	bench_spinners = NULL;
	bench_nr_spinners = 0;
	WRITE_ONCE(bench_spin_ending, false);
}

static int bench_spin_start(struct miniproc_bench_arg *a)
{
	unsigned int i;

	if (bench_spinners)
		return -EBUSY;
	if (!a->n || a->n > MINIPROC_BENCH_MAX_THREADS)
		return -EINVAL;
	bench_spinners = kcalloc(a->n, sizeof(*bench_spinners), GFP_KERNEL);
	if (!bench_spinners)
		return -ENOMEM;
	for (i = 0; i < a->n; i++) {
		struct task_struct *task;

		task = kthread_create(bench_spin, NULL, BENCH_SPIN_NAME "/%u", i);
		if (IS_ERR(task)) {
			bench_spin_stop();
			return PTR_ERR(task);
		}
		get_task_struct(task);
		/* At the caller's nice, as miniproc starts its processes. */
		set_user_nice(task, task_nice(current));
		bench_spinners[bench_nr_spinners++] = task;
		wake_up_process(task);
	}
	return 0;
}

struct bench_yielder {
	u32 n;
	u64 ns;
	u64 nivcsw;
	struct completion done;
};

/* The yield op's loop: schedule() while runnable, @n times. */
static int bench_yield_thread(void *data)
{
	struct bench_yielder *y = data;
	unsigned long nivcsw = current->nivcsw;
	u64 start = local_clock();
	u32 i;

	for (i = 0; i < y->n; i++)
		schedule();
	y->ns = local_clock() - start;
	y->nivcsw = current->nivcsw - nivcsw;
	complete(&y->done);
	return 0;
}

static int bench_yield(struct miniproc_bench_arg *a)
{
	struct bench_yielder y = { .n = a->n };
	struct task_struct *task;

	if (!a->n || a->n > BENCH_MAX_ITERS)
		return -EINVAL;
	if (a->cpu < 0 || a->cpu >= nr_cpu_ids || !cpu_online(a->cpu))
		return -EINVAL;
	init_completion(&y.done);
	task = kthread_create(bench_yield_thread, &y, "mpbench-yield");
	if (IS_ERR(task))
		return PTR_ERR(task);
	get_task_struct(task);
	kthread_bind(task, a->cpu);
	set_user_nice(task, task_nice(current));
	wake_up_process(task);
	/* Killable: the thread ends on its own, kthread_stop() waits for it. */
	if (wait_for_completion_killable(&y.done)) {
		kthread_stop(task);
		put_task_struct(task);
		return -EINTR;
	}
	kthread_stop(task);
	put_task_struct(task);
	a->ns = y.ns;
	a->count = y.nivcsw;
	return 0;
}

static long bench_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	struct miniproc_bench_arg a;
	int ret;

	if (_IOC_TYPE(cmd) != 'b' || _IOC_SIZE(cmd) != sizeof(a))
		return -ENOTTY;
	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;

	mutex_lock(&bench_lock);
	switch (cmd) {
	case MINIPROC_BENCH_IOC_LIFECYCLE:
		ret = bench_lifecycle(&a);
		break;
	case MINIPROC_BENCH_IOC_SPIN_START:
		ret = bench_spin_start(&a);
		break;
	case MINIPROC_BENCH_IOC_SPIN_STOP:
		bench_spin_stop();
		ret = 0;
		break;
	case MINIPROC_BENCH_IOC_YIELD:
		ret = bench_yield(&a);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&bench_lock);

	if (!ret && (_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(uarg, &a, sizeof(a)))
		ret = -EFAULT;
	return ret;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = bench_ioctl,
};

static struct miscdevice bench_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &bench_fops,
	.mode = 0600,
};

static int __init bench_init(void)
{
	return misc_register(&bench_miscdev);
}

static void __exit bench_exit(void)
{
	misc_deregister(&bench_miscdev);
	mutex_lock(&bench_lock);
	bench_spin_stop();
	mutex_unlock(&bench_lock);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The miniproc developers");
MODULE_DESCRIPTION("miniproc benchmark: plain kthreads for comparison");
