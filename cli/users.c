// SPDX-License-Identifier: GPL-2.0
/*
 * User names from /etc/passwd. See users.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

struct user {
	uid_t uid;
	char *name;
};

static const char *users_path = "/etc/passwd";
static struct user *users;
static size_t nr_users;
static int users_loaded;

/* Parse "name:passwd:uid:..." lines; skip anything that does not fit. */
static void users_load(void)
{
	char line[1024], *colon, *end;
	struct user *more;
	unsigned long uid;
	FILE *f;

	users_loaded = 1;
	f = fopen(users_path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (!colon || colon == line)
			continue;
		*colon = '\0';
		colon = strchr(colon + 1, ':');	/* past the password field */
		if (!colon || colon[1] < '0' || colon[1] > '9')
			continue;
		uid = strtoul(colon + 1, &end, 10);
		if (*end != ':' || uid != (uid_t)uid)
			continue;
		more = realloc(users, (nr_users + 1) * sizeof(*users));
		if (!more)
			break;
		users = more;
		users[nr_users].uid = (uid_t)uid;
		users[nr_users].name = strdup(line);
		if (users[nr_users].name)
			nr_users++;
	}
	fclose(f);
}

const char *user_name(uid_t uid)
{
	size_t i;

	if (!users_loaded)
		users_load();
	for (i = 0; i < nr_users; i++)
		if (users[i].uid == uid)
			return users[i].name;
	return NULL;
}

void user_set_passwd(const char *path)
{
	while (nr_users)
		free(users[--nr_users].name);
	free(users);
	users = NULL;
	users_path = path;
	users_loaded = 0;
}
