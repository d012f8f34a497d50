/* Rejected: delivers, then replies twice (the contract allows once). */
#include <string.h>

#include "mail.h"

#define REPLY "{\"subject\":\"Received\",\"body\":\"Thanks.\"}"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0, ignored;
    const char *err = mail_read(&m);
    if (!err) err = mail_deliver(&m, &code);
    if (!err) err = mail_reply(REPLY, strlen(REPLY), &ignored);
    if (!err) err = mail_reply(REPLY, strlen(REPLY), &ignored);
    mail_free(&m);
    return mail_finish(err, code);
}
