#include "mail.h"

#include <stdlib.h>
#include <string.h>

#include "extism.h"

__attribute__((import_module("extism:host/user"), import_name("deliver")))
ExtismHandle host_deliver(ExtismHandle email);
__attribute__((import_module("extism:host/user"), import_name("reply")))
ExtismHandle host_reply(ExtismHandle reply_email);

static const char *decode_member(const json_value *obj, const char *name, int ci, char **out, size_t *len) {
    json_value v;
    int found = json_object_find(obj, name, ci, &v);
    if (found < 1) return NULL;
    if (v.type != JSON_STRING) return "mail: a member is not a string";
    return json_string_decode(&v, out, len) == 0 ? NULL : "mail: out of memory";
}

const char *mail_read(mail *m) {
    memset(m, 0, sizeof *m);
    if (extism_load_input(&m->input, &m->input_len) != 0) return "mail: out of memory";
    if (json_parse(m->input, m->input_len, &m->email) != 0 || m->email.type != JSON_OBJECT)
        return "mail: the input is not a JSON object";
    if (json_object_find(&m->email, "headers", 0, &m->headers) != 1 || m->headers.type != JSON_OBJECT)
        return "mail: no headers object";
    const char *err = decode_member(&m->email, "sender", 0, &m->sender, &m->sender_len);
    if (!err) err = decode_member(&m->email, "body", 0, &m->body, &m->body_len);
    if (!err) err = decode_member(&m->headers, "Subject", 1, &m->subject, &m->subject_len);
    if (!err && (!m->sender || !m->body)) err = "mail: sender or body missing";
    return err;
}

void mail_free(mail *m) {
    free(m->input);
    free(m->sender);
    free(m->subject);
    free(m->body);
}

static const char *call_host(ExtismHandle (*fn)(ExtismHandle), const char *payload, size_t len, int64_t *code) {
    ExtismHandle in = extism_store_bytes(payload, len);
    if (in == 0) return "mail: out of kernel memory";
    ExtismHandle out = fn(in);
    extism_free(in);
    char *text;
    size_t tlen;
    if (extism_load_block(out, &text, &tlen) != 0) return "mail: the host gave no answer";
    extism_free(out);
    json_value v;
    int ok = json_parse(text, tlen, &v) == 0 && json_integer(&v, code) == 0;
    free(text);
    return ok ? NULL : "mail: the host's answer is not an integer";
}

const char *mail_deliver(const mail *m, int64_t *code) {
    return call_host(host_deliver, m->input, m->input_len, code);
}

const char *mail_reply(const char *json, size_t len, int64_t *code) {
    return call_host(host_reply, json, len, code);
}

int32_t mail_finish(const char *err, int64_t code) {
    if (!err) {
        json_writer out;
        jw_init(&out);
        jw_int(&out, code);
        if (out.oom || extism_output(out.buf, out.len) != 0) err = "mail: cannot set the output";
        jw_free(&out);
    }
    if (err) {
        extism_error(err);
        return 1;
    }
    return 0;
}
