/* Rejected: never returns (loops forever on every mail). */
#include "mail.h"

__attribute__((export_name("onEmail"))) int32_t on_email(void) {
    volatile uint64_t spins = 0;
    for (;;) spins++;
}
