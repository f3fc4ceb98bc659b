// SPDX-License-Identifier: GPL-2.0
/*
 * User and group names from /etc/passwd and /etc/group. See users.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

struct name {
	unsigned int id;
	char *name;
};

/* One file of "name:password:id:..." lines, read on first use. */
struct names {
	const char *path;
	struct name *names;
	size_t nr;
	int loaded;
};

static struct names users = { .path = "/etc/passwd" };
static struct names groups = { .path = "/etc/group" };

/* Parse "name:password:id:..." lines; skip anything that does not fit. */
static void names_load(struct names *t)
{
	char line[1024], *colon, *end;
	struct name *more;
	unsigned long id;
	FILE *f;

	t->loaded = 1;
	f = fopen(t->path, "re");
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
		id = strtoul(colon + 1, &end, 10);
		if (*end != ':' || id != (unsigned int)id)
			continue;
		more = realloc(t->names, (t->nr + 1) * sizeof(*t->names));
		if (!more)
			break;
		t->names = more;
		t->names[t->nr].id = (unsigned int)id;
		t->names[t->nr].name = strdup(line);
		if (t->names[t->nr].name)
			t->nr++;
	}
	fclose(f);
}

static const char *names_find(struct names *t, unsigned int id)
{
	size_t i;

	if (!t->loaded)
		names_load(t);
	for (i = 0; i < t->nr; i++)
		if (t->names[i].id == id)
			return t->names[i].name;
	return NULL;
}

static void names_set_path(struct names *t, const char *path)
{
	while (t->nr)
		free(t->names[--t->nr].name);
	free(t->names);
	t->names = NULL;
	t->path = path;
	t->loaded = 0;
}

const char *user_name(uid_t uid)
{
	return names_find(&users, uid);
}

void user_set_passwd(const char *path)
{
	names_set_path(&users, path);
}

const char *group_name(gid_t gid)
{
	return names_find(&groups, gid);
}

void group_set_file(const char *path)
{
	names_set_path(&groups, path);
}
