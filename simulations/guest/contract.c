/*
 * The CONTRACT simulation of the `onEmail` extension point: the rules every
 * plugin honours, whatever it decides to do with a mail (docs: "The contract
 * every plugin honours"). It is the push gate's default and never checks one
 * plugin's behaviour (the example's Project XYZ rules are test.c's job):
 *
 *   - onEmail's output is a JSON integer, on every mail below, with no trap
 *     and no error within the limits;
 *   - deliver at most once and reply at most once per mail;
 *   - no silent loss: when deliver was called and answered non-zero, onEmail
 *     returns non-zero (returning 0 WITHOUT calling deliver is a decision to
 *     drop the mail, and allowed);
 *   - determinism: the same mail, on a fresh instance, with the same host
 *     answers, gives the same output and the same host calls.
 *
 * Run it with the mock host (mock-host/dist/host.wasm):
 *   bin/xtp-sim test PLUGIN.wasm --with simulations/dist/contract.wasm \
 *       --mock-host mock-host/dist/host.wasm
 *
 * The mock host reads the scenario from the Subject of the mail being
 * handled (ends in "simulationXY": deliver answers X, reply answers Y), so
 * each scenario is reached however the plugin rewrites what it passes on.
 * What the plugin did is seen through the runner's `host_calls` harness
 * extension (xtp_test.h). Group and assert names are stable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "xtp_test.h"

#define SENDER "a@example.com"
#define RECEIVER "b@example.com"

/* After this many mails on which the plugin gave no output (a trap, an
 * error, a timeout), stop: each may have cost a whole plugin_timeout. */
#define MAX_FAILED_MAILS 3

typedef struct {
    const char *group;
    const char *subject; /* NULL: no Subject header */
    const char *body;
    size_t body_repeat;  /* the body is `body` repeated this many times (0 = once) */
    int extra_headers;   /* X-Extra-N headers added */
} mail_case;

static const mail_case cases[] = {
    {"Deliver and reply succeed", "Hello simulation00", "Hello, how are you?", 0, 0},
    {"Deliver fails", "Hello simulation10", "Hello, how are you?", 0, 0},
    {"Reply fails", "Hello simulation01", "Hello, how are you?", 0, 0},
    {"Deliver and reply fail", "Hello simulation11", "Hello, how are you?", 0, 0},
    {"A reply to an earlier mail, deliver fails", "Re: Hello simulation10", "Thanks!", 0, 0},
    {"Project XYZ mentioned, reply fails", "Project XYZ simulation01",
     "What about Project XYZ?", 0, 0},
    {"A newsletter, deliver fails", "Weekly newsletter simulation10", "Unsubscribe here.", 0, 0},
    {"No Subject header", NULL, "Hello without a subject.", 0, 0},
    {"Empty body, deliver fails", "Empty simulation10", "", 0, 0},
    {"Empty subject", "", "Hello.", 0, 0},
    {"Non-ASCII headers and body, deliver fails",
     "Gr\xc3\xbc\xc3\x9f" "e \xe8\xaa\x9e \xf0\x9f\x93\xa7 \"quoted\" back\\slash\ttab simulation10",
     "Caf\xc3\xa9 \xe2\x82\xac 100 \xf0\x9f\x98\x80\nline two\r\n\x01 control", 0, 0},
    {"Non-ASCII headers and body, reply fails",
     "Gr\xc3\xbc\xc3\x9f" "e \xe8\xaa\x9e \xf0\x9f\x93\xa7 simulation01",
     "Caf\xc3\xa9 \xe2\x82\xac 100 \xf0\x9f\x98\x80", 0, 0},
    {"A large body (256 KiB), deliver fails", "Large simulation10",
     "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,\n", 4096, 0},
    {"Many headers (200), reply fails", "Many headers simulation01", "Hello.", 0, 200},
    {"A lower-case subject line, handed as Subject, deliver fails", "lower case simulation10",
     "The mail said 'subject:'; the host hands it as Subject.", 0, 0},
};

static void build_mail(json_writer *w, const mail_case *c) {
    jw_cstr(w, "{\"sender\":\"" SENDER "\",\"receiver\":\"" RECEIVER "\",\"headers\":{");
    jw_cstr(w, "\"From\":\"" SENDER "\",\"To\":\"" RECEIVER "\"");
    if (c->subject) {
        jw_cstr(w, ",\"Subject\":");
        jw_string(w, c->subject, strlen(c->subject));
    }
    for (int i = 0; i < c->extra_headers; i++) {
        jw_cstr(w, ",\"X-Extra-");
        jw_int(w, i);
        jw_cstr(w, "\":\"value ");
        jw_int(w, i);
        jw_cstr(w, "\"");
    }
    jw_cstr(w, "},\"body\":\"");
    size_t times = c->body_repeat ? c->body_repeat : 1;
    for (size_t i = 0; i < times; i++) jw_escaped(w, c->body, strlen(c->body));
    jw_cstr(w, "\"}");
}

/* What one onEmail call did. */
typedef struct {
    xtp_output out;
    int is_int;
    int64_t code;
    char *calls; /* host_calls JSON (malloc'd), NULL if unavailable */
    size_t calls_len;
    int delivers, replies;
    int failed_delivers;     /* deliver calls that answered non-zero (or failed) */
    int64_t failed_deliver;  /* the first such answer (-1: no answer) */
} observation;

static int answer_of(const json_value *call, int64_t *code) {
    json_value o;
    if (json_object_find(call, "output", 0, &o) < 1 || o.type != JSON_STRING) return 0;
    char *text;
    size_t n;
    if (json_string_decode(&o, &text, &n) != 0) return 0;
    json_value v;
    int ok = json_parse(text, n, &v) == 0 && json_integer(&v, code) == 0;
    free(text);
    return ok;
}

/* The next element of host_calls' array (objects, written compactly by the
 * runner) starting at *p: validated with json_parse. Returns 0 at the end. */
static int next_call(const char **p, const char *end, json_value *call) {
    const char *s = *p;
    while (s < end && *s != '{') s++;
    if (s >= end) return 0;
    const char *q = s;
    int depth = 0, in_string = 0;
    for (; q < end; q++) {
        if (in_string) {
            if (*q == '\\') q++;
            else if (*q == '"') in_string = 0;
        } else if (*q == '"') {
            in_string = 1;
        } else if (*q == '{') {
            depth++;
        } else if (*q == '}' && --depth == 0) {
            break;
        }
    }
    if (q >= end || json_parse(s, (size_t)(q + 1 - s), call) != 0) return 0;
    *p = q + 1;
    return 1;
}

static void observe(const char *mail, size_t len, observation *ob) {
    memset(ob, 0, sizeof *ob);
    xtp_call("onEmail", mail, len, &ob->out);
    json_value v;
    ob->is_int = ob->out.present && json_parse(ob->out.data, ob->out.len, &v) == 0 &&
                 json_integer(&v, &ob->code) == 0;
    if (!xtp_host_calls(&ob->calls, &ob->calls_len)) return;
    json_value call, fn;
    const char *p = ob->calls, *end = ob->calls + ob->calls_len;
    while (next_call(&p, end, &call)) {
        if (json_object_find(&call, "function", 0, &fn) < 1) continue;
        if (json_string_equals(&fn, "deliver", 0)) {
            ob->delivers++;
            int64_t answer = -1;
            if (!answer_of(&call, &answer) || answer != 0) {
                if (ob->failed_delivers++ == 0) ob->failed_deliver = answer;
            }
        } else if (json_string_equals(&fn, "reply", 0)) {
            ob->replies++;
        }
    }
}

static void forget(observation *ob) {
    xtp_output_free(&ob->out);
    free(ob->calls);
    ob->calls = NULL;
}

static void at_most_once(const char *function, int count) {
    json_writer name, reason;
    jw_init(&name);
    jw_init(&reason);
    jw_cstr(&name, function);
    jw_cstr(&name, " is called at most once");
    jw_cstr(&reason, function);
    jw_cstr(&reason, " was called ");
    jw_int(&reason, count);
    jw_cstr(&reason, " times for one mail; call it at most once per onEmail call");
    xtp_assert(name.buf, count <= 1, reason.buf);
    jw_free(&name);
    jw_free(&reason);
}

static int failed_mails;

static void run_case(void *ctx) {
    const mail_case *c = ctx;
    json_writer mail, reason;
    jw_init(&mail);
    jw_init(&reason);
    build_mail(&mail, c);

    observation first;
    observe(mail.buf, mail.len, &first);

    jw_cstr(&reason, "onEmail must answer with a JSON integer (the sendmail return code), got ");
    if (first.out.present) jw_string(&reason, first.out.data, first.out.len);
    else jw_cstr(&reason, "no output (it trapped, returned an error or ran out of time or memory: "
                          "see the call's failure above)");
    xtp_assert("onEmail returns a JSON integer", first.is_int, reason.buf);

    at_most_once("deliver", first.delivers);
    at_most_once("reply", first.replies);

    reason.len = 0;
    jw_cstr(&reason, "deliver answered ");
    jw_int(&reason, first.failed_deliver);
    jw_cstr(&reason, " (the mail was NOT delivered) but onEmail returned 0, so the mail would be "
                     "lost without a bounce; return a non-zero code (deliver's, for instance) "
                     "when deliver fails");
    xtp_assert("no silent loss", !(first.failed_delivers > 0 && first.is_int && first.code == 0),
               reason.buf);

    if (!first.out.present) {
        failed_mails++;
    } else {
        /* The same mail on a fresh instance: the same answer and host calls. */
        observation second;
        xtp_reset();
        observe(mail.buf, mail.len, &second);
        int same_output = second.out.present && second.out.len == first.out.len &&
                          memcmp(second.out.data, first.out.data, first.out.len) == 0;
        int same_calls = first.calls && second.calls && first.calls_len == second.calls_len &&
                         memcmp(first.calls, second.calls, first.calls_len) == 0;
        reason.len = 0;
        jw_cstr(&reason, "the same mail with the same host answers gave ");
        if (!same_output) {
            jw_cstr(&reason, "another output: first ");
            jw_string(&reason, first.out.data, first.out.len);
            jw_cstr(&reason, ", then ");
            if (second.out.present) jw_string(&reason, second.out.data, second.out.len);
            else jw_cstr(&reason, "no output");
        } else {
            jw_cstr(&reason, "other host calls (deliver/reply called differently, or with "
                             "other payloads)");
        }
        jw_cstr(&reason, "; a plugin must not depend on time, randomness or earlier mails");
        xtp_assert("the same mail gives the same answer", same_output && same_calls, reason.buf);
        forget(&second);
    }
    forget(&first);
    jw_free(&reason);
    jw_free(&mail);
}

__attribute__((export_name("test"))) int32_t test(void) {
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        if (failed_mails >= MAX_FAILED_MAILS) {
            json_writer reason;
            jw_init(&reason);
            jw_cstr(&reason, "the plugin gave no output on ");
            jw_int(&reason, failed_mails);
            jw_cstr(&reason, " mails; the other ");
            jw_int(&reason, (int64_t)(n - i));
            jw_cstr(&reason, " were not tried (fix those first)");
            xtp_assert("stopped early", 0, reason.buf);
            jw_free(&reason);
            break;
        }
        xtp_group(cases[i].group, run_case, (void *)&cases[i]);
    }
    return 0;
}
