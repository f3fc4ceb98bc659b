// SPDX-License-Identifier: GPL-2.0
/*
 * json_check: a strict JSON parser for shell tests where there is no jq.
 *
 *   json_check [OPTIONS] [FILE]     (FILE defaults to standard input)
 *
 * Without options it only checks that FILE is one valid JSON document
 * (RFC 8259: no trailing commas, no leading zeros, no raw control characters
 * in strings, valid escapes and UTF-8, no duplicate keys, nothing after the
 * value). Options add assertions, checked in this order:
 *
 *   --array                the document is an array
 *   --object               the document is an object
 *   --first-keys K1,K2,..  each object (the document, or each element of the
 *                          array) starts with exactly these keys, in order
 *   --keys K:TYPE,...      each object has these keys with these types;
 *                          TYPE is number, string, bool, null, object or
 *                          array, or several joined with '|' (number|null)
 *   --find KEY=VALUE       in an array, pick the first object whose KEY
 *                          prints as VALUE (as with --get); fail if none
 *   --length               print the number of elements or members
 *   --get PATH             print the value at PATH (keys and array indexes
 *                          separated by '.'; "" is the document itself):
 *                          strings unquoted, anything else as JSON text
 *
 * Exit status: 0 valid and every assertion holds, 1 otherwise (with a
 * message on stderr), 2 usage error.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH	256

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

static const char *const jtype_names[] = {
	"null", "bool", "number", "string", "array", "object",
};

/* "a number", "an object": for messages. */
static const char *a_type(enum jtype t)
{
	static const char *const with_article[] = {
		"null", "a bool", "a number", "a string", "an array",
		"an object",
	};

	return with_article[t];
}

/**
 * struct jval - one parsed value
 * @type:  its type
 * @start: its text in the document, for printing
 * @end:   one past its text
 * @str:   J_STRING: the decoded string
 * @n:     J_ARRAY, J_OBJECT: number of elements or members
 * @items: J_ARRAY: the elements; J_OBJECT: the members' values
 * @keys:  J_OBJECT: the members' keys, decoded
 */
struct jval {
	enum jtype type;
	const char *start, *end;
	char *str;
	size_t n;
	struct jval **items;
	char **keys;
};

struct jparser {
	const char *text, *p, *end;
};

static void __attribute__((noreturn, format(printf, 2, 3)))
jfail(struct jparser *jp, const char *fmt, ...)
{
	const char *c;
	int line = 1, col = 1;
	va_list ap;

	for (c = jp->text; c < jp->p; c++) {
		col++;
		if (*c == '\n') {
			line++;
			col = 1;
		}
	}
	fprintf(stderr, "json_check: invalid JSON at line %d column %d: ",
		line, col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("json_check: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		fail("out of memory");
	return p;
}

static void skip_ws(struct jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' ||
				   *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static int peek(struct jparser *jp)
{
	return jp->p < jp->end ? (unsigned char)*jp->p : -1;
}

static bool isdigit_(int c)
{
	return c >= '0' && c <= '9';
}

static void parse_number(struct jparser *jp)
{
	if (peek(jp) == '-')
		jp->p++;
	if (peek(jp) == '0') {
		jp->p++;
		if (isdigit_(peek(jp)))
			jfail(jp, "a number must not have a leading zero");
	} else if (isdigit_(peek(jp))) {
		while (isdigit_(peek(jp)))
			jp->p++;
	} else {
		jfail(jp, "expected a digit");
	}
	if (peek(jp) == '.') {
		jp->p++;
		if (!isdigit_(peek(jp)))
			jfail(jp, "expected a digit after '.'");
		while (isdigit_(peek(jp)))
			jp->p++;
	}
	if (peek(jp) == 'e' || peek(jp) == 'E') {
		jp->p++;
		if (peek(jp) == '+' || peek(jp) == '-')
			jp->p++;
		if (!isdigit_(peek(jp)))
			jfail(jp, "expected a digit in the exponent");
		while (isdigit_(peek(jp)))
			jp->p++;
	}
}

static unsigned int parse_hex4(struct jparser *jp)
{
	unsigned int v = 0, i;
	int c;

	for (i = 0; i < 4; i++) {
		c = peek(jp);
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			jfail(jp, "expected four hex digits after \\u");
		jp->p++;
	}
	return v;
}

static void put_utf8(char *out, size_t *len, unsigned int cp)
{
	if (cp < 0x80) {
		out[(*len)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*len)++] = (char)(0xc0 | cp >> 6);
		out[(*len)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*len)++] = (char)(0xe0 | cp >> 12);
		out[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*len)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*len)++] = (char)(0xf0 | cp >> 18);
		out[(*len)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*len)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*len)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* A raw UTF-8 sequence starting at jp->p: its length, or a failure. */
static size_t utf8_len(struct jparser *jp)
{
	const unsigned char *s = (const unsigned char *)jp->p;
	size_t avail = jp->end - jp->p, n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		jfail(jp, "invalid UTF-8 byte 0x%02x", s[0]);
	if (avail < n)
		jfail(jp, "truncated UTF-8 sequence");
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			jfail(jp, "invalid UTF-8 sequence");
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		jfail(jp, "invalid UTF-8 sequence");
	return n;
}

/* A string at jp->p (the opening quote): decoded, malloc()ed. */
static char *parse_string(struct jparser *jp)
{
	static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t len = 0, cap = 16, n;
	char *out = xrealloc(NULL, cap);
	const char *esc;
	unsigned int cp, lo;
	int c;

	jp->p++;
	for (;;) {
		if (cap - len < 8)
			out = xrealloc(out, cap *= 2);
		c = peek(jp);
		if (c < 0)
			jfail(jp, "unterminated string");
		if (c == '"') {
			jp->p++;
			break;
		}
		if (c < 0x20)
			jfail(jp, "raw control character 0x%02x in a string", c);
		if (c != '\\') {
			n = utf8_len(jp);
			memcpy(out + len, jp->p, n);
			len += n;
			jp->p += n;
			continue;
		}
		jp->p++;
		c = peek(jp);
		jp->p++;
		if (c == 'u') {
			cp = parse_hex4(jp);
			if (cp >= 0xdc00 && cp <= 0xdfff)
				jfail(jp, "lone low surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (peek(jp) != '\\' || jp->p + 1 >= jp->end ||
				    jp->p[1] != 'u')
					jfail(jp, "high surrogate without a low one");
				jp->p += 2;
				lo = parse_hex4(jp);
				if (lo < 0xdc00 || lo > 0xdfff)
					jfail(jp, "high surrogate without a low one");
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
			}
			put_utf8(out, &len, cp);
			continue;
		}
		/* The other escapes: the character after '\\' and its meaning. */
		esc = c > 0 ? strchr(escapes, c) : NULL;
		if (!esc || (esc - escapes) % 2) {
			jp->p--;
			jfail(jp, "invalid escape");
		}
		out[len++] = esc[1];
	}
	out[len] = '\0';
	return out;
}

static struct jval *parse_value(struct jparser *jp, int depth);

static void parse_container(struct jparser *jp, struct jval *v, int depth)
{
	bool object = v->type == J_OBJECT;
	char close = object ? '}' : ']';
	size_t i;

	if (depth > JSON_MAX_DEPTH)
		jfail(jp, "nested more than %d deep", JSON_MAX_DEPTH);
	jp->p++;
	skip_ws(jp);
	if (peek(jp) == close) {
		jp->p++;
		return;
	}
	for (;;) {
		skip_ws(jp);
		v->items = xrealloc(v->items, (v->n + 1) * sizeof(*v->items));
		if (object) {
			v->keys = xrealloc(v->keys, (v->n + 1) * sizeof(*v->keys));
			if (peek(jp) != '"')
				jfail(jp, "expected a key (a string)");
			v->keys[v->n] = parse_string(jp);
			for (i = 0; i < v->n; i++)
				if (!strcmp(v->keys[i], v->keys[v->n]))
					jfail(jp, "duplicate key \"%s\"",
					      v->keys[i]);
			skip_ws(jp);
			if (peek(jp) != ':')
				jfail(jp, "expected ':' after a key");
			jp->p++;
		}
		v->items[v->n++] = parse_value(jp, depth + 1);
		skip_ws(jp);
		if (peek(jp) == ',') {
			jp->p++;
			continue;
		}
		if (peek(jp) == close) {
			jp->p++;
			return;
		}
		jfail(jp, "expected ',' or '%c'", close);
	}
}

static bool match_word(struct jparser *jp, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n))
		return false;
	jp->p += n;
	return true;
}

static struct jval *parse_value(struct jparser *jp, int depth)
{
	struct jval *v = xrealloc(NULL, sizeof(*v));
	int c;

	memset(v, 0, sizeof(*v));
	skip_ws(jp);
	v->start = jp->p;
	c = peek(jp);
	if (c == '{') {
		v->type = J_OBJECT;
		parse_container(jp, v, depth);
	} else if (c == '[') {
		v->type = J_ARRAY;
		parse_container(jp, v, depth);
	} else if (c == '"') {
		v->type = J_STRING;
		v->str = parse_string(jp);
	} else if (c == '-' || isdigit_(c)) {
		v->type = J_NUMBER;
		parse_number(jp);
	} else if (match_word(jp, "true") || match_word(jp, "false")) {
		v->type = J_BOOL;
	} else if (match_word(jp, "null")) {
		v->type = J_NULL;
	} else if (c < 0) {
		jfail(jp, "expected a value, found the end");
	} else {
		jfail(jp, "expected a value");
	}
	v->end = jp->p;
	return v;
}

/* The value of @key in object @v, or NULL. */
static struct jval *member(const struct jval *v, const char *key)
{
	size_t i;

	for (i = 0; v->type == J_OBJECT && i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return v->items[i];
	return NULL;
}

/* Follow PATH ("a.0.b") from @v; NULL if it leads nowhere. */
static struct jval *lookup(struct jval *v, const char *path)
{
	char *copy = strdup(path), *part, *save = NULL, *end;
	unsigned long idx;

	if (!copy)
		fail("out of memory");
	for (part = strtok_r(copy, ".", &save); part && v;
	     part = strtok_r(NULL, ".", &save)) {
		if (v->type == J_ARRAY) {
			idx = strtoul(part, &end, 10);
			v = (*end || idx >= v->n) ? NULL : v->items[idx];
		} else {
			v = member(v, part);
		}
	}
	free(copy);
	return v;
}

/* A value as --get prints it: strings decoded, the rest as in the text. */
static void print_value(FILE *out, const struct jval *v)
{
	if (v->type == J_STRING)
		fputs(v->str, out);
	else
		fwrite(v->start, 1, v->end - v->start, out);
}

static bool value_equals(const struct jval *v, const char *text)
{
	if (v->type == J_STRING)
		return !strcmp(v->str, text);
	return strlen(text) == (size_t)(v->end - v->start) &&
	       !memcmp(v->start, text, v->end - v->start);
}

/* Is @v's type among "number|null"? */
static bool type_in(const struct jval *v, const char *types)
{
	const char *name = jtype_names[v->type];
	size_t n = strlen(name);
	const char *t = types;

	while (t && *t) {
		if (!strncmp(t, name, n) && (t[n] == '|' || !t[n]))
			return true;
		t = strchr(t, '|');
		if (t)
			t++;
	}
	return false;
}

/* --keys K:T,...: check one object; @where names it in messages. */
static void check_keys(const struct jval *obj, const char *spec,
		       const char *where)
{
	char *copy = strdup(spec), *item, *save = NULL, *colon;
	struct jval *v;

	if (!copy)
		fail("out of memory");
	if (obj->type != J_OBJECT)
		fail("%s is %s, not an object", where, a_type(obj->type));
	for (item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		colon = strchr(item, ':');
		if (colon)
			*colon = '\0';
		v = member(obj, item);
		if (!v)
			fail("%s has no key \"%s\"", where, item);
		if (colon && !type_in(v, colon + 1))
			fail("%s: \"%s\" is %s, not %s", where, item,
			     a_type(v->type), colon + 1);
	}
	free(copy);
}

/* --first-keys K1,K2: the object's keys start with exactly these. */
static void check_first_keys(const struct jval *obj, const char *spec,
			     const char *where)
{
	char *copy = strdup(spec), *item, *save = NULL;
	size_t i = 0;

	if (!copy)
		fail("out of memory");
	if (obj->type != J_OBJECT)
		fail("%s is %s, not an object", where, a_type(obj->type));
	for (item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save), i++) {
		if (i >= obj->n)
			fail("%s has %zu keys; key %zu should be \"%s\"", where,
			     obj->n, i + 1, item);
		if (strcmp(obj->keys[i], item))
			fail("%s: key %zu is \"%s\", expected \"%s\"", where,
			     i + 1, obj->keys[i], item);
	}
	free(copy);
}

/* Apply @check to the document if an object, else to each element. */
static void each_object(const struct jval *doc, const char *spec,
			void (*check)(const struct jval *, const char *,
				      const char *))
{
	char where[64];
	size_t i;

	if (doc->type != J_ARRAY) {
		check(doc, spec, "the object");
		return;
	}
	for (i = 0; i < doc->n; i++) {
		snprintf(where, sizeof(where), "element %zu", i);
		check(doc->items[i], spec, where);
	}
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n;
	char *buf = xrealloc(NULL, cap);

	*len = 0;
	while ((n = fread(buf + *len, 1, cap - *len, f)) > 0) {
		*len += n;
		if (*len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (ferror(f))
		fail("read error");
	return buf;
}

static void usage(FILE *out, int code)
{
	fprintf(out,
		"Usage: json_check [--array|--object] [--first-keys K,...] [--keys K:TYPE,...]\n"
		"                  [--find KEY=VALUE] [--length] [--get PATH] [FILE]\n");
	exit(code);
}

int main(int argc, char **argv)
{
	const char *keys = NULL, *first = NULL, *find = NULL, *get = NULL;
	const char *file = NULL, *want = NULL;
	bool length = false;
	struct jparser jp;
	struct jval *doc, *v;
	char *text, *eq;
	size_t len, i;
	FILE *f = stdin;
	int a;

	for (a = 1; a < argc; a++) {
		const char *o = argv[a];

		if (!strcmp(o, "--array") || !strcmp(o, "--object"))
			want = o + 2;
		else if (!strcmp(o, "--length"))
			length = true;
		else if (!strcmp(o, "-h") || !strcmp(o, "--help"))
			usage(stdout, 0);
		else if (a + 1 < argc && !strcmp(o, "--keys"))
			keys = argv[++a];
		else if (a + 1 < argc && !strcmp(o, "--first-keys"))
			first = argv[++a];
		else if (a + 1 < argc && !strcmp(o, "--find"))
			find = argv[++a];
		else if (a + 1 < argc && !strcmp(o, "--get"))
			get = argv[++a];
		else if (o[0] == '-' && o[1])
			usage(stderr, 2);
		else if (!file)
			file = o;
		else
			usage(stderr, 2);
	}
	if (file && strcmp(file, "-")) {
		f = fopen(file, "r");
		if (!f)
			fail("cannot open %s", file);
	}
	text = read_all(f, &len);
	jp.text = jp.p = text;
	jp.end = text + len;
	doc = parse_value(&jp, 0);
	skip_ws(&jp);
	if (jp.p != jp.end)
		jfail(&jp, "unexpected text after the document");

	if (want && strcmp(jtype_names[doc->type], want))
		fail("the document is %s, not an %s", a_type(doc->type),
		     want);
	if (first)
		each_object(doc, first, check_first_keys);
	if (keys)
		each_object(doc, keys, check_keys);
	if (find) {
		eq = strchr(find, '=');
		if (!eq || doc->type != J_ARRAY)
			fail("--find needs KEY=VALUE and an array");
		*eq = '\0';
		for (i = 0; i < doc->n; i++) {
			v = member(doc->items[i], find);
			if (v && value_equals(v, eq + 1))
				break;
		}
		if (i == doc->n)
			fail("no element has %s=%s", find, eq + 1);
		doc = doc->items[i];
	}
	if (length) {
		if (doc->type != J_ARRAY && doc->type != J_OBJECT)
			fail("--length of %s", a_type(doc->type));
		printf("%zu\n", doc->n);
	}
	if (get) {
		v = *get ? lookup(doc, get) : doc;
		if (!v)
			fail("no value at \"%s\"", get);
		print_value(stdout, v);
		putchar('\n');
	}
	return 0;
}
