// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/miniproc: the misc device, its ioctls and its file operations. Each
 * ioctl handler copies its struct in once, checks it, calls the process API
 * and copies the result out; the API itself lives in the files below it
 * (DOC: Files), the event stream behind read() and poll() in events.c.
 */

#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "miniproc.h"

static_assert(sizeof(struct miniproc_op) == 16);
static_assert(sizeof(struct miniproc_create) == 64);
static_assert(sizeof(struct miniproc_exit_info) == 32);
static_assert(sizeof(struct miniproc_destroy) == 64);
static_assert(sizeof(struct miniproc_wait) == 72);
static_assert(sizeof(struct miniproc_ctl) == 32);
static_assert(sizeof(struct miniproc_info) == 160);
static_assert(sizeof(struct miniproc_list) == 48);
static_assert(sizeof(struct miniproc_version) == 56);
static_assert(sizeof(struct miniproc_event) == MINIPROC_EVENT_SIZE_VER1);
static_assert(offsetof(struct miniproc_event, runtime_ns) == MINIPROC_EVENT_SIZE_VER0);
static_assert(sizeof(struct miniproc_event_filter) == 32);
static_assert(offsetof(struct miniproc_create, reserved) == MINIPROC_CREATE_SIZE_VER0);
static_assert(offsetof(struct miniproc_destroy, reserved) == MINIPROC_DESTROY_SIZE_VER0);
static_assert(offsetof(struct miniproc_wait, reserved) == MINIPROC_WAIT_SIZE_VER0);
static_assert(offsetof(struct miniproc_ctl, reserved) == MINIPROC_CTL_SIZE_VER0);
static_assert(offsetof(struct miniproc_info, fork_error) == MINIPROC_INFO_SIZE_VER0);
static_assert(offsetof(struct miniproc_info, reserved) == MINIPROC_INFO_SIZE_VER1);
/* miniproc_status_in() reads the reserved words of STATUS one by one. */
static_assert(sizeof_field(struct miniproc_info, reserved) == 2 * sizeof(__u64));
static_assert(offsetof(struct miniproc_list, reserved) == MINIPROC_LIST_SIZE_VER0);
static_assert(offsetof(struct miniproc_version, reserved) == MINIPROC_VERSION_SIZE_VER0);
static_assert(offsetof(struct miniproc_event_filter, reserved) ==
	      MINIPROC_EVENT_FILTER_SIZE_VER0);

/*
 * No struct of ours will ever be a page long: a larger size, or record size,
 * is refused rather than have the kernel check that much of the caller's
 * memory for zeros.
 */
#define MINIPROC_STRUCT_SIZE_MAX	PAGE_SIZE

/* The ioctl command with its size bits cleared: @size, not _IOC_SIZE, counts. */
#define MINIPROC_IOC_KIND(cmd)	((cmd) & ~IOCSIZE_MASK)

/*
 * Copy in a size-prefixed struct: its leading size (at least @ver0), then
 * the rest of it, zero-extended to @ksize, or -E2BIG if the caller's bytes
 * beyond @ksize are not zero. Every byte is read from user memory once:
 * the size first, then only what follows it.
 *
 * Inlined, so that @ksize is a constant at each call: a caller of this
 * module's own struct size (the common case) then gets a copy of constant
 * length, which hardened usercopy has checked at build time instead of
 * looking the kernel buffer up on every call.
 */
static __always_inline int miniproc_copy_in(void *kbuf, size_t ksize,
					    size_t ver0,
					    const void __user *uarg, u32 *usize)
{
	const size_t head = sizeof(u32);
	u32 size;
	int ret;

	if (get_user(size, (const u32 __user *)uarg))
		return -EFAULT;
	if (size < ver0)
		return -EINVAL;
	if (size > MINIPROC_STRUCT_SIZE_MAX)
		return -E2BIG;
	if (size == ksize) {
		if (copy_from_user(kbuf + head, uarg + head, ksize - head))
			return -EFAULT;
		ret = 0;
	} else {
		ret = copy_struct_from_user(kbuf + head, ksize - head,
					    uarg + head, size - head);
	}
	if (ret)
		return ret;
	*(u32 *)kbuf = size;
	*usize = size;
	return 0;
}

/*
 * Copy a struct back out: as much of it as the caller's struct holds.
 * Inlined for the same reason as miniproc_copy_in(): the whole struct is a
 * copy of constant length. copy_to_user(), not unsafe_copy_to_user()'s
 * word stores (fewer instructions for 160 bytes): copy_to_user() is where
 * fail_usercopy can fail a copy out, and the fail-nth sweep relies on
 * that, e.g. to see a WAIT whose copy fails keep its zombie.
 */
static __always_inline int miniproc_copy_out(void __user *uarg, u32 usize,
					     const void *kbuf, size_t ksize)
{
	unsigned long left;

	if (usize >= ksize)
		left = copy_to_user(uarg, kbuf, ksize);
	else
		left = copy_to_user(uarg, kbuf, usize);
	return left ? -EFAULT : 0;
}

static bool miniproc_reserved_zero(const __u64 *reserved, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (reserved[i])
			return false;
	return true;
}

/* A name is NUL-terminated printable ASCII without spaces, or empty. */
static int miniproc_check_name(const char *name, char *out)
{
	size_t len = strnlen(name, MINIPROC_NAME_LEN);
	size_t i;

	if (len == MINIPROC_NAME_LEN)
		return -EINVAL;
	/* The kernel's isgraph() also takes Latin-1 letters: ASCII only. */
	for (i = 0; i < len; i++)
		if (!isascii(name[i]) || !isgraph(name[i]))
			return -EINVAL;
	strscpy(out, len ? name : KBUILD_MODNAME, MINIPROC_NAME_LEN);
	return 0;
}

static long miniproc_ioctl_create(struct miniproc_create __user *uarg)
{
	char name[MINIPROC_NAME_LEN];
	struct miniproc_prog *prog;
	struct miniproc_create c;
	int cpu = 0;
	u32 usize;
	int ret;

	ret = miniproc_copy_in(&c, sizeof(c), MINIPROC_CREATE_SIZE_VER0, uarg,
			       &usize);
	if (ret)
		return ret;
	if ((c.flags & ~MINIPROC_CREATE_FLAGS) || c.reserved0 ||
	    !miniproc_reserved_zero(c.reserved, ARRAY_SIZE(c.reserved)))
		return -EINVAL;
	if (c.flags & MINIPROC_CREATE_PIN) {
		if (c.cpu < 0 || c.cpu >= nr_cpu_ids)
			return -EINVAL;
		cpu = array_index_nospec(c.cpu, nr_cpu_ids);
		if (!cpu_online(cpu))
			return -EINVAL;
	} else if (c.cpu) {
		return -EINVAL;
	}
	ret = miniproc_check_name(c.name, name);
	if (ret)
		return ret;

	prog = miniproc_prog_copy(c.prog, c.prog_len);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	return miniproc_create(name, c.flags, cpu, prog, &uarg->pid);
}

/* Where WAIT and DESTROY with WAIT answer: the caller's struct, ours. */
struct miniproc_answer {
	void __user *uarg;
	u32 usize;
	void *kbuf;
	size_t ksize;
	pid_t *pid;
	struct miniproc_exit_info *exit;
};

/*
 * A zombie is about to be reaped for the caller: write the answer first,
 * so that a fault leaves the zombie unreaped rather than its exit lost.
 */
static int miniproc_deliver(pid_t pid, const struct miniproc_exit_info *exit,
			    void *arg)
{
	struct miniproc_answer *a = arg;

	*a->pid = pid;
	*a->exit = *exit;
	return miniproc_copy_out(a->uarg, a->usize, a->kbuf, a->ksize);
}

static long miniproc_ioctl_destroy(struct miniproc_destroy __user *uarg)
{
	struct miniproc_answer answer;
	struct miniproc_destroy d;
	u32 usize;
	int ret;

	ret = miniproc_copy_in(&d, sizeof(d), MINIPROC_DESTROY_SIZE_VER0, uarg,
			       &usize);
	if (ret)
		return ret;
	if ((d.flags & ~MINIPROC_DESTROY_FLAGS) || d.reserved0 ||
	    !miniproc_reserved_zero(d.reserved, ARRAY_SIZE(d.reserved)))
		return -EINVAL;
	/* Find out now, not after reaping, if the answer cannot be written. */
	if ((d.flags & MINIPROC_DESTROY_WAIT) && put_user(d.pid, &uarg->pid))
		return -EFAULT;
	answer = (struct miniproc_answer){
		.uarg = uarg, .usize = usize, .kbuf = &d, .ksize = sizeof(d),
		.pid = &d.pid, .exit = &d.exit,
	};
	return miniproc_destroy(d.pid, d.flags, &d.exit, miniproc_deliver,
				&answer);
}

static long miniproc_ioctl_wait(struct miniproc_wait __user *uarg)
{
	struct miniproc_answer answer;
	struct miniproc_wait w;
	u32 usize;
	int ret;

	ret = miniproc_copy_in(&w, sizeof(w), MINIPROC_WAIT_SIZE_VER0, uarg,
			       &usize);
	if (ret)
		return ret;
	if ((w.options & ~MINIPROC_WAIT_OPTIONS) || w.reserved0 ||
	    !miniproc_reserved_zero(w.reserved, ARRAY_SIZE(w.reserved)))
		return -EINVAL;
	/* Find out now, not after reaping, if the answer cannot be written. */
	if (put_user(w.pid, &uarg->pid))
		return -EFAULT;
	memset(&w.exit, 0, sizeof(w.exit));
	answer = (struct miniproc_answer){
		.uarg = uarg, .usize = usize, .kbuf = &w, .ksize = sizeof(w),
		.pid = &w.pid, .exit = &w.exit,
	};
	ret = miniproc_wait(&w.pid, w.options, w.timeout_ns, &w.exit,
			    miniproc_deliver, &answer);
	if (ret || w.pid)
		return ret;
	/* WNOHANG found none ended: nothing was reaped, tell so. */
	return miniproc_copy_out(uarg, usize, &w, sizeof(w));
}

static long miniproc_ioctl_ctl(unsigned int kind, struct miniproc_ctl __user *uarg)
{
	struct miniproc_ctl c;
	u32 usize;
	int ret;

	ret = miniproc_copy_in(&c, sizeof(c), MINIPROC_CTL_SIZE_VER0, uarg,
			       &usize);
	if (ret)
		return ret;
	if (c.flags || c.reserved0 || !miniproc_reserved_zero(c.reserved, ARRAY_SIZE(c.reserved)))
		return -EINVAL;
	if (kind == MINIPROC_IOC_KIND(MINIPROC_IOC_SUSPEND))
		return miniproc_suspend(c.pid);
	return miniproc_resume(c.pid);
}

/*
 * STATUS's input is its size, the pid and the reserved fields: the rest of
 * struct miniproc_info is output. A caller of this module's size has just
 * those read, with user access opened once for all of them, not the whole
 * record; any other size (or a record too near the end of user memory to
 * be ours) goes through miniproc_copy_in(). Each byte is still read once.
 */
static int miniproc_status_in(struct miniproc_info *info,
			      struct miniproc_info __user *uarg, u32 *usize)
{
	u32 size;

	if (!user_read_access_begin(uarg, sizeof(*uarg)))
		goto other_size;
	unsafe_get_user(size, &uarg->size, efault);
	if (size != sizeof(*info)) {
		user_read_access_end();
		goto other_size;
	}
	unsafe_get_user(info->pid, &uarg->pid, efault);
	unsafe_get_user(info->reserved0, &uarg->reserved0, efault);
	unsafe_get_user(info->reserved[0], &uarg->reserved[0], efault);
	unsafe_get_user(info->reserved[1], &uarg->reserved[1], efault);
	user_read_access_end();
	*usize = size;
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
other_size:
	return miniproc_copy_in(info, sizeof(*info), MINIPROC_INFO_SIZE_VER0,
				uarg, usize);
}

static long miniproc_ioctl_status(struct miniproc_info __user *uarg)
{
	struct miniproc_info info;
	u32 usize;
	int ret;

	ret = miniproc_status_in(&info, uarg, &usize);
	if (ret)
		return ret;
	if (info.reserved0 || !miniproc_reserved_zero(info.reserved, ARRAY_SIZE(info.reserved)))
		return -EINVAL;

	ret = miniproc_status(info.pid, &info);
	if (ret)
		return ret;
	info.size = min_t(u32, usize, sizeof(info));
	return miniproc_copy_out(uarg, usize, &info, sizeof(info));
}

/*
 * Write @count records at @rec_size strides, each cut or zero-padded. A
 * caller whose records are ours gets them in one go: each copy_to_user()
 * has its fixed cost (the hardened-usercopy check of the kernel buffer,
 * opening user access), which per record was a good part of LIST's cost.
 */
static int miniproc_copy_records(u64 buf, u32 rec_size,
				 struct miniproc_info *recs, unsigned int count)
{
	size_t n = min_t(size_t, rec_size, sizeof(*recs));
	unsigned int i;

	if (!count)
		return 0;
	for (i = 0; i < count; i++)
		recs[i].size = n;
	if (rec_size == sizeof(*recs))
		return copy_to_user(u64_to_user_ptr(buf), recs,
				    array_size(count, sizeof(*recs))) ? -EFAULT : 0;

	for (i = 0; i < count; i++) {
		void __user *dst = u64_to_user_ptr(buf + (u64)i * rec_size);

		if (copy_to_user(dst, &recs[i], n))
			return -EFAULT;
		if (rec_size > n && clear_user(dst + n, rec_size - n))
			return -EFAULT;
	}
	return 0;
}

/*
 * LIST into a buffer of its own, when the table's is in use: sized to the
 * processes there are, the users' (nr_used) and init. If the table grew
 * meanwhile, the second try is sized to every slot, which always holds
 * the snapshot: at most two, however fast others create and reap.
 */
static int miniproc_list_alloc(const struct miniproc_list *l,
			       unsigned int *total, unsigned int *count)
{
	unsigned int want = min(l->capacity, READ_ONCE(miniproc_table.nr_used) + 1);
	struct miniproc_info *recs = NULL;
	bool last = false;
	int ret;

	for (;;) {
		if (want) {
			recs = kvmalloc_array(want, sizeof(*recs),
					      GFP_KERNEL_ACCOUNT);
			if (!recs)
				return -ENOMEM;
		}
		*total = miniproc_snapshot(recs, want, count);
		if (*count == min(l->capacity, *total))
			break;
		/* Every slot is room enough: the last try always fits. */
		if (WARN_ON_ONCE(last))
			break;
		kvfree(recs);
		recs = NULL;
		want = min(l->capacity, miniproc_table.nproc + 1);
		last = true;
	}
	ret = miniproc_copy_records(l->buf, l->rec_size, recs, *count);
	kvfree(recs);
	return ret;
}

static long miniproc_ioctl_list(struct miniproc_list __user *uarg)
{
	struct miniproc_table *t = &miniproc_table;
	unsigned int total, count;
	struct miniproc_list l;
	u32 usize;
	int ret;

	ret = miniproc_copy_in(&l, sizeof(l), MINIPROC_LIST_SIZE_VER0, uarg,
			       &usize);
	if (ret)
		return ret;
	if (l.reserved0 || !miniproc_reserved_zero(l.reserved, ARRAY_SIZE(l.reserved)) ||
	    l.rec_size < MINIPROC_INFO_SIZE_VER0 ||
	    l.rec_size > MINIPROC_STRUCT_SIZE_MAX)
		return -EINVAL;

	if (mutex_trylock(&t->snap_lock)) {
		/* Room for every slot: one snapshot is always enough. */
		total = miniproc_snapshot(t->snap, min(l.capacity, t->nproc + 1),
					  &count);
		ret = miniproc_copy_records(l.buf, l.rec_size, t->snap, count);
		mutex_unlock(&t->snap_lock);
	} else {
		ret = miniproc_list_alloc(&l, &total, &count);
	}
	if (ret)
		return ret;
	l.count = count;
	l.total = total;
	return miniproc_copy_out(uarg, usize, &l, sizeof(l));
}

static long miniproc_ioctl_version(struct miniproc_version __user *uarg)
{
	struct miniproc_version v;
	u32 usize;
	int ret;

	ret = miniproc_copy_in(&v, sizeof(v), MINIPROC_VERSION_SIZE_VER0, uarg,
			       &usize);
	if (ret)
		return ret;
	if (!miniproc_reserved_zero(v.reserved, ARRAY_SIZE(v.reserved)))
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	v.size = usize;
	v.abi_version = MINIPROC_ABI_VERSION;
	v.nproc = miniproc_table.nproc;
	v.nr_used = READ_ONCE(miniproc_table.nr_used);
	v.max_per_uid = READ_ONCE(miniproc_max_per_uid);
	v.max_prog_ops = MINIPROC_PROG_MAX_OPS;
	v.max_loop_depth = MINIPROC_LOOP_MAX_DEPTH;
	v.max_loop_count = MINIPROC_LOOP_MAX_COUNT;
	v.max_duration_ns = MINIPROC_DURATION_MAX_NS;
	return miniproc_copy_out(uarg, usize, &v, sizeof(v));
}

static long miniproc_ioctl_event_filter(struct miniproc_file *f,
					struct miniproc_event_filter __user *uarg)
{
	struct miniproc_filter filter = {};
	struct miniproc_event_filter ef;
	u32 usize;
	int ret;

	ret = miniproc_copy_in(&ef, sizeof(ef), MINIPROC_EVENT_FILTER_SIZE_VER0,
			       uarg, &usize);
	if (ret)
		return ret;
	if (ef.pid < 0 || ef.flags ||
	    !miniproc_reserved_zero(ef.reserved, ARRAY_SIZE(ef.reserved)))
		return -EINVAL;
	if (!ef.rec_size)
		ef.rec_size = MINIPROC_EVENT_SIZE_VER0;
	if (ef.rec_size < MINIPROC_EVENT_SIZE_VER0 ||
	    ef.rec_size > MINIPROC_STRUCT_SIZE_MAX)
		return -EINVAL;
	/*
	 * A pid's filter holds to the process that has it now, or with none
	 * to those that had it: never a later one. Worked out here, outside
	 * the file's lock: the table lock is never taken under it.
	 */
	filter.pid = ef.pid;
	if (ef.pid)
		miniproc_pid_serials(ef.pid, &filter.first, &filter.last);
	return miniproc_events_filter(f, &filter, ef.rec_size);
}

static long miniproc_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	unsigned int kind = MINIPROC_IOC_KIND(cmd);

	switch (kind) {
	case MINIPROC_IOC_KIND(MINIPROC_IOC_VERSION):
		return miniproc_ioctl_version(uarg);
	case MINIPROC_IOC_KIND(MINIPROC_IOC_CREATE):
		return miniproc_ioctl_create(uarg);
	case MINIPROC_IOC_KIND(MINIPROC_IOC_DESTROY):
		return miniproc_ioctl_destroy(uarg);
	case MINIPROC_IOC_KIND(MINIPROC_IOC_WAIT):
		return miniproc_ioctl_wait(uarg);
	case MINIPROC_IOC_KIND(MINIPROC_IOC_SUSPEND):
	case MINIPROC_IOC_KIND(MINIPROC_IOC_RESUME):
		return miniproc_ioctl_ctl(kind, uarg);
	case MINIPROC_IOC_KIND(MINIPROC_IOC_STATUS):
		return miniproc_ioctl_status(uarg);
	case MINIPROC_IOC_KIND(MINIPROC_IOC_LIST):
		return miniproc_ioctl_list(uarg);
	case MINIPROC_IOC_KIND(MINIPROC_IOC_EVENT_FILTER):
		return miniproc_ioctl_event_filter(file->private_data, uarg);
	default:
		return -ENOTTY;
	}
}

static int miniproc_file_open(struct inode *inode, struct file *file)
{
	struct miniproc_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	mutex_init(&f->read_lock);
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int miniproc_file_release(struct inode *inode, struct file *file)
{
	struct miniproc_file *f = file->private_data;

	miniproc_events_release(f);
	mutex_destroy(&f->read_lock);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static ssize_t miniproc_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return miniproc_events_read(file->private_data,
				    file->f_flags & O_NONBLOCK, buf, count);
}

static __poll_t miniproc_poll(struct file *file, poll_table *wait)
{
	return miniproc_events_poll(file->private_data, file, wait);
}

static const struct file_operations miniproc_fops = {
	.owner = THIS_MODULE,
	.open = miniproc_file_open,
	.release = miniproc_file_release,
	.read = miniproc_read,
	.poll = miniproc_poll,
	.unlocked_ioctl = miniproc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice miniproc_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &miniproc_fops,
	/*
	 * No .mode: root's alone (0600), as misc devices are. Who else may
	 * open it is the administrator's choice, through the udev rule that
	 * gives it to the miniproc group (udev/60-miniproc.rules), as
	 * /dev/kvm goes to kvm; each ioctl then decides who may act on what.
	 */
};

/**
 * miniproc_dev_init() - create /dev/miniproc
 *
 * Return: 0 or misc_register()'s error.
 */
int miniproc_dev_init(void)
{
	return misc_register(&miniproc_miscdev);
}

/**
 * miniproc_dev_exit() - remove /dev/miniproc
 */
void miniproc_dev_exit(void)
{
	misc_deregister(&miniproc_miscdev);
}
