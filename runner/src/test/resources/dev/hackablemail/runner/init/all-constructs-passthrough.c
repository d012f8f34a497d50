/*
 * A pass-through implementation of all-constructs.yaml: every echo* export returns its
 * input unchanged (decoded by the bindings, then encoded again), and ping calls every
 * host function, so that their encoders and decoders run too.
 */
#include "pdk.h"

int echo(const Everything *input, Everything *output) { *output = *input; return 0; }
int echoText(const pdk_string *input, pdk_string *output) { *output = *input; return 0; }
int echoBytes(const pdk_bytes *input, pdk_bytes *output) { *output = *input; return 0; }
int echoColor(const Color *input, Color *output) { *output = *input; return 0; }
int echoNumber(const double *input, double *output) { *output = *input; return 0; }
int echoFlag(const bool *input, bool *output) { *output = *input; return 0; }
int echoWhen(const pdk_string *input, pdk_string *output) { *output = *input; return 0; }
int echoPoints(const pdk_list_Point *input, pdk_list_Point *output) { *output = *input; return 0; }
int echoMap(const pdk_map_string *input, pdk_map_string *output) { *output = *input; return 0; }
int echoAnything(const pdk_json *input, pdk_json *output) { *output = *input; return 0; }
int echoChain(const Chain *input, Chain *output) { *output = *input; return 0; }

int ping(int32_t *output) {
    Everything fetched;
    pdk_string now;
    int64_t measured;
    Point point = {.x = 1.5, .y = -2.25f, .label = pdk_str("a point"), .has_label = true};
    if (host_fetch(&(pdk_string){"query", 5}, &fetched) != 0) return -1;
    if (host_store(&fetched.blob) != 0) return -1;
    if (host_now(&now) != 0) return -1;
    if (host_notify() != 0) return -1;
    if (host_measure(&point, &measured) != 0) return -1;
    *output = fetched.small;
    return 0;
}

int consume(const Point *input) { return input->x == input->x ? 0 : pdk_error("x is NaN"); }

int tick(void) { return 0; }
