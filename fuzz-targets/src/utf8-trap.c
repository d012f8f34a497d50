/*
 * Fuzz target: traps on a three-byte UTF-8 sequence.
 *
 * Bounces mail whose Subject is longer than an RFC 5322 line (998 characters),
 * counting characters with a hand-written UTF-8 decoder. The decoder knows 1-,
 * 2- and 4-byte sequences (ASCII, accented letters, emoji) but not 3-byte ones
 * (U+0800..U+FFFF: the euro sign, CJK, most of the BMP), and traps on them.
 */
#include "extism.h"
#include "mail.h"

static size_t sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF8) == 0xF0) return 4;
    __builtin_trap(); /* DEFECT: 0xE0..0xEF leads were never expected */
}

static size_t characters(const char *s, size_t len) {
    size_t count = 0;
    for (size_t i = 0; i < len; i += sequence_length((unsigned char)s[i])) count++;
    return count;
}

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    mail m;
    int64_t code = 0;
    const char *err = mail_read(&m);
    if (!err && m.subject && characters(m.subject, m.subject_len) > 998) {
        code = 65; /* EX_DATAERR: bounce */
    } else if (!err) {
        err = mail_deliver(&m, &code);
    }
    mail_free(&m);
    return mail_finish(err, code);
}
