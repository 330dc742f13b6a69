#include "equal.h"

#include "jstring.h"
#include "number.h"
#include "schema.h"

static campval__str str_of(const campval__doc *d, uint32_t t)
{
    const campval__tok *k = &d->tok[t];
    return (campval__str){d->text + k->start, (size_t)(k->end - k->start),
                          (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
}

static bool num_of(const campval__doc *d, uint32_t t, campval__num *n)
{
    const campval__tok *k = &d->tok[t];
    return campval__num_parse(d->text + k->start, (size_t)(k->end - k->start), n) == 0;
}

/* Find member `name` (a key token of doc a) in object tb of doc b; value token or -1. */
static int64_t find_member(const campval__doc *a, uint32_t key, const campval__doc *b, uint32_t tb)
{
    campval__str want = str_of(a, key);
    uint32_t k = tb + 1;
    for (int m = 0; m < b->tok[tb].size; m++, k = b->next[k]) {
        if (b->flags[k] & CAMPVAL__F_SHADOWED)
            continue;
        if (campval__str_equal(want, str_of(b, k)))
            return k + 1;
    }
    return -1;
}

static uint32_t live_members(const campval__doc *d, uint32_t t)
{
    uint32_t n = 0, k = t + 1;
    for (int m = 0; m < d->tok[t].size; m++, k = d->next[k])
        n += !(d->flags[k] & CAMPVAL__F_SHADOWED);
    return n;
}

bool campval__json_equal(const campval__doc *a, uint32_t ta, const campval__doc *b, uint32_t tb)
{
    uint32_t ty = campval__json_type(a, ta);
    if (ty != campval__json_type(b, tb))
        return false;
    const campval__tok *x = &a->tok[ta], *y = &b->tok[tb];
    switch (ty) {
    case CAMPVAL__TY_STRING:
        return campval__str_equal(str_of(a, ta), str_of(b, tb));
    case CAMPVAL__TY_NUMBER: {
        campval__num m, n;
        return num_of(a, ta, &m) && num_of(b, tb, &n) && campval__num_cmp(&m, &n) == 0;
    }
    case CAMPVAL__TY_BOOLEAN:
        return a->text[x->start] == b->text[y->start];
    case CAMPVAL__TY_NULL:
        return true;
    case CAMPVAL__TY_ARRAY: {
        if (x->size != y->size)
            return false;
        uint32_t i = ta + 1, j = tb + 1;
        for (int e = 0; e < x->size; e++, i = a->next[i], j = b->next[j])
            if (!campval__json_equal(a, i, b, j))
                return false;
        return true;
    }
    default: { /* object */
        if (live_members(a, ta) != live_members(b, tb))
            return false;
        uint32_t k = ta + 1;
        for (int m = 0; m < x->size; m++, k = a->next[k]) {
            if (a->flags[k] & CAMPVAL__F_SHADOWED)
                continue;
            int64_t v = find_member(a, k, b, tb);
            if (v < 0 || !campval__json_equal(a, k + 1, b, (uint32_t)v))
                return false;
        }
        return true;
    }
    }
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

uint64_t campval__json_hash(const campval__doc *d, uint32_t t)
{
    uint32_t ty = campval__json_type(d, t);
    const campval__tok *k = &d->tok[t];
    switch (ty) {
    case CAMPVAL__TY_STRING:
        return mix(campval__str_hash(str_of(d, t)) ^ 1);
    case CAMPVAL__TY_NUMBER: {
        campval__num n;
        return num_of(d, t, &n) ? mix(campval__num_hash(&n) ^ 2) : 2;
    }
    case CAMPVAL__TY_BOOLEAN:
        return d->text[k->start] == 't' ? 3 : 4;
    case CAMPVAL__TY_NULL:
        return 5;
    case CAMPVAL__TY_ARRAY: {
        uint64_t h = 6;
        uint32_t i = t + 1;
        for (int e = 0; e < k->size; e++, i = d->next[i])
            h = mix(h * 31 + campval__json_hash(d, i));
        return h;
    }
    default: { /* object: order-independent sum of member hashes */
        uint64_t h = 7;
        uint32_t m = t + 1;
        for (int e = 0; e < k->size; e++, m = d->next[m]) {
            if (d->flags[m] & CAMPVAL__F_SHADOWED)
                continue;
            h += mix(campval__str_hash(str_of(d, m)) * 0x9E3779B97F4A7C15ull +
                     campval__json_hash(d, m + 1));
        }
        return mix(h);
    }
    }
}
