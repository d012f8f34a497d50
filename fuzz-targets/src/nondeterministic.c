/*
 * Fuzz target: nondeterministic.
 *
 * A vacation responder that answers each sender once: it remembers the last
 * sender it answered in a global variable, which lives as long as the plugin
 * instance. The same mail handed over twice is answered the first time only,
 * so the result depends on what the instance saw before, not on the mail.
 */
#include <stdlib.h>
#include <string.h>

#include "extism.h"
#include "mail.h"

static char *last_sender; /* DEFECT: state that outlives the call */
static size_t last_sender_len;

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err) err = mail_deliver(&m, &code);
    int answered = last_sender && last_sender_len == m.sender_len && memcmp(last_sender, m.sender, m.sender_len) == 0;
    if (!err && code == 0 && !answered) {
        json_writer w;
        jw_init(&w);
        jw_cstr(&w, "{\"subject\":\"On vacation: ");
        if (m.subject) jw_escaped(&w, m.subject, m.subject_len);
        jw_cstr(&w, "\",\"body\":\"I am on vacation.\"}");
        err = w.oom ? "vacation: out of memory" : mail_reply(w.buf, w.len, &code);
        jw_free(&w);
        free(last_sender);
        last_sender = m.sender;
        last_sender_len = m.sender_len;
        m.sender = NULL;
    }
    mail_free(&m);
    return mail_finish(err, code);
}
