/*
 * phone_none.c — campval__phone_* when campval is built without libphonenumber (see phone.h).
 *
 * Type names keep working so rules can still be parsed and messages written; everything that
 * needs the library's data answers -1, so the caller can refuse x-phone rules at compile time
 * instead of accepting every number.
 */
#include "phone.h"

#include <string.h>

static const char *const type_names[] = {
#define TYPE_NAME(id, name) name,
    CAMPVAL__PHONE_TYPE_LIST(TYPE_NAME)
#undef TYPE_NAME
};

int campval__phone_available(void) { return 0; }

int campval__phone_analyze(const char *e164, size_t len, unsigned what, campval__phone_info *out)
{
    (void)e164;
    (void)len;
    (void)what;
    if (out) {
        out->parsed = 0;
        out->rewritten = 0;
        out->possible = -1;
        out->valid = -1;
        out->region[0] = '\0';
        out->type = -1;
    }
    return -1;
}

const char *campval__phone_type_name(int type)
{
    return type >= 0 && type < CAMPVAL__PHONE_TYPE_COUNT ? type_names[type] : NULL;
}

int campval__phone_type_lookup(const char *name, size_t len)
{
    if (!name)
        return -1;
    for (int i = 0; i < CAMPVAL__PHONE_TYPE_COUNT; i++)
        if (strlen(type_names[i]) == len && memcmp(type_names[i], name, len) == 0)
            return i;
    return -1;
}

int campval__phone_region_known(const char *region, size_t len)
{
    (void)region;
    (void)len;
    return -1;
}
