/* Native unit tests for guest-lib/json.c (run with `make -C guest-lib test`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json.h"

static int failures, checks;

#define CHECK(cond)                                                        \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                  \
    } while (0)

static int parses(const char *s) {
    json_value v;
    return json_parse(s, strlen(s), &v) == 0;
}

/* Decode the single string document s; compare with expected bytes. */
static int decodes_to(const char *s, const char *want, size_t want_len) {
    json_value v;
    char *out;
    size_t n;
    if (json_parse(s, strlen(s), &v) != 0 || v.type != JSON_STRING) return 0;
    if (json_string_decode(&v, &out, &n) != 0) return 0;
    int ok = n == want_len && memcmp(out, want, n) == 0 && out[n] == '\0';
    free(out);
    return ok;
}

static int find_str(const char *doc, const char *key, int ci, const char *want, int want_count) {
    json_value v, m;
    char *out;
    size_t n;
    if (json_parse(doc, strlen(doc), &v) != 0) return 0;
    int c = json_object_find(&v, key, ci, &m);
    if (c != want_count) return 0;
    if (c == 0) return 1;
    if (json_string_decode(&m, &out, &n) != 0) return 0;
    int ok = strcmp(out, want) == 0;
    free(out);
    return ok;
}

/* json_parse of s[0..n) copied into a buffer of exactly n bytes, so that a
 * sanitizer catches any read past the end; then the decoded string (want ==
 * NULL: the document must be rejected). */
static int exact_decodes_to(const char *s, size_t n, const char *want, size_t want_len) {
    char *copy = malloc(n ? n : 1);
    json_value v;
    char *out = NULL;
    size_t len = 0;
    memcpy(copy, s, n);
    int parsed = json_parse(copy, n, &v) == 0;
    int ok;
    if (!want) {
        ok = !parsed;
    } else {
        ok = parsed && v.type == JSON_STRING && json_string_decode(&v, &out, &len) == 0 &&
             len == want_len && memcmp(out, want, len) == 0 && out[len] == '\0';
    }
    free(out);
    free(copy);
    return ok;
}

static int key_equals(const char *key_doc, const char *name, int ci) {
    json_value v;
    return json_parse(key_doc, strlen(key_doc), &v) == 0 && json_string_equals(&v, name, ci);
}

static int integer_is(const char *s, int64_t want) {
    json_value v;
    int64_t got;
    return json_parse(s, strlen(s), &v) == 0 && json_integer(&v, &got) == 0 && got == want;
}

static int not_integer(const char *s) {
    json_value v;
    int64_t got;
    return json_parse(s, strlen(s), &v) != 0 || json_integer(&v, &got) != 0;
}

static char *nested(int depth) {
    char *s = malloc((size_t)depth * 2 + 1);
    for (int i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth + i] = ']';
    }
    s[depth * 2] = '\0';
    return s;
}

int main(void) {
    /* grammar */
    CHECK(parses("{}"));
    CHECK(parses(" \t\r\n{ \"a\" : [1, -2.5e+3, true, false, null, {\"b\":{}}] } \n"));
    CHECK(parses("0"));
    CHECK(parses("-0.0E-1"));
    CHECK(parses("\"\""));
    CHECK(!parses(""));
    CHECK(!parses("   "));
    CHECK(!parses("{\"a\":1,}"));
    CHECK(!parses("[1,]"));
    CHECK(!parses("{\"a\" 1}"));
    CHECK(!parses("{a:1}"));
    CHECK(!parses("01"));
    CHECK(!parses("1."));
    CHECK(!parses(".5"));
    CHECK(!parses("-"));
    CHECK(!parses("1e"));
    CHECK(!parses("+1"));
    CHECK(!parses("tru"));
    CHECK(!parses("nul"));
    CHECK(!parses("{} {}"));
    CHECK(!parses("{\"a\":1"));
    CHECK(!parses("\"abc"));
    CHECK(!parses("\"a\\x\""));
    CHECK(!parses("\"a\\u12\""));
    CHECK(!parses("\"a\\u12G4\""));
    CHECK(!parses("\"tab\there\""));       /* raw control character */
    CHECK(!parses("\"\xff\""));             /* invalid UTF-8 */
    CHECK(!parses("\"\xc0\x80\""));         /* overlong */
    CHECK(!parses("\"\xed\xa0\x80\""));     /* encoded surrogate */
    CHECK(!parses("\"\xf5\x80\x80\x80\"")); /* above U+10FFFF */
    CHECK(!parses("\"\xe2\x82\""));         /* truncated */
    CHECK(parses("\"\xe2\x82\xac \xf0\x9f\x93\xa7 \xc3\xa9\""));
    {
        char *ok = nested(JSON_MAX_DEPTH), *deep = nested(JSON_MAX_DEPTH + 1);
        CHECK(parses(ok));
        CHECK(!parses(deep));
        free(ok);
        free(deep);
    }

    /* string decoding */
    CHECK(decodes_to("\"plain\"", "plain", 5));
    CHECK(decodes_to("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8));
    CHECK(decodes_to("\"caf\\u00e9\"", "caf\xc3\xa9", 5));
    CHECK(decodes_to("\"\\u20AC\"", "\xe2\x82\xac", 3));
    CHECK(decodes_to("\"\\ud83d\\udce7\"", "\xf0\x9f\x93\xa7", 4));
    CHECK(decodes_to("\"\\ud800x\"", "\xef\xbf\xbdx", 4));       /* lone high */
    CHECK(decodes_to("\"\\udc00\"", "\xef\xbf\xbd", 3));         /* lone low */
    CHECK(decodes_to("\"\\ud800\\u0041\"", "\xef\xbf\xbd" "A", 4)); /* high + non-low */
    CHECK(decodes_to("\"a\\u0000b\"", "a\0b", 3));

    /* Strings are checked and copied a word (8 bytes) at a time while they
     * hold nothing special: put each special piece at every offset of a long
     * run, so that it falls at each place in a word and at run ends. */
    {
        static const struct {
            const char *json, *want; /* want == NULL: invalid */
        } pieces[] = {
            {"\\\"", "\""}, {"\\\\", "\\"}, {"\\/", "/"}, {"\\n", "\n"},
            {"\\u00e9", "\xc3\xa9"}, {"\\u20AC", "\xe2\x82\xac"},
            {"\\ud83d\\udce7", "\xf0\x9f\x93\xa7"}, {"\\ud800", "\xef\xbf\xbd"},
            {"\\udc00\\n", "\xef\xbf\xbd\n"}, {"\\u0041", "A"},
            {"\xc3\xa9", "\xc3\xa9"}, {"\xe2\x82\xac", "\xe2\x82\xac"},
            {"\xf0\x9f\x93\xa7", "\xf0\x9f\x93\xa7"}, {"\x7f", "\x7f"}, {" ~", " ~"},
            {"\xff", NULL}, {"\x80", NULL}, {"\xc3", NULL}, {"\xe2\x82", NULL},
            {"\xc0\x80", NULL}, {"\xed\xa0\x80", NULL}, {"\xf5\x80\x80\x80", NULL},
            {"\x01", NULL}, {"\x1f", NULL}, {"\t", NULL}, {"\n", NULL},
            {"\\x", NULL}, {"\\u12G4", NULL}, {"\\ud800\\u12", NULL}, {"\\U0041", NULL},
            {"\"", NULL}, /* ends the string early: the rest is not JSON */
        };
        char doc[128], want[128];
        for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
            for (int before = 0; before <= 24; before++) {
                int after = (before * 5) % 19;
                size_t n = 0, w = 0;
                doc[n++] = '"';
                for (int j = 0; j < before; j++) doc[n++] = want[w++] = (char)('a' + j % 26);
                memcpy(doc + n, pieces[i].json, strlen(pieces[i].json));
                n += strlen(pieces[i].json);
                if (pieces[i].want) {
                    memcpy(want + w, pieces[i].want, strlen(pieces[i].want));
                    w += strlen(pieces[i].want);
                }
                /* not hex digits: they must never complete a \u escape */
                for (int j = 0; j < after; j++) doc[n++] = want[w++] = (char)('G' + j % 20);
                doc[n++] = '"';
                int ok = exact_decodes_to(doc, n, pieces[i].want ? want : NULL, w);
                CHECK(ok);
                if (!ok) fprintf(stderr, "  piece %zu at offset %d\n", i, before);
            }
        }
        /* a raw NUL byte is a control character too */
        CHECK(exact_decodes_to("\"abcdefghij\0klm\"", 16, NULL, 0));
        CHECK(exact_decodes_to("\"abcdefghijklm\"", 15, "abcdefghijklm", 13));
    }
    /* Every proper prefix of a string is rejected, however it ends (inside a
     * word, a UTF-8 sequence or an escape), and nothing past it is read. */
    {
        const char *s = "\"0123456789abcdefghij\\u00e9klmnopq\xc3\xa9rstuvwxyz\\ud83d\\udce7"
                        "ABCDEFGHIJ\\\\\\\"KLMNOPQRSTUVW\"";
        size_t n = strlen(s);
        for (size_t k = 0; k < n; k++) CHECK(exact_decodes_to(s, k, NULL, 0));
        const char *want = "0123456789abcdefghij\xc3\xa9klmnopq\xc3\xa9rstuvwxyz\xf0\x9f\x93\xa7"
                           "ABCDEFGHIJ\\\"KLMNOPQRSTUVW";
        CHECK(exact_decodes_to(s, n, want, strlen(want)));
    }
    /* a long body: plain lines with escaped line ends, as mail comes */
    {
        json_writer w;
        char *out = NULL;
        size_t n = 0;
        json_value v;
        char body[5000];
        for (size_t i = 0; i < sizeof body; i++) body[i] = (i % 83 == 81) ? '\r' : (i % 83 == 82) ? '\n' : (char)('a' + i % 26);
        jw_init(&w);
        jw_string(&w, body, sizeof body);
        CHECK(exact_decodes_to(w.buf, w.len, body, sizeof body));
        CHECK(json_parse(w.buf, w.len, &v) == 0 && json_string_decode(&v, &out, &n) == 0 &&
              n == sizeof body && memcmp(out, body, n) == 0);
        free(out);
        w.buf[w.len - 40] = '\x02'; /* a control character deep inside */
        CHECK(exact_decodes_to(w.buf, w.len, NULL, 0));
        jw_free(&w);
    }

    /* key comparison: decoded, allocating nothing */
    CHECK(key_equals("\"Subject\"", "Subject", 0));
    CHECK(!key_equals("\"Subject\"", "subject", 0));
    CHECK(key_equals("\"sUBJECT\"", "Subject", 1));
    CHECK(key_equals("\"Sub\\u006aect\"", "Subject", 0));
    CHECK(key_equals("\"\\u0053UBJECT\"", "subject", 1));
    CHECK(!key_equals("\"Subjec\"", "Subject", 0));
    CHECK(!key_equals("\"Subjects\"", "Subject", 0));
    CHECK(!key_equals("\"\"", "Subject", 0));
    CHECK(key_equals("\"\"", "", 0));
    CHECK(key_equals("\"a\\\\b\"", "a\\b", 0)); /* JSON a\\b is a, backslash, b */
    CHECK(!key_equals("\"a\\b\"", "a\\b", 0));  /* JSON a\b is a, backspace */
    CHECK(!key_equals("\"a\\u0000\"", "a", 0));
    CHECK(!key_equals("\"a\\u0000bcdefgh\"", "a", 0)); /* no reading past the name's NUL */
    CHECK(key_equals("\"caf\\u00e9\"", "caf\xc3\xa9", 0));
    CHECK(key_equals("\"caf\xc3\xa9\"", "CAF\xc3\xa9", 1));
    CHECK(key_equals("\"\\ud83d\\udce7\"", "\xf0\x9f\x93\xa7", 0));
    CHECK(!key_equals("\"\\ud83d\\udce7\"", "\xf0\x9f\x93", 0));
    {
        json_value num = {JSON_NUMBER, "1", 1};
        CHECK(!json_string_equals(&num, "1", 0));
    }

    /* iteration finds where nested values end without being fooled by
     * brackets, quotes and backslashes inside their strings */
    {
        const char *d = "{\"a\":[\"]\\\\\",\"}{\\\"\",{\"[\":\"\\\\\\\"}\"}],"
                        "\"b\" : {\"c\":\"\\\\\"} , \"n\":-1.5e3,\"t\":true,\"d\":\"x\"}";
        json_value v, m;
        json_iter it;
        json_value k, val;
        int members = 0;
        CHECK(json_parse(d, strlen(d), &v) == 0);
        json_iter_init(&it, &v);
        while (json_iter_next(&it, &k, &val)) members++;
        CHECK(members == 5);
        CHECK(find_str(d, "d", 0, "x", 1));
        CHECK(json_object_find(&v, "b", 0, &m) == 1 && m.type == JSON_OBJECT &&
              m.n == strlen("{\"c\":\"\\\\\"}"));
        CHECK(json_object_find(&v, "a", 0, &m) == 1 && m.type == JSON_ARRAY &&
              m.n == strlen("[\"]\\\\\",\"}{\\\"\",{\"[\":\"\\\\\\\"}\"}]"));
        CHECK(json_object_find(&v, "n", 0, &m) == 1 && m.type == JSON_NUMBER && m.n == 6);
        CHECK(json_object_find(&v, "t", 0, &m) == 1 && m.type == JSON_TRUE);
    }

    /* the same over long strings, with an escaped quote or backslash at every
     * place in a word */
    for (int at = 0; at < 24; at++) {
        char d[128];
        json_value v, m;
        for (int q = 0; q < 2; q++) {
            int n = sprintf(d, "{\"k\":\"%.*s\\%c%.*s\",\"z\":\"w\"}", at,
                            "abcdefghijklmnopqrstuvwxyz", q ? '\\' : '"', 30 - at,
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123");
            CHECK(json_parse(d, (size_t)n, &v) == 0 && json_object_find(&v, "z", 0, &m) == 1 &&
                  m.n == 3 && json_object_find(&v, "k", 0, &m) == 1 && m.n == 34);
        }
    }

    /* object lookup: nested values skipped, escaped keys decoded */
    const char *doc =
        "{\"x\":{\"Subject\":\"nested\",\"deep\":[{\"Subject\":\"deeper\"}]},"
        "\"Sub\\u006aect\":\"first\",\"subject\":\"second\",\"n\":[1,2,3]}";
    CHECK(find_str(doc, "Subject", 0, "first", 1));
    CHECK(find_str(doc, "SUBJECT", 1, "first", 2));
    CHECK(find_str(doc, "missing", 0, "", 0));
    CHECK(find_str("{\"a\":\"1\",\"a\":\"2\"}", "a", 0, "1", 2));
    {
        json_value v, m;
        CHECK(json_parse("[1]", 3, &v) == 0 && json_object_find(&v, "a", 0, &m) == -1);
        CHECK(json_parse(doc, strlen(doc), &v) == 0 && json_object_find(&v, "n", 0, &m) == 1 &&
              m.type == JSON_ARRAY && m.n == 7);
    }

    /* integers */
    CHECK(integer_is("0", 0));
    CHECK(integer_is(" 1 ", 1));
    CHECK(integer_is("-1", -1));
    CHECK(integer_is("9223372036854775807", INT64_MAX));
    CHECK(integer_is("-9223372036854775808", INT64_MIN));
    CHECK(not_integer("9223372036854775808"));
    CHECK(not_integer("-9223372036854775809"));
    CHECK(not_integer("1.0"));
    CHECK(not_integer("1e2"));
    CHECK(not_integer("\"1\""));
    CHECK(not_integer("true"));

    /* writer */
    {
        json_writer w;
        jw_init(&w);
        jw_string(&w, "a\"b\\c\n\x01\x1f\x7f\xc3\xa9", 11);
        CHECK(w.len == strlen("\"a\\\"b\\\\c\\n\\u0001\\u001f\x7f\xc3\xa9\"") &&
              strcmp(w.buf, "\"a\\\"b\\\\c\\n\\u0001\\u001f\x7f\xc3\xa9\"") == 0);
        jw_free(&w);
        jw_int(&w, INT64_MIN);
        jw_cstr(&w, " ");
        jw_int(&w, 0);
        jw_cstr(&w, " ");
        jw_int(&w, 42);
        CHECK(strcmp(w.buf, "-9223372036854775808 0 42") == 0);
        jw_free(&w);
    }
    /* round trip of every byte string of one ASCII character, and a long one */
    for (int c = 0; c < 128; c++) {
        json_writer w;
        json_value v;
        char in[3] = {'x', (char)c, 'y'}, *out = NULL;
        size_t n;
        jw_init(&w);
        jw_string(&w, in, 3);
        CHECK(json_parse(w.buf, w.len, &v) == 0 && json_string_decode(&v, &out, &n) == 0 &&
              n == 3 && memcmp(out, in, 3) == 0);
        free(out);
        jw_free(&w);
    }

    /* helpers */
    CHECK(bytes_contains("hello Project XYZ!", 18, "Project XYZ"));
    CHECK(!bytes_contains("Project XY", 10, "Project XYZ"));
    CHECK(bytes_contains("a\0Project XYZ", 13, "Project XYZ"));
    /* a match (or a near miss) at every offset of a long haystack */
    for (size_t at = 0; at + 11 <= 40; at++) {
        char hay[40];
        memset(hay, 'P', sizeof hay); /* the needle's first byte everywhere */
        memcpy(hay + at, "Project XYZ", 11);
        CHECK(bytes_contains(hay, sizeof hay, "Project XYZ"));
        CHECK(!bytes_contains(hay, at + 10, "Project XYZ"));
        hay[at + 10] = 'z';
        CHECK(!bytes_contains(hay, sizeof hay, "Project XYZ"));
        memset(hay, '.', sizeof hay);
        hay[at] = 'Q';
        CHECK(bytes_contains(hay, sizeof hay, "Q") && !bytes_contains(hay, sizeof hay, "P"));
    }
    /* haystacks of every length in buffers of exactly that size: nothing
     * past the end is read (under a sanitizer) */
    for (size_t hn = 0; hn <= 24; hn++) {
        char *hay = malloc(hn ? hn : 1);
        memset(hay, 'P', hn);
        CHECK(bytes_contains(hay, hn, "P") == (hn > 0));
        CHECK(!bytes_contains(hay, hn, "Q") && !bytes_contains(hay, hn, "PQ"));
        if (hn > 0) hay[hn - 1] = 'Q';
        CHECK(bytes_contains(hay, hn, "Q") == (hn > 0) && bytes_contains(hay, hn, "PQ") == (hn > 1));
        free(hay);
    }
    CHECK(bytes_ends_with("RE: simulation01", 16, "simulation01"));
    CHECK(!bytes_ends_with("ion01", 5, "simulation01"));

    printf("json_test: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
