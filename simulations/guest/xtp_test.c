/* xtp_test.c - see xtp_test.h. */
#include "xtp_test.h"

#include <stdlib.h>
#include <string.h>

static ExtismHandle store_or_empty(const void *data, size_t len) {
    /* Kernels may refuse alloc(0); an empty input is passed as offset 0. */
    return len ? extism_store_bytes(data, len) : 0;
}

void xtp_call(const char *func, const void *input, size_t len, xtp_output *out) {
    ExtismHandle name = extism_store_str(func);
    ExtismHandle in = store_or_empty(input, len);
    ExtismHandle res = xtp_harness_call(name, in);
    out->present = 0;
    out->data = NULL;
    out->len = 0;
    if (res != 0) {
        if (extism_load_block(res, &out->data, &out->len) == 0) out->present = 1;
        extism_free(res);
    }
    if (in) extism_free(in);
    if (name) extism_free(name);
}

void xtp_output_free(xtp_output *out) {
    free(out->data);
    out->data = NULL;
    out->len = 0;
    out->present = 0;
}

uint64_t xtp_time_ns(const char *func, const void *input, size_t len) {
    ExtismHandle name = extism_store_str(func);
    ExtismHandle in = store_or_empty(input, len);
    uint64_t ns = xtp_harness_time(name, in);
    if (in) extism_free(in);
    if (name) extism_free(name);
    return ns;
}

void xtp_assert(const char *name, int ok, const char *reason) {
    if (name == NULL) name = "assertion";
    ExtismHandle n = extism_store_str(name);
    ExtismHandle r = extism_store_str(reason && reason[0] ? reason : name);
    xtp_harness_assert(n, ok ? 1 : 0, r);
    if (r) extism_free(r);
    if (n) extism_free(n);
}

void xtp_reset(void) { xtp_harness_reset(); }

void xtp_group(const char *name, void (*body)(void *ctx), void *ctx) {
    ExtismHandle n = extism_store_str(name);
    xtp_harness_group(n);
    if (n) extism_free(n);
    xtp_harness_reset();
    body(ctx);
    xtp_harness_reset();
}

int xtp_mock_input(char **out, size_t *len) {
    ExtismHandle h = xtp_harness_mock_input();
    *out = NULL;
    *len = 0;
    if (h == 0) return 0;
    return extism_load_block(h, out, len) == 0;
}

int xtp_host_calls(char **out, size_t *len) {
    ExtismHandle h = xtp_harness_host_calls();
    *out = NULL;
    *len = 0;
    if (h == 0) return 0;
    int ok = extism_load_block(h, out, len) == 0;
    extism_free(h);
    return ok;
}
