// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of the CPython pieces the homework simulators need: the
 * Mersenne Twister and random() for many seeds, int() and optparse's int
 * type, float(), str() of a float and '%d' of a float, all against what
 * CPython 3.11 answered (homework/pydata.txt, made by gen_pydata.py).
 * TAP output; exit status 1 if any case fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pynum.h"
#include "../pyrandom.h"
#include "tap.h"

#define LINE_MAX_LEN	(64 * 1024)

/* Hex bytes ("-": none) back to a string, in place. */
static char *unhex(char *hex)
{
	size_t i, n = strlen(hex) / 2;
	unsigned int byte;

	if (!strcmp(hex, "-"))
		return strcpy(hex, "");
	for (i = 0; i < n; i++) {
		sscanf(hex + 2 * i, "%2x", &byte);
		hex[i] = (char)byte;
	}
	hex[n] = '\0';
	return hex;
}

/* A 64-bit pattern in hex as the double it is. */
static double bits_double(const char *hex)
{
	unsigned long long u = strtoull(hex, NULL, 16);
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/* Python's hex() of an int ("-0x1f"), as a py_int. */
static void parse_hex(const char *text, struct py_int *v)
{
	if (py_int_parse(text, 16, v))
		abort();
}

/* Is @v what Python's hex() said, or "ERR" for a failed parse (@rc)? */
static int same_int(int rc, struct py_int *v, const char *want)
{
	struct py_int w;
	int same;

	if (!strcmp(want, "ERR"))
		return rc != 0;
	if (rc)
		return 0;
	parse_hex(want, &w);
	same = v->neg == w.neg && v->n == w.n &&
	       !memcmp(v->w, w.w, v->n * sizeof(*v->w));
	py_int_free(&w);
	py_int_free(v);
	return same;
}

/* Seed @r from Python's hex() of the seed. */
static void seed_hex(struct py_random *r, const char *hex)
{
	struct py_int v;
	uint32_t zero = 0;

	parse_hex(hex, &v);
	py_random_seed_words(r, v.n ? v.w : &zero, v.n ? v.n : 1);
	py_int_free(&v);
}

/* U/R lines: the generator's words and random() from one seed. */
static void check_random(char kind, char *seed, char *rest)
{
	struct py_random r;
	char *tok;
	int i = 0, bad = 0;

	seed_hex(&r, seed);
	for (tok = strtok(rest, " "); tok; tok = strtok(NULL, " "), i++) {
		if (kind == 'U') {
			bad |= py_random_u32(&r) != strtoul(tok, NULL, 10);
			continue;
		}
		bad |= py_random_random(&r) != bits_double(tok);
		for (int skip = 1; skip < 50; skip++)	/* every 50th */
			py_random_random(&r);
	}
	ok(!bad && i > 0, "%s seed %s: %d values as CPython's",
	   kind == 'U' ? "getrandbits(32)" : "random()", seed, i);
}

static void check_line(char *line)
{
	char *f[4] = { NULL }, buf[400], repr[PY_FLOAT_REPR_LEN];
	struct py_int v;
	double x;
	int i, rc;

	line[strcspn(line, "\n")] = '\0';
	f[0] = strtok(line, " ");
	for (i = 1; i < 3 && f[i - 1]; i++)
		f[i] = strtok(NULL, i == 2 && (*f[0] == 'U' || *f[0] == 'R') ?
				    "" : " ");
	if (!f[0] || !f[1] || !f[2])
		return;
	switch (*f[0]) {
	case 'U':
	case 'R':
		check_random(*f[0], f[1], f[2]);
		break;
	case 'I':
		f[3] = strtok(NULL, " ");
		rc = py_int_parse(unhex(f[2]), atoi(f[1]), &v);
		ok(same_int(rc, &v, f[3]), "int('%.40s', %s) is %.40s", f[2],
		   f[1], f[3]);
		break;
	case 'O':
		rc = py_int_parse_option(unhex(f[1]), &v);
		ok(same_int(rc, &v, f[2]), "optparse int '%.40s' is %.40s",
		   f[1], f[2]);
		break;
	case 'F':
		rc = py_float_parse(unhex(f[1]), &x);
		if (!strcmp(f[2], "ERR"))
			ok(rc != 0, "float('%s') is an error", f[1]);
		else
			ok(!rc && !memcmp(&x, &(double){ bits_double(f[2]) },
					  sizeof(x)),
			   "float('%s') as CPython", f[1]);
		break;
	case 'S':
		py_float_repr(bits_double(f[1]), repr);
		ok(!strcmp(repr, f[2]), "str(float %s) is %s (got %s)", f[1],
		   f[2], repr);
		break;
	case 'D':
		f[3] = strtok(NULL, " ");
		unhex(f[3]);
		ok(py_format_d(bits_double(f[1]), atoi(f[2]), buf, sizeof(buf)) &&
		   !strcmp(buf, f[3]), "'%%%sd' %% float %s is '%s'", f[2],
		   f[1], f[3]);
		break;
	}
}

/* str() of an int: the printer ARG seed uses, and its digit limit. */
static void check_int_str(void)
{
	struct py_int v;
	char *s, big[PY_INT_MAX_STR_DIGITS + 2];

	py_int_parse_option("-0x10", &v);	/* not an int: optparse */
	py_int_parse_option("0x10", &v);
	s = py_int_str(&v);
	ok(s && !strcmp(s, "16"), "str(0x10) is 16");
	free(s);
	py_int_free(&v);
	py_int_parse("-12345678901234567890123456789", 10, &v);
	s = py_int_str(&v);
	ok(s && !strcmp(s, "-12345678901234567890123456789"),
	   "str() of a negative int of four words");
	free(s);
	py_int_free(&v);
	memset(big, '9', PY_INT_MAX_STR_DIGITS);
	big[PY_INT_MAX_STR_DIGITS] = '\0';
	py_int_parse(big, 10, &v);
	s = py_int_str(&v);
	ok(s && !strcmp(s, big), "str() of a %d-digit int", PY_INT_MAX_STR_DIGITS);
	free(s);
	py_int_free(&v);
	py_int_parse("0x1" "0000000000000000000000000000000000000000", 16, &v);
	s = py_int_str(&v);
	ok(s && !strcmp(s, "1461501637330902918203684832716283019655932542976"),
	   "str(2**160)");
	free(s);
	py_int_free(&v);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/homework/pydata.txt";
	FILE *f = fopen(path, "r");
	char *line = malloc(LINE_MAX_LEN);

	if (!f || !line) {
		perror(path);
		return 1;
	}
	while (fgets(line, LINE_MAX_LEN, f))
		check_line(line);
	fclose(f);
	free(line);
	check_int_str();
	return tap_done();
}
