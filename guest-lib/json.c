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
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (out) memcpy(out, b, n);
    return n;
}

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
 * If out is not NULL, the decoded UTF-8 is written there. The decoded
 * length goes to *outlen. Returns the position after the closing quote, or
 * NULL if the literal is invalid. */
static const char *scan_string(const char *p, const char *end, char *out, size_t *outlen) {
    size_t n = 0;
    if (p >= end || *p != '"') return NULL;
    p++;
    for (;;) {
        if (p >= end) return NULL;
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            p++;
            break;
        }
        if (c < 0x20) return NULL; /* control characters must be escaped */
        if (c == '\\') {
            p++;
            if (p >= end) return NULL;
            char e = *p++;
            uint32_t cp;
            switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = 0x08; break;
            case 'f': cp = 0x0C; break;
            case 'n': cp = 0x0A; break;
            case 'r': cp = 0x0D; break;
            case 't': cp = 0x09; break;
            case 'u':
                if (read_hex4(&p, end, &cp) != 0) return NULL;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    /* high surrogate: combine with a following \uDC00-\uDFFF */
                    uint32_t lo;
                    const char *q = p;
                    if (end - q >= 2 && q[0] == '\\' && q[1] == 'u') {
                        q += 2;
                        if (read_hex4(&q, end, &lo) != 0) return NULL;
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
                return NULL;
            }
            n += put_utf8(out ? out + n : NULL, cp);
            continue;
        }
        size_t len = utf8_seq_len(p, end);
        if (len == 0) return NULL;
        if (out) memcpy(out + n, p, len);
        n += len;
        p += len;
    }
    *outlen = n;
    return p;
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
    size_t dummy;
    json_type t;
    if (!p) return 0;
    p = skip_ws(p, end);
    if (p < end && *p == ',') p = skip_ws(p + 1, end);
    if (p >= end) {
        it->p = NULL;
        return 0;
    }
    const char *k = p;
    p = scan_string(p, end, NULL, &dummy);
    if (!p) goto fail;
    key->type = JSON_STRING;
    key->p = k;
    key->n = (size_t)(p - k);
    p = skip_ws(p, end);
    if (p >= end || *p != ':') goto fail;
    p = skip_ws(p + 1, end);
    const char *v = p;
    /* The document was validated by json_parse, so the depth is already
     * known to be bounded; re-scanning a nested value starts at depth 0. */
    p = parse_value(p, end, 0, &t);
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

int json_object_find(const json_value *obj, const char *name, int ci, json_value *out) {
    json_iter it;
    json_value k, v;
    size_t nlen = strlen(name);
    int count = 0;
    if (obj->type != JSON_OBJECT) return -1;
    json_iter_init(&it, obj);
    while (json_iter_next(&it, &k, &v)) {
        char *ks;
        size_t klen;
        if (json_string_decode(&k, &ks, &klen) != 0) return -1;
        int eq = (klen == nlen);
        for (size_t i = 0; eq && i < nlen; i++) {
            int a = (unsigned char)ks[i], b = (unsigned char)name[i];
            if (ci) {
                a = ascii_lower(a);
                b = ascii_lower(b);
            }
            eq = (a == b);
        }
        free(ks);
        if (eq) {
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
    const char *end = str->p + str->n;
    if (!scan_string(str->p, end, NULL, &n)) return -1;
    char *buf = malloc(n + 1);
    if (!buf) return -1;
    if (!scan_string(str->p, end, buf, &n)) {
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
    for (size_t i = 0; i + nn <= hn; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nn) == 0) return 1;
    }
    return 0;
}

int bytes_ends_with(const char *s, size_t n, const char *suffix) {
    size_t m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}
