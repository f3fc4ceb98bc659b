// SPDX-License-Identifier: GPL-2.0
/*
 * Python's number syntax and number printing, written from the language
 * reference and checked against CPython 3.11 (tests/test_pynum.c): what
 * int(), optparse and float() accept, and what str() and '%d' print.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pynum.h"

/* Limbs of 10^9 for printing big numbers in decimal. */
#define PY_DEC_LIMB		1000000000U
#define PY_DEC_LIMB_DIGITS	9

/* The spaces int() and float() strip around their text. */
static int py_is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of digit @c in @base, or -1. */
static int py_digit(char c, int base)
{
	int d = -1;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d < base ? d : -1;
}

void py_int_free(struct py_int *v)
{
	free(v->w);
	v->w = NULL;
	v->n = 0;
	v->neg = 0;
}

/* @v = @v * @mul + @add; 0 or -1 if out of memory. */
static int py_int_muladd(struct py_int *v, uint32_t mul, uint32_t add)
{
	uint64_t carry = add;
	uint32_t *w;
	size_t i;

	for (i = 0; i < v->n; i++) {
		carry += (uint64_t)v->w[i] * mul;
		v->w[i] = (uint32_t)carry;
		carry >>= 32;
	}
	if (!carry)
		return 0;
	w = realloc(v->w, (v->n + 1) * sizeof(*w));
	if (!w)
		return -1;
	v->w = w;
	v->w[v->n++] = (uint32_t)carry;
	return 0;
}

/* Skip a base prefix of int(text, base): 0x, 0o or 0b, then one '_'. */
static const char *py_int_skip_prefix(const char *s, int base)
{
	char p = base == 16 ? 'x' : base == 8 ? 'o' : base == 2 ? 'b' : 0;

	if (!p || s[0] != '0' || (s[1] | 0x20) != p)
		return s;
	s += 2;
	return *s == '_' ? s + 1 : s;
}

int py_int_parse(const char *text, int base, struct py_int *v)
{
	const char *s = text, *end;
	size_t digits = 0;
	int d;

	v->neg = 0;
	v->n = 0;
	v->w = NULL;
	while (py_is_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && py_is_space(end[-1]))
		end--;
	if (s < end && (*s == '+' || *s == '-'))
		v->neg = *s++ == '-';
	s = py_int_skip_prefix(s, base);
	for (; s < end; s++) {
		if (*s == '_' && digits && s + 1 < end &&
		    py_digit(s[1], base) >= 0)
			continue;
		d = py_digit(*s, base);
		if (d < 0 || py_int_muladd(v, base, d))
			goto bad;
		digits++;
	}
	if (!digits || (base == 10 && digits > PY_INT_MAX_STR_DIGITS))
		goto bad;
	while (v->n && !v->w[v->n - 1])
		v->n--;
	if (!v->n)
		v->neg = 0;
	return 0;
bad:
	py_int_free(v);
	return -1;
}

int py_int_parse_option(const char *text, struct py_int *v)
{
	if (text[0] == '0' && (text[1] | 0x20) == 'x')
		return py_int_parse(text, 16, v);
	if (text[0] == '0' && (text[1] | 0x20) == 'b')
		return py_int_parse(text[2] ? text + 2 : "0", 2, v);
	if (text[0] == '0')
		return py_int_parse(text, 8, v);
	return py_int_parse(text, 10, v);
}

int py_int_to_i64(const struct py_int *v, int64_t *out)
{
	uint64_t mag = 0;

	if (v->n > 2)
		return -1;
	if (v->n > 0)
		mag = v->w[0];
	if (v->n > 1)
		mag |= (uint64_t)v->w[1] << 32;
	if (mag > (uint64_t)INT64_MAX + v->neg)
		return -1;
	*out = v->neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return 0;
}

/* @limbs[0..n) of 10^9, most significant last, as text after @sign. */
static char *py_dec_text(const uint32_t *limbs, size_t n, int neg)
{
	char *buf = malloc(n * PY_DEC_LIMB_DIGITS + 2), *p = buf;
	size_t i;

	if (!buf)
		return NULL;
	if (neg)
		*p++ = '-';
	p += sprintf(p, "%u", limbs[n - 1]);
	for (i = n - 1; i-- > 0;)
		p += sprintf(p, "%09u", limbs[i]);
	return buf;
}

char *py_int_str(const struct py_int *v)
{
	uint32_t *w, *dec;
	size_t n = v->n, nd = 0, i;
	uint64_t rem;
	char *text = NULL;

	if (!n)
		return strdup("0");
	w = malloc(n * sizeof(*w));
	/* log10(2^32) < 9.64: at most 1.1 limbs of 10^9 per word, and one. */
	dec = malloc((n * 11 / 10 + 2) * sizeof(*dec));
	if (!w || !dec)
		goto out;
	memcpy(w, v->w, n * sizeof(*w));
	while (n) {
		rem = 0;
		for (i = n; i-- > 0;) {
			rem = rem << 32 | w[i];
			w[i] = (uint32_t)(rem / PY_DEC_LIMB);
			rem %= PY_DEC_LIMB;
		}
		dec[nd++] = (uint32_t)rem;
		while (n && !w[n - 1])
			n--;
	}
	text = py_dec_text(dec, nd, v->neg);
	if (text && strlen(text) - v->neg > PY_INT_MAX_STR_DIGITS) {
		free(text);
		text = NULL;
	}
out:
	free(w);
	free(dec);
	return text;
}

/* A digitpart of float(): digits with single '_' between; copies digits. */
static const char *py_float_digits(const char *s, char **out)
{
	const char *start = s;

	while ((*s >= '0' && *s <= '9') ||
	       (*s == '_' && s > start && s[-1] != '_' && s[1] >= '0' &&
		s[1] <= '9')) {
		if (*s != '_')
			*(*out)++ = *s;
		s++;
	}
	return s;
}

/* Case-insensitive: does @s start with @word? */
static int py_starts(const char *s, const char *word)
{
	for (; *word; s++, word++)
		if ((*s | 0x20) != *word)
			return 0;
	return 1;
}

int py_float_parse(const char *text, double *out)
{
	const char *s = text, *end, *p;
	char *buf, *o;
	size_t mantissa;
	int ret = -1;

	while (py_is_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && py_is_space(end[-1]))
		end--;
	buf = malloc(end - s + 2);
	if (!buf)
		return -1;
	o = buf;
	if (s < end && (*s == '+' || *s == '-'))
		*o++ = *s++;
	if ((end - s == 3 && py_starts(s, "inf")) ||
	    (end - s == 8 && py_starts(s, "infinity")) ||
	    (end - s == 3 && py_starts(s, "nan"))) {
		memcpy(o, s, 3);
		o[3] = '\0';
		goto convert;
	}
	p = py_float_digits(s, &o);
	mantissa = p - s;
	if (*p == '.') {
		*o++ = *p++;
		s = p;
		p = py_float_digits(p, &o);
		mantissa += p - s;
	}
	if (!mantissa)
		goto out;	/* no digits, or "." alone */
	if (*p == 'e' || *p == 'E') {
		*o++ = *p++;
		if (*p == '+' || *p == '-')
			*o++ = *p++;
		s = p;
		p = py_float_digits(p, &o);
		if (p == s)
			goto out;
	}
	if (p != end)
		goto out;
	*o = '\0';
convert:
	*out = strtod(buf, NULL);
	ret = 0;
out:
	free(buf);
	return ret;
}

/* The double nearest to @m * 10^@e. */
static double py_read_back(uint64_t m, int e)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%llue%d", (unsigned long long)m, e);
	return strtod(buf, NULL);
}

/*
 * The shortest digits of a positive finite @x that read back, the
 * nearest of them to @x: @digits without trailing zeros and @decpt, the
 * place of the point (x = 0.DIGITS * 10^decpt).
 */
static void py_shortest(double x, char digits[20], int *decpt)
{
	char buf[40], *e;
	unsigned long long m;
	double back;
	int p, exp10, len;

	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, x);
		e = strchr(buf, 'e');
		exp10 = atoi(e + 1);
		*e = '\0';
		if (buf[1] == '.')
			memmove(buf + 1, buf + 2, strlen(buf + 2) + 1);
		m = strtoull(buf, NULL, 10);
		back = py_read_back(m, exp10 - p + 1);
		if (back == x)
			break;
		/* Next to a power of two the other neighbour may fit. */
		m = back > x ? m - 1 : m + 1;
		if (m && py_read_back(m, exp10 - p + 1) == x)
			break;
	}
	len = snprintf(digits, 20, "%llu", m);
	*decpt = exp10 - p + 1 + len;
	while (len > 1 && digits[len - 1] == '0')
		digits[--len] = '\0';
}

void py_float_repr(double x, char buf[PY_FLOAT_REPR_LEN])
{
	char digits[20], *p = buf;
	int decpt, nd, i;

	if (isnan(x)) {
		strcpy(buf, "nan");
		return;
	}
	if (signbit(x))
		*p++ = '-';
	x = fabs(x);
	if (isinf(x) || x == 0) {
		strcpy(p, isinf(x) ? "inf" : "0.0");
		return;
	}
	py_shortest(x, digits, &decpt);
	nd = strlen(digits);
	if (decpt - 1 < -4 || decpt - 1 >= 16) {
		*p++ = digits[0];
		if (nd > 1)
			p += sprintf(p, ".%s", digits + 1);
		sprintf(p, "e%c%02d", decpt - 1 < 0 ? '-' : '+',
			abs(decpt - 1));
	} else if (decpt <= 0) {
		p += sprintf(p, "0.");
		for (i = 0; i < -decpt; i++)
			*p++ = '0';
		strcpy(p, digits);
	} else if (decpt >= nd) {
		p += sprintf(p, "%s", digits);
		for (i = nd; i < decpt; i++)
			*p++ = '0';
		strcpy(p, ".0");
	} else {
		sprintf(p, "%.*s.%s", decpt, digits, digits + decpt);
	}
}

/* The integer @x (>= 2^63, finite) in decimal, exactly. */
static char *py_big_integer(double x)
{
	uint32_t limbs[40] = { 0 };	/* 2^1024 < 10^309: 35 limbs */
	size_t n = 0, i;
	uint64_t m, carry;
	int e, shift;

	m = (uint64_t)ldexp(frexp(x, &e), 53);
	e -= 53;
	for (; m; m /= PY_DEC_LIMB)
		limbs[n++] = m % PY_DEC_LIMB;
	for (; e > 0; e -= shift) {
		shift = e > 29 ? 29 : e;
		carry = 0;
		for (i = 0; i < n; i++) {
			carry += (uint64_t)limbs[i] << shift;
			limbs[i] = carry % PY_DEC_LIMB;
			carry /= PY_DEC_LIMB;
		}
		while (carry) {
			limbs[n++] = carry % PY_DEC_LIMB;
			carry /= PY_DEC_LIMB;
		}
	}
	return py_dec_text(limbs, n, 0);
}

char *py_format_d(double x, int width, char *buf, size_t len)
{
	double t = trunc(x);
	char *big;
	int n;

	if (fabs(t) < 9223372036854775808.0) {
		n = snprintf(buf, len, "%*lld", width, (long long)t);
	} else {
		big = py_big_integer(fabs(t));
		if (!big)
			return NULL;
		n = width - (int)strlen(big) - (t < 0);
		n = snprintf(buf, len, "%*s%s%s", n > 0 ? n : 0, "",
			     t < 0 ? "-" : "", big);
		free(big);
	}
	return n >= 0 && (size_t)n < len ? buf : NULL;
}
