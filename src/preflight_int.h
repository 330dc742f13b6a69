/*
 * preflight_int.h — what the preflight files (preflight.c, preflight_hours.c,
 * preflight_prompt.c, preflight_schedule.c) share: reading a campaign's members and a hash table
 * in the workspace's slots. Internal.
 */
#ifndef CAMPVAL_PREFLIGHT_INT_H
#define CAMPVAL_PREFLIGHT_INT_H

#include <string.h>

#include "jstring.h"
#include "preflight.h"

static inline campval__str str_of(const campval__doc *d, uint32_t t)
{
    return (campval__str){d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                          (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
}

static inline bool is_type(const campval__doc *d, int64_t t, int type)
{
    return t >= 0 && d->tok[t].type == type;
}

/* The value of member `name` (n bytes) of the object at t (the last one when names repeat), or
 * -1. member() takes a string literal. */
#define member(d, t, lit) member_n(d, t, lit, sizeof lit - 1)
static inline int64_t member_n(const campval__doc *d, int64_t t, const char *name, size_t n)
{
    if (!is_type(d, t, CAMPVAL__T_OBJECT))
        return -1;
    int64_t found = -1;
    uint32_t k = (uint32_t)t + 1;
    for (int m = 0; m < d->tok[t].size; m++, k = d->next[k]) {
        const campval__tok *kt = &d->tok[k];
        bool plain = !(d->flags[k] & CAMPVAL__F_ESCAPED);
        if (plain ? (size_t)(kt->end - kt->start) == n && memcmp(d->text + kt->start, name, n) == 0
                  : campval__str_equal_plain(str_of(d, k), name, n))
            found = k + 1; /* the last of repeated names (allowed duplicates) */
    }
    return found;
}

/* A short string token unescaped into buf (cap bytes); 0 when it is longer or not a string. */
static inline size_t short_string(const campval__doc *d, int64_t t, char *buf, size_t cap)
{
    if (!is_type(d, t, CAMPVAL__T_STRING))
        return 0;
    campval__str s = str_of(d, (uint32_t)t);
    if (s.len > cap)
        return 0;
    return campval__str_unescape(s, buf);
}



#define EACH_ITEM(d, arr, i, k)                                                                     \
    for (uint32_t i = 0, k = (uint32_t)(arr) + 1; i < (uint32_t)(d)->tok[arr].size;               \
         i++, k = (d)->next[k])

/* ---- a hash table of tokens in the workspace's slots ---------------------------------------- */

typedef struct table {
    uint32_t *slot; /* token + 1, 0 empty */
    uint32_t mask;
} table;

/* A table for up to n entries at most half full, or false when the slots cannot hold it. */
static inline bool table_init(const campval__pf *p, table *tb, uint32_t n)
{
    uint32_t size = 16;
    while (size < 2 * (uint64_t)n && size < (1u << 31))
        size <<= 1;
    if (size > p->ws->slot_count)
        return false;
    tb->slot = p->ws->slots;
    tb->mask = size - 1;
    p->ws->slots_gen++;
    memset(tb->slot, 0, (size_t)size * sizeof *tb->slot);
    return campval__spend(p->ws, size / 64 + 1);
}

/* The contacts array of a campaign, or -1. */
static inline int64_t contacts_of(const campval__pf *p, uint32_t t)
{
    int64_t c = member(p->d, t, "contacts");
    return is_type(p->d, c, CAMPVAL__T_ARRAY) ? c : -1;
}

/* The checks of the other preflight files (preflight.c dispatches to them). */
int campval__calling_windows(const campval__pf *p, uint32_t t);
int campval__retry_budget(const campval__pf *p, uint32_t t);
int campval__prompt_variables(const campval__pf *p, uint32_t t);

#endif /* CAMPVAL_PREFLIGHT_INT_H */
