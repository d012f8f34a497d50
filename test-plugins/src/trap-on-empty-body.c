/* Rejected: traps on some inputs: reads the body's first byte without checking
 * that there is one (an empty body traps). */
#include "mail.h"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err && m.body_len == 0) __builtin_trap(); /* DEFECT: the first byte of nothing */
    if (!err) err = mail_deliver(&m, &code);
    mail_free(&m);
    return mail_finish(err, code);
}
