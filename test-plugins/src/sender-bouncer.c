/*
 * Accepted: a sender bouncer. Mail from a@example.com (the sender of the
 * contract simulation's mails, so that the gate sees this path) is bounced with
 * 69 (EX_UNAVAILABLE) without being delivered: a decision, not a loss. Other
 * mail is delivered and deliver's code returned.
 */
#include <string.h>

#include "mail.h"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err && m.sender_len == 13 && memcmp(m.sender, "a@example.com", 13) == 0) {
        code = 69;
    } else if (!err) {
        err = mail_deliver(&m, &code);
    }
    mail_free(&m);
    return mail_finish(err, code);
}
