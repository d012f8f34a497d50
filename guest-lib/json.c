/* json.c - tiny strict JSON reader/writer (see json.h). */
#include "json.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* reader                                                              */
/* ------------------------------------------------------------------ */

static const char *skip_ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_val(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Read 4 hex digits at *pp; advance. Returns 0 on success. */
static int read_hex4(const char **pp, const char *end, uint32_t *cp) {
    const char *p = *pp;
    if (end - p < 4) return -1;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_val(p[i]);
        if (h < 0) return -1;
        v = (v << 4) | (uint32_t)h;
    }
    *pp = p + 4;
    *cp = v;
    return 0;
}

/* Encode a code point (<= 0x10FFFF, not a surrogate) as UTF-8 into out
 * (if not NULL). Returns the number of bytes. */
static size_t put_utf8(char *out, uint32_t cp) {
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (!out) return n;
    switch (n) {
    case 1:
        out[0] = (char)cp;
        break;
    case 2:
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        break;
    case 3:
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        break;
    default:
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
    }
    return n;
}

/* Read the escape after a backslash at *pp (which points just past the
 * backslash); advance. A \u high surrogate followed by a \u low surrogate
 * becomes one code point; a lone surrogate becomes U+FFFD. Returns 0 on
 * success, -1 if the escape is invalid. */
static int read_escape(const char **pp, const char *end, uint32_t *out) {
    const char *p = *pp;
    uint32_t cp;
    if (p >= end) return -1;
    switch (*p++) {
    case '"': cp = '"'; break;
    case '\\': cp = '\\'; break;
    case '/': cp = '/'; break;
    case 'b': cp = 0x08; break;
    case 'f': cp = 0x0C; break;
    case 'n': cp = 0x0A; break;
    case 'r': cp = 0x0D; break;
    case 't': cp = 0x09; break;
    case 'u':
        if (read_hex4(&p, end, &cp) != 0) return -1;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            /* high surrogate: combine with a following \uDC00-\uDFFF */
            uint32_t lo;
            const char *q = p;
            if (end - q >= 2 && q[0] == '\\' && q[1] == 'u') {
                q += 2;
                if (read_hex4(&q, end, &lo) != 0) return -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p = q;
                } else {
                    cp = 0xFFFD; /* lone high surrogate */
                }
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD; /* lone low surrogate */
        }
        break;
    default:
        return -1;
    }
    *pp = p;
    *out = cp;
    return 0;
}

/* Word-at-a-time tests (SWAR). Every Wasm instruction is expensive on the
 * JVM runtime, and mail bodies are long runs of bytes that need no
 * decoding, so those runs are checked 8 bytes per step rather than one.
 * any_below(w, n) is non-zero iff some byte of w is below n (n <= 0x80):
 * a byte's top bit ends up set iff it was below n, or a lower byte was
 * (the borrow), so "some byte" is exact, and so is the lowest one flagged. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static uint64_t load8(const char *p) {
    uint64_t w;
    memcpy(&w, p, 8); /* one unaligned i64.load */
    return w;
}

static uint64_t any_below(uint64_t w, unsigned char n) { return (w - ONES * n) & ~w & HIGHS; }

static uint64_t any_equal(uint64_t w, unsigned char c) { return any_below(w ^ (ONES * c), 1); }

/* How many bytes of the text come before the first byte that a mask of
 * the functions above flags (m != 0). Their lowest flag is always exact:
 * borrows only run upwards, and in little-endian memory (wasm32) the lowest
 * byte of the word is the first of the text. Elsewhere 0: the caller's
 * byte-at-a-time loop then finds the byte. */
static size_t flagged_offset(uint64_t m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(m) / 8;
#else
    (void)m;
    return 0;
#endif
}

/* Does some byte of w need more than copying inside a string literal:
 * '"', '\\', a control character or a non-ASCII byte? */
static uint64_t needs_care(uint64_t w) {
    return (w & HIGHS) | any_below(w, 0x20) | any_equal(w, '"') | any_equal(w, '\\');
}

/* printable ASCII other than '"' and '\\' */
static int is_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if ill-formed. */
static size_t utf8_seq_len(const char *s, const char *end) {
    const unsigned char *p = (const unsigned char *)s;
    size_t avail = (size_t)(end - s);
    unsigned char c = p[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        if (avail < 2 || (p[1] & 0xC0) != 0x80) return 0;
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80) return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        if (avail < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 ||
            (p[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* Scan (and validate) the string literal starting at p (which must be '"').
 * If out is not NULL, the decoded UTF-8 is written there (it is never
 * longer than the literal). The decoded length goes to *outlen. Returns the
 * position after the closing quote, or NULL if the literal is invalid. */
static const char *scan_string(const char *p, const char *end, char *out, size_t *outlen) {
    size_t n = 0;
    if (p >= end || *p != '"') return NULL;
    p++;
    for (;;) {
        /* A run of printable ASCII and well-formed UTF-8 decodes to itself:
         * find where it ends, then copy it in one go. */
        const char *run = p;
        for (;;) {
            while (end - p >= 8) {
                uint64_t m = needs_care(load8(p));
                if (m) {
                    p += flagged_offset(m);
                    break;
                }
                p += 8;
            }
            while (p < end && is_plain((unsigned char)*p)) p++;
            if (p >= end || (unsigned char)*p < 0x80) break;
            size_t len = utf8_seq_len(p, end);
            if (len == 0) return NULL;
            p += len;
        }
        if (p > run) {
            if (out) memcpy(out + n, run, (size_t)(p - run));
            n += (size_t)(p - run);
        }
        if (p >= end) return NULL;
        if (*p == '"') break;
        if (*p != '\\') return NULL; /* control characters must be escaped */
        p++;
        uint32_t cp;
        if (read_escape(&p, end, &cp) != 0) return NULL;
        n += put_utf8(out ? out + n : NULL, cp);
    }
    *outlen = n;
    return p + 1;
}

static const char *scan_number(const char *p, const char *end) {
    if (p < end && *p == '-') p++;
    if (p >= end) return NULL;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && is_digit(*p)) p++;
    } else {
        return NULL;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p)) return NULL;
        while (p < end && is_digit(*p)) p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || !is_digit(*p)) return NULL;
        while (p < end && is_digit(*p)) p++;
    }
    return p;
}

static const char *scan_literal(const char *p, const char *end, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0) return NULL;
    return p + n;
}

/* Validate the value starting exactly at p; return the position after it. */
static const char *parse_value(const char *p, const char *end, int depth, json_type *type) {
    size_t dummy;
    if (p >= end) return NULL;
    switch (*p) {
    case '{':
        if (depth >= JSON_MAX_DEPTH) return NULL;
        p = skip_ws(p + 1, end);
        if (p < end && *p == '}') {
            *type = JSON_OBJECT;
            return p + 1;
        }
        for (;;) {
            json_type t;
            p = scan_string(p, end, NULL, &dummy);
            if (!p) return NULL;
            p = skip_ws(p, end);
            if (p >= end || *p != ':') return NULL;
            p = skip_ws(p + 1, end);
            p = parse_value(p, end, depth + 1, &t);
            if (!p) return NULL;
            p = skip_ws(p, end);
            if (p >= end) return NULL;
            if (*p == ',') {
                p = skip_ws(p + 1, end);
                continue;
            }
            if (*p == '}') {
                *type = JSON_OBJECT;
                return p + 1;
            }
            return NULL;
        }
    case '[':
        if (depth >= JSON_MAX_DEPTH) return NULL;
        p = skip_ws(p + 1, end);
        if (p < end && *p == ']') {
            *type = JSON_ARRAY;
            return p + 1;
        }
        for (;;) {
            json_type t;
            p = parse_value(p, end, depth + 1, &t);
            if (!p) return NULL;
            p = skip_ws(p, end);
            if (p >= end) return NULL;
            if (*p == ',') {
                p = skip_ws(p + 1, end);
                continue;
            }
            if (*p == ']') {
                *type = JSON_ARRAY;
                return p + 1;
            }
            return NULL;
        }
    case '"':
        *type = JSON_STRING;
        return scan_string(p, end, NULL, &dummy);
    case 't':
        *type = JSON_TRUE;
        return scan_literal(p, end, "true");
    case 'f':
        *type = JSON_FALSE;
        return scan_literal(p, end, "false");
    case 'n':
        *type = JSON_NULL;
        return scan_literal(p, end, "null");
    default:
        *type = JSON_NUMBER;
        return scan_number(p, end);
    }
}

int json_parse(const char *s, size_t n, json_value *out) {
    const char *end = s + n;
    const char *p = skip_ws(s, end);
    json_type t = JSON_INVALID;
    const char *q = parse_value(p, end, 0, &t);
    out->type = JSON_INVALID;
    out->p = NULL;
    out->n = 0;
    if (!q || skip_ws(q, end) != end) return -1;
    out->type = t;
    out->p = p;
    out->n = (size_t)(q - p);
    return 0;
}

/* Iteration works on text json_parse has validated (see json.h), so it only
 * needs to find where each value ends, not to check it again: a string ends
 * at the first '"' that no backslash escapes, an object or array at the
 * bracket that balances its opening one. Nothing is read at or past end, so
 * text that was never validated cannot make it overrun, only misread. */
static const char *skip_string(const char *p, const char *end) {
    p++; /* the opening quote */
    for (;;) {
        while (end - p >= 8) {
            uint64_t w = load8(p), m = any_equal(w, '"') | any_equal(w, '\\');
            if (m) {
                p += flagged_offset(m);
                break;
            }
            p += 8;
        }
        while (p < end && *p != '"' && *p != '\\') p++;
        if (p >= end) return NULL;
        if (*p == '"') return p + 1;
        if (end - p < 2) return NULL;
        p += 2; /* the backslash and the escaped character */
    }
}

static const char *skip_value(const char *p, const char *end, json_type *type) {
    if (p >= end) return NULL;
    switch (*p) {
    case '"':
        *type = JSON_STRING;
        return skip_string(p, end);
    case '{':
    case '[': {
        size_t depth = 0;
        *type = *p == '{' ? JSON_OBJECT : JSON_ARRAY;
        while (p < end) {
            char c = *p;
            if (c == '"') {
                p = skip_string(p, end);
                if (!p) return NULL;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return p + 1;
            }
            p++;
        }
        return NULL;
    }
    default: /* a number or a literal: short */
        return parse_value(p, end, 0, type);
    }
}

void json_iter_init(json_iter *it, const json_value *obj) {
    if (obj->type != JSON_OBJECT || obj->n < 2) {
        it->p = it->end = NULL;
        return;
    }
    it->p = obj->p + 1;              /* after '{' */
    it->end = obj->p + obj->n - 1;   /* the closing '}' */
}

int json_iter_next(json_iter *it, json_value *key, json_value *val) {
    const char *p = it->p, *end = it->end;
    json_type t;
    if (!p) return 0;
    p = skip_ws(p, end);
    if (p < end && *p == ',') p = skip_ws(p + 1, end);
    if (p >= end) {
        it->p = NULL;
        return 0;
    }
    const char *k = p;
    if (*p != '"') goto fail;
    p = skip_string(p, end);
    if (!p) goto fail;
    key->type = JSON_STRING;
    key->p = k;
    key->n = (size_t)(p - k);
    p = skip_ws(p, end);
    if (p >= end || *p != ':') goto fail;
    p = skip_ws(p + 1, end);
    const char *v = p;
    p = skip_value(p, end, &t);
    if (!p) goto fail;
    val->type = t;
    val->p = v;
    val->n = (size_t)(p - v);
    it->p = p;
    return 1;
fail:
    it->p = NULL;
    return 0;
}

static int ascii_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int json_string_equals(const json_value *str, const char *name, int ci) {
    if (str->type != JSON_STRING || str->n < 2) return 0;
    const char *p = str->p + 1, *end = str->p + str->n - 1; /* between the quotes */
    size_t nlen = strlen(name), i = 0;
    /* Decode one character at a time and compare as we go: no copy. */
    while (p < end) {
        char buf[4];
        const char *d = p;
        size_t len = 1;
        if (*p == '\\') {
            uint32_t cp;
            p++;
            if (read_escape(&p, end, &cp) != 0) return 0;
            len = put_utf8(buf, cp);
            d = buf;
        } else {
            p++;
        }
        if (len > nlen - i) return 0;
        for (size_t j = 0; j < len; j++, i++) {
            int a = (unsigned char)d[j], b = (unsigned char)name[i];
            if (ci ? ascii_lower(a) != ascii_lower(b) : a != b) return 0;
        }
    }
    return i == nlen;
}

int json_object_find(const json_value *obj, const char *name, int ci, json_value *out) {
    json_iter it;
    json_value k, v;
    int count = 0;
    if (obj->type != JSON_OBJECT) return -1;
    json_iter_init(&it, obj);
    while (json_iter_next(&it, &k, &v)) {
        if (json_string_equals(&k, name, ci)) {
            if (count == 0) *out = v;
            count++;
        }
    }
    return count;
}

int json_string_decode(const json_value *str, char **out, size_t *len) {
    size_t n;
    *out = NULL;
    *len = 0;
    if (str->type != JSON_STRING) return -1;
    /* Decoding never lengthens the text (an escape is longer than what it
     * stands for), so the literal's length bounds the buffer, and a single
     * pass both checks and decodes. */
    char *buf = malloc(str->n + 1);
    if (!buf) return -1;
    if (!scan_string(str->p, str->p + str->n, buf, &n)) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int json_integer(const json_value *v, int64_t *out) {
    if (v->type != JSON_NUMBER || v->n == 0) return -1;
    const char *p = v->p, *end = v->p + v->n;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (p >= end) return -1;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t acc = 0;
    for (; p < end; p++) {
        if (!is_digit(*p)) return -1; /* '.', 'e' or 'E': not an integer */
        uint64_t d = (uint64_t)(*p - '0');
        if (acc > (limit - d) / 10) return -1;
        acc = acc * 10 + d;
    }
    *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return 0;
}

/* ------------------------------------------------------------------ */
/* writer                                                              */
/* ------------------------------------------------------------------ */

void jw_init(json_writer *w) {
    w->buf = NULL;
    w->len = w->cap = 0;
    w->oom = 0;
}

void jw_free(json_writer *w) {
    free(w->buf);
    jw_init(w);
}

static int jw_reserve(json_writer *w, size_t extra) {
    if (w->oom) return -1;
    if (extra > SIZE_MAX - w->len - 1) {
        w->oom = 1;
        return -1;
    }
    size_t need = w->len + extra + 1; /* keep room for a NUL */
    if (need <= w->cap) return 0;
    size_t cap = w->cap ? w->cap : 64;
    while (cap < need) cap = (cap > SIZE_MAX / 2) ? need : cap * 2;
    char *nb = realloc(w->buf, cap);
    if (!nb) {
        w->oom = 1;
        return -1;
    }
    w->buf = nb;
    w->cap = cap;
    return 0;
}

void jw_raw(json_writer *w, const char *s, size_t n) {
    if (jw_reserve(w, n) != 0) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

void jw_cstr(json_writer *w, const char *s) { jw_raw(w, s, strlen(s)); }

void jw_string(json_writer *w, const char *s, size_t n) {
    jw_raw(w, "\"", 1);
    jw_escaped(w, s, n);
    jw_raw(w, "\"", 1);
}

void jw_escaped(json_writer *w, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t run = 0; /* start of the pending run of bytes needing no escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t elen = 0;
        switch (c) {
        case '"': esc[0] = '\\'; esc[1] = '"'; elen = 2; break;
        case '\\': esc[0] = '\\'; esc[1] = '\\'; elen = 2; break;
        case '\b': esc[0] = '\\'; esc[1] = 'b'; elen = 2; break;
        case '\f': esc[0] = '\\'; esc[1] = 'f'; elen = 2; break;
        case '\n': esc[0] = '\\'; esc[1] = 'n'; elen = 2; break;
        case '\r': esc[0] = '\\'; esc[1] = 'r'; elen = 2; break;
        case '\t': esc[0] = '\\'; esc[1] = 't'; elen = 2; break;
        default:
            if (c < 0x20) {
                esc[0] = '\\';
                esc[1] = 'u';
                esc[2] = '0';
                esc[3] = '0';
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                elen = 6;
            }
        }
        if (elen) {
            jw_raw(w, s + run, i - run);
            jw_raw(w, esc, elen);
            run = i + 1;
        }
    }
    jw_raw(w, s + run, n - run);
}

void jw_int(json_writer *w, int64_t v) {
    char tmp[24];
    size_t i = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--i] = (char)('0' + (u % 10));
        u /= 10;
    } while (u);
    if (v < 0) tmp[--i] = '-';
    jw_raw(w, tmp + i, sizeof tmp - i);
}

/* ------------------------------------------------------------------ */
/* byte-string helpers                                                 */
/* ------------------------------------------------------------------ */

int bytes_contains(const char *hay, size_t hn, const char *needle) {
    size_t nn = strlen(needle);
    if (nn == 0) return 1;
    if (hn < nn) return 0;
    const char *last = hay + (hn - nn); /* the last place a match can start */
    unsigned char first = (unsigned char)needle[0];
    for (const char *p = hay; p <= last; p++) {
        /* words holding no first byte of the needle hold no match start */
        while (last - p >= 7) {
            uint64_t m = any_equal(load8(p), first);
            if (m) {
                p += flagged_offset(m);
                break;
            }
            p += 8;
        }
        if (p > last) break;
        if (*p == (char)first && memcmp(p, needle, nn) == 0) return 1;
    }
    return 0;
}

int bytes_ends_with(const char *s, size_t n, const char *suffix) {
    size_t m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}
