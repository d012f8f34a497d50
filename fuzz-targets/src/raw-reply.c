/*
 * Fuzz target: writes raw control bytes into the JSON it hands reply.
 *
 * An away responder: delivers the mail, then replies "RE: <subject>". It
 * builds the ReplyEmail JSON by pasting the subject between quotes without
 * escaping it, so a subject with a quote, a backslash or a control character
 * (a carriage return) makes the payload invalid JSON.
 */
#include "extism.h"
#include "mail.h"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err) err = mail_deliver(&m, &code);
    if (!err && code == 0) {
        json_writer w;
        jw_init(&w);
        jw_cstr(&w, "{\"subject\":\"RE: ");
        if (m.subject) jw_raw(&w, m.subject, m.subject_len); /* DEFECT: not jw_escaped */
        jw_cstr(&w, "\",\"body\":\"I am away until Monday.\"}");
        err = w.oom ? "away: out of memory" : mail_reply(w.buf, w.len, &code);
        jw_free(&w);
    }
    mail_free(&m);
    return mail_finish(err, code);
}
