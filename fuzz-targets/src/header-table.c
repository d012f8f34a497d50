/*
 * Fuzz target: overflows a fixed table of headers.
 *
 * Delivers mail, but drops list mail (a List-Id or List-Unsubscribe header).
 * It first copies the header names into a table of 16 entries without checking
 * the count; a mail with 17 or more headers overwrites the function pointer
 * stored after the table, and calling it then traps.
 */
#include <string.h>

#include "extism.h"
#include "mail.h"

#define MAX_HEADERS 16

typedef struct {
    const char *name; /* the key's JSON text, quotes included */
    size_t len;
} header_name;

static struct {
    header_name table[MAX_HEADERS];
    int (*is_list_header)(const char *name, size_t len);
} index_;

static int starts_with_ci(const char *s, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    if (len < n) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != prefix[i]) return 0;
    }
    return 1;
}

static int list_header(const char *name, size_t len) {
    return starts_with_ci(name, len, "\"list-id\"") || starts_with_ci(name, len, "\"list-unsubscribe\"");
}

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err) {
        index_.is_list_header = list_header;
        size_t count = 0;
        json_iter it;
        json_value k, v;
        json_iter_init(&it, &m.headers);
        while (json_iter_next(&it, &k, &v)) {
            index_.table[count].name = k.p; /* DEFECT: no check against MAX_HEADERS */
            index_.table[count].len = k.n;
            count++;
        }
        int list = 0;
        for (size_t i = 0; i < count; i++) {
            list |= index_.is_list_header(index_.table[i].name, index_.table[i].len);
        }
        if (!list) err = mail_deliver(&m, &code);
    }
    mail_free(&m);
    return mail_finish(err, code);
}
