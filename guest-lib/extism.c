/* extism.c - helpers of the tiny Extism guest PDK (see extism.h). */
#include "extism.h"

#include <stdlib.h>
#include <string.h>

ExtismHandle extism_store_bytes(const void *data, size_t len) {
    ExtismHandle h = extism_alloc((uint64_t)len);
    if (h == 0) return 0;
    const unsigned char *p = (const unsigned char *)data;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8); /* wasm32 is little-endian, like the kernel */
        extism_store_u64(h + i, w);
    }
    for (; i < len; i++) extism_store_u8(h + i, p[i]);
    return h;
}

ExtismHandle extism_store_str(const char *s) {
    return extism_store_bytes(s, strlen(s));
}

int extism_load_block(ExtismHandle h, char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    if (h == 0) return -1;
    uint64_t n = extism_length(h);
    if (n == 0 || n > (uint64_t)(SIZE_MAX - 1)) return -1;
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL) return -1;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = extism_load_u64(h + i);
        memcpy(buf + i, &w, 8);
    }
    for (; i < n; i++) buf[i] = (char)extism_load_u8(h + i);
    buf[n] = '\0';
    *out = buf;
    *len = (size_t)n;
    return 0;
}

int extism_load_input(char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    uint64_t n = extism_input_length();
    if (n > (uint64_t)(SIZE_MAX - 1)) return -1;
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL) return -1;
    size_t i = 0;
    /* The input is a kernel block like any other: read it with load_u64 at
     * input_offset, which hosts can serve without a call into the kernel
     * module (this runner does), rather than input_load_u64, which they
     * cannot. The bytes are the same. */
    ExtismHandle h = extism_input_offset();
    for (; i + 8 <= n; i += 8) {
        uint64_t w = extism_load_u64(h + i);
        memcpy(buf + i, &w, 8);
    }
    for (; i < n; i++) buf[i] = (char)extism_load_u8(h + i);
    buf[n] = '\0';
    *out = buf;
    *len = (size_t)n;
    return 0;
}

uint64_t extism_input_hash(void) {
    const uint64_t prime = 1099511628211ULL;
    uint64_t h = 14695981039346656037ULL;
    uint64_t n = extism_input_length();
    for (int k = 0; k < 8; k++) { /* mix in the length first */
        h ^= (n >> (8 * k)) & 0xff;
        h *= prime;
    }
    uint64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = extism_input_load_u64(i);
        for (int k = 0; k < 8; k++) {
            h ^= (w >> (8 * k)) & 0xff;
            h *= prime;
        }
    }
    for (; i < n; i++) {
        h ^= extism_input_load_u8(i) & 0xff;
        h *= prime;
    }
    return h;
}

int extism_output(const void *data, size_t len) {
    ExtismHandle h = extism_store_bytes(data, len);
    if (h == 0) return -1;
    extism_output_set(h, (uint64_t)len);
    return 0;
}

void extism_error(const char *msg) {
    ExtismHandle h = extism_store_str(msg);
    if (h != 0) extism_error_set(h);
}

static void log_with(void (*fn)(ExtismHandle), const char *msg) {
    ExtismHandle h = extism_store_str(msg);
    if (h == 0) return;
    fn(h);
    extism_free(h);
}

void extism_info(const char *msg) { log_with(extism_log_info, msg); }
void extism_warn(const char *msg) { log_with(extism_log_warn, msg); }
void extism_errlog(const char *msg) { log_with(extism_log_error, msg); }
void extism_debug(const char *msg) { log_with(extism_log_debug, msg); }
