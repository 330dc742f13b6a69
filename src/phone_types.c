/* What both phone builds share: type names and the empty verdict. */
#include <string.h>

#include "phone.h"

static const char *const type_names[] = {
#define TYPE_NAME(id, name) name,
    CAMPVAL__PHONE_TYPE_LIST(TYPE_NAME)
#undef TYPE_NAME
};

void campval__phone_info_clear(campval__phone_info *out)
{
    out->parsed = 0;
    out->rewritten = 0;
    out->possible = -1;
    out->valid = -1;
    out->region[0] = '\0';
    out->type = -1;
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
