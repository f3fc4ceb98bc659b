/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Python's numbers as OSTEP's simulators read and print them: int() and
 * optparse's "int" type, float(), str() of an int or a float, and '%d' of
 * a float. ASCII only: Python also takes other Unicode digits and spaces.
 */
#ifndef MINIPROC_CLI_PYNUM_H
#define MINIPROC_CLI_PYNUM_H

#include <stddef.h>
#include <stdint.h>

/* CPython's limit on decimal digits in int() and str() of an int. */
#define PY_INT_MAX_STR_DIGITS	4300

/* Room for any py_float_repr() text. */
#define PY_FLOAT_REPR_LEN	32

/**
 * struct py_int - an int of any size
 * @neg: it is negative
 * @n:   words in @w; 0 for zero
 * @w:   the absolute value, 32-bit words, least significant first (malloc)
 */
struct py_int {
	int neg;
	size_t n;
	uint32_t *w;
};

/* Free @v's words; it becomes zero. */
void py_int_free(struct py_int *v);

/*
 * int(@text, @base) for base 2, 8, 10 or 16: spaces around, a sign, the
 * prefix 0b/0o/0x for its base, '_' between digits. 0 or -1 (not an int,
 * or more than PY_INT_MAX_STR_DIGITS decimal digits).
 */
int py_int_parse(const char *text, int base, struct py_int *v);

/*
 * An optparse "int" option's value: 0x... as hex, 0b... as binary, a
 * leading 0 as octal, else decimal; then int(text, base). 0 or -1.
 */
int py_int_parse_option(const char *text, struct py_int *v);

/* @v as an int64_t; -1 if it does not fit. */
int py_int_to_i64(const struct py_int *v, int64_t *out);

/*
 * str(@v) in a malloc()ed string; NULL if out of memory or, as CPython
 * refuses, longer than PY_INT_MAX_STR_DIGITS digits.
 */
char *py_int_str(const struct py_int *v);

/*
 * float(@text): spaces around, a sign, digits with '_' between them, a
 * '.', an exponent; or inf, infinity, nan. 0 or -1.
 */
int py_float_parse(const char *text, double *out);

/* repr(@x) == str(@x) in Python 3: the shortest text that reads back. */
void py_float_repr(double x, char buf[PY_FLOAT_REPR_LEN]);

/*
 * '%*d' % @x for a finite float: int(@x) (truncated), exactly, right
 * aligned in @width. Returns @buf, or NULL if @len is too small.
 */
char *py_format_d(double x, int width, char *buf, size_t len);

#endif /* MINIPROC_CLI_PYNUM_H */
