#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- call memory: everything allocated during an export call, freed when it returns ---- */

typedef union pdk_block {
    struct {
        union pdk_block *next;
        void *adopted; /* a malloc'd buffer owned by this block, or NULL */
    } h;
    max_align_t align;
} pdk_block;

static pdk_block *pdk_blocks;

void *pdk_alloc(size_t size) {
    if (size > SIZE_MAX - sizeof(pdk_block)) return NULL;
    pdk_block *b = malloc(sizeof(pdk_block) + size);
    if (!b) return NULL;
    b->h.next = pdk_blocks;
    b->h.adopted = NULL;
    pdk_blocks = b;
    return b + 1;
}

/* Frees p (from malloc) when the call ends. Returns -1 (and frees p) when out of memory. */
static int pdk_adopt(void *p) {
    pdk_block *b = malloc(sizeof(pdk_block));
    if (!b) {
        free(p);
        return -1;
    }
    b->h.next = pdk_blocks;
    b->h.adopted = p;
    pdk_blocks = b;
    return 0;
}

static void pdk_free_all(void) {
    while (pdk_blocks) {
        pdk_block *next = pdk_blocks->h.next;
        free(pdk_blocks->h.adopted);
        free(pdk_blocks);
        pdk_blocks = next;
    }
}

/* ---- strings ---- */

pdk_string pdk_str(const char *s) {
    pdk_string r = {s ? s : "", s ? strlen(s) : 0};
    return r;
}

pdk_string pdk_strn(const char *s, size_t n) {
    pdk_string r = {s ? s : "", s ? n : 0};
    return r;
}

bool pdk_contains(pdk_string s, const char *needle) {
    return s.data && bytes_contains(s.data, s.len, needle);
}

bool pdk_equals(pdk_string s, const char *other) {
    size_t n = strlen(other);
    return s.data && s.len == n && memcmp(s.data, other, n) == 0;
}

static pdk_string pdk_vprintf(const char *format, va_list args) {
    va_list again;
    va_copy(again, args);
    int n = vsnprintf(NULL, 0, format, args);
    char *buf = n < 0 ? NULL : pdk_alloc((size_t)n + 1);
    if (buf) vsnprintf(buf, (size_t)n + 1, format, again);
    va_end(again);
    return buf ? pdk_strn(buf, (size_t)n) : pdk_str("");
}

pdk_string pdk_printf(const char *format, ...) {
    va_list args;
    va_start(args, format);
    pdk_string s = pdk_vprintf(format, args);
    va_end(args);
    return s;
}

/* ---- errors ---- */

static const char *pdk_function = "plugin"; /* the export being called, for messages */
static bool pdk_error_is_set;

static void pdk_set_error(const char *message, size_t len) {
    ExtismHandle h = extism_store_bytes(message, len);
    if (h) extism_error_set(h);
    pdk_error_is_set = true;
}

static int pdk_verror(const char *prefix, const char *format, va_list args) {
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%s: %s", pdk_function, prefix);
    if (n < 0) n = 0;
    if ((size_t)n < sizeof buf) vsnprintf(buf + n, sizeof buf - (size_t)n, format, args);
    pdk_set_error(buf, strlen(buf));
    return -1;
}

int pdk_error(const char *format, ...) {
    va_list args;
    va_start(args, format);
    pdk_verror("", format, args);
    va_end(args);
    return -1;
}

static void pdk_vlog(void (*sink)(ExtismHandle), const char *format, va_list args) {
    pdk_string s = pdk_vprintf(format, args);
    ExtismHandle h = extism_store_bytes(s.data, s.len);
    if (h) {
        sink(h);
        extism_free(h);
    }
}

#define PDK_LOG_FUNCTION(name, sink)            \
    void name(const char *format, ...) {        \
        va_list args;                           \
        va_start(args, format);                 \
        pdk_vlog(sink, format, args);           \
        va_end(args);                           \
    }
PDK_LOG_FUNCTION(pdk_log_info, extism_log_info)
PDK_LOG_FUNCTION(pdk_log_warn, extism_log_warn)
PDK_LOG_FUNCTION(pdk_log_error, extism_log_error)
PDK_LOG_FUNCTION(pdk_log_debug, extism_log_debug)

/* Where a value sits, for messages: "input.point.x", "input.tags[3]", "input.headers[\"To\"]". */
typedef struct pdk_path {
    const struct pdk_path *up;
    const char *name;    /* a root or property name, or NULL */
    const json_value *key; /* a map key, or NULL */
    size_t index;        /* an array index, when name and key are NULL */
} pdk_path;

static void pdk_render(const pdk_path *at, json_writer *w) {
    if (!at) return;
    pdk_render(at->up, w);
    if (at->name) {
        if (at->up) jw_cstr(w, ".");
        jw_cstr(w, at->name);
    } else if (at->key) {
        jw_cstr(w, "[");
        /* the key as it was written (escaped), cut short */
        jw_raw(w, at->key->p, at->key->n > 42 ? 40 : at->key->n);
        if (at->key->n > 42) jw_cstr(w, "...\"");
        jw_cstr(w, "]");
    } else {
        char buf[24];
        snprintf(buf, sizeof buf, "[%zu]", at->index);
        jw_cstr(w, buf);
    }
}

__attribute__((format(printf, 2, 3))) static int pdk_fail(const pdk_path *at, const char *format, ...) {
    json_writer w;
    jw_init(&w);
    pdk_render(at, &w);
    jw_cstr(&w, ": ");
    va_list args;
    va_start(args, format);
    pdk_verror(w.oom ? "" : w.buf, format, args);
    va_end(args);
    jw_free(&w);
    return -1;
}

static int pdk_out_of_memory(void) {
    return pdk_error("out of memory");
}

static const char *pdk_kind(json_type t) {
    switch (t) {
    case JSON_NULL: return "null";
    case JSON_FALSE:
    case JSON_TRUE: return "a boolean";
    case JSON_NUMBER: return "a number";
    case JSON_STRING: return "a string";
    case JSON_ARRAY: return "an array";
    case JSON_OBJECT: return "an object";
    default: return "invalid JSON";
    }
}

static int pdk_expected(const pdk_path *at, const char *what, const json_value *v) {
    return pdk_fail(at, "expected %s, got %s", what, pdk_kind(v->type));
}

/* ---- reading JSON ---- */

/* Skips one value of text json_parse validated; returns where it ends. */
static const char *pdk_skip(const char *p, const char *end) {
    if (*p == '"' || *p == '{' || *p == '[') {
        int depth = 0;
        do {
            if (*p == '"') {
                for (p++; *p != '"'; p++)
                    if (*p == '\\') p++;
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if (*p == '}' || *p == ']') {
                depth--;
            }
            p++;
        } while (depth > 0 && p < end);
        return p;
    }
    while (p < end && *p != ',' && *p != ']' && *p != '}' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
    return p;
}

static const char *pdk_skip_ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* The elements of an array json_parse validated: call with *p == NULL first. */
static bool pdk_next_element(const json_value *array, const char **p, json_value *element) {
    const char *end = array->p + array->n - 1; /* the closing ']' */
    const char *q = pdk_skip_ws(*p ? *p : array->p + 1, end);
    if (q < end && *q == ',') q = pdk_skip_ws(q + 1, end);
    if (q >= end) return false;
    const char *after = pdk_skip(q, end);
    element->p = q;
    element->n = (size_t)(after - q);
    switch (*q) {
    case '"': element->type = JSON_STRING; break;
    case '{': element->type = JSON_OBJECT; break;
    case '[': element->type = JSON_ARRAY; break;
    case 't': element->type = JSON_TRUE; break;
    case 'f': element->type = JSON_FALSE; break;
    case 'n': element->type = JSON_NULL; break;
    default: element->type = JSON_NUMBER; break;
    }
    *p = after;
    return true;
}

static size_t pdk_count_elements(const json_value *array) {
    const char *p = NULL;
    json_value e;
    size_t n = 0;
    while (pdk_next_element(array, &p, &e)) n++;
    return n;
}

static size_t pdk_count_members(const json_value *object) {
    json_iter it;
    json_value k, v;
    size_t n = 0;
    json_iter_init(&it, object);
    while (json_iter_next(&it, &k, &v)) n++;
    return n;
}

static int pdk_decode_string(const json_value *v, pdk_string *out, const pdk_path *at) {
    if (v->type != JSON_STRING) return pdk_expected(at, "a string", v);
    char *s;
    size_t n;
    if (json_string_decode(v, &s, &n) != 0 || pdk_adopt(s) != 0) return pdk_out_of_memory();
    out->data = s;
    out->len = n;
    return 0;
}

static int pdk_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int pdk_digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* RFC 3339 / ISO 8601 with an offset, as java.time reads it:
 * [+-]YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|+HH:MM[:SS]); a year beyond 9999 has a sign. */
static bool pdk_valid_date_time(const char *s, size_t n) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t y = 0;
    bool sign = n > 0 && (s[0] == '+' || s[0] == '-');
    if (sign) y = 1;
    size_t digits = 0;
    while (y + digits < n && digits < 10 && s[y + digits] >= '0' && s[y + digits] <= '9') digits++;
    if (digits < 4 || digits > 9 || (digits > 4 && !sign)) return false;
    int year = pdk_digits(s + y, (int)digits);
    if (sign && s[0] == '-') year = -year;
    s += y + digits - 4; /* now as if the year had 4 digits */
    n -= y + digits - 4;
    if (n < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':') return false;
    int month = pdk_digits(s + 5, 2), day = pdk_digits(s + 8, 2);
    int hour = pdk_digits(s + 11, 2), minute = pdk_digits(s + 14, 2);
    if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59)
        return false;
    if (day > days[month - 1] + (month == 2 && pdk_is_leap(year < 0 ? -year : year))) return false;
    size_t i = 16;
    if (i < n && s[i] == ':') {
        if (i + 3 > n || pdk_digits(s + i + 1, 2) < 0 || pdk_digits(s + i + 1, 2) > 59) return false;
        i += 3;
        if (i < n && s[i] == '.') {
            size_t start = ++i;
            while (i < n && s[i] >= '0' && s[i] <= '9') i++;
            if (i == start || i - start > 9) return false;
        }
    }
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == n;
    if (i + 6 > n || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':') return false;
    int oh = pdk_digits(s + i + 1, 2), om = pdk_digits(s + i + 4, 2);
    if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) return false;
    i += 6;
    if (i == n) return true;
    return i + 3 == n && s[i] == ':' && pdk_digits(s + i + 1, 2) >= 0 && pdk_digits(s + i + 1, 2) <= 59;
}

static int pdk_decode_date_time(const json_value *v, pdk_string *out, const pdk_path *at) {
    if (v->type != JSON_STRING) return pdk_expected(at, "a date-time string", v);
    if (pdk_decode_string(v, out, at) != 0) return -1;
    if (!pdk_valid_date_time(out->data, out->len))
        return pdk_fail(at, "expected a date-time such as 2024-05-01T12:30:00Z, got '%.40s'", out->data);
    return 0;
}

static int pdk_base64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Standard base64, padded or not; anything else is refused. */
static int pdk_base64_decode(const char *s, size_t n, pdk_bytes *out, const pdk_path *at) {
    size_t pad = 0;
    while (n > 0 && pad < 2 && s[n - 1] == '=') {
        n--;
        pad++;
    }
    if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0)) return pdk_fail(at, "expected base64, got text of a wrong length");
    uint8_t *bytes = pdk_alloc(n / 4 * 3 + 3);
    if (!bytes) return pdk_out_of_memory();
    size_t len = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int d = pdk_base64_value((unsigned char)s[i]);
        if (d < 0) return pdk_fail(at, "expected base64, got a character that is not base64 at offset %zu", i);
        acc = (acc << 6) | (uint32_t)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes[len++] = (uint8_t)(acc >> bits);
        }
    }
    out->data = bytes;
    out->len = len;
    return 0;
}

static int pdk_decode_bytes(const json_value *v, pdk_bytes *out, const pdk_path *at) {
    if (v->type != JSON_STRING) return pdk_expected(at, "a base64 string", v);
    pdk_string text;
    if (pdk_decode_string(v, &text, at) != 0) return -1;
    return pdk_base64_decode(text.data, text.len, out, at);
}

static int pdk_decode_bool(const json_value *v, bool *out, const pdk_path *at) {
    if (v->type != JSON_TRUE && v->type != JSON_FALSE) return pdk_expected(at, "a boolean", v);
    *out = v->type == JSON_TRUE;
    return 0;
}

static int pdk_decode_int64(const json_value *v, int64_t *out, const pdk_path *at) {
    if (v->type != JSON_NUMBER) return pdk_expected(at, "an integer", v);
    if (json_integer(v, out) != 0 && (memchr(v->p, '.', v->n) || memchr(v->p, 'e', v->n) || memchr(v->p, 'E', v->n)))
        return pdk_fail(at, "expected an integer, got %.*s", (int)(v->n > 40 ? 40 : v->n), v->p);
    if (json_integer(v, out) != 0)
        return pdk_fail(at, "expected an integer that fits in 64 bits, got %.*s", (int)(v->n > 40 ? 40 : v->n), v->p);
    return 0;
}

static int pdk_decode_int32(const json_value *v, int32_t *out, const pdk_path *at) {
    int64_t wide;
    if (pdk_decode_int64(v, &wide, at) != 0) return -1;
    if (wide < INT32_MIN || wide > INT32_MAX) return pdk_fail(at, "expected an integer that fits in 32 bits, got %lld", (long long)wide);
    *out = (int32_t)wide;
    return 0;
}

static int pdk_decode_double(const json_value *v, double *out, const pdk_path *at) {
    if (v->type != JSON_NUMBER) return pdk_expected(at, "a number", v);
    char small[64];
    char *text = v->n < sizeof small ? small : pdk_alloc(v->n + 1);
    if (!text) return pdk_out_of_memory();
    memcpy(text, v->p, v->n);
    text[v->n] = 0;
    double d = strtod(text, NULL);
    if (!isfinite(d)) return pdk_fail(at, "the number is too large for a double");
    *out = d;
    return 0;
}

static int pdk_decode_float(const json_value *v, float *out, const pdk_path *at) {
    double d;
    if (pdk_decode_double(v, &d, at) != 0) return -1;
    if (fabs(d) > FLT_MAX) return pdk_fail(at, "the number is too large for a float");
    *out = (float)d;
    return 0;
}

static int pdk_decode_json(const json_value *v, pdk_json *out, const pdk_path *at) {
    if (v->type != JSON_OBJECT) return pdk_expected(at, "an object", v);
    out->data = v->p; /* the call's input lives until the call returns */
    out->len = v->n;
    return 0;
}

/* ---- writing JSON ---- */

/* The offset of the first byte that is not valid UTF-8, or n. */
static size_t pdk_utf8_error(const char *s, size_t n) {
    const unsigned char *start = (const unsigned char *)s, *p = start, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (len == 0 || (size_t)(end - p) < len) return (size_t)(p - start);
        for (size_t i = 1; i < len; i++)
            if ((p[i] & 0xC0) != 0x80) return (size_t)(p - start);
        if (c == 0xE0 && p[1] < 0xA0) return (size_t)(p - start); /* overlong */
        if (c == 0xED && p[1] > 0x9F) return (size_t)(p - start); /* surrogate */
        if (c == 0xF0 && p[1] < 0x90) return (size_t)(p - start); /* overlong */
        if (c == 0xF4 && p[1] > 0x8F) return (size_t)(p - start); /* above U+10FFFF */
        p += len;
    }
    return n;
}

static bool pdk_valid_utf8(const char *s, size_t n) {
    return pdk_utf8_error(s, n) == n;
}

static int pdk_encode_string(json_writer *w, pdk_string s, const pdk_path *at) {
    if (!s.data && s.len) return pdk_fail(at, "the string's data is NULL");
    if (!pdk_valid_utf8(s.data, s.len)) return pdk_fail(at, "the string is not valid UTF-8");
    jw_string(w, s.data ? s.data : "", s.len);
    return 0;
}

static int pdk_encode_date_time(json_writer *w, pdk_string s, const pdk_path *at) {
    if (!s.data || !pdk_valid_date_time(s.data, s.len))
        return pdk_fail(at, "expected a date-time such as 2024-05-01T12:30:00Z, got '%.40s'", s.data ? s.data : "");
    jw_string(w, s.data, s.len);
    return 0;
}

static int pdk_encode_bytes(json_writer *w, pdk_bytes b, const pdk_path *at) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (!b.data && b.len) return pdk_fail(at, "the buffer's data is NULL");
    jw_cstr(w, "\"");
    char quad[4];
    for (size_t i = 0; i < b.len; i += 3) {
        uint32_t v = (uint32_t)b.data[i] << 16;
        if (i + 1 < b.len) v |= (uint32_t)b.data[i + 1] << 8;
        if (i + 2 < b.len) v |= b.data[i + 2];
        quad[0] = alphabet[v >> 18 & 63];
        quad[1] = alphabet[v >> 12 & 63];
        quad[2] = i + 1 < b.len ? alphabet[v >> 6 & 63] : '=';
        quad[3] = i + 2 < b.len ? alphabet[v & 63] : '=';
        jw_raw(w, quad, 4);
    }
    jw_cstr(w, "\"");
    return 0;
}

static int pdk_encode_bool(json_writer *w, bool v, const pdk_path *at) {
    (void)at;
    jw_cstr(w, v ? "true" : "false");
    return 0;
}

static int pdk_encode_int64(json_writer *w, int64_t v, const pdk_path *at) {
    (void)at;
    jw_int(w, v);
    return 0;
}

static int pdk_encode_int32(json_writer *w, int32_t v, const pdk_path *at) {
    return pdk_encode_int64(w, v, at);
}

/* The shortest text that reads back as the same double, always with a fraction or
 * an exponent (so that it stays a number, not an integer). */
static int pdk_encode_double(json_writer *w, double v, const pdk_path *at) {
    if (!isfinite(v)) return pdk_fail(at, "%s is not a JSON number", isnan(v) ? "NaN" : "infinity");
    char buf[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf - 2, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    if (!strpbrk(buf, ".e")) strcat(buf, ".0");
    jw_cstr(w, buf);
    return 0;
}

static int pdk_encode_float(json_writer *w, float v, const pdk_path *at) {
    return pdk_encode_double(w, (double)v, at);
}

static int pdk_encode_json(json_writer *w, pdk_json v, const pdk_path *at) {
    json_value parsed;
    if (!v.data || json_parse(v.data, v.len, &parsed) != 0 || parsed.type != JSON_OBJECT)
        return pdk_fail(at, "expected the text of a JSON object");
    jw_raw(w, v.data, v.len);
    return 0;
}

/* ---- crossing the host boundary ---- */

/* The call's input, in call memory. */
static int pdk_read_input(const char **data, size_t *len) {
    char *buf;
    if (extism_load_input(&buf, len) != 0 || pdk_adopt(buf) != 0) return pdk_out_of_memory();
    *data = buf;
    return 0;
}

/* Parses JSON text as one value. */
static int pdk_parse(const char *data, size_t len, json_value *v, const pdk_path *at) {
    if (len == 0) return pdk_fail(at, "empty, expected JSON");
    if (json_parse(data, len, v) == 0) return 0;
    size_t bad = pdk_utf8_error(data, len);
    if (bad < len) return pdk_fail(at, "not valid JSON: invalid UTF-8 at byte %zu", bad);
    return pdk_fail(at, "not valid JSON");
}

static int pdk_decode_text(const char *data, size_t len, pdk_string *out, const pdk_path *at) {
    if (!pdk_valid_utf8(data, len)) return pdk_fail(at, "not valid UTF-8 text");
    out->data = data;
    out->len = len;
    return 0;
}

static int pdk_check_writer(json_writer *w) {
    return w->oom ? pdk_out_of_memory() : 0;
}

static int pdk_set_output(const void *data, size_t len) {
    if (len == 0) {
        extism_output_set(0, 0);
        return 0;
    }
    return extism_output(data, len) == 0 ? 0 : pdk_error("cannot set the output (out of kernel memory)");
}

/* A kernel block holding the bytes, for a host function (handle 0 for no bytes: the
 * kernel allocates no empty block). Returns -1 when out of kernel memory. */
static int pdk_send(const void *data, size_t len, const char *function, ExtismHandle *h) {
    *h = len ? extism_store_bytes(data, len) : 0;
    return len && !*h ? pdk_error("cannot pass the input of %s (out of kernel memory)", function) : 0;
}

/* What a host function returned, in call memory. */
static int pdk_receive(ExtismHandle h, const char **data, size_t *len, const char *function) {
    if (h == 0) {
        *data = "";
        *len = 0;
        return 0;
    }
    char *buf;
    if (extism_load_block(h, &buf, len) != 0) {
        /* an empty block */
        *data = "";
        *len = 0;
        return 0;
    }
    extism_free(h);
    if (pdk_adopt(buf) != 0) return pdk_out_of_memory();
    (void)function;
    *data = buf;
    return 0;
}

static void pdk_begin(const char *function) {
    pdk_function = function;
    pdk_error_is_set = false;
}

/* Ends an export call: the Extism status (0 ok, 1 failed), with an error set on failure. */
static int32_t pdk_end(int rc) {
    if (rc != 0 && !pdk_error_is_set) pdk_error("failed (returned %d without calling pdk_error)", rc);
    pdk_free_all();
    return rc == 0 ? 0 : 1;
}
