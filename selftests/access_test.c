// SPDX-License-Identifier: GPL-2.0
/*
 * Who may open /dev/miniproc. The module creates it as misc devices are
 * created, root's alone (mode 0600, asking for no mode of its own); the udev
 * rule (udev/60-miniproc.rules) gives it to the miniproc group, mode 0660,
 * as Debian gives /dev/kvm to kvm, and the test VM applies that rule after
 * every load (tools/vm/devnode.sh). A member of the group may open it, any
 * other user gets EACCES from open(), root may always; after the module is
 * reloaded the new node is set up the same way. The users are uid 1000, in
 * the group or not, and uid 1001, never in it, in child processes.
 *
 * The reload runs with unload_test and lifecycle_test, last: it needs no
 * file of the module open anywhere.
 */
#include "miniproc_util.h"

#define MP_MEMBER		1000
#define MP_OUTSIDER		1001

#define MP_UEVENT		"/sys/class/misc/miniproc/uevent"

FIXTURE(access) {
	gid_t gid;		/* the miniproc group's */
	char params[64];	/* the parameters the module was loaded with */
};

FIXTURE_SETUP(access)
{
	self->gid = (gid_t)-1;
	snprintf(self->params, sizeof(self->params), "nproc=%ld max_per_uid=%ld",
		 mp_param_get("nproc"), mp_param_get("max_per_uid"));
	if (geteuid() != 0)
		SKIP(return, "needs root, to be other users");
	if (mp_group_gid(MP_GROUP, &self->gid))
		SKIP(return, "no %s group in /etc/group: the udev rule's group (make install)",
		     MP_GROUP);
}

/* Whatever happened, leave the module loaded for the tests that follow. */
FIXTURE_TEARDOWN(access)
{
	if (!mp_module_loaded())
		mp_load_module(self->params);
}

/* In open_as()'s child: open with @arg's flags, VERSION if it may. */
static int open_step(void *arg)
{
	int flags = *(const int *)arg;
	struct miniproc_version v;
	int fd, ret;

	fd = open(MINIPROC_DEVICE, flags | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ret = (flags & O_ACCMODE) == O_RDWR ? mp_version(fd, &v) : 0;
	close(fd);
	return -ret;
}

/*
 * open() of the device with @flags in a child that became @uid, in the
 * miniproc group if @member; a member also asks VERSION on what it opened.
 * 0, the errno open() (or the ioctl) failed with, or -1 if the child could
 * not become @uid or died.
 */
static int open_as(uid_t uid, bool member, int flags)
{
	return mp_fork_as(uid, member, open_step, &flags);
}

/* The mode the module asks devtmpfs for, as its uevent says: none. */
TEST_F(access, module_asks_for_no_mode_so_its_node_is_roots_alone)
{
	char buf[512];
	ssize_t n;
	int fd;

	fd = open(MP_UEVENT, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s: %s", MP_UEVENT, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_NE(NULL, strstr(buf, "DEVNAME=miniproc\n")) TH_LOG("%s", buf);
	/* misc_register() with a .mode puts it here, and devtmpfs uses it. */
	EXPECT_EQ(NULL, strstr(buf, "DEVMODE=")) TH_LOG("%s", buf);
}

TEST_F(access, device_is_roots_and_the_miniproc_groups_mode_0660)
{
	struct stat st;

	ASSERT_EQ(0, stat(MINIPROC_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(self->gid, st.st_gid);
	EXPECT_EQ(MP_DEVICE_MODE, st.st_mode & 07777)
		TH_LOG("mode %04o", st.st_mode & 07777);
}

TEST_F(access, member_may_open_it_to_read_and_write)
{
	EXPECT_EQ(0, open_as(MP_MEMBER, true, O_RDWR));
	EXPECT_EQ(0, open_as(MP_MEMBER, true, O_RDONLY));
	EXPECT_EQ(0, open_as(MP_NOBODY, true, O_RDWR));
}

TEST_F(access, non_member_is_refused_at_open_with_eacces)
{
	EXPECT_EQ(EACCES, open_as(MP_OUTSIDER, false, O_RDWR));
	EXPECT_EQ(EACCES, open_as(MP_OUTSIDER, false, O_RDONLY));
	EXPECT_EQ(EACCES, open_as(MP_OUTSIDER, false, O_WRONLY));
	/* It is the group that counts: the member's uid outside it is refused. */
	EXPECT_EQ(EACCES, open_as(MP_MEMBER, false, O_RDWR));
	EXPECT_EQ(EACCES, open_as(MP_NOBODY, false, O_RDWR));
}

TEST_F(access, root_may_open_it_outside_the_group)
{
	int fd = mp_open();

	ASSERT_LE(0, fd);
	close(fd);
}

/*
 * A new load makes a new node, root's alone, until the rule is applied;
 * mp_load_module() waits for that (MP_SETTLE_MS, scaled), hence the time.
 */
TEST_F_TIMEOUT(access, after_a_reload_the_node_is_set_up_again, 120)
{
	int ret;

	if (!getenv("MINIPROC_KO"))
		SKIP(return, "set MINIPROC_KO to miniproc.ko to reload it");
	if (!mp_module_loaded())
		SKIP(return, "miniproc is built in");

	ASSERT_EQ(0, mp_delete_module(O_NONBLOCK));
	ASSERT_EQ(-1, access(MINIPROC_DEVICE, F_OK));
	ret = mp_load_module(self->params);
	ASSERT_EQ(0, ret) TH_LOG("insmod %s: %s", self->params, strerror(-ret));
	EXPECT_TRUE(mp_device_ready(self->gid));
	EXPECT_EQ(0, open_as(MP_MEMBER, true, O_RDWR));
	EXPECT_EQ(EACCES, open_as(MP_OUTSIDER, false, O_RDWR));
}

TEST_HARNESS_MAIN
