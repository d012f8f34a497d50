/* Rejected: imports a host function the extension point does not declare
 * (extism:host/user forward). */
#include "mail.h"

__attribute__((import_module("extism:host/user"), import_name("forward")))
uint64_t host_forward(uint64_t email);

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err) host_forward(0);
    mail_free(&m);
    return mail_finish(err, code);
}
