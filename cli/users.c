// SPDX-License-Identifier: GPL-2.0
/*
 * User names through NSS. See users.h.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

/**
 * struct user - one uid looked up
 * @uid:  the uid
 * @name: its name, or NULL if NSS has none
 */
struct user {
	uid_t uid;
	char *name;
};

/* What was looked up: a table shows the same few owners on every row. */
static struct user *users;
static size_t nr_users;

const char *user_name(uid_t uid)
{
	struct passwd *pw;
	struct user *more;
	size_t i;

	for (i = 0; i < nr_users; i++)
		if (users[i].uid == uid)
			return users[i].name;
	pw = getpwuid(uid);
	more = realloc(users, (nr_users + 1) * sizeof(*users));
	if (!more)
		return pw ? pw->pw_name : NULL;
	users = more;
	users[nr_users].uid = uid;
	users[nr_users].name = pw && pw->pw_name ? strdup(pw->pw_name) : NULL;
	return users[nr_users++].name;
}
