/*
 * Mock host for the hackable-email `onEmail` extension point.
 *
 * This is an Extism module exporting the plugin's host imports with their
 * exact wasm types:
 *
 *   deliver: (i64) -> i64   IncomingEmail JSON -> JSON integer
 *   reply:   (i64) -> i64   ReplyEmail JSON    -> JSON integer
 *
 * A runner links it as the module "extism:host/user" into the plugin's
 * instance, so it shares the plugin's Extism kernel: the i64 argument is the
 * offset of a kernel block (read with length/load_*), and the result is the
 * offset of a block this module allocates with alloc.
 *
 * SCENARIO RULE (subject-driven, see README.md):
 *   A subject whose LAST 12 characters are "simulation" followed by two
 *   characters X and Y, each '0' or '1', selects a scenario: deliver returns
 *   X, reply returns Y. The reference rule (the subject is exactly the 12
 *   characters "simulationXY") is the special case with nothing in front.
 *   Any other subject, or none: 0 (success).
 *   The subject read is, first, that of the MAIL BEING HANDLED: the Subject
 *   header (ASCII case ignored) of the plugin call's input, seen through the
 *   shared kernel, so a scenario is reached however the plugin rewrites the
 *   subject it passes on. When that subject selects no scenario:
 *   - deliver reads headers.Subject of the IncomingEmail it is handed (the
 *     first header whose name equals "Subject" ignoring ASCII case);
 *   - reply reads `subject` of the ReplyEmail it is handed.
 *   Because the rule accepts a suffix, every scenario is reachable through
 *   the example plugin: an incoming subject "Project XYZ simulation01" makes
 *   deliver return 0, and the plugin's reply subject
 *   "RE: Project XYZ simulation01" makes reply return 1.
 *   Logs (log_info): "Faking delivery SUCCESS" / "Faking delivery FAILURE" /
 *   "Faking reply SUCCESS" / "Faking reply FAILURE".
 *
 * CONTRACT ENFORCEMENT: deliver and reply may each be called at most once
 * per email, i.e. per onEmail call. This module cannot see call boundaries
 * directly, and its globals persist across plugin calls on one instance, so
 * at every deliver/reply it identifies the onEmail call in progress by
 *   1. the plugin call's input, as length + FNV-1a hash, read through
 *      input_length/input_load_* (the host shares the kernel, so it sees the
 *      input of the onEmail call in progress), and
 *   2. a 16-byte sentinel block it allocated in the kernel at the first host
 *      call of that onEmail call, holding a magic number and a serial number.
 * It is the same onEmail call only if BOTH the input is unchanged AND the
 * sentinel block is still alive with its exact contents; otherwise a new
 * call starts and the deliver/reply counters go back to zero. Extism
 * runtimes reset kernel memory before every plugin call, which kills the
 * sentinel, so calling onEmail twice with identical input on one instance is
 * NOT mistaken for a violation; a different input always means a new call,
 * even on a runtime that never resets kernel memory. (Limit: on a runtime
 * that does not reset kernel memory between calls, two onEmail calls with
 * byte-identical input, with no host call made in between by a call with a
 * different input, look like one call.) A plugin could defeat the check by
 * freeing the sentinel on purpose; this is a test double that catches
 * mistakes, not a security boundary: the real host enforces the rule itself.
 *
 * FAILURES: a host function can only answer through its i64 result, and
 * returning a made-up code would hide the plugin's bug. So on a contract
 * violation (second deliver/reply in one call) or an invalid argument (not a
 * block, not a JSON object, missing `sender`/`receiver`/`headers`/`body` or
 * wrong types; for reply missing or non-string `subject`/`body`), it
 *   1. logs the message with log_error (visible on every runtime),
 *   2. sets it as the call's error with error_set (the plugin call's error
 *      on runtimes that report the kernel error after a trap),
 *   3. traps (__builtin_trap), which aborts the plugin call, so the
 *      simulation fails loudly instead of seeing a return code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extism.h"
#include "json.h"

/* ------------------------------------------------------------------ */
/* scenario rule                                                       */
/* ------------------------------------------------------------------ */

/* If subject[0..n) ends with "simulationXY" (X, Y in {0,1}), store X and Y
 * and return 1; otherwise return 0. */
static int scenario_of(const char *subject, size_t n, int *x, int *y) {
    static const char prefix[] = "simulation";
    if (subject == NULL || n < 12) return 0;
    const char *t = subject + n - 12;
    if (memcmp(t, prefix, 10) != 0) return 0;
    if ((t[10] != '0' && t[10] != '1') || (t[11] != '0' && t[11] != '1')) return 0;
    *x = t[10] - '0';
    *y = t[11] - '0';
    return 1;
}

/* The scenario of the mail being handled: the Subject header (ASCII case
 * ignored) of the plugin call's input, which this module sees because it
 * shares the plugin's kernel. Returns 1 if that subject selects a scenario,
 * 0 if not (no Subject, no suffix, or an input that is not an IncomingEmail:
 * then the argument's subject decides). */
static int scenario_of_input(int *x, int *y) {
    char *text;
    size_t n;
    int found = 0;
    if (extism_load_input(&text, &n) != 0) return 0;
    json_value email, headers, sv;
    if (json_parse(text, n, &email) == 0 && email.type == JSON_OBJECT &&
        json_object_find(&email, "headers", 0, &headers) >= 1 && headers.type == JSON_OBJECT &&
        json_object_find(&headers, "Subject", 1, &sv) >= 1 && sv.type == JSON_STRING) {
        char *subject;
        size_t slen;
        if (json_string_decode(&sv, &subject, &slen) == 0) {
            found = scenario_of(subject, slen, x, y);
            free(subject);
        }
    }
    free(text);
    return found;
}

/* ------------------------------------------------------------------ */
/* failures                                                            */
/* ------------------------------------------------------------------ */

__attribute__((noreturn)) static void violation(const char *msg) {
    extism_errlog(msg);
    extism_error(msg);
    __builtin_trap();
}

/* ------------------------------------------------------------------ */
/* at-most-once per onEmail call                                       */
/* ------------------------------------------------------------------ */

#define SENTINEL_MAGIC 0x6b72616d7473686dULL /* "mhstmark" little-endian */

/* The onEmail call this instance last saw a host call in. */
static struct {
    int valid;
    uint64_t input_len;     /* the plugin call's input: length ... */
    uint64_t input_hash;    /* ... and FNV-1a hash */
    ExtismHandle sentinel;  /* 16-byte block: magic, serial (0 if alloc failed) */
    uint64_t serial;
} current;
static uint64_t serial_counter;
static int deliver_called, reply_called; /* within `current` */

static int sentinel_alive(void) {
    return current.sentinel != 0 && extism_length(current.sentinel) == 16 &&
           extism_load_u64(current.sentinel) == SENTINEL_MAGIC &&
           extism_load_u64(current.sentinel + 8) == current.serial;
}

/* Called at the start of every deliver/reply: work out whether this host
 * call belongs to the same onEmail call as the previous one; if not, start
 * a new one (nothing called yet). */
static void track_plugin_call(void) {
    uint64_t len = extism_input_length();
    uint64_t hash = extism_input_hash();
    int alive = sentinel_alive();
    if (current.valid && current.input_len == len && current.input_hash == hash &&
        (alive || current.sentinel == 0))
        return; /* same onEmail call */
    /* A new onEmail call. Release the old sentinel only if it is provably
     * still ours (on runtimes that reset kernel memory it is gone, and its
     * offset may now belong to the plugin). */
    if (alive) extism_free(current.sentinel);
    current.valid = 1;
    current.input_len = len;
    current.input_hash = hash;
    current.serial = ++serial_counter;
    current.sentinel = extism_alloc(16);
    if (current.sentinel != 0) {
        extism_store_u64(current.sentinel, SENTINEL_MAGIC);
        extism_store_u64(current.sentinel + 8, current.serial);
    }
    deliver_called = reply_called = 0;
}

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static char *load_argument(ExtismHandle in, size_t *len, const char *what) {
    char *text;
    if (extism_load_block(in, &text, len) != 0) violation(what);
    return text;
}

/* Member `name` must exist exactly once and have the given type. */
static int member(const json_value *obj, const char *name, json_type type, json_value *out) {
    return json_object_find(obj, name, 0, out) == 1 && out->type == type;
}

static ExtismHandle answer(int code) {
    ExtismHandle h = extism_store_bytes(code ? "1" : "0", 1);
    if (h == 0) violation("mock host: out of kernel memory");
    return h;
}

/* ------------------------------------------------------------------ */
/* exports                                                             */
/* ------------------------------------------------------------------ */

__attribute__((export_name("deliver"))) ExtismHandle deliver(ExtismHandle in) {
    track_plugin_call();
    if (deliver_called++)
        violation("mock host: deliver was called a second time for the same email; "
                  "a plugin may call deliver at most once per onEmail call");

    size_t n;
    char *text = load_argument(in, &n,
                               "mock host: deliver's argument is not a kernel memory block "
                               "(offset 0, unknown or empty); expected IncomingEmail JSON");
    json_value email, v, headers;
    if (json_parse(text, n, &email) != 0)
        violation("mock host: deliver's argument is not valid JSON; expected an "
                  "IncomingEmail object {sender, receiver, headers, body}");
    if (email.type != JSON_OBJECT)
        violation("mock host: deliver's argument is not a JSON object; expected an "
                  "IncomingEmail object {sender, receiver, headers, body}");
    if (!member(&email, "sender", JSON_STRING, &v))
        violation("mock host: IncomingEmail.sender is missing, duplicated or not a string");
    if (!member(&email, "receiver", JSON_STRING, &v))
        violation("mock host: IncomingEmail.receiver is missing, duplicated or not a string");
    if (!member(&email, "body", JSON_STRING, &v))
        violation("mock host: IncomingEmail.body is missing, duplicated or not a string");
    if (!member(&email, "headers", JSON_OBJECT, &headers))
        violation("mock host: IncomingEmail.headers is missing, duplicated or not an object");
    json_iter it;
    json_value k;
    json_iter_init(&it, &headers);
    while (json_iter_next(&it, &k, &v)) {
        if (v.type != JSON_STRING)
            violation("mock host: IncomingEmail.headers values must be strings");
    }

    int x = 0, y = 0;
    json_value sv;
    if (scenario_of_input(&x, &y)) {
        /* the mail being handled decides, whatever the plugin passes on */
    } else if (json_object_find(&headers, "Subject", 1, &sv) > 0) {
        char *subject;
        size_t slen;
        if (json_string_decode(&sv, &subject, &slen) != 0)
            violation("mock host: out of memory");
        scenario_of(subject, slen, &x, &y);
        free(subject);
    }
    free(text);
    extism_info(x ? "Faking delivery FAILURE" : "Faking delivery SUCCESS");
    return answer(x);
}

__attribute__((export_name("reply"))) ExtismHandle reply(ExtismHandle in) {
    track_plugin_call();
    if (reply_called++)
        violation("mock host: reply was called a second time for the same email; "
                  "a plugin may call reply at most once per onEmail call");

    size_t n;
    char *text = load_argument(in, &n,
                               "mock host: reply's argument is not a kernel memory block "
                               "(offset 0, unknown or empty); expected ReplyEmail JSON");
    json_value r, subject, body;
    if (json_parse(text, n, &r) != 0)
        violation("mock host: reply's argument is not valid JSON; expected a ReplyEmail "
                  "object {subject, body}");
    if (r.type != JSON_OBJECT)
        violation("mock host: reply's argument is not a JSON object; expected a ReplyEmail "
                  "object {subject, body}");
    if (!member(&r, "subject", JSON_STRING, &subject))
        violation("mock host: ReplyEmail.subject is missing, duplicated or not a string");
    if (!member(&r, "body", JSON_STRING, &body))
        violation("mock host: ReplyEmail.body is missing, duplicated or not a string");

    int x = 0, y = 0;
    if (!scenario_of_input(&x, &y)) {
        char *s;
        size_t slen;
        if (json_string_decode(&subject, &s, &slen) != 0) violation("mock host: out of memory");
        scenario_of(s, slen, &x, &y);
        free(s);
    }
    free(text);
    extism_info(y ? "Faking reply FAILURE" : "Faking reply SUCCESS");
    return answer(y);
}
