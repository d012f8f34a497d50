/*
 * Fuzz target: loops forever on a long body.
 *
 * Drops mail whose body is nothing but a signature ("\n-- \n" and what
 * follows), delivers the rest. The search for the signature delimiter keeps
 * its position in a 16-bit counter, which wraps around on a body of 64 KiB
 * or more without a delimiter in its first 64 KiB: the loop never ends.
 */
#include <string.h>

#include "extism.h"
#include "mail.h"

static size_t signature_start(const char *body, size_t len) {
    for (uint16_t i = 0; (size_t)i + 5 <= len; i++) { /* DEFECT: uint16_t */
        if (memcmp(body + i, "\n-- \n", 5) == 0) return i;
    }
    return len;
}

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err && !(m.body_len > 0 && signature_start(m.body, m.body_len) == 0)) {
        err = mail_deliver(&m, &code);
    }
    mail_free(&m);
    return mail_finish(err, code);
}
