/* Rejected: calls deliver twice for every mail (the contract allows once). */
#include "mail.h"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err) err = mail_deliver(&m, &code);
    if (!err) err = mail_deliver(&m, &code);
    mail_free(&m);
    return mail_finish(err, code);
}
