/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User and group names without NSS: the command is linked statically, so it
 * reads /etc/passwd and /etc/group itself instead of calling getpwuid() and
 * getgrgid().
 */
#ifndef MINIPROC_USERS_H
#define MINIPROC_USERS_H

#include <sys/types.h>

/*
 * The name of @uid from /etc/passwd, or NULL if it has none (or there is no
 * /etc/passwd, as in a bare initramfs). The file is read once; the returned
 * string lives until exit.
 */
const char *user_name(uid_t uid);

/* Read @path instead of /etc/passwd from now on (for tests). */
void user_set_passwd(const char *path);

/* The name of @gid from /etc/group, or NULL; as user_name(). */
const char *group_name(gid_t gid);

/* Read @path instead of /etc/group from now on (for tests). */
void group_set_file(const char *path);

#endif /* MINIPROC_USERS_H */
