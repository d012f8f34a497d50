/*
 * Accepted: a vacation responder. Bounces mail from one sender (69,
 * EX_UNAVAILABLE, without delivering); delivers everything else and, unless the
 * subject starts with "Re:", replies "I am on vacation until Monday". A failed
 * reply does not matter: the mail was delivered.
 */
#include <string.h>
#include <strings.h>

#include "mail.h"

#define BOUNCED "pushy@vendor.example"
#define REPLY "{\"subject\":\"Out of office\",\"body\":\"I am on vacation until Monday.\"}"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0, ignored;
    const char *err = mail_read(&m);
    if (!err && m.sender_len == strlen(BOUNCED) && memcmp(m.sender, BOUNCED, m.sender_len) == 0) {
        code = 69;
    } else if (!err) {
        err = mail_deliver(&m, &code);
        int is_reply = m.subject && m.subject_len >= 3 && strncasecmp(m.subject, "Re:", 3) == 0;
        if (!err && code == 0 && !is_reply) err = mail_reply(REPLY, strlen(REPLY), &ignored);
    }
    mail_free(&m);
    return mail_finish(err, code);
}
