/*
 * extism.h - a tiny, self-contained Extism guest "PDK" for C (wasm32-wasi).
 *
 * Shared by example-plugin/, mock-host/ and simulations/guest/.
 *
 * The raw kernel functions live in the import module "extism:host/env" and
 * take/return i64 "handles" (offsets in the Extism kernel memory, which is NOT
 * this module's linear memory). Handle 0 means "no block". Byte i of a block
 * with handle h is addressed as h + i (this holds for every Extism kernel,
 * including the JS SDK's, which packs a block index in the high bits).
 *
 * The helpers below copy data between this module's memory and kernel blocks.
 * They never trap on bad handles: a handle of 0 or a block of length 0 is
 * reported as "empty"/failure to the caller.
 */
#ifndef GUEST_LIB_EXTISM_H
#define GUEST_LIB_EXTISM_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t ExtismHandle;

#define EXTISM_ENV_IMPORT(name) \
    __attribute__((import_module("extism:host/env"), import_name(#name)))

/* ---- raw kernel imports (all offsets are i64) ---- */
EXTISM_ENV_IMPORT(alloc) ExtismHandle extism_alloc(uint64_t len);
EXTISM_ENV_IMPORT(free) void extism_free(ExtismHandle h);
EXTISM_ENV_IMPORT(length) uint64_t extism_length(ExtismHandle h);
EXTISM_ENV_IMPORT(load_u8) uint32_t extism_load_u8(ExtismHandle at);
EXTISM_ENV_IMPORT(load_u64) uint64_t extism_load_u64(ExtismHandle at);
EXTISM_ENV_IMPORT(store_u8) void extism_store_u8(ExtismHandle at, uint32_t v);
EXTISM_ENV_IMPORT(store_u64) void extism_store_u64(ExtismHandle at, uint64_t v);
EXTISM_ENV_IMPORT(input_length) uint64_t extism_input_length(void);
EXTISM_ENV_IMPORT(input_offset) uint64_t extism_input_offset(void);
EXTISM_ENV_IMPORT(input_load_u8) uint32_t extism_input_load_u8(uint64_t at);
EXTISM_ENV_IMPORT(input_load_u64) uint64_t extism_input_load_u64(uint64_t at);
EXTISM_ENV_IMPORT(output_set) void extism_output_set(ExtismHandle h, uint64_t len);
EXTISM_ENV_IMPORT(error_set) void extism_error_set(ExtismHandle h);
EXTISM_ENV_IMPORT(log_info) void extism_log_info(ExtismHandle h);
EXTISM_ENV_IMPORT(log_warn) void extism_log_warn(ExtismHandle h);
EXTISM_ENV_IMPORT(log_error) void extism_log_error(ExtismHandle h);
EXTISM_ENV_IMPORT(log_debug) void extism_log_debug(ExtismHandle h);

/* ---- helpers (guest-lib/extism.c) ---- */

/* Allocate a kernel block holding exactly len bytes copied from data.
 * Returns 0 if the kernel could not allocate (or len == 0 and the kernel
 * refused). */
ExtismHandle extism_store_bytes(const void *data, size_t len);
/* Same for a NUL-terminated string (the NUL is not stored). */
ExtismHandle extism_store_str(const char *s);

/* Copy a kernel block into a fresh malloc'd buffer (NUL-terminated for
 * convenience; *len excludes the NUL). Returns 0 on success, -1 if h is 0,
 * the block is empty/unknown, or malloc failed. */
int extism_load_block(ExtismHandle h, char **out, size_t *len);

/* Copy the current call's input into a fresh malloc'd buffer (NUL-terminated;
 * *len excludes the NUL). An empty input gives *out = "" (allocated), *len = 0.
 * Returns 0 on success, -1 if malloc failed. */
int extism_load_input(char **out, size_t *len);

/* FNV-1a 64-bit hash of the current input (length is mixed in), read
 * through input_load_*; does not copy the input. */
uint64_t extism_input_hash(void);

/* Set the call's output to a copy of data. Returns 0 on success. */
int extism_output(const void *data, size_t len);

/* Set the call's error message (copied into a kernel block). */
void extism_error(const char *msg);

/* Log a NUL-terminated message at the given level. */
void extism_info(const char *msg);
void extism_warn(const char *msg);
void extism_errlog(const char *msg);
void extism_debug(const char *msg);

#endif
