#include "equal.h"

#include <string.h>

#include "jstring.h"
#include "number.h"
#include "schema.h"

/* Objects with at most this many members compare names pairwise: 64 short compares beat
 * building a table. */
#define PAIRWISE_MEMBERS 8u

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

static bool spend(campval__eq *eq, uint64_t n)
{
    if (!eq || !eq->budget)
        return true;
    if (*eq->budget < n) {
        *eq->budget = 0;
        eq->exhausted = true;
        return false;
    }
    *eq->budget -= n;
    return true;
}

static uint32_t live_members(const campval__doc *d, uint32_t t)
{
    uint32_t n = 0, k = t + 1;
    for (int m = 0; m < d->tok[t].size; m++, k = d->next[k])
        n += !(d->flags[k] & CAMPVAL__F_SHADOWED);
    return n;
}

/* Member `key` (a name token of doc b) in object ta of doc a, by scanning: value token or -1. */
static int64_t find_member(const campval__doc *a, uint32_t ta, const campval__doc *b, uint32_t key)
{
    campval__str want = str_of(b, key);
    uint32_t k = ta + 1;
    for (int m = 0; m < a->tok[ta].size; m++, k = a->next[k]) {
        if (a->flags[k] & CAMPVAL__F_SHADOWED)
            continue;
        if (campval__str_equal(want, str_of(a, k)))
            return k + 1;
    }
    return -1;
}



static uint64_t mix(uint64_t h);

/* Names in member tables: keyed for instances; the unkeyed hash only where no key is given
 * (compile time), mixed so that its high bits, which pick the slot, are spread too. */
static uint64_t name_hash(const campval__eq *eq, campval__str s)
{
    return eq->key ? campval__str_hash_keyed(s, eq->key) : mix(campval__str_hash(s));
}

/* Object equality through a table of a's live names: linear, whatever the member order. */
static bool objects_equal_hashed(campval__eq *eq, const campval__doc *a, uint32_t ta,
                                 const campval__doc *b, uint32_t tb, uint32_t live)
{
    uint32_t cap = 2 * live;
    if (!eq->slots || cap > eq->cap - eq->top) {
        eq->exhausted = true; /* cannot happen within one document (see equal.h): fail closed */
        return false;
    }
    uint32_t *slots = eq->slots + eq->top;
    eq->top += cap;
    for (uint32_t i = 0; i < cap; i++)
        slots[i] = 0;
    bool equal = true;
    uint32_t k = ta + 1;
    for (int m = 0; m < a->tok[ta].size; m++, k = a->next[k]) {
        if (a->flags[k] & CAMPVAL__F_SHADOWED)
            continue;
        uint32_t h = campval__hash_reduce(name_hash(eq, str_of(a, k)), cap);
        while (slots[h]) {
            if (!spend(eq, 1)) {
                eq->top -= cap;
                return false;
            }
            h = h + 1 == cap ? 0 : h + 1;
        }
        slots[h] = k + 1;
    }
    k = tb + 1;
    for (int m = 0; m < b->tok[tb].size && equal; m++, k = b->next[k]) {
        if (b->flags[k] & CAMPVAL__F_SHADOWED)
            continue;
        campval__str want = str_of(b, k);
        uint32_t h = campval__hash_reduce(name_hash(eq, want), cap);
        int64_t v = -1;
        for (; slots[h]; h = h + 1 == cap ? 0 : h + 1) {
            if (!spend(eq, 1))
                break;
            if (campval__str_equal(want, str_of(a, slots[h] - 1))) {
                v = slots[h];
                break;
            }
        }
        equal = v >= 0 && campval__json_equal(eq, a, (uint32_t)v, b, k + 1);
    }
    eq->top -= cap;
    return equal;
}

bool campval__json_equal(campval__eq *eq, const campval__doc *a, uint32_t ta,
                         const campval__doc *b, uint32_t tb)
{
    if (!spend(eq, 1))
        return false;
    uint32_t ty = campval__json_type(a, ta);
    if (ty != campval__json_type(b, tb))
        return false;
    const campval__tok *x = &a->tok[ta], *y = &b->tok[tb];
    switch (ty) {
    case CAMPVAL__TY_STRING:
        return spend(eq, (size_t)(x->end - x->start) / 32) &&
               campval__str_equal(str_of(a, ta), str_of(b, tb));
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
            if (!campval__json_equal(eq, a, i, b, j))
                return false;
        return true;
    }
    default: { /* object */
        uint32_t live = live_members(a, ta);
        if (live != live_members(b, tb))
            return false;
        if (live > PAIRWISE_MEMBERS && eq)
            return objects_equal_hashed(eq, a, ta, b, tb, live);
        uint32_t k = tb + 1;
        for (int m = 0; m < y->size; m++, k = b->next[k]) {
            if (b->flags[k] & CAMPVAL__F_SHADOWED)
                continue;
            int64_t v = find_member(a, ta, b, k);
            if (v < 0 || !campval__json_equal(eq, a, (uint32_t)v, b, k + 1))
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

/* Hashes exactly what campval__num_cmp looks at (sign, point, digits), so equal means equal. */
static uint64_t num_hash_keyed(const campval__num *n, const campval__hkey *key)
{
    campval__sip st;
    campval__sip_init(&st, key);
    int64_t head[2] = {n->sign, n->sign ? n->point : 0};
    campval__sip_update(&st, head, sizeof head);
    if (n->sign) {
        const char *p = n->digits, *end = p + n->span;
        while (p < end) {
            const char *dot = memchr(p, '.', (size_t)(end - p));
            const char *stop = dot ? dot : end;
            campval__sip_update(&st, p, (size_t)(stop - p));
            p = dot ? dot + 1 : end;
        }
    }
    return campval__sip_final(&st);
}

uint64_t campval__json_hash(campval__eq *eq, const campval__doc *d, uint32_t t)
{
    if (!spend(eq, 1))
        return 0;
    const campval__hkey *key = eq ? eq->key : NULL;
    uint32_t ty = campval__json_type(d, t);
    const campval__tok *k = &d->tok[t];
    switch (ty) {
    case CAMPVAL__TY_STRING:
        if (!spend(eq, (size_t)(k->end - k->start) / 32))
            return 0;
        return key ? campval__str_hash_keyed(str_of(d, t), key) ^ 1
                   : mix(campval__str_hash(str_of(d, t)) ^ 1);
    case CAMPVAL__TY_NUMBER: {
        campval__num n;
        if (!num_of(d, t, &n))
            return 2;
        return key ? num_hash_keyed(&n, key) ^ 2 : mix(campval__num_hash(&n) ^ 2);
    }
    case CAMPVAL__TY_BOOLEAN:
        return d->text[k->start] == 't' ? 3 : 4;
    case CAMPVAL__TY_NULL:
        return 5;
    case CAMPVAL__TY_ARRAY: {
        uint64_t h = 6;
        uint32_t i = t + 1;
        for (int e = 0; e < k->size; e++, i = d->next[i])
            h = mix(h * 31 + campval__json_hash(eq, d, i));
        return h;
    }
    default: { /* object: order-independent sum of member hashes */
        uint64_t h = 7;
        uint32_t m = t + 1;
        for (int e = 0; e < k->size; e++, m = d->next[m]) {
            if (d->flags[m] & CAMPVAL__F_SHADOWED)
                continue;
            uint64_t nh = key ? campval__str_hash_keyed(str_of(d, m), key)
                              : campval__str_hash(str_of(d, m));
            h += mix(nh * 0x9E3779B97F4A7C15ull + campval__json_hash(eq, d, m + 1));
        }
        return mix(h);
    }
    }
}
