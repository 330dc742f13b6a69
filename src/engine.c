/*
 * The rule engine: compiled nodes evaluated over jsmn tokens, with no allocation. Scratch memory
 * (annotation bitsets for unevaluated*, seen-name bitsets) comes from a stack in the workspace,
 * released in the order taken.
 *
 * Three error modes: SILENT only answers valid/invalid (branches of anyOf, contains, if, not);
 * FIRST records one error and stops; ALL records everything. An anyOf/oneOf that fails is
 * re-run in FIRST mode per branch, so each branch says concisely why it failed.
 */
#include <string.h>

#include "engine.h"
#include "errors.h"
#include "equal.h"
#include "format.h"
#include "json.h"
#include "jstring.h"
#include "phone_rule.h"
#include "preflight.h"
#include "regex.h"
#include "keywords.h"
#include "schema.h"

enum mode { SILENT, FIRST, ALL };

typedef struct scope {
    uint32_t resource;
    const struct scope *up;
} scope;

/* Annotations about one instance: which items/members were evaluated. */
typedef struct ann {
    uint32_t upto;  /* items [0, upto) evaluated */
    uint8_t *bits;  /* per item or member */
    uint32_t nbits;
} ann;

typedef struct ctx {
    campval_workspace *ws;
    const campval_schema *s;
    const campval__doc *doc;
    uint32_t depth;
    uint32_t max_depth; /* evaluation nesting */
    char *scratch;
    size_t top, cap;
    bool aborted;
    campval_code abort_code; /* why evaluation stopped early, when aborted */
    uint32_t explaining;     /* > 0 while failed alternatives are re-run to say why */
} ctx;

size_t campval__engine_scratch_size(const campval_limits *lim)
{
    /* Bitsets: at most a few live per nesting level, each at most tokens/8 bytes. */
    return (size_t)lim->max_tokens / 2 + 65536;
}

/* ---- helpers ---------------------------------------------------------------------------- */

static void *take(ctx *c, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n > c->cap - c->top)
        return NULL;
    void *p = c->scratch + c->top;
    c->top += n;
    memset(p, 0, n);
    return p;
}

static campval__str str_of(const campval__doc *d, uint32_t t)
{
    return (campval__str){d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                          (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
}

static size_t offset_of(const ctx *c, uint32_t t)
{
    const campval__tok *k = &c->doc->tok[t];
    return (size_t)k->start - (k->type == CAMPVAL__T_STRING) + c->doc->base;
}

/* Stop everything: a limit was reached. Always recorded, whatever the mode. */
static bool abort_with(ctx *c, campval_code code, uint32_t t, const campval__kw *kw)
{
    if (!c->aborted) {
        c->aborted = true;
        c->abort_code = code;
        c->ws->stop = false;
        c->ws->severity = CAMPVAL_SEVERITY_ERROR; /* a limit is never a warning */
        campval__ws_error(c->ws, code, offset_of(c, t), (int32_t)t, kw ? kw->keyword : "",
                          kw ? kw->location : "", kw ? (uint32_t)(kw - c->s->kws) : 0, -1);
    }
    c->ws->stop = true;
    return false;
}

/* Record a violation; returns true when evaluation should go on collecting errors. Keywords
 * that gather several (the object and items keywords) name the one that failed. */
static bool report_as(ctx *c, int mode, campval_code code, uint32_t t, const campval__kw *kw,
                      int32_t aux, const char *keyword, const char *location)
{
    if (mode == SILENT || c->ws->stop)
        return false;
    bool go = campval__ws_error(c->ws, code, offset_of(c, t), (int32_t)t, keyword,
                                location ? location : kw->location, (uint32_t)(kw - c->s->kws),
                                aux);
    return go && mode == ALL;
}

static bool report(ctx *c, int mode, campval_code code, uint32_t t, const campval__kw *kw,
                   int32_t aux)
{
    return report_as(c, mode, code, t, kw, aux, kw->keyword, kw->location);
}

/*
 * Walking n members or items costs n units, paid once before the walk, by every keyword that
 * walks them. Their subschemas are paid for separately, but a subschema that is true or passes on
 * its type alone costs nothing, so without this a few thousand keywords over one large object
 * would be quadratic work the budget never sees. Fails closed: false when the budget ran out.
 */
static bool pay_walk(ctx *c, uint64_t n)
{
    return campval__spend(c->ws, n);
}

/* NULL when the scratch is full or the budget ran out: the bitset is cleared here and merged
 * later, a byte per 8 members each time, so a unit per 64 members pays for both. */
static ann *new_ann(ctx *c, uint32_t t)
{
    uint32_t n = (uint32_t)c->doc->tok[t].size;
    if (!pay_walk(c, n / 64))
        return NULL;
    ann *a = take(c, sizeof *a);
    if (!a)
        return NULL;
    a->nbits = n;
    a->bits = take(c, (n + 7) / 8);
    return a->bits || n == 0 ? a : NULL;
}

static void merge(ann *dst, const ann *src)
{
    if (!dst || !src)
        return;
    if (src->upto > dst->upto)
        dst->upto = src->upto;
    for (uint32_t i = 0; i < (dst->nbits + 7) / 8; i++)
        dst->bits[i] |= src->bits[i];
}

static void mark(ann *a, uint32_t i)
{
    if (a && i < a->nbits)
        a->bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

static bool marked(const ann *a, uint32_t i)
{
    return i < a->upto || (a->bits[i / 8] >> (i % 8)) & 1;
}

static inline bool eval(ctx *c, uint32_t node, uint32_t t, const scope *sc, ann *a, int mode);
static bool eval_node(ctx *c, uint32_t node, const campval__node *n, uint32_t t,
                      const scope *sc, ann *a, int mode);

/* An in-place subschema: its annotations count only when it passes. */
static bool eval_inplace(ctx *c, uint32_t node, uint32_t t, const scope *sc, ann *a, int mode)
{
    if (!a)
        return eval(c, node, t, sc, NULL, mode);
    size_t mark_top = c->top;
    ann *sub = new_ann(c, t);
    if (!sub)
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, NULL);
    bool ok = eval(c, node, t, sc, sub, mode);
    if (ok)
        merge(a, sub);
    c->top = mark_top;
    return ok;
}

/* What reading n bytes of a string costs, in work units (a unit is about one evaluation step). */
static uint64_t bytes_cost(size_t n)
{
    return 1 + n / 32;
}

/* The unescaped bytes of a string token that has escapes: in the workspace's string buffer. */
CAMPVAL__NOINLINE static campval_code string_bytes_escaped(ctx *c, uint32_t t, const char **p,
                                                           size_t *n)
{
    campval__str s = str_of(c->doc, t);
    if (!campval__spend(c->ws, bytes_cost(s.len)))
        return CAMPVAL_LIMIT_EVALUATION;
    /* max_string bounds the unescaped bytes, which escapes make fewer than the raw ones. */
    if (s.len > c->ws->lim.max_string && campval__str_unescaped_len(s) > c->ws->lim.max_string)
        return CAMPVAL_LIMIT_STRING;
    *n = campval__str_unescape(s, c->ws->strbuf);
    *p = c->ws->strbuf;
    return CAMPVAL_OK;
}

/* The unescaped bytes of a string token: in place when it has no escapes (inline: every format
 * and pattern asks). */
static inline campval_code string_bytes(ctx *c, uint32_t t, const char **p, size_t *n)
{
    const campval__doc *d = c->doc;
    if (d->flags[t] & CAMPVAL__F_ESCAPED)
        return string_bytes_escaped(c, t, p, n);
    *p = d->text + d->tok[t].start;
    *n = (size_t)(d->tok[t].end - d->tok[t].start);
    return CAMPVAL_OK;
}

/* PCRE2 match-limit units per work unit: a unit of the JIT's count is far cheaper than an
 * evaluation step (bench/worst-case.sh measures both). */
#define REGEX_UNITS_PER_WORK 6u
/* The first limit a match gets, fixed and per subject byte. Ordinary patterns need a handful of
 * units (a few for E.164 or an e-mail pattern, about one per byte for an unanchored search). */
#define FIRST_TRY_FIXED 8u
#define FIRST_TRY_PER_BYTE 1u

/*
 * A pattern match paid from the work budget. PCRE2 cannot tell how much of its match limit a
 * match used, so the limit itself is paid: first a small one, linear in the subject, then four
 * times as much each time the limit stops the match, up to the workspace's regex_match_limit for
 * one match or what is left of the budget. What was paid bounds the work done, within 4/3.
 * Returns 1, 0, -1 (a limit of the match itself: LIMIT_REGEX) or -3 (the budget: LIMIT_EVALUATION).
 */
CAMPVAL__NOINLINE static int budget_match(ctx *c, const campval__regex *re, const char *p, size_t n)
{
    campval_workspace *ws = c->ws;
    if (!campval__regex_uses_pcre2(re))
        return campval__spend(ws, bytes_cost(n)) ? campval__regex_match(re, ws->regex, p, n) : -3;
    uint64_t limit = FIRST_TRY_FIXED + FIRST_TRY_PER_BYTE * (uint64_t)n;
    for (;;) {
        uint64_t affordable = ws->budget * REGEX_UNITS_PER_WORK;
        bool capped = limit >= ws->lim.regex_match_limit, broke = false;
        if (capped)
            limit = ws->lim.regex_match_limit;
        if (limit >= affordable) {
            broke = true;
            limit = affordable;
        }
        if (limit == 0)
            return -3;
        campval__spend(ws, (limit + REGEX_UNITS_PER_WORK - 1) / REGEX_UNITS_PER_WORK);
        int r = campval__regex_match_limited(re, ws->regex, p, n, (uint32_t)limit);
        if (r != CAMPVAL__REGEX_MATCH_LIMITED)
            return r;
        if (broke)
            return -3;
        if (capped)
            return -1;
        limit *= 4;
    }
}

typedef struct inst {
    bool num_ok;
    campval__num num;
} inst;

static const campval__num *inst_num(const ctx *c, inst *in, uint32_t t)
{
    if (!in->num_ok) {
        const campval__tok *k = &c->doc->tok[t];
        campval__num_parse(c->doc->text + k->start, (size_t)(k->end - k->start), &in->num);
        in->num_ok = true;
    }
    return &in->num;
}

/* ---- keywords --------------------------------------------------------------------------- */

/* Comparisons paid from the work budget, with the workspace's slots for member tables. */
static campval__eq eq_of(ctx *c, const campval__hkey *key, uint32_t first_slot)
{
    c->ws->slots_gen++; /* the slots are about to be written */
    return (campval__eq){key, c->ws->slots + first_slot, c->ws->slot_count - first_slot, 0,
                         &c->ws->budget, false};
}

/* 1: one of the values, 0: none, -1: the work budget ran out. The values were hashed at compile
 * time with the unkeyed hash; a scan compares hashes, so no table can be flooded. */
static int kw_enum(ctx *c, const campval__kw *kw, uint32_t t)
{
    const campval_schema *s = c->s;
    campval__eq eq = eq_of(c, NULL, 0);
    uint64_t h = campval__json_hash(&eq, c->doc, t);
    for (uint32_t i = 0; i < kw->u.values.count && !eq.exhausted; i++) {
        const campval__value *v = &s->values[kw->u.values.first + i];
        if (v->hash != h)
            continue;
        const campval__rdoc *r = &s->docs[v->doc];
        campval__doc rv = {r->text, r->len, 0, r->tok, r->flags, r->next, r->count};
        if (campval__json_equal(&eq, c->doc, t, &rv, v->tok))
            return eq.exhausted ? -1 : 1;
    }
    return eq.exhausted ? -1 : 0;
}

/* Index of the first item equal to an earlier one, -1 when all are unique, -2 when the work
 * budget ran out. Items are bucketed by a keyed hash, so only equal-looking items are compared. */
static int32_t kw_unique(ctx *c, uint32_t t)
{
    const campval__doc *d = c->doc;
    uint32_t n = (uint32_t)d->tok[t].size;
    if (n < 2)
        return -1;
    if (n <= 16) {
        campval__eq eq = eq_of(c, &c->ws->key, 0);
        uint32_t i = t + 1;
        for (uint32_t a = 0; a < n; a++, i = d->next[i]) {
            uint32_t j = d->next[i];
            for (uint32_t b = a + 1; b < n; b++, j = d->next[j])
                if (campval__json_equal(&eq, d, i, d, j) && !eq.exhausted)
                    return (int32_t)j;
        }
        return eq.exhausted ? -2 : -1;
    }
    /* Items are disjoint subtrees of n of the document's tokens: the 2n slots of this table and
     * the member tables of the comparisons below never need more than 2 slots per token. */
    uint32_t cap = 2 * n, *slots = c->ws->slots;
    campval__eq eq = eq_of(c, &c->ws->key, cap);
    memset(slots, 0, cap * sizeof *slots);
    uint32_t i = t + 1;
    for (uint32_t e = 0; e < n; e++, i = d->next[i]) {
        uint32_t h = campval__hash_reduce(campval__json_hash(&eq, d, i), cap);
        for (;; h = h + 1 == cap ? 0 : h + 1) {
            if (eq.exhausted || !campval__spend(c->ws, 1))
                return -2;
            if (slots[h] == 0) {
                slots[h] = i + 1;
                break;
            }
            if (campval__json_equal(&eq, d, slots[h] - 1, d, i) && !eq.exhausted)
                return (int32_t)i;
        }
    }
    return -1;
}

CAMPVAL__NOINLINE static bool kw_items(ctx *c, const campval__kw *kw, uint32_t t, const scope *sc, ann *a, int mode)
{
    const campval_schema *s = c->s;
    const campval__doc *d = c->doc;
    bool ok = true;
    uint32_t n = (uint32_t)d->tok[t].size;
    uint32_t i = t + 1, pc = kw->u.items.prefix_count;
    uint64_t matches = 0;
    bool need_all = a != NULL || kw->u.items.has_max_contains;
    /* prefixItems alone looks at its prefix only: the rest need not be walked, nor paid for */
    uint32_t walk = kw->u.items.items >= 0 || kw->u.items.contains >= 0 || pc > n ? n : pc;
    if (!pay_walk(c, walk))
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    if (pc == 0 && kw->u.items.contains < 0 && kw->u.items.items >= 0) {
        /* items alone: one subschema for every item, its alias and flags looked at once (what
         * eval does per item) */
        uint32_t node = (uint32_t)kw->u.items.items;
        const campval__node *nd = &s->nodes[node];
        if (nd->alias)
            nd = &s->nodes[node = nd->alias];
        if (!(nd->flags & CAMPVAL__N_TRUE)) {
            bool type_only =
                (nd->flags & (CAMPVAL__N_TYPE_ONLY | CAMPVAL__N_WARNING)) == CAMPVAL__N_TYPE_ONLY;
            for (uint32_t e = 0; e < n; e++, i = d->next[i]) {
                if (type_only && (nd->types & campval__json_type(d, i)))
                    continue;
                if (!eval_node(c, node, nd, i, sc, NULL, mode)) {
                    ok = false;
                    if (mode != ALL || c->ws->stop)
                        return false;
                }
            }
        }
        if (a && n > a->upto)
            a->upto = n;
        return ok;
    }
    for (uint32_t e = 0; e < walk; e++, i = d->next[i]) {
        int64_t sub = e < pc ? (int64_t)s->children[kw->u.items.prefix_first + e] : kw->u.items.items;
        if (sub >= 0 && !eval(c, (uint32_t)sub, i, sc, NULL, mode)) {
            ok = false;
            if (mode != ALL || c->ws->stop)
                return false;
        }
        if (kw->u.items.contains >= 0 && (need_all || matches < kw->u.items.min_contains)) {
            if (eval(c, (uint32_t)kw->u.items.contains, i, sc, NULL, SILENT)) {
                matches++;
                mark(a, e);
            } else if (c->aborted) {
                return false;
            }
        }
    }
    if (a) {
        uint32_t upto = kw->u.items.items >= 0 ? n : (pc < n ? pc : n);
        if (upto > a->upto)
            a->upto = upto;
    }
    if (kw->u.items.contains >= 0) {
        if (matches < kw->u.items.min_contains) {
            bool plain = kw->u.items.min_contains == 1;
            ok = false;
            if (!report_as(c, mode, plain ? CAMPVAL_CONTAINS : CAMPVAL_MIN_CONTAINS, t, kw,
                           (int32_t)matches, plain ? "contains" : "minContains",
                           kw->u.items.contains_location))
                return false;
        }
        if (kw->u.items.has_max_contains && matches > kw->u.items.max_contains) {
            ok = false;
            if (!report_as(c, mode, CAMPVAL_MAX_CONTAINS, t, kw, (int32_t)matches, "maxContains",
                           kw->u.items.contains_location))
                return false;
        }
    }
    return ok;
}

/* Whether n bytes at a and b are equal: names are short, a call to memcmp costs more. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return false;
        }
        memcpy(&x, a + n - 8, 8); /* the last 8, overlapping */
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static inline bool same_name(const campval__name *nm, campval__str key)
{
    return nm->len == key.len && same_bytes(nm->text, key.raw, key.len);
}

/* lookup_name through the hash table of the names (key may hold escapes). */
static int64_t lookup_hashed(const ctx *c, const campval__kw *kw, campval__str key, uint32_t *hint)
{
    const campval_schema *s = c->s;
    uint32_t count = kw->u.object.names_count, first = kw->u.object.names_first;
    uint32_t mask = kw->u.object.table_mask;
    const uint32_t *table = s->tables + kw->u.object.table_first;
    for (uint32_t h = campval__name_slot(s, campval__str_hash(key), mask);; h = (h + 1) & mask) {
        uint32_t e = table[h];
        if (e == 0)
            return -1;
        const campval__name *nm = &s->names[e - 1];
        if (campval__str_equal_plain(key, nm->text, nm->len)) {
            *hint = e - first == count ? 0 : e - first;
            return e - 1;
        }
    }
}

/*
 * Index of the compiled name equal to member name k, or -1. Names are unique, so where the
 * search starts changes nothing but its cost: it starts at *hint, the name after the one the
 * previous member matched, and members written in the rules' order each match on the first
 * comparison (the hash table, for many names, is asked only when that guess misses).
 */
static int64_t lookup_name(const ctx *c, const campval__kw *kw, uint32_t k, uint32_t *hint)
{
    const campval_schema *s = c->s;
    uint32_t count = kw->u.object.names_count, first = kw->u.object.names_first;
    if (count == 0)
        return -1;
    campval__str key = str_of(c->doc, k);
    const campval__name *names = &s->names[first];
    if (!key.escaped) {
        uint32_t i = *hint;
        if (!same_name(&names[i], key)) {
            if (count > 8)
                return lookup_hashed(c, kw, key, hint);
            /* A few names: comparing lengths first is cheaper than hashing the key. */
            i = 0;
            while (i < count && !same_name(&names[i], key))
                i++;
            if (i == count)
                return -1;
        }
        *hint = i + 1 == count ? 0 : i + 1;
        return first + i;
    }
    return lookup_hashed(c, kw, key, hint);
}

/* Whether member name k matches a patternProperties pattern: 1, 0, or -1 after a limit. */
CAMPVAL__NOINLINE static int name_matches(ctx *c, const campval__kw *kw, const campval__regex *re,
                                          uint32_t k)
{
    const char *bytes;
    size_t len;
    /* Per pattern, not once: an escaped name is unescaped into the workspace's string buffer,
     * which evaluating the previous pattern's subschema may have reused. */
    campval_code sr = string_bytes(c, k, &bytes, &len);
    if (sr != CAMPVAL_OK)
        return abort_with(c, sr, k, kw) ? 0 : -1;
    int r = budget_match(c, re, bytes, len);
    if (r < 0)
        return abort_with(c, r == -1 ? CAMPVAL_LIMIT_REGEX : CAMPVAL_LIMIT_EVALUATION, k, kw) ? 0 : -1;
    return r;
}

/* An object keyword that is only a schema for every member (additionalProperties without
 * properties or patternProperties, not false: is_map, set by the compiler): kw_object's walk
 * without the name lookups, called by eval_kw instead of kw_object. It pays what kw_object would for the walk, and evaluates as
 * eval does, with the member schema's node resolved once for all members. */
CAMPVAL__NOINLINE static bool kw_map(ctx *c, const campval__kw *kw, uint32_t t, const scope *sc,
                                     ann *a, int mode)
{
    const campval__doc *d = c->doc;
    uint64_t walk = (uint64_t)d->tok[t].size + kw->u.object.required_count +
                    (kw->u.object.has_dependents ? kw->u.object.names_count : 0);
    if (!pay_walk(c, walk))
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    uint32_t node = (uint32_t)kw->u.object.additional;
    const campval__node *n = &c->s->nodes[node];
    if (n->alias)
        n = &c->s->nodes[node = n->alias];
    /* eval's inline passes, decided once: true passes everything, a type-only node by type */
    uint32_t pass_types = (n->flags & CAMPVAL__N_TRUE) ? ~0u
                        : (n->flags & (CAMPVAL__N_TYPE_ONLY | CAMPVAL__N_WARNING)) ==
                                  CAMPVAL__N_TYPE_ONLY
                            ? n->types
                            : 0;
    bool ok = true;
    uint32_t k = t + 1;
    int size = d->tok[t].size;
    for (int m = 0; m < size; m++, k = d->next[k]) {
        if (d->flags[k] & CAMPVAL__F_SHADOWED)
            continue;
        if (!(pass_types & campval__json_type(d, k + 1)) &&
            !eval_node(c, node, n, k + 1, sc, NULL, mode)) {
            ok = false;
            if (mode != ALL || c->ws->stop)
                return false;
        }
        mark(a, (uint32_t)m);
    }
    return ok;
}

CAMPVAL__NOINLINE static bool kw_object(ctx *c, const campval__kw *kw, uint32_t t, const scope *sc, ann *a, int mode)
{
    const campval_schema *s = c->s;
    const campval__doc *d = c->doc;
    bool ok = true;
    uint32_t nn = kw->u.object.names_count, first = kw->u.object.names_first;
    uint64_t local[2] = {0, 0}; /* most objects name few members: no scratch needed */
    uint8_t *seen = (uint8_t *)local;
    size_t mark_top = c->top;
    /* the members, then the required names and the names with dependents, each walked once */
    uint64_t walk = (uint64_t)d->tok[t].size + kw->u.object.required_count +
                    (kw->u.object.has_dependents ? nn : 0);
    if (!pay_walk(c, walk))
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    if (nn > 8 * sizeof local && !(seen = take(c, (nn + 7) / 8)))
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    uint32_t k = t + 1, hint = 0;
    uint32_t required_seen = 0; /* distinct required names among the members */
    int size = d->tok[t].size; /* read once: evaluating the members cannot change it */
    for (int m = 0; m < size; m++, k = d->next[k]) {
        if (d->flags[k] & CAMPVAL__F_SHADOWED)
            continue;
        bool matched = false;
        int64_t ni = lookup_name(c, kw, k, &hint);
        if (ni >= 0) {
            uint32_t rel = (uint32_t)ni - first;
            uint8_t bit = (uint8_t)(1u << (rel % 8));
            if (!(seen[rel / 8] & bit)) {
                seen[rel / 8] |= bit;
                required_seen += s->names[ni].required;
            }
            int32_t prop = s->names[ni].property;
            if (prop >= 0) {
                matched = true;
                if (!eval(c, (uint32_t)prop, k + 1, sc, NULL, mode)) {
                    ok = false;
                    if (mode != ALL || c->ws->stop)
                        goto out;
                }
            }
        }
        for (uint32_t p = 0; p < kw->u.object.pp_count; p++) {
            const campval__pattern_prop *pp = &s->pattern_props[kw->u.object.pp_first + p];
            int r = name_matches(c, kw, pp->re, k);
            if (r < 0)
                goto fail;
            if (r == 1) {
                matched = true;
                if (!eval(c, pp->node, k + 1, sc, NULL, mode)) {
                    ok = false;
                    if (mode != ALL || c->ws->stop)
                        goto out;
                }
            }
        }
        if (!matched && kw->u.object.additional >= 0) {
            uint32_t add = (uint32_t)kw->u.object.additional;
            matched = true;
            if (s->nodes[add].flags & CAMPVAL__N_FALSE) {
                ok = false;
                if (!report_as(c, mode, CAMPVAL_ADDITIONAL_PROPERTY, k, kw, -1,
                               "additionalProperties", kw->u.object.additional_location))
                    goto out;
            } else if (!eval(c, add, k + 1, sc, NULL, mode)) {
                ok = false;
                if (mode != ALL || c->ws->stop)
                    goto out;
            }
        }
        if (matched)
            mark(a, (uint32_t)m);
    }
    /* Every required name was seen in the walk: the list (paid for above) has nothing to say. */
    if (required_seen == kw->u.object.required_distinct)
        goto dependents;
    for (uint32_t r = 0; r < kw->u.object.required_count; r++) {
        uint32_t ni = s->name_refs[kw->u.object.required_first + r], rel = ni - first;
        if (!((seen[rel / 8] >> (rel % 8)) & 1)) {
            ok = false;
            if (!report_as(c, mode, CAMPVAL_REQUIRED, t, kw, (int32_t)ni, "required",
                           kw->u.object.required_location))
                goto out;
        }
    }
dependents:
    if (kw->u.object.has_dependents) {
        for (uint32_t rel = 0; rel < nn; rel++) {
            if (!((seen[rel / 8] >> (rel % 8)) & 1))
                continue;
            const campval__name *nm = &s->names[first + rel];
            for (uint32_t j = 0; j < nm->dep_count; j++) {
                uint32_t need = s->name_refs[nm->dep_first + j] - first;
                if (!((seen[need / 8] >> (need % 8)) & 1)) {
                    ok = false;
                    if (!report_as(c, mode, CAMPVAL_DEPENDENT_REQUIRED, t, kw,
                                   (int32_t)(nm->dep_first + j), "dependentRequired",
                                   kw->u.object.dep_req_location))
                        goto out;
                }
            }
            if (nm->dep_schema >= 0 && !eval_inplace(c, (uint32_t)nm->dep_schema, t, sc, a, mode)) {
                ok = false;
                if (mode != ALL || c->ws->stop)
                    goto out;
            }
        }
    }
out:
    c->top = mark_top;
    return ok;
fail:
    c->top = mark_top;
    return false;
}

/* Which alternatives pass; with annotations wanted, every branch is evaluated. */
CAMPVAL__NOINLINE static bool kw_alternatives(ctx *c, const campval__kw *kw, uint32_t t, const scope *sc, ann *a,
                            int mode)
{
    const campval_schema *s = c->s;
    uint32_t passed = 0, first_pass = 0, second_pass = 0;
    bool one = kw->op == OP_ONE_OF;
    if (!pay_walk(c, kw->u.list.count)) /* as allOf */
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    for (uint32_t i = 0; i < kw->u.list.count; i++) {
        uint32_t child = s->children[kw->u.list.first + i];
        if (eval_inplace(c, child, t, sc, a, SILENT)) {
            if (passed == 0)
                first_pass = i;
            else if (passed == 1)
                second_pass = i;
            passed++;
            if (!a && (!one || passed > 1))
                break;
        } else if (c->aborted) {
            return false;
        }
    }
    if (one ? passed == 1 : passed > 0)
        return true;
    int32_t aux = passed > 1 ? (int32_t)(first_pass << 16 | (second_pass & 0xFFFF)) : -1;
    if (!report(c, mode, campval__kw_table[kw->id].code, t, kw, aux))
        return false;
    if (passed == 0) {
        c->explaining++;
        for (uint32_t i = 0; i < kw->u.list.count && !c->ws->stop; i++)
            eval(c, s->children[kw->u.list.first + i], t, sc, NULL, FIRST);
        c->explaining--;
    }
    return false;
}

CAMPVAL__NOINLINE static bool kw_unevaluated(ctx *c, const campval__kw *kw, uint32_t t, const scope *sc, ann *a,
                           int mode)
{
    const campval__doc *d = c->doc;
    bool items = kw->op == OP_UNEVALUATED_ITEMS;
    bool is_false = (c->s->nodes[kw->u.node].flags & CAMPVAL__N_FALSE) != 0;
    bool ok = true;
    if (!pay_walk(c, (uint64_t)d->tok[t].size))
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    uint32_t i = t + 1;
    for (int e = 0; e < d->tok[t].size; e++, i = d->next[i]) {
        if (marked(a, (uint32_t)e) || (!items && (d->flags[i] & CAMPVAL__F_SHADOWED)))
            continue;
        uint32_t value = items ? i : i + 1;
        if (is_false) {
            ok = false;
            if (!report(c, mode,
                        campval__kw_table[kw->id].code, i, kw, -1))
                return false;
        } else if (eval(c, kw->u.node, value, sc, NULL, mode)) {
            mark(a, (uint32_t)e);
        } else {
            ok = false;
            if (mode != ALL || c->ws->stop)
                return false;
        }
    }
    return ok;
}

static bool kw_phone(ctx *c, const campval__kw *kw, uint32_t t, int mode);

/* A preflight check (src/preflight.c) reports through this. */
typedef struct pf_sink {
    ctx *c;
    const campval__kw *kw;
    int mode;
} pf_sink;

static bool pf_report(void *p, campval_code code, uint32_t t, int32_t aux)
{
    pf_sink *k = p;
    return report(k->c, k->mode, code, t, k->kw, aux);
}

CAMPVAL__NOINLINE static bool kw_preflight(ctx *c, const campval__kw *kw, uint32_t t, int mode)
{
    pf_sink sink = {c, kw, mode};
    campval__pf pf = {c->ws, c->s, c->doc, kw, pf_report, &sink};
    int r = campval__preflight_run(&pf, t);
    if (r < 0)
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    return r == 1;
}

/* The node a $dynamicRef lands on, or -1 when the work budget ran out: the walk over the dynamic
 * scope and its anchors is paid like any other step, since rules can make it long. */
static int64_t dynamic_target(ctx *c, const campval__kw *kw, const scope *sc)
{
    if (!kw->u.dref.dynamic)
        return kw->u.dref.node;
    const campval_schema *s = c->s;
    uint32_t target = kw->u.dref.node;
    uint64_t walked = 0;
    for (const scope *p = sc; p; p = p->up) { /* the outermost match wins */
        const campval__resource *r = &s->resources[p->resource];
        walked += 1 + r->danchor_count;
        for (uint32_t i = 0; i < r->danchor_count; i++)
            if (s->danchors[r->danchor_first + i].name == kw->u.dref.anchor)
                target = s->danchors[r->danchor_first + i].node;
    }
    return campval__spend(c->ws, walked / 16) ? (int64_t)target : -1;
}

/* The members of object t that count, or -1 when the budget ran out. Only repeated names allowed
 * by CAMPVAL_ALLOW_DUPLICATE_KEYS are shadowed; without them the token's size is the answer and
 * nothing needs walking. */
static int64_t member_count(ctx *c, uint32_t t)
{
    const campval__doc *d = c->doc;
    if (!(c->ws->validate_flags & CAMPVAL_ALLOW_DUPLICATE_KEYS))
        return d->tok[t].size;
    if (!pay_walk(c, (uint64_t)d->tok[t].size))
        return -1;
    int64_t n = 0;
    uint32_t k = t + 1;
    for (int m = 0; m < d->tok[t].size; m++, k = d->next[k])
        n += !(d->flags[k] & CAMPVAL__F_SHADOWED);
    return n;
}

/*
 * Keywords that only look at the instance. Kept out of line: eval_kw is on the recursion path,
 * once per evaluation level, and must not carry these cases' locals in its frame.
 */
CAMPVAL__NOINLINE static bool eval_assertion(ctx *c, const campval__kw *kw, uint32_t t,
                                             uint32_t ty, int mode)
{
    const campval__doc *d = c->doc;
    inst in_, *in = &in_;
    in_.num_ok = false; /* the number is parsed on first use, by the numeric keywords only */
    campval_code code = CAMPVAL_OK;
    int32_t aux = -1;
    switch ((campval__op)kw->op) {
    case OP_FALSE:
        code = CAMPVAL_FALSE_SCHEMA;
        break;
    case OP_TYPE:
        if (kw->u.types & ty)
            return true;
        if ((kw->u.types & CAMPVAL__TY_INTEGER) && ty == CAMPVAL__TY_NUMBER &&
            campval__num_is_integer(inst_num(c, in, t)))
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    case OP_ENUM:
    case OP_CONST: {
        int r = kw_enum(c, kw, t);
        if (r < 0)
            return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
        if (r == 1)
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    }
    case OP_MINIMUM:
    case OP_MAXIMUM:
    case OP_EXCL_MINIMUM:
    case OP_EXCL_MAXIMUM: {
        if (ty != CAMPVAL__TY_NUMBER)
            return true;
        int cmp = campval__num_cmp(inst_num(c, in, t), &kw->u.num);
        bool pass = kw->op == OP_MINIMUM ? cmp >= 0 : kw->op == OP_MAXIMUM ? cmp <= 0
                  : kw->op == OP_EXCL_MINIMUM ? cmp > 0 : cmp < 0;
        if (pass)
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    }
    case OP_MULTIPLE_OF:
        if (ty != CAMPVAL__TY_NUMBER || campval__num_multiple_of(inst_num(c, in, t), &kw->u.num) == 1)
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    case OP_MIN_LENGTH:
    case OP_MAX_LENGTH: {
        if (ty != CAMPVAL__TY_STRING)
            return true;
        if ((d->flags[t] & (CAMPVAL__F_ESCAPED | CAMPVAL__F_NONASCII)) &&
            !campval__spend(c->ws, bytes_cost((size_t)(d->tok[t].end - d->tok[t].start))))
            return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
        size_t n = campval__str_codepoints(str_of(d, t), (d->flags[t] & CAMPVAL__F_NONASCII) != 0);
        if (kw->op == OP_MIN_LENGTH ? n >= kw->u.count : n <= kw->u.count)
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    }
    case OP_PATTERN: {
        if (ty != CAMPVAL__TY_STRING)
            return true;
        const char *p;
        size_t n;
        campval_code sr = string_bytes(c, t, &p, &n);
        if (sr != CAMPVAL_OK)
            return abort_with(c, sr, t, kw);
        int r = budget_match(c, kw->u.pattern.re, p, n);
        if (r < 0)
            return abort_with(c, r == -1 ? CAMPVAL_LIMIT_REGEX : CAMPVAL_LIMIT_EVALUATION, t, kw);
        if (r == 1)
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    }
    case OP_PHONE:
        return ty != CAMPVAL__TY_STRING || kw_phone(c, kw, t, mode);
    case OP_MIN_ITEMS:
    case OP_MAX_ITEMS:
        if (ty != CAMPVAL__TY_ARRAY ||
            (kw->op == OP_MIN_ITEMS ? (uint64_t)d->tok[t].size >= kw->u.count
                                    : (uint64_t)d->tok[t].size <= kw->u.count))
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    case OP_UNIQUE_ITEMS:
        if (ty != CAMPVAL__TY_ARRAY || (aux = kw_unique(c, t)) == -1)
            return true;
        if (aux < 0)
            return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
        code = campval__kw_table[kw->id].code;
        break;
    case OP_MIN_PROPERTIES:
    case OP_MAX_PROPERTIES: {
        if (ty != CAMPVAL__TY_OBJECT)
            return true;
        int64_t n = member_count(c, t);
        if (n < 0)
            return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
        if (kw->op == OP_MIN_PROPERTIES ? (uint64_t)n >= kw->u.count : (uint64_t)n <= kw->u.count)
            return true;
        code = campval__kw_table[kw->id].code;
        break;
    }
    default:
        return true; /* applicators: eval_kw */
    }
    report(c, mode, code, t, kw, aux);
    return false;
}

/* "format" on string t: its own function, lighter than eval_assertion's frame (formats are the
 * most frequent assertion after type). */
CAMPVAL__NOINLINE static bool kw_format(ctx *c, const campval__kw *kw, uint32_t t, int mode)
{
    const char *p;
    size_t n;
    campval_code sr = string_bytes(c, t, &p, &n);
    if (sr != CAMPVAL_OK)
        return abort_with(c, sr, t, kw);
    if (!campval__spend(c->ws, bytes_cost(n)))
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
    if (campval__format_check(kw->u.format.fmt, p, n))
        return true;
    report(c, mode,
           kw->u.format.fmt == CAMPVAL__FMT_E164 ? CAMPVAL_E164 : campval__kw_table[kw->id].code, t,
           kw, -1);
    return false;
}

/* Keywords that apply subschemas, then the rest through eval_assertion. */
static bool eval_kw(ctx *c, const campval__kw *kw, uint32_t t, uint32_t ty, const scope *sc,
                    ann *a, int mode)
{
    const campval__doc *d = c->doc;
    switch ((campval__op)kw->op) {
    case OP_ITEMS:
        return ty != CAMPVAL__TY_ARRAY || kw_items(c, kw, t, sc, a, mode);
    case OP_OBJECT:
        if (ty != CAMPVAL__TY_OBJECT)
            return true;
        return kw->u.object.is_map ? kw_map(c, kw, t, sc, a, mode)
                                   : kw_object(c, kw, t, sc, a, mode);
    case OP_FORMAT:
        return ty != CAMPVAL__TY_STRING || kw_format(c, kw, t, mode);
    case OP_PROPERTY_NAMES: {
        if (ty != CAMPVAL__TY_OBJECT)
            return true;
        if (!pay_walk(c, (uint64_t)d->tok[t].size))
            return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
        bool ok = true;
        uint32_t k = t + 1;
        for (int m = 0; m < d->tok[t].size; m++, k = d->next[k]) {
            if (!eval(c, kw->u.node, k, sc, NULL, mode)) {
                ok = false;
                if (mode != ALL || c->ws->stop)
                    return false;
            }
        }
        return ok;
    }
    case OP_REF:
        return eval_inplace(c, kw->u.node, t, sc, a, mode);
    case OP_DYNAMIC_REF: {
        int64_t target = dynamic_target(c, kw, sc);
        if (target < 0)
            return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
        return eval_inplace(c, (uint32_t)target, t, sc, a, mode);
    }
    case OP_ALL_OF: {
        /* the branches are walked like members: a true or type-only branch is otherwise free */
        if (!pay_walk(c, kw->u.list.count))
            return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, kw);
        bool ok = true;
        for (uint32_t i = 0; i < kw->u.list.count; i++) {
            if (!eval_inplace(c, c->s->children[kw->u.list.first + i], t, sc, a, mode)) {
                ok = false;
                if (mode != ALL || c->ws->stop)
                    return false;
            }
        }
        return ok;
    }
    case OP_ANY_OF:
    case OP_ONE_OF:
        return kw_alternatives(c, kw, t, sc, a, mode);
    case OP_NOT:
        if (!eval(c, kw->u.node, t, sc, NULL, SILENT))
            return !c->aborted;
        report(c, mode, CAMPVAL_NOT, t, kw, -1);
        return false;
    case OP_IF:
        if (eval_inplace(c, (uint32_t)kw->u.cond.cond, t, sc, a, SILENT))
            return kw->u.cond.then_ < 0 ||
                   eval_inplace(c, (uint32_t)kw->u.cond.then_, t, sc, a, mode);
        if (c->aborted)
            return false;
        return kw->u.cond.else_ < 0 || eval_inplace(c, (uint32_t)kw->u.cond.else_, t, sc, a, mode);
    case OP_PREFLIGHT:
        return ty != CAMPVAL__TY_OBJECT || kw_preflight(c, kw, t, mode);
    case OP_UNEVALUATED_ITEMS:
        return ty != CAMPVAL__TY_ARRAY || kw_unevaluated(c, kw, t, sc, a, mode);
    case OP_UNEVALUATED_PROPERTIES:
        return ty != CAMPVAL__TY_OBJECT || kw_unevaluated(c, kw, t, sc, a, mode);
    default:
        return eval_assertion(c, kw, t, ty, mode);
    }
}

/*
 * A subschema marked "x-severity": "warning": what it finds is recorded as warnings and it always
 * passes, so it never makes anything invalid. Where nothing is recorded (SILENT branches, failed
 * alternatives being explained, CAMPVAL_NO_WARNINGS) it is not evaluated at all, and it never
 * marks members or items evaluated for unevaluatedProperties/Items, so those decide the same
 * either way. Everything beneath it is a warning too; an inner "x-severity": "error" does not
 * turn that back.
 */
CAMPVAL__NOINLINE static bool eval_warning(ctx *c, uint32_t node, uint32_t t, const scope *sc,
                                           int mode)
{
    campval_workspace *ws = c->ws;
    if (mode == SILENT || c->explaining || ws->stop ||
        (ws->validate_flags & CAMPVAL_NO_WARNINGS))
        return !c->aborted;
    ws->severity = CAMPVAL_SEVERITY_WARNING;
    /* No annotations: whether it is evaluated (it is not under CAMPVAL_NO_WARNINGS or in a
     * SILENT branch) must not change what unevaluated* see. */
    eval(c, node, t, sc, NULL, ALL);
    ws->severity = CAMPVAL_SEVERITY_ERROR;
    return !c->aborted;
}

/* eval's out-of-line part: node n (alias resolved, not true) at token t. */
static bool eval_node(ctx *c, uint32_t node, const campval__node *n, uint32_t t,
                      const scope *sc, ann *a, int mode)
{
    uint32_t ty = campval__json_type(c->doc, t);
    if (n->flags & (CAMPVAL__N_WARNING | CAMPVAL__N_TYPE_ONLY)) {
        if ((n->flags & CAMPVAL__N_WARNING) && c->ws->severity == CAMPVAL_SEVERITY_ERROR)
            return eval_warning(c, node, t, sc, mode);
        if ((n->flags & CAMPVAL__N_TYPE_ONLY) && (n->types & ty))
            return true; /* the common pass; integers and failures take the full path */
    }
    if (c->aborted)
        return false;
    if (!campval__spend(c->ws, 1) || c->depth >= c->max_depth)
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, NULL);
    c->depth++;
    scope here = {n->resource, sc};
    if (!sc || sc->resource != n->resource)
        sc = &here;
    size_t mark_top = c->top;
    if ((n->flags & CAMPVAL__N_TRACKS) && !a && !(a = new_ann(c, t))) {
        c->depth--;
        return abort_with(c, CAMPVAL_LIMIT_EVALUATION, t, NULL);
    }
    bool ok = true;
    const campval__kw *kw = &c->s->kws[n->kw_first], *end = kw + n->kw_count;
    /* A leading `type` that passes says nothing more (integers and failures take eval_kw). */
    if ((n->flags & CAMPVAL__N_TYPE_FIRST) && (n->types & ty))
        kw++;
    for (; kw < end; kw++) {
        if (eval_kw(c, kw, t, ty, sc, a, mode))
            continue;
        ok = false;
        if (mode != ALL || c->ws->stop || c->aborted)
            break;
    }
    c->top = mark_top;
    c->depth--;
    return ok;
}

/* Evaluate node at token t. The passes that cost nothing (true, an alias, a type-only node whose
 * type matches) are inline at every caller; the rest is eval_node. */
static inline bool eval(ctx *c, uint32_t node, uint32_t t, const scope *sc, ann *a, int mode)
{
    const campval__node *n = &c->s->nodes[node];
    if (n->alias)
        n = &c->s->nodes[node = n->alias];
    if (n->flags & CAMPVAL__N_TRUE)
        return true;
    if ((n->flags & (CAMPVAL__N_TYPE_ONLY | CAMPVAL__N_WARNING)) == CAMPVAL__N_TYPE_ONLY &&
        (n->types & campval__json_type(c->doc, t)))
        return true;
    return eval_node(c, node, n, t, sc, a, mode);
}

/* ---- x-phone ------------------------------------------------------------------------------ */

static bool kw_phone(ctx *c, const campval__kw *kw, uint32_t t, int mode)
{
    const char *p;
    size_t n;
    campval_code sr = string_bytes(c, t, &p, &n);
    if (sr != CAMPVAL_OK)
        return abort_with(c, sr, t, kw);
    campval__phone_info info;
    campval_code code = campval__phone_verdict(c->s, kw, p, n, &info);
    if (code == CAMPVAL_OK)
        return true;
    if (code == CAMPVAL_INTERNAL)
        return abort_with(c, CAMPVAL_INTERNAL, t, kw);
    report(c, mode, code, t, kw, -1);
    return false;
}

/* ---- entry points -------------------------------------------------------------------------- */

campval_code campval__engine_run(const campval_schema *schema, campval_workspace *ws)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.ws = ws;
    c.s = schema;
    c.doc = &ws->doc;
    c.scratch = ws->eval;
    c.cap = ws->eval_size;
    c.max_depth = CAMPVAL__EVAL_DEPTH(ws->lim.max_depth);
    int mode = (ws->validate_flags & CAMPVAL_FIRST_ERROR) ? FIRST : ALL;
    bool ok = eval(&c, schema->root, 0, NULL, NULL, mode);
    if (c.aborted) /* the limit, not a violation found before it, says why the body failed */
        return c.abort_code;
    if (ok)
        return CAMPVAL_OK;
    const campval_error *first = campval__first_error(ws);
    if (first)
        return first->code;
    /* a failure records an error, and a warning never takes the last free entry */
    return CAMPVAL_INTERNAL;
}
