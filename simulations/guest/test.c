/*
 * Simulation (XTP test module) for the hackable-email `onEmail` extension
 * point. Run it against a plugin together with mock-host/dist/host.wasm:
 *
 *   bin/xtp-sim test example-plugin/dist/plugin.wasm \
 *       --with simulations/dist/test.wasm --mock-host mock-host/dist/host.wasm
 *
 * The mock host's scenario rule (mock-host/README.md): a subject ENDING in
 * "simulationXY" (X, Y in {0,1}; the exact 12-character subject included)
 * makes deliver return X and reply return Y; anything else returns 0.
 * deliver reads the incoming Subject header, reply reads the reply's subject
 * (the example plugin sends "RE: <subject>", so it inherits the scenario).
 *
 * Expected return code of onEmail:
 *   deliver fails (X = 1)                      -> X (and no reply)
 *   deliver ok, "Project XYZ" in subject/body  -> Y (reply's code)
 *   deliver ok, no "Project XYZ"               -> 0 (no reply)
 *
 * Every group asserts that there is output, that it is a JSON integer, and
 * the exact code. The groups are chosen so that each typical plugin bug
 * fails at least one assertion:
 *   - never calling deliver: scenario 10/11 without Project XYZ give 0, not 1;
 *   - replying without Project XYZ: scenario 01 without it gives 1, not 0;
 *   - hiding a failed delivery: scenario 10 gives 0, not 1;
 *   - calling deliver/reply twice: the mock host traps, so no output.
 * Group names are stable: runners turn them into test names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "xtp_test.h"

#define SENDER "a@example.com"
#define RECEIVER "b@example.com"
#define PLAIN_BODY "What body?"
#define XYZ_BODY "What about Project XYZ? Any news?"

typedef struct {
    const char *group;
    const char *header_name; /* NULL: no Subject header at all */
    const char *subject;
    const char *body;
    int expected;
    const char *why; /* explanation of the expected code */
    int calls;       /* how many times to call onEmail on one instance */
} email_case;

static void build_email(json_writer *w, const email_case *c) {
    jw_cstr(w, "{\"sender\":");
    jw_string(w, SENDER, strlen(SENDER));
    jw_cstr(w, ",\"receiver\":");
    jw_string(w, RECEIVER, strlen(RECEIVER));
    jw_cstr(w, ",\"headers\":{");
    if (c->header_name) {
        jw_string(w, c->header_name, strlen(c->header_name));
        jw_cstr(w, ":");
        jw_string(w, c->subject, strlen(c->subject));
        jw_cstr(w, ",");
    }
    jw_cstr(w, "\"From\":\"a@example.com\",\"To\":\"b@example.com\"}");
    jw_cstr(w, ",\"body\":");
    jw_string(w, c->body, strlen(c->body));
    jw_cstr(w, "}");
}

/* Assert output present, JSON integer, and (if expected >= 0) the exact code. */
static void check_output(const char *prefix, const xtp_output *out, int expected,
                         const char *why) {
    json_writer name, reason;
    json_value v;
    int64_t code = 0;
    int is_int = out->present && json_parse(out->data, out->len, &v) == 0 &&
                 json_integer(&v, &code) == 0;

    jw_init(&name);
    jw_init(&reason);
    jw_cstr(&name, prefix);
    jw_cstr(&name, "onEmail returns output");
    xtp_assert(name.buf, out->present,
               "onEmail returned no output (did the plugin fail or trap? see the log)");

    name.len = 0;
    jw_cstr(&name, prefix);
    jw_cstr(&name, "onEmail output is a JSON integer");
    jw_cstr(&reason, "onEmail output is not a JSON integer: ");
    if (out->present) jw_string(&reason, out->data, out->len);
    else jw_cstr(&reason, "(no output)");
    xtp_assert(name.buf, is_int, reason.buf);

    if (expected >= 0) {
        name.len = 0;
        reason.len = 0;
        jw_cstr(&name, prefix);
        jw_cstr(&name, "onEmail returns ");
        jw_int(&name, expected);
        jw_cstr(&reason, "expected return code ");
        jw_int(&reason, expected);
        jw_cstr(&reason, " (");
        jw_cstr(&reason, why);
        jw_cstr(&reason, "), got ");
        if (is_int) jw_int(&reason, code);
        else if (out->present) jw_string(&reason, out->data, out->len);
        else jw_cstr(&reason, "no output");
        xtp_assert(name.buf, is_int && code == expected, reason.buf);
    }
    jw_free(&name);
    jw_free(&reason);
}

static void run_case(void *ctx) {
    const email_case *c = ctx;
    json_writer email;
    jw_init(&email);
    build_email(&email, c);
    int calls = c->calls > 0 ? c->calls : 1;
    for (int i = 0; i < calls; i++) {
        xtp_output out;
        xtp_call("onEmail", email.buf, email.len, &out);
        const char *prefix = calls == 1 ? "" : (i == 0 ? "1st call: " : "2nd call: ");
        check_output(prefix, &out, c->expected, c->why);
        xtp_output_free(&out);
    }
    jw_free(&email);
}

typedef struct {
    char *data;
    size_t len;
} bytes;

static void run_mock_input(void *ctx) {
    const bytes *in = ctx;
    xtp_output out;
    xtp_call("onEmail", in->data, in->len, &out);
    check_output("", &out, -1, "");
    xtp_output_free(&out);
}

/* Why-texts for the expected codes. */
#define OK_NO_XYZ "deliver succeeds and Project XYZ is not mentioned, so no reply"
#define DELIVER_FAILS "deliver fails, so the plugin returns its code and does not reply"
#define REPLY_OK "deliver succeeds, Project XYZ is mentioned, reply succeeds"
#define REPLY_FAILS "deliver succeeds, Project XYZ is mentioned, reply fails"

static const email_case cases[] = {
    /* The five reference groups (same names and inputs as the original
     * simulation), now also checking the exact code. */
    {"Test with Deliver and Reply both succeeding", "Subject", "simulation00", PLAIN_BODY, 0,
     OK_NO_XYZ, 1},
    {"Test with Deliver and Reply both failing", "Subject", "simulation11", PLAIN_BODY, 1,
     DELIVER_FAILS, 1},
    {"Test with Deliver succeeding and Reply failing", "Subject", "simulation01", PLAIN_BODY, 0,
     OK_NO_XYZ, 1},
    {"Test with Deliver failing and Reply succeeding", "Subject", "simulation10", PLAIN_BODY, 1,
     DELIVER_FAILS, 1},
    {"Test without Subject header", NULL, NULL, PLAIN_BODY, 0, OK_NO_XYZ, 1},

    /* Project XYZ in the subject: the reply subject "RE: Project XYZ
     * simulationXY" carries the scenario to reply. */
    {"Project XYZ in Subject, Deliver and Reply both succeeding", "Subject",
     "Project XYZ simulation00", PLAIN_BODY, 0, REPLY_OK, 1},
    {"Project XYZ in Subject, Deliver and Reply both failing", "Subject",
     "Project XYZ simulation11", PLAIN_BODY, 1, DELIVER_FAILS, 1},
    {"Project XYZ in Subject, Deliver succeeding and Reply failing", "Subject",
     "Project XYZ simulation01", PLAIN_BODY, 1, REPLY_FAILS, 1},
    {"Project XYZ in Subject, Deliver failing and Reply succeeding", "Subject",
     "Project XYZ simulation10", PLAIN_BODY, 1, DELIVER_FAILS, 1},

    /* Project XYZ in the body, exact 12-character scenario subjects: the
     * reply subject is "RE: simulationXY". */
    {"Project XYZ in body, Deliver and Reply both succeeding", "Subject", "simulation00",
     XYZ_BODY, 0, REPLY_OK, 1},
    {"Project XYZ in body, Deliver and Reply both failing", "Subject", "simulation11", XYZ_BODY,
     1, DELIVER_FAILS, 1},
    {"Project XYZ in body, Deliver succeeding and Reply failing", "Subject", "simulation01",
     XYZ_BODY, 1, REPLY_FAILS, 1},
    {"Project XYZ in body, Deliver failing and Reply succeeding", "Subject", "simulation10",
     XYZ_BODY, 1, DELIVER_FAILS, 1},

    /* No Project XYZ anywhere (scenario as a subject suffix): reply must not
     * happen, so its scenario must never show up in the code. */
    {"No Project XYZ, Deliver and Reply both succeeding", "Subject", "Status report simulation00",
     PLAIN_BODY, 0, OK_NO_XYZ, 1},
    {"No Project XYZ, Deliver and Reply both failing", "Subject", "Status report simulation11",
     PLAIN_BODY, 1, DELIVER_FAILS, 1},
    {"No Project XYZ, Deliver succeeding and Reply failing", "Subject",
     "Status report simulation01", PLAIN_BODY, 0, OK_NO_XYZ, 1},
    {"No Project XYZ, Deliver failing and Reply succeeding", "Subject",
     "Status report simulation10", PLAIN_BODY, 1, DELIVER_FAILS, 1},

    /* Details. */
    /* A mail's "subject:" or "SUBJECT:" line reaches the plugin as "Subject":
     * the host hands canonical header names (on-email.yaml), so the plugin
     * that reads headers["Subject"] exactly is correct. */
    {"Project XYZ in a lower-case subject line, handed as Subject, Reply failing", "Subject",
     "Project XYZ simulation01", PLAIN_BODY, 1,
     "the host hands the canonical name Subject: deliver succeeds, reply fails", 1},
    {"Project XYZ in Subject needing JSON escapes, Reply failing", "Subject",
     "Project XYZ \"quoted\" back\\slash\ttab caf\xc3\xa9 \xf0\x9f\x93\xa7 simulation01",
     PLAIN_BODY, 1,
     "the reply subject must be escaped correctly so that reply can read it; reply fails", 1},
    {"Project XYZ in body without Subject header", NULL, NULL, XYZ_BODY, 0,
     "deliver succeeds, reply with subject \"RE: \" succeeds", 1},
    {"Calling onEmail twice on one instance, Reply failing", "Subject",
     "Project XYZ simulation01", PLAIN_BODY, 1,
     "each call delivers and replies once; reply fails", 2},
};

__attribute__((export_name("test"))) int32_t test(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        xtp_group(cases[i].group, run_case, (void *)&cases[i]);

    /* Optional: run the plugin on the mock input, if one was given
     * (--mock-input-data / --mock-input-file / xtp.toml). */
    bytes mock;
    if (xtp_mock_input(&mock.data, &mock.len)) {
        xtp_group("Test with the mock input", run_mock_input, &mock);
        free(mock.data);
    }
    return 0;
}
