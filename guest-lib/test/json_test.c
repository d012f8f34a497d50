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
    CHECK(bytes_ends_with("RE: simulation01", 16, "simulation01"));
    CHECK(!bytes_ends_with("ion01", 5, "simulation01"));

    printf("json_test: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
