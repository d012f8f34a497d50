/* Rejected: delivers, then returns 0 even when deliver failed: the mail is lost
 * without a bounce. */
#include "mail.h"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err) err = mail_deliver(&m, &code);
    mail_free(&m);
    return mail_finish(err, 0);
}
