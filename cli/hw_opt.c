// SPDX-License-Identifier: GPL-2.0
/*
 * optparse's rules, from its documentation and behaviour under Python 3.11;
 * its errors become miniproc's usage errors (a sentence, exit 2).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hw_opt.h"
#include "pynum.h"

/* Width of the option column in --help. */
#define HW_OPT_HELP_COLUMN	26
/* Help lines end before this column. */
#define HW_OPT_HELP_WIDTH	79

static int hw_opt_end(const struct hw_opt *o)
{
	return !o->short_name && !o->long_name;
}

static struct hw_opt *hw_opt_short(struct hw_opt *opts, char c)
{
	for (; !hw_opt_end(opts); opts++)
		if (opts->short_name && opts->short_name == c)
			return opts;
	return NULL;
}

/*
 * The long option @name (without "--", @len bytes) names: an exact match,
 * else the only option it is a prefix of, the simulator's first. NULL
 * after a usage error for @cmd.
 */
static struct hw_opt *hw_opt_long(const char *cmd, struct hw_opt *opts,
				  const char *name, size_t len)
{
	struct hw_opt *o, *found = NULL;
	char list[512] = "";
	int tier, n = 0;

	for (o = opts; !hw_opt_end(o); o++)
		if (o->long_name && strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	for (tier = 0; tier < 2 && !n; tier++) {
		for (o = opts; !hw_opt_end(o); o++) {
			if (!o->long_name || o->ours != tier ||
			    strncmp(o->long_name, name, len))
				continue;
			found = o;
			n++;
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s--%s", n > 1 ? ", " : "", o->long_name);
		}
	}
	if (n == 1)
		return found;
	if (!n)
		cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
	else
		cli_usage_error(cmd, "ambiguous option '--%.*s': which of %s?",
				(int)len, name, list);
	return NULL;
}

/* Take @value for @o (typed as @as); EXIT_USAGE if it is not an int. */
static int hw_opt_store(const char *cmd, struct hw_opt *o, const char *as,
			const char *value)
{
	struct py_int v;

	if (o->type == HW_OPT_INT) {
		if (py_int_parse_option(value, &v))
			return cli_usage_error(cmd, "option '%s': '%s' is not an integer",
					       as, value);
		py_int_free(&v);
	}
	o->value = value;
	o->given++;
	return 0;
}

/* "--name[=value]" at argv[*i]; advances *i past what it used. */
static int hw_opt_parse_long(const char *cmd, struct hw_opt *opts, int argc,
			     char **argv, int *i)
{
	const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
	struct hw_opt *o;
	char as[64];

	o = hw_opt_long(cmd, opts, arg, eq ? (size_t)(eq - arg) : strlen(arg));
	if (!o)
		return EXIT_USAGE;
	(*i)++;
	snprintf(as, sizeof(as), "--%s", o->long_name);
	if (o->type == HW_OPT_HELP && !eq)
		return HW_OPT_HELP_ASKED;
	if (o->type == HW_OPT_FLAG || o->type == HW_OPT_HELP) {
		if (eq)
			return cli_usage_error(cmd, "option '%s' takes no value", as);
		o->given++;
		return 0;
	}
	if (eq)
		return hw_opt_store(cmd, o, as, eq + 1);
	if (*i >= argc)
		return cli_usage_error(cmd, "option '%s' needs an argument", as);
	return hw_opt_store(cmd, o, as, argv[(*i)++]);
}

/* "-abc" at argv[*i]: flags, then maybe one option with its value. */
static int hw_opt_parse_short(const char *cmd, struct hw_opt *opts, int argc,
			      char **argv, int *i)
{
	const char *arg = argv[(*i)++], *c;
	struct hw_opt *o;
	char as[3] = "-";

	for (c = arg + 1; *c; c++) {
		as[1] = *c;
		o = hw_opt_short(opts, *c);
		if (!o)
			return cli_usage_error(cmd, "unknown option '%s'", as);
		if (o->type == HW_OPT_HELP)
			return HW_OPT_HELP_ASKED;
		if (o->type == HW_OPT_FLAG) {
			o->given++;
			continue;
		}
		if (c[1])
			return hw_opt_store(cmd, o, as, c + 1);
		if (*i >= argc)
			return cli_usage_error(cmd, "option '%s' needs an argument",
					       as);
		return hw_opt_store(cmd, o, as, argv[(*i)++]);
	}
	return 0;
}

int hw_opt_parse(const char *cmd, struct hw_opt *opts, int argc, char **argv)
{
	int i = 1, ret = 0;

	while (i < argc && !ret) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strncmp(argv[i], "--", 2))
			ret = hw_opt_parse_long(cmd, opts, argc, argv, &i);
		else if (argv[i][0] == '-' && argv[i][1])
			ret = hw_opt_parse_short(cmd, opts, argc, argv, &i);
		else
			return cli_usage_error(cmd, "unexpected argument '%s'",
					       argv[i]);
	}
	if (!ret && i < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	return ret;
}

/* @text from column @col on, wrapped at HW_OPT_HELP_WIDTH, then a newline. */
static void hw_opt_wrap(FILE *out, const char *text, int col)
{
	int pos = col, len;

	while (*text) {
		len = strcspn(text, " ");
		if (pos > col && pos + 1 + len > HW_OPT_HELP_WIDTH) {
			fprintf(out, "\n%*s", col, "");
			pos = col;
		} else if (pos > col) {
			fputc(' ', out);
			pos++;
		}
		fprintf(out, "%.*s", len, text);
		pos += len;
		text += len;
		text += strspn(text, " ");
	}
	fputc('\n', out);
}

void hw_opt_print_help(FILE *out, const struct hw_opt *opts)
{
	char names[128];
	int n;

	for (; !hw_opt_end(opts); opts++) {
		n = 0;
		if (opts->short_name)
			n += snprintf(names + n, sizeof(names) - n, "-%c%s%s%s",
				      opts->short_name,
				      opts->metavar ? " " : "",
				      opts->metavar ? opts->metavar : "",
				      opts->long_name ? ", " : "");
		if (opts->long_name)
			snprintf(names + n, sizeof(names) - n, "--%s%s%s",
				 opts->long_name, opts->metavar ? "=" : "",
				 opts->metavar ? opts->metavar : "");
		if (strlen(names) + 2 >= HW_OPT_HELP_COLUMN)
			fprintf(out, "  %s\n%*s", names, HW_OPT_HELP_COLUMN + 2,
				"");
		else
			fprintf(out, "  %-*s  ", HW_OPT_HELP_COLUMN - 2, names);
		hw_opt_wrap(out, opts->help, HW_OPT_HELP_COLUMN + 2);
	}
}
