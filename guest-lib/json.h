/*
 * json.h - a tiny, strict JSON reader/writer for the guest modules.
 *
 * Reader: json_parse() validates a whole document (RFC 8259: one value with
 * optional surrounding whitespace; strings must be valid UTF-8, escapes are
 * checked, numbers follow the JSON grammar, nesting is limited to
 * JSON_MAX_DEPTH levels so hostile input can never exhaust the stack).
 * A json_value is a typed span of the original text; nothing is copied until
 * json_string_decode() turns a string value into UTF-8 (\uXXXX escapes,
 * including surrogate pairs, become UTF-8; a lone surrogate becomes U+FFFD).
 * Nested objects and arrays are skipped as a whole while iterating.
 *
 * Writer: a growable buffer with JSON string escaping.
 */
#ifndef GUEST_LIB_JSON_H
#define GUEST_LIB_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

typedef enum {
    JSON_INVALID = 0,
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct {
    json_type type;
    const char *p; /* first byte of the value's text */
    size_t n;      /* length of the value's text */
} json_value;

/* Validate the document s[0..n) and describe its single top-level value.
 * Returns 0 on success, -1 if the text is not valid JSON. */
int json_parse(const char *s, size_t n, json_value *out);

/* Iterate the members of an OBJECT value obtained from json_parse (or from
 * another iteration). The text must be one json_parse validated: iteration
 * only finds where values end, it does not check them again. */
typedef struct {
    const char *p;
    const char *end;
} json_iter;

void json_iter_init(json_iter *it, const json_value *obj);
/* Returns 1 and fills key (a STRING value) and val, or 0 at the end. */
int json_iter_next(json_iter *it, json_value *key, json_value *val);

/* Does the STRING value, decoded, equal the NUL-terminated name? ci != 0
 * compares ASCII letters case-insensitively. Allocates nothing. */
int json_string_equals(const json_value *str, const char *name, int ci);

/* Look up a member by name (json_string_equals on each key). Returns the
 * number of matching members (0 = absent) and stores the FIRST match in
 * *out. Returns -1 if obj is not an object. Each call walks the whole
 * object: to look up several names, iterate once instead. */
int json_object_find(const json_value *obj, const char *name, int ci, json_value *out);

/* Decode a STRING value into a fresh malloc'd UTF-8 buffer, NUL-terminated
 * (the text itself may contain NUL from \u0000; *len is the true length).
 * Returns 0 on success, -1 on error. */
int json_string_decode(const json_value *str, char **out, size_t *len);

/* Read a NUMBER value that is an integer (no fraction, no exponent) and fits
 * in int64_t. Returns 0 on success, -1 otherwise. */
int json_integer(const json_value *v, int64_t *out);

/* ---- writer ---- */
typedef struct {
    char *buf;
    size_t len;
    size_t cap;
    int oom; /* set once an allocation failed; further appends are ignored */
} json_writer;

void jw_init(json_writer *w);
void jw_free(json_writer *w);
void jw_raw(json_writer *w, const char *s, size_t n);
void jw_cstr(json_writer *w, const char *s);  /* raw, NUL-terminated */
void jw_string(json_writer *w, const char *s, size_t n); /* quoted+escaped */
/* The escaped text of a string without the quotes: '"', '\\' and control
 * characters are escaped; other bytes (valid UTF-8 expected) are copied. */
void jw_escaped(json_writer *w, const char *s, size_t n);
void jw_int(json_writer *w, int64_t v);

/* Small byte-string helpers. */
/* Does hay[0..hn) contain the NUL-terminated needle? */
int bytes_contains(const char *hay, size_t hn, const char *needle);
/* Does s[0..n) end with the NUL-terminated suffix? */
int bytes_ends_with(const char *s, size_t n, const char *suffix);

#endif
