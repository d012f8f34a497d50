/*
 * The "Project XYZ" example plugin for the hackable-email `onEmail`
 * extension point.
 *
 *   export onEmail: input IncomingEmail JSON
 *                   {sender, receiver, headers: {name: string}, body}
 *                   output: a JSON integer, the sendmail return code.
 *   import deliver (extism:host/user, (i64) -> i64): IncomingEmail -> integer
 *   import reply   (extism:host/user, (i64) -> i64): ReplyEmail {subject, body}
 *                                                    -> integer
 *
 * Logic: deliver the mail unchanged. If delivery returned 0 and the Subject
 * header (header name matched case-insensitively) or the body contains
 * "Project XYZ", reply with subject "RE: <subject>" and a body telling the
 * sender that talking about Project XYZ is forbidden. The output is the last
 * return code. Bad input or a malformed host answer: error_set + return 1
 * (never a trap).
 *
 * Variants built from this same file (see Makefile):
 *   -DEXACT_SUBJECT          dist/exact-subject.wasm: reads headers["Subject"]
 *                            spelled exactly so, as the upstream demo and the
 *                            blog do; correct because the host hands canonical
 *                            header names (schema/on-email.yaml)
 * Deliberately broken variants for testing the simulations:
 *   -DBROKEN_NO_DELIVER      never calls deliver (acts as if it returned 0)
 *   -DBROKEN_ALWAYS_REPLY    replies even when "Project XYZ" is absent
 *   -DBROKEN_HIDE_FAILURE    treats a failed delivery as success (0)
 *   -DBROKEN_DOUBLE_DELIVER  calls deliver twice (only used to check that
 *                            the mock host enforces the at-most-once rule;
 *                            not shipped in dist/)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extism.h"
#include "json.h"

__attribute__((import_module("extism:host/user"), import_name("deliver")))
ExtismHandle host_deliver(ExtismHandle email);
__attribute__((import_module("extism:host/user"), import_name("reply")))
ExtismHandle host_reply(ExtismHandle reply_email);

#define TRIGGER "Project XYZ"
#define REPLY_BODY                                                           \
    "Hello,\n\nyour message was delivered, but please note: talking about " \
    "Project XYZ is forbidden. Do not mention it in mail to this address "   \
    "again.\n\nThis is an automatic reply."

#define DELIVER_ERRORS \
    "onEmail: deliver returned no result", "onEmail: deliver's result is not a JSON integer"
#define REPLY_ERRORS \
    "onEmail: reply returned no result", "onEmail: reply's result is not a JSON integer"

/* Call a host function with a payload; parse its answer as a JSON integer
 * (that fits in an int32). Returns NULL on success (code in *code), or an
 * error message. */
static const char *call_host(ExtismHandle (*fn)(ExtismHandle), const char *no_result,
                             const char *not_int, const char *payload, size_t len,
                             int64_t *code) {
    ExtismHandle in = extism_store_bytes(payload, len);
    if (in == 0) return "onEmail: out of kernel memory";
    ExtismHandle out = fn(in);
    extism_free(in);
    char *text;
    size_t tlen;
    if (extism_load_block(out, &text, &tlen) != 0) return no_result;
    extism_free(out);
    json_value v;
    int ok = json_parse(text, tlen, &v) == 0 && json_integer(&v, code) == 0 &&
             *code >= INT32_MIN && *code <= INT32_MAX;
    free(text);
    return ok ? NULL : not_int;
}

/* The members of IncomingEmail the plugin reads, each required exactly once;
 * their problems are reported in this order. */
enum { SENDER, RECEIVER, BODY, HEADERS, MEMBERS };
static const char *const member_names[MEMBERS] = {"sender", "receiver", "body", "headers"};

/* The plugin's logic. Everything it allocates is released by on_email().
 * Returns NULL on success with the return code in *code, or an error
 * message. */
typedef struct {
    char *input;
    char *subject;
    char *body;
    json_writer reply;
} call_state;

static const char *handle(call_state *st, int64_t *code) {
    size_t input_len, subject_len = 0, body_len;

    if (extism_load_input(&st->input, &input_len) != 0) return "onEmail: out of memory";
    if (input_len == 0)
        return "onEmail: empty input; expected an IncomingEmail JSON object "
               "{sender, receiver, headers, body}";

    json_value email;
    if (json_parse(st->input, input_len, &email) != 0)
        return "onEmail: input is not valid JSON; expected an IncomingEmail object";
    if (email.type != JSON_OBJECT)
        return "onEmail: input is not a JSON object; expected an IncomingEmail object";
    /* One walk over the members, not one lookup per member: every lookup
     * walks the whole mail, body included. */
    json_value member[MEMBERS];
    int count[MEMBERS] = {0};
    json_iter it;
    json_value k, v;
    json_iter_init(&it, &email);
    while (json_iter_next(&it, &k, &v)) {
        for (int i = 0; i < MEMBERS; i++) {
            if (json_string_equals(&k, member_names[i], 0)) {
                if (count[i]++ == 0) member[i] = v; /* the first one counts */
                break;
            }
        }
    }
    if (count[SENDER] != 1 || member[SENDER].type != JSON_STRING)
        return "onEmail: IncomingEmail.sender is missing, duplicated or not a string";
    if (count[RECEIVER] != 1 || member[RECEIVER].type != JSON_STRING)
        return "onEmail: IncomingEmail.receiver is missing, duplicated or not a string";
    if (count[BODY] != 1 || member[BODY].type != JSON_STRING)
        return "onEmail: IncomingEmail.body is missing, duplicated or not a string";
    if (json_string_decode(&member[BODY], &st->body, &body_len) != 0)
        return "onEmail: out of memory";
    if (count[HEADERS] != 1 || member[HEADERS].type != JSON_OBJECT)
        return "onEmail: IncomingEmail.headers is missing, duplicated or not an object";

#ifdef EXACT_SUBJECT
    /* headers["Subject"], spelled exactly so, as the upstream demo reads it: the
     * host hands header names in their canonical spelling (on-email.yaml). */
    const int ignore_case = 0;
#else
    /* Header names are case-insensitive; the first Subject counts. */
    const int ignore_case = 1;
#endif
    /* One walk over the headers: all values must be strings, and the first
     * Subject is the one read. */
    json_value subject;
    int has_subject = 0;
    json_iter_init(&it, &member[HEADERS]);
    while (json_iter_next(&it, &k, &v)) {
        if (v.type != JSON_STRING) return "onEmail: IncomingEmail.headers values must be strings";
        if (!has_subject && json_string_equals(&k, "Subject", ignore_case)) {
            subject = v;
            has_subject = 1;
        }
    }
    if (has_subject && json_string_decode(&subject, &st->subject, &subject_len) != 0)
        return "onEmail: out of memory";

    *code = 0;
#ifndef BROKEN_NO_DELIVER
    /* Hand the mail to the host exactly as we received it. */
    const char *err = call_host(host_deliver, DELIVER_ERRORS, st->input, input_len, code);
    if (err) return err;
#ifdef BROKEN_DOUBLE_DELIVER
    err = call_host(host_deliver, DELIVER_ERRORS, st->input, input_len, code);
    if (err) return err;
#endif
#endif
#ifdef BROKEN_HIDE_FAILURE
    *code = 0;
#endif
    if (*code != 0) return NULL; /* delivery failed: report it, do not reply */

    int mentions = (st->subject && bytes_contains(st->subject, subject_len, TRIGGER)) ||
                   bytes_contains(st->body, body_len, TRIGGER);
#ifdef BROKEN_ALWAYS_REPLY
    mentions = 1;
#endif
    if (!mentions) return NULL;

    /* ReplyEmail {"subject":"RE: <subject>","body":"..."}; the subject is the
     * decoded header text, escaped again by jw_escaped. */
    json_writer *w = &st->reply;
    jw_cstr(w, "{\"subject\":\"RE: ");
    jw_escaped(w, st->subject ? st->subject : "", subject_len);
    jw_cstr(w, "\"");
    jw_cstr(w, ",\"body\":");
    jw_string(w, REPLY_BODY, strlen(REPLY_BODY));
    jw_cstr(w, "}");
    if (w->oom) return "onEmail: out of memory";
    return call_host(host_reply, REPLY_ERRORS, w->buf, w->len, code);
}

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    call_state st = {0};
    int64_t code = 0;
    int32_t rc = 0;
    jw_init(&st.reply);
    const char *err = handle(&st, &code);
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
    jw_free(&st.reply);
    free(st.subject);
    free(st.body);
    free(st.input);
    return rc;
}
