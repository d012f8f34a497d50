/*
 * Accepted: delivers, then always replies "Thanks, received", and returns
 * deliver's code whatever reply answered (a failed reply is ignored).
 */
#include <string.h>

#include "mail.h"

#define REPLY "{\"subject\":\"Received\",\"body\":\"Thanks, received.\"}"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0, ignored;
    const char *err = mail_read(&m);
    if (!err) err = mail_deliver(&m, &code);
    if (!err && code == 0) err = mail_reply(REPLY, strlen(REPLY), &ignored);
    mail_free(&m);
    return mail_finish(err, code);
}
