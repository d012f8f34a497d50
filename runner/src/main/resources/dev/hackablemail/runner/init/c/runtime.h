#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "extism.h"
#include "json.h"

/* ---- values ---- */

/* UTF-8 text. data is NUL-terminated (so C string functions work), but may also
 * hold NUL bytes (JSON "\u0000"): len is the true length. */
typedef struct { const char *data; size_t len; } pdk_string;

/* Raw bytes (a buffer; base64 inside JSON). */
typedef struct { const uint8_t *data; size_t len; } pdk_bytes;

/* A free-form JSON object, as its JSON text. */
typedef struct { const char *data; size_t len; } pdk_json;

/* A C string as a pdk_string (not copied). */
pdk_string pdk_str(const char *s);
/* n bytes as a pdk_string (not copied). */
pdk_string pdk_strn(const char *s, size_t n);
/* Does s contain the C string needle (searching all of s, NUL bytes included)? */
bool pdk_contains(pdk_string s, const char *needle);
/* Does s equal the C string other? */
bool pdk_equals(pdk_string s, const char *other);
/* printf into memory that lives until the current export call returns. */
pdk_string pdk_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Memory that lives until the current export call returns: no need to free it.
 * Returns NULL when memory is exhausted. */
void *pdk_alloc(size_t size);

/* ---- errors and logs ---- */

/* Sets the current call's error message (printf-style) and returns -1, so that
 * `return pdk_error("...")` fails the call with that message. */
int pdk_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Writes a line to the host's log (printf-style). */
void pdk_log_info(const char *format, ...) __attribute__((format(printf, 1, 2)));
void pdk_log_warn(const char *format, ...) __attribute__((format(printf, 1, 2)));
void pdk_log_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
void pdk_log_debug(const char *format, ...) __attribute__((format(printf, 1, 2)));
