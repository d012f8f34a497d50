/*
 * Accepted: drops newsletters. Mail whose subject mentions "newsletter" (any
 * case) is dropped: onEmail returns 0 without calling deliver (a decision, not
 * a loss). Other mail is delivered and deliver's code returned.
 */
#include <ctype.h>

#include "mail.h"

static int mentions_newsletter(const char *s, size_t n) {
    static const char word[] = "newsletter";
    for (size_t i = 0; i + sizeof word - 1 <= n; i++) {
        size_t j = 0;
        while (j < sizeof word - 1 && tolower((unsigned char)s[i + j]) == word[j]) j++;
        if (j == sizeof word - 1) return 1;
    }
    return 0;
}

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err && !(m.subject && mentions_newsletter(m.subject, m.subject_len)))
        err = mail_deliver(&m, &code);
    mail_free(&m);
    return mail_finish(err, code);
}
