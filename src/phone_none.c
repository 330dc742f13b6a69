/*
 * phone_none.c — campval__phone_* when campval is built without libphonenumber (see phone.h).
 *
 * Type names (phone_rule.c) keep working so rules can still be parsed and messages written; everything that
 * needs the library's data answers -1, so the caller can refuse x-phone rules at compile time
 * instead of accepting every number.
 */
#include "phone.h"

#include <string.h>

int campval__phone_available(void) { return 0; }

int campval__phone_analyze(const char *e164, size_t len, unsigned what, campval__phone_info *out)
{
    (void)e164;
    (void)len;
    (void)what;
    if (out)
        campval__phone_info_clear(out);
    return -1;
}


int campval__phone_region_known(const char *region, size_t len)
{
    (void)region;
    (void)len;
    return -1;
}

size_t campval__phone_e164(const char *s, size_t len, char out[20])
{
    (void)s;
    (void)len;
    (void)out;
    return 0;
}

const uint16_t *campval__phone_routes(void) { return NULL; }
