/*
 * The x-phone rule's policy, shared by the engine (to judge a number) and messages (to explain
 * the verdict), and what both phone builds share: type names.
 */
#include <string.h>

#include "format.h"
#include "phone_rule.h"
#include "schema.h"

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
    out->e164[0] = '\0';
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

/* ---- policy ------------------------------------------------------------------------------- */

/* What x-phone needs to know about a number, as libphonenumber "want" bits. */
static unsigned phone_wants(const campval__kw *kw)
{
    unsigned what = kw->u.phone.checks;
    /* A number that cannot be valid is told apart when it is not even possible (a table
     * lookup on the fast path). */
    if (what & CAMPVAL__PHONE_WANT_VALID)
        what |= CAMPVAL__PHONE_WANT_POSSIBLE;
    if (kw->u.phone.regions_count)
        what |= CAMPVAL__PHONE_WANT_REGION;
    if (kw->u.phone.types_mask || kw->u.phone.denied_mask)
        what |= CAMPVAL__PHONE_WANT_TYPE;
    return what;
}

/* The x-phone verdict for bytes p[0..n): CAMPVAL_OK or the violation. Shared with messages. */
campval_code campval__phone_verdict(const campval_schema *s, const campval__kw *kw, const char *p,
                                    size_t n, campval__phone_info *info)
{
    /* The cheap, allocation-free E.164 check first: libphonenumber only sees numbers written
     * the way the API takes them (the e164 format reports the others). */
    if (!campval__format_check(CAMPVAL__FMT_E164, p, n))
        return CAMPVAL_OK;
    unsigned what = phone_wants(kw);
    if (campval__phone_analyze(p, n, what, info) != 0)
        return CAMPVAL_INTERNAL;
    if ((what & (CAMPVAL__PHONE_WANT_POSSIBLE | CAMPVAL__PHONE_WANT_VALID)) &&
        (!info->parsed || info->possible == 0))
        return CAMPVAL_PHONE_IMPOSSIBLE;
    if ((what & CAMPVAL__PHONE_WANT_VALID) && (info->valid != 1 || info->rewritten))
        return CAMPVAL_PHONE_INVALID;
    if (kw->u.phone.regions_count) {
        const char *list = s->strings[kw->u.phone.regions_first];
        bool found = false;
        for (uint32_t i = 0; i < kw->u.phone.regions_count; i++)
            found |= memcmp(list + 2 * i, info->region, 2) == 0 && info->region[2] == '\0';
        if (!found)
            return CAMPVAL_PHONE_REGION;
    }
    if (kw->u.phone.types_mask && !((kw->u.phone.types_mask >> info->type) & 1))
        return CAMPVAL_PHONE_TYPE;
    if ((kw->u.phone.denied_mask >> info->type) & 1)
        return CAMPVAL_PHONE_DENIED_TYPE;
    return CAMPVAL_OK;
}
