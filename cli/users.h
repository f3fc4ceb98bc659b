/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User names through NSS (getpwuid()), so that directory users (LDAP,
 * sssd) show by name as well as those of /etc/passwd.
 */
#ifndef MINIPROC_USERS_H
#define MINIPROC_USERS_H

#include <sys/types.h>

/*
 * The name of @uid, or NULL if the system knows none (or has no user
 * database, as a bare initramfs). Each uid is looked up once; the returned
 * string lives until exit.
 */
const char *user_name(uid_t uid);

#endif /* MINIPROC_USERS_H */
