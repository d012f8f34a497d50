/*
 * mail.h - what the fuzz targets share: read the IncomingEmail, call the
 * host's deliver and reply, return a code. Each target (one .c file each)
 * adds one deliberate defect on top, the kind of bug `xtp-sim fuzz` exists
 * to find; everything here is careful, so that the defect is the only one.
 */
#ifndef FUZZ_TARGETS_MAIL_H
#define FUZZ_TARGETS_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

typedef struct {
    char *input;       /* the raw IncomingEmail JSON */
    size_t input_len;
    json_value email;  /* the parsed object */
    json_value headers;
    char *sender;      /* decoded strings (NUL-terminated, may contain NUL) */
    size_t sender_len;
    char *subject;     /* NULL when there is no Subject header */
    size_t subject_len;
    char *body;
    size_t body_len;
} mail;

/* Reads and decodes the call's input. Returns NULL or an error message. */
const char *mail_read(mail *m);
void mail_free(mail *m);

/* Calls deliver with the mail as received, or reply with the JSON payload
 * given; parses the answer as a JSON integer. Returns NULL or an error. */
const char *mail_deliver(const mail *m, int64_t *code);
const char *mail_reply(const char *json, size_t len, int64_t *code);

/* Sets the call's output to the integer code as JSON. Returns 0, or 1 after
 * setting err as the call's error. The export returns what this returns. */
int32_t mail_finish(const char *err, int64_t code);

#endif
