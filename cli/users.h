/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User names without NSS: the command is linked statically, so it reads
 * /etc/passwd itself instead of calling getpwuid().
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

#endif /* MINIPROC_USERS_H */
