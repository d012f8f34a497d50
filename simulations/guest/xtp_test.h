/*
 * xtp_test.h - a tiny C test library for XTP simulations (test modules).
 *
 * A test module is an Extism plugin exporting `test: () -> i32` that drives
 * the plugin under test through the `xtp:test/harness` imports. All strings
 * and byte arrays handed to the harness are blocks in THIS module's Extism
 * kernel memory (allocated with extism:host/env alloc + store_*); blocks the
 * harness returns are read and then freed by this library.
 *
 * Only the harness functions a module actually uses end up as imports.
 */
#ifndef SIMULATIONS_XTP_TEST_H
#define SIMULATIONS_XTP_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "extism.h"

#define XTP_HARNESS_IMPORT(name) \
    __attribute__((import_module("xtp:test/harness"), import_name(#name)))

/* ---- raw harness imports ---- */
/* Call plugin export `name` with `input`; returns a new block holding the
 * output (0 when there is none). */
XTP_HARNESS_IMPORT(call) ExtismHandle xtp_harness_call(ExtismHandle name, ExtismHandle input);
/* Same call; returns the nanoseconds it took. */
XTP_HARNESS_IMPORT(time) uint64_t xtp_harness_time(ExtismHandle name, ExtismHandle input);
/* Record an assertion: value 1 = pass, 0 = fail; reason shown on failure. */
XTP_HARNESS_IMPORT(assert) void xtp_harness_assert(ExtismHandle name, uint64_t value,
                                                   ExtismHandle reason);
/* Start a named group (groups do not nest). */
XTP_HARNESS_IMPORT(group) void xtp_harness_group(ExtismHandle name);
/* Fresh plugin instance, Extism vars cleared. */
XTP_HARNESS_IMPORT(reset) void xtp_harness_reset(void);
/* Block holding the mock input, or 0 when none was given. */
XTP_HARNESS_IMPORT(mock_input) ExtismHandle xtp_harness_mock_input(void);

/* EXTENSION of this project's runner (xtp-sim, its JUnit engine and the push
 * gate), not of the public xtp CLI: a new block holding a JSON array of the
 * calls the plugin made to its mock host during the latest `call`/`time`,
 * in order: [{"function":"deliver","input":"<payload>","output":"0"}, ...]
 * ("output" is null when the host call failed, "input" when it named no
 * block). A module that imports it runs only on this project's runner. */
XTP_HARNESS_IMPORT(host_calls) ExtismHandle xtp_harness_host_calls(void);

/* ---- convenience API (xtp_test.c) ---- */

typedef struct {
    int present;  /* the call produced a non-empty output block */
    char *data;   /* malloc'd copy, NUL-terminated (NULL if !present) */
    size_t len;
} xtp_output;

/* Call plugin export `func` with input[0..len). Always fills *out. */
void xtp_call(const char *func, const void *input, size_t len, xtp_output *out);
void xtp_output_free(xtp_output *out);

/* Nanoseconds one call of `func` with input[0..len) took. */
uint64_t xtp_time_ns(const char *func, const void *input, size_t len);

/* Record an assertion. */
void xtp_assert(const char *name, int ok, const char *reason);

/* Run body(ctx) as group `name`: starts the group, resets the plugin before
 * and after the body (like the official libraries' Group helpers). */
void xtp_group(const char *name, void (*body)(void *ctx), void *ctx);

void xtp_reset(void);

/* Copy the mock input into a malloc'd buffer. Returns 1 if there is one,
 * 0 if none was given (or it could not be read). */
int xtp_mock_input(char **out, size_t *len);

/* Copy host_calls' JSON into a malloc'd buffer. Returns 1 on success. */
int xtp_host_calls(char **out, size_t *len);

#endif
