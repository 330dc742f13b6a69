/*
 * x-prompt-variables: a contact without a variable most contacts have, a blank value, a value
 * still holding a template placeholder, control or bidirectional-override characters.
 */
#include "hash.h"
#include "preflight_int.h"
#include "utf8.h"

/* A value still holding a template placeholder such as "{{first_name}}". */
static bool has_template(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 1 < n && !(s[i] == '{' && s[i + 1] == '{'))
        i++;
    for (i += 2; i + 1 < n; i++)
        if (s[i] == '}' && s[i + 1] == '}')
            return true;
    return false;
}

/* C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates. */
static bool has_control(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (s[i] >= 0x20 && s[i] < 0x7F) { /* printable ASCII, the usual case */
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = campval__utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return true;
        i += k;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069))
            return true;
    }
    return false;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/* Classes of a plain ASCII byte (values with bytes >= 0x80 take the other path). */
enum { FILLED = 1, CONTROL = 2, BRACE = 4 };
#define F FILLED
#define C CONTROL
#define B BRACE
static const unsigned char ascii_class[256] = {
    F|C, F|C, F|C, F|C, F|C, F|C, F|C, F|C,
    F|C, C, C, F|C, F|C, C, F|C, F|C,
    F|C, F|C, F|C, F|C, F|C, F|C, F|C, F|C,
    F|C, F|C, F|C, F|C, F|C, F|C, F|C, F|C,
    0, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F, F, F, F, F,
    F, F, F, F|B, F, F, F, F|C,
};
#undef F
#undef C
#undef B

/* One value: blank, a template, or control characters. */
static int check_value(const campval__pf *p, uint32_t v)
{
    if (p->d->tok[v].type != CAMPVAL__T_STRING)
        return 1;
    campval__str s = str_of(p->d, v);
    char *buf = p->ws->strbuf;
    if (s.len > p->ws->lim.max_string || !campval__spend(p->ws, 1 + s.len / 32))
        return s.len > p->ws->lim.max_string ? 1 : -1;
    campval_code code;
    if (!s.escaped && !(p->d->flags[v] & CAMPVAL__F_NONASCII)) {
        /* plain ASCII, the usual value: one pass ORs each byte's classes; only a value with
         * a '{' is read again for a template */
        unsigned seen = 0;
        for (size_t i = 0; i < s.len; i++)
            seen |= ascii_class[(unsigned char)s.raw[i]];
        code = !(seen & FILLED)                                      ? CAMPVAL_PROMPT_BLANK
               : (seen & BRACE) && has_template(s.raw, s.len)        ? CAMPVAL_PROMPT_TEMPLATE
               : (seen & CONTROL)                                    ? CAMPVAL_PROMPT_CONTROL
                                                                     : CAMPVAL_OK;
    } else {
        /* the lexer proved the bytes are UTF-8: without escapes, they are the value */
        const char *val = s.escaped ? buf : s.raw;
        size_t n = s.escaped ? campval__str_unescape(s, buf) : s.len;
        buf = (char *)val;
        code = blank(buf, n)                                ? CAMPVAL_PROMPT_BLANK
               : has_template(buf, n)                       ? CAMPVAL_PROMPT_TEMPLATE
               : has_control((const unsigned char *)buf, n) ? CAMPVAL_PROMPT_CONTROL
                                                            : CAMPVAL_OK;
    }
    if (code == CAMPVAL_OK)
        return 1;
    return p->report(p->ctx, code, v, -1) ? 0 : -2;
}

static uint64_t name_hash(const campval__pf *p, uint32_t k)
{
    return campval__str_hash_keyed(str_of(p->d, k), &p->ws->key);
}

/* The slots of the previous contact's names, by position: contacts of one campaign mostly
 * repeat the same names in the same order, found again without hashing. */
#define MEMO_NAMES 16
typedef struct name_memo {
    uint32_t tok[MEMO_NAMES]; /* name token (0: none; token 0 is never a name) */
    uint32_t slot[MEMO_NAMES];
} name_memo;

static int64_t remembered(const campval__doc *d, const name_memo *mm, int e, uint32_t m)
{
    if (e >= MEMO_NAMES || mm->tok[e] == 0)
        return -1;
    uint32_t o = mm->tok[e];
    const campval__tok *a = &d->tok[o], *b = &d->tok[m];
    bool same = ((d->flags[o] | d->flags[m]) & CAMPVAL__F_ESCAPED)
                    ? campval__str_equal(str_of(d, o), str_of(d, m))
                    : a->end - a->start == b->end - b->start &&
                          memcmp(d->text + a->start, d->text + b->start,
                                 (size_t)(a->end - a->start)) == 0;
    return same ? (int64_t)mm->slot[e] : -1;
}

static void remember(name_memo *mm, int e, uint32_t m, uint32_t slot)
{
    if (e < MEMO_NAMES)
        mm->tok[e] = m, mm->slot[e] = slot;
}

/* Every prompt variable's value, without the names. */
static int check_values(const campval__pf *p, int64_t arr)
{
    const campval__doc *d = p->d;
    int ok = 1;
    EACH_ITEM(d, arr, i, k) {
        int64_t pv = member(d, k, "prompt_variables");
        if (!is_type(d, pv, CAMPVAL__T_OBJECT))
            continue;
        uint32_t m = (uint32_t)pv + 1;
        for (int e = 0; e < d->tok[pv].size; e++, m = d->next[m]) {
            int r = check_value(p, m + 1);
            if (r < 0)
                return r == -1 ? -1 : 0;
            ok &= r;
        }
    }
    return ok;
}

/* Counts, per distinct member name of the prompt_variables, the contacts that have it; -2 when
 * the table fills past half (the caller retries larger), -1 when the budget runs out. */
static int count_names(const campval__pf *p, int64_t arr, table *tb, uint32_t *count,
                       uint32_t *stamp, int *values_ok, uint32_t *names)
{
    const campval__doc *d = p->d;
    uint32_t distinct = 0;
    bool full = false;
    name_memo memo = {{0}, {0}};
    EACH_ITEM(d, arr, i, k) {
        int64_t pv = member(d, k, "prompt_variables");
        if (!is_type(d, pv, CAMPVAL__T_OBJECT))
            continue;
        uint32_t m = (uint32_t)pv + 1;
        for (int e = 0; e < d->tok[pv].size; e++, m = d->next[m]) {
            if (values_ok) { /* the first pass also checks every value, to the end */
                (*names)++;
                int r = check_value(p, m + 1);
                if (r < 0)
                    return r == -1 ? -1 : -3;
                *values_ok &= r;
            }
            if (full)
                continue;
            int64_t h = remembered(d, &memo, e, m);
            if (h < 0) {
                h = (uint32_t)name_hash(p, m) & tb->mask;
                for (; tb->slot[h]; h = (h + 1) & tb->mask) {
                    if (!campval__spend(p->ws, 1))
                        return -1;
                    if (campval__str_equal(str_of(d, tb->slot[h] - 1), str_of(d, m)))
                        break;
                }
            }
            remember(&memo, e, m, (uint32_t)h);
            if (!tb->slot[h]) {
                if (++distinct * 2 > tb->mask + 1) {
                    if (!values_ok)
                        return -2;
                    full = true; /* no more names: the values still get checked */
                    continue;
                }
                tb->slot[h] = m + 1;
            }
            if (stamp[h] != i + 1) /* a name repeated in one object counts once */
                count[h]++, stamp[h] = i + 1;
        }
    }
    return full ? -2 : 0;
}

/* Member names of all prompt_variables: a table of distinct names (first occurrence), each
 * with a count of contacts that have it, in the engine-free half of the slots. */
int campval__prompt_variables(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = contacts_of(p, t);
    if (arr < 0)
        return 1;
    int ok = 1;
    uint32_t names = 0, contacts = (uint32_t)d->tok[arr].size;
    if (contacts < 3)
        return check_values(p, arr); /* no name can be missing from "most" contacts */
    /* slots: [table of mask+1][count per slot][stamp per slot]. Campaigns use a handful of
     * distinct names, so the table starts small and is rebuilt four times larger whenever the
     * names outgrow it: the work stays linear, the memory cleared stays small. The first pass
     * also checks the values. */
    table tb;
    uint32_t want = 64, size, *count, *stamp;
    int r;
    bool first = true;
    do {
        if (!campval__spend(p->ws, 1) || !table_init(p, &tb, want))
            return -1;
        size = tb.mask + 1;
        if ((uint64_t)size * 3 > p->ws->slot_count) {
            /* more distinct names than the slots hold (a tiny workspace): the values are
             * checked all the same, the names are not */
            return first ? check_values(p, arr) : ok;
        }
        count = tb.slot + size, stamp = count + size;
        memset(count, 0, (size_t)size * 2 * sizeof *count);
        r = count_names(p, arr, &tb, count, stamp, first ? &ok : NULL, &names);
        if (r == -1)
            return -1;
        if (r == -3)
            return 0;
        first = false;
        want = want * 4 < names ? want * 4 : names;
    } while (r == -2);
    if (names == 0)
        return ok;
    /* Names most contacts have, compacted to the front of count[] as slot indices. */
    uint32_t most = 0;
    for (uint32_t h = 0; h < size; h++)
        if (tb.slot[h] && (uint64_t)count[h] * 2 > contacts && count[h] < contacts)
            count[most++] = h;
    if (!campval__spend(p->ws, size / 64 + (uint64_t)most * contacts / 8))
        return -1;
    if (most == 0)
        return ok;
    memset(stamp, 0, (size_t)size * sizeof *stamp);
    name_memo memo = {{0}, {0}};
    EACH_ITEM(d, arr, i, k) {
        int64_t pv = member(d, k, "prompt_variables");
        if (is_type(d, pv, CAMPVAL__T_OBJECT)) {
            uint32_t m = (uint32_t)pv + 1;
            for (int e = 0; e < d->tok[pv].size; e++, m = d->next[m]) {
                int64_t h = remembered(d, &memo, e, m);
                if (h < 0) {
                    h = (uint32_t)name_hash(p, m) & tb.mask;
                    while (tb.slot[h] &&
                           !campval__str_equal(str_of(d, tb.slot[h] - 1), str_of(d, m)))
                        h = (h + 1) & tb.mask;
                }
                remember(&memo, e, m, (uint32_t)h);
                stamp[h] = i + 1;
            }
        }
        for (uint32_t j = 0; j < most; j++) {
            uint32_t h = count[j];
            if (stamp[h] == i + 1)
                continue;
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_PROMPT_MISSING, pv >= 0 ? (uint32_t)pv : k,
                           (int32_t)(tb.slot[h] - 1)))
                return 0;
        }
    }
    return ok;
}

