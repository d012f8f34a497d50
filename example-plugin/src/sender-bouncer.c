/*
 * A sender bouncer for the `onEmail` extension point: a second, smaller
 * example of a legitimate plugin (the contract allows bouncing).
 *
 * Mail whose envelope sender is in a blocked domain is not delivered: the
 * plugin logs why and returns 77 (EX_NOPERM), which the filter passes on to
 * Postfix, which bounces the mail. Everything else is delivered unchanged and
 * deliver's code is returned. Bad input or a malformed host answer:
 * error_set + return 1 (never a trap).
 *
 * `hackable-email try` and the filter's tests use it (dist/sender-bouncer.wasm).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extism.h"
#include "json.h"

__attribute__((import_module("extism:host/user"), import_name("deliver")))
ExtismHandle host_deliver(ExtismHandle email);

#define EX_NOPERM 77

/* Matched case-insensitively against the end of the sender. */
static const char *const blocked[] = {"@spam.example", "@bulk.example"};

static int ends_with_ci(const char *s, size_t n, const char *suffix) {
    size_t m = strlen(suffix);
    if (m > n) return 0;
    for (size_t i = 0; i < m; i++) {
        char a = s[n - m + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (a != b) return 0;
    }
    return 1;
}

static const char *handle(char **input, char **sender, int64_t *code) {
    size_t input_len, sender_len;
    if (extism_load_input(input, &input_len) != 0) return "onEmail: out of memory";
    json_value email, s;
    if (json_parse(*input, input_len, &email) != 0 || email.type != JSON_OBJECT)
        return "onEmail: input is not an IncomingEmail JSON object";
    if (json_object_find(&email, "sender", 0, &s) != 1 || s.type != JSON_STRING)
        return "onEmail: IncomingEmail.sender is missing, duplicated or not a string";
    if (json_string_decode(&s, sender, &sender_len) != 0) return "onEmail: out of memory";

    for (size_t i = 0; i < sizeof blocked / sizeof blocked[0]; i++) {
        if (ends_with_ci(*sender, sender_len, blocked[i])) {
            extism_info("sender-bouncer: the sender's domain is blocked; bouncing with 77");
            *code = EX_NOPERM;
            return NULL;
        }
    }

    ExtismHandle in = extism_store_bytes(*input, input_len);
    if (in == 0) return "onEmail: out of kernel memory";
    ExtismHandle out = host_deliver(in);
    extism_free(in);
    char *text;
    size_t tlen;
    if (extism_load_block(out, &text, &tlen) != 0) return "onEmail: deliver returned no result";
    extism_free(out);
    json_value v;
    int ok = json_parse(text, tlen, &v) == 0 && json_integer(&v, code) == 0 && *code >= INT32_MIN &&
             *code <= INT32_MAX;
    free(text);
    return ok ? NULL : "onEmail: deliver's result is not a JSON integer";
}

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    char *input = NULL, *sender = NULL;
    int64_t code = 0;
    int32_t rc = 0;
    const char *err = handle(&input, &sender, &code);
    if (!err) {
        json_writer out;
        jw_init(&out);
        jw_int(&out, code);
        if (out.oom || extism_output(out.buf, out.len) != 0) err = "onEmail: cannot set the output";
        jw_free(&out);
    }
    if (err) {
        extism_error(err);
        rc = 1;
    }
    free(sender);
    free(input);
    return rc;
}
