/*
 * Fuzz target: returns output that does not match the schema.
 *
 * Delivers the mail and returns deliver's code, but prints it as an unsigned
 * 32-bit number: a negative code from the host (-1) comes out as 4294967295,
 * which is not the int32 the schema promises.
 */
#include <stdio.h>

#include "extism.h"
#include "mail.h"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err) err = mail_deliver(&m, &code);
    mail_free(&m);
    if (err) return mail_finish(err, code);
    char text[16];
    int n = snprintf(text, sizeof text, "%u", (uint32_t)code); /* DEFECT: %u */
    return extism_output(text, (size_t)n) == 0 ? 0 : mail_finish("cannot set the output", 0);
}
