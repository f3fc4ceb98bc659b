// SPDX-License-Identifier: GPL-2.0
/*
 * Programs: what a mini-process runs. Userspace hands over an array of
 * fixed-size ops, the way seccomp hands over a filter; the whole array is
 * validated before anything is created, then interpreted by the kthread.
 */

#include <linux/error-injection.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "miniproc.h"

/* A cpu op reaches a safe point after at most this much CPU time. */
#define MINIPROC_SAFE_POINT_NS	NSEC_PER_MSEC

static bool miniproc_duration_ok(u64 ns)
{
	return ns >= 1 && ns <= MINIPROC_DURATION_MAX_NS;
}

/*
 * Check every op and the nesting of groups: known codes, arguments in
 * range, reserved bits clear, every LOOP and FORK closed by an END, no
 * group empty, none deeper than MINIPROC_LOOP_MAX_DEPTH, forks nested at
 * most MINIPROC_FORK_MAX_DEPTH deep.
 */
static int miniproc_prog_validate(const struct miniproc_op *ops, u32 len)
{
	u32 open[MINIPROC_LOOP_MAX_DEPTH];
	bool is_fork[MINIPROC_LOOP_MAX_DEPTH];
	unsigned int depth = 0, forks = 0;
	u32 i;

	for (i = 0; i < len; i++) {
		const struct miniproc_op *op = &ops[i];

		if (op->reserved)
			return -EINVAL;
		switch (op->code) {
		case MINIPROC_OP_CPU:
		case MINIPROC_OP_SLEEP:
		case MINIPROC_OP_IO:
		case MINIPROC_OP_POLL:
			if (!miniproc_duration_ok(op->arg))
				return -EINVAL;
			break;
		case MINIPROC_OP_YIELD:
		case MINIPROC_OP_WAIT:
			if (op->arg)
				return -EINVAL;
			break;
		case MINIPROC_OP_EXIT:
			if (op->arg > MINIPROC_EXIT_MAX)
				return -EINVAL;
			break;
		case MINIPROC_OP_LOOP:
		case MINIPROC_OP_FORK:
			if (depth == MINIPROC_LOOP_MAX_DEPTH)
				return -EINVAL;
			if (op->code == MINIPROC_OP_LOOP ?
			    op->arg > MINIPROC_LOOP_MAX_COUNT :
			    op->arg || forks == MINIPROC_FORK_MAX_DEPTH)
				return -EINVAL;
			is_fork[depth] = op->code == MINIPROC_OP_FORK;
			forks += is_fork[depth];
			open[depth++] = i;
			break;
		case MINIPROC_OP_END:
			if (op->arg || !depth || open[depth - 1] == i - 1)
				return -EINVAL;
			forks -= is_fork[--depth];
			break;
		default:
			return -EINVAL;
		}
	}
	return depth ? -EINVAL : 0;
}

/**
 * miniproc_prog_alloc() - room for a program of @len ops
 * @len: number of ops, at most %MINIPROC_PROG_MAX_OPS
 *
 * The one allocation of programs, open to fail_function.
 *
 * Return: the program with @len set, to be kfree()d, or NULL.
 */
noinline struct miniproc_prog *miniproc_prog_alloc(u32 len)
{
	struct miniproc_prog *prog;

	prog = kmalloc(struct_size(prog, ops, len), GFP_KERNEL);
	if (prog)
		prog->len = len;
	return prog;
}

ALLOW_ERROR_INJECTION(miniproc_prog_alloc, NULL);

/**
 * miniproc_prog_dup() - a program made of @len ops already in the kernel
 * @ops: the ops, valid
 * @len: their number
 *
 * Return: the program, to be kfree()d, or NULL if out of memory.
 */
struct miniproc_prog *miniproc_prog_dup(const struct miniproc_op *ops, u32 len)
{
	struct miniproc_prog *prog = miniproc_prog_alloc(len);

	if (prog)
		memcpy(prog->ops, ops, array_size(len, sizeof(*ops)));
	return prog;
}

/**
 * miniproc_prog_copy() - copy a program from userspace and validate it
 * @uptr: user pointer to @len ops
 * @len:  number of ops
 *
 * Return: the program, to be kfree()d, or ERR_PTR(-EINVAL) if it is empty,
 * too long or invalid, ERR_PTR(-EFAULT), ERR_PTR(-ENOMEM).
 */
struct miniproc_prog *miniproc_prog_copy(u64 uptr, u32 len)
{
	struct miniproc_prog *prog;
	int ret;

	if (!len || len > MINIPROC_PROG_MAX_OPS)
		return ERR_PTR(-EINVAL);
	prog = miniproc_prog_alloc(len);
	if (!prog)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(prog->ops, u64_to_user_ptr(uptr),
			   array_size(len, sizeof(prog->ops[0])))) {
		ret = -EFAULT;
		goto err_free;
	}
	ret = miniproc_prog_validate(prog->ops, prog->len);
	if (ret)
		goto err_free;
	return prog;

err_free:
	kfree(prog);
	return ERR_PTR(ret);
}

/*
 * cpu op: spin until the process has used @ns more of its own CPU time.
 * Time spent preempted does not count: progress is measured with the run
 * time the scheduler hooks account. Returns true if killed meanwhile.
 */
static bool miniproc_op_cpu(struct miniproc *p, u64 ns)
{
	u64 target = miniproc_runtime(p) + ns;

	for (;;) {
		u64 used = miniproc_runtime(p);
		u64 until;

		if (used >= target)
			return false;
		until = local_clock() +
			min_t(u64, target - used, MINIPROC_SAFE_POINT_NS);
		while (local_clock() < until)
			cpu_relax();
		if (miniproc_safe_point(p))
			return true;
	}
}

/*
 * poll op: spin until a deadline @ns of wall time from now, as a driver
 * polling its device keeps the CPU. Time preempted counts: the device
 * goes on meanwhile. Returns true if killed.
 */
static bool miniproc_op_poll(struct miniproc *p, u64 ns)
{
	u64 deadline = ktime_get_ns() + ns;

	for (;;) {
		u64 now = ktime_get_ns();
		u64 until;

		if (now >= deadline)
			return false;
		until = now + min_t(u64, deadline - now, MINIPROC_SAFE_POINT_NS);
		while (ktime_get_ns() < until)
			cpu_relax();
		if (miniproc_safe_point(p))
			return true;
	}
}

/*
 * sleep and io ops: block until a deadline @ns from now, SLEEPING on @chan.
 * A kill or a suspension wakes it early; after a suspension it sleeps on
 * towards the same deadline. Returns true if killed.
 */
static bool miniproc_op_sleep(struct miniproc *p, u64 ns,
			      const struct miniproc_chan *chan)
{
	ktime_t deadline = ktime_add_ns(ktime_get(), ns);

	for (;;) {
		ktime_t left = ktime_sub(deadline, ktime_get());

		if (left <= 0)
			return false;
		WRITE_ONCE(p->chan, chan);
		/* Returns early only when a control request is pending. */
		(void)wait_event_interruptible_hrtimeout(p->wq,
							 miniproc_ctl_pending(p),
							 left);
		WRITE_ONCE(p->chan, NULL);
		if (miniproc_safe_point(p))
			return true;
	}
}

/*
 * yield op: offer the CPU back to the scheduler. The thread is still
 * TASK_RUNNING, so schedule() leaves it queued (RUNNABLE if another task is
 * picked, an involuntary switch) and picks whichever task its policy now
 * favours, perhaps this one again.
 */
static void miniproc_op_yield(void)
{
	schedule();
}

/* The index of the END closing the group opened at @start. */
static u32 miniproc_group_end(const struct miniproc_prog *prog, u32 start)
{
	unsigned int depth = 0;
	u32 i;

	for (i = start; i < prog->len; i++) {
		if (prog->ops[i].code == MINIPROC_OP_LOOP ||
		    prog->ops[i].code == MINIPROC_OP_FORK)
			depth++;
		else if (prog->ops[i].code == MINIPROC_OP_END && !--depth)
			break;
	}
	return i;
}

/**
 * miniproc_prog_init() - the program of the init process: *(wait)
 *
 * Return: the program, to be kfree()d, or NULL if out of memory.
 */
struct miniproc_prog *miniproc_prog_init(void)
{
	static const struct miniproc_op ops[] = {
		{ .code = MINIPROC_OP_LOOP },
		{ .code = MINIPROC_OP_WAIT },
		{ .code = MINIPROC_OP_END },
	};

	return miniproc_prog_dup(ops, ARRAY_SIZE(ops));
}

/*
 * The safe point an op begins at; true if the process was killed. Every op
 * that does something has one, so even a group of yields checks for kill
 * and suspension on every pass. Opening and closing a group (LOOP, END)
 * does nothing: no pass of a group is without an op that does (groups are
 * never empty), so they need none. A yield lets the scheduler in itself,
 * right after: it only obeys kill and suspend first.
 */
static bool miniproc_op_safe_point(struct miniproc *p, u32 code)
{
	switch (code) {
	case MINIPROC_OP_LOOP:
	case MINIPROC_OP_END:
		return false;
	case MINIPROC_OP_YIELD:
		return miniproc_ctl_pending(p) && miniproc_obey_ctl(p);
	default:
		return miniproc_safe_point(p);
	}
}

/**
 * miniproc_prog_run() - interpret a slot's program in its kthread
 * @p:   the slot of the calling kthread
 * @run: where it is in the program: zeroed before the first call, kept
 *       between calls
 *
 * Each op that does something begins at a safe point (see
 * miniproc_op_safe_point()). A fork group is the child's program: the
 * interpreter returns it to its caller, which starts the child and calls
 * again to go on after the group.
 *
 * Return: true when the program has ended, its exit status in
 * @run->status (%MINIPROC_EXIT_STATUS_KILLED if killed); false when it
 * asks for a fork of @run->fork_ops, @run->fork_len ops long.
 */
bool miniproc_prog_run(struct miniproc *p, struct miniproc_run *run)
{
	const struct miniproc_prog *prog = p->prog;
	u32 end;

	while (run->pc < prog->len) {
		const struct miniproc_op *op = &prog->ops[run->pc];
		struct miniproc_frame *top;

		WRITE_ONCE(p->pc, run->pc);
		if (miniproc_op_safe_point(p, op->code))
			goto killed;
		switch (op->code) {
		case MINIPROC_OP_CPU:
			if (miniproc_op_cpu(p, op->arg))
				goto killed;
			break;
		case MINIPROC_OP_SLEEP:
			if (miniproc_op_sleep(p, op->arg, MINIPROC_CHAN_SLEEP))
				goto killed;
			break;
		case MINIPROC_OP_IO:
			if (miniproc_op_sleep(p, op->arg, MINIPROC_CHAN_IO))
				goto killed;
			break;
		case MINIPROC_OP_POLL:
			if (miniproc_op_poll(p, op->arg))
				goto killed;
			break;
		case MINIPROC_OP_YIELD:
			miniproc_op_yield();
			break;
		case MINIPROC_OP_EXIT:
			run->status = op->arg;
			return true;
		case MINIPROC_OP_LOOP:
			top = &run->stack[run->depth++];
			top->start = run->pc + 1;
			top->left = op->arg;
			break;
		case MINIPROC_OP_FORK:
			end = miniproc_group_end(prog, run->pc);
			run->fork_ops = &prog->ops[run->pc + 1];
			run->fork_len = end - run->pc - 1;
			run->pc = end + 1;
			return false;
		case MINIPROC_OP_WAIT:
			if (miniproc_op_wait(p))
				goto killed;
			break;
		case MINIPROC_OP_END:
			top = &run->stack[run->depth - 1];
			if (!top->left || --top->left) {
				run->pc = top->start;
				continue;
			}
			run->depth--;
			break;
		}
		run->pc++;
	}
	run->status = 0;
	return true;

killed:
	run->status = MINIPROC_EXIT_STATUS_KILLED;
	return true;
}
