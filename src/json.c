/*
 * From bytes to a document: the lexer decides validity and links each token to the end of its
 * subtree (jsmn gives parents but no way to skip a subtree), jsmn builds tokens, then one pass
 * over member names finds repeats, compared after unescaping. Everything lives in the caller's
 * buffers; a repeat is returned, and the pass resumes where it stopped.
 */
#include "json.h"

#include <string.h>

#include "jstring.h"
#include "lex.h"
#include "tokenize.h"

static campval__str key_str(const campval__json_stage *st, uint32_t k)
{
    const campval__tok *t = &st->tok[k];
    return (campval__str){st->doc.text + t->start, (size_t)(t->end - t->start),
                          (st->flags[k] & CAMPVAL__F_ESCAPED) != 0};
}

static bool spend(campval__json_stage *st, uint64_t units)
{
    if (*st->budget < units) {
        *st->budget = 0;
        return false;
    }
    *st->budget -= units;
    return true;
}

/* A repeated name: with duplicates allowed the earlier one is shadowed (true: go on); otherwise
 * the pair is handed to the caller (false). */
static bool repeated(campval__json_stage *st, uint32_t earlier, uint32_t later)
{
    if (st->allow_dups) {
        st->flags[earlier] |= CAMPVAL__F_SHADOWED;
        return true;
    }
    st->earlier = earlier;
    st->later = later;
    st->offset = (size_t)st->tok[later].start - 1 + st->doc.base;
    return false;
}

/* Whether names i and j of a small object are equal: raw bytes when neither has an escape
 * (lengths first, then the first byte, which for an empty name is its closing quote), else
 * after unescaping. */
static bool same_name(const campval__json_stage *st, uint32_t ki, uint32_t kj)
{
    const campval__tok *a = &st->tok[ki], *b = &st->tok[kj];
    if (!((st->flags[ki] | st->flags[kj]) & CAMPVAL__F_ESCAPED)) {
        const char *text = st->doc.text;
        return a->end - a->start == b->end - b->start && text[a->start] == text[b->start] &&
               memcmp(text + a->start, text + b->start, (size_t)(b->end - b->start)) == 0;
    }
    return campval__str_equal(key_str(st, ki), key_str(st, kj));
}

/* Small objects: pairwise, cheaper than hashing. Each later name is compared with the names
 * before it, so repeats are found in document order (as the hashed path finds them) and each is
 * reported once, against the occurrence just before it. Resumes at name st->at_key.
 * One pass over the names: a bit per raw length (modulo 64) says which lengths came before, and
 * a name with no escape whose length bit is new cannot repeat an earlier name when none of those
 * has an escape either; only the others are compared pairwise.
 * When no repeat stops it, *scan is where the search for objects goes on: the first member value
 * with more than one token (only those can hold objects), or the token after the object. */
static campval_code dups_small(campval__json_stage *st, uint32_t obj, uint32_t *scan)
{
    const uint32_t *next = st->next;
    const campval__tok *tok = st->tok;
    const uint8_t *flags = st->flags;
    uint32_t size = (uint32_t)tok[obj].size, from = st->at_key;
    uint32_t key[16];
    uint64_t lengths = 0;
    bool escaped = false;
    uint32_t k = obj + 1, inner = 0;
    for (uint32_t j = 0; j < size; j++) {
        uint32_t len = (uint32_t)(tok[k].end - tok[k].start), after = next[k];
        uint64_t bit = UINT64_C(1) << (len & 63);
        escaped |= (flags[k] & CAMPVAL__F_ESCAPED) != 0;
        key[j] = k;
        if (((lengths & bit) || escaped) && j >= from) {
            for (uint32_t i = j; i-- > 0;) { /* the nearest earlier occurrence first */
                if (!same_name(st, key[i], k))
                    continue;
                if (!repeated(st, key[i], k)) {
                    st->at_key = j + 1;
                    return CAMPVAL_JSON_DUPLICATE_KEY;
                }
                break;
            }
        }
        lengths |= bit;
        if (after != k + 2 && !inner) /* the value is more than one token */
            inner = k + 1;
        k = after;
    }
    *scan = inner ? inner : next[obj];
    return CAMPVAL_OK;
}

/* Larger objects: a table of names under the caller's secret key, so that nobody can choose
 * names that collide, and every probe paid from the work budget all the same. Resumes at name
 * st->at_key (token st->at_tok) with the table as it was left. */
static campval_code dups_hashed(campval__json_stage *st, uint32_t obj)
{
    const uint32_t *next = st->next;
    uint32_t size = (uint32_t)st->tok[obj].size, cap = 2 * size;
    uint32_t *slots = st->slots;
    uint32_t i = st->at_key, k = st->at_tok;
    if (i == 0) {
        memset(slots, 0, cap * sizeof *slots);
        k = obj + 1;
    }
    for (; i < size; i++, k = next[k]) {
        campval__str s = key_str(st, k);
        uint32_t h = campval__hash_reduce(campval__str_hash_keyed(s, st->key), cap);
        for (;; h = h + 1 == cap ? 0 : h + 1) {
            if (!spend(st, 1)) {
                st->offset = st->doc.base;
                return CAMPVAL_LIMIT_EVALUATION;
            }
            uint32_t other = slots[h];
            if (other == 0) {
                slots[h] = k + 1;
                break;
            }
            if (campval__str_equal(key_str(st, other - 1), s)) {
                slots[h] = k + 1; /* the later occurrence is the one that counts */
                if (!repeated(st, other - 1, k)) {
                    st->at_key = i + 1;
                    st->at_tok = next[k];
                    return CAMPVAL_JSON_DUPLICATE_KEY;
                }
                break;
            }
        }
    }
    return CAMPVAL_OK;
}

campval_code campval__json_resume(campval__json_stage *st)
{
    const campval__tok *tok = st->tok;
    uint32_t n = st->doc.count;
    for (uint32_t i = st->at_obj; i < n;) {
        if (tok[i].type != CAMPVAL__T_OBJECT || tok[i].size < 2) {
            i++;
            continue;
        }
        uint32_t scan = i + 1;
        campval_code rc = tok[i].size <= 16 ? dups_small(st, i, &scan) : dups_hashed(st, i);
        if (rc != CAMPVAL_OK) {
            st->at_obj = i;
            return rc;
        }
        st->at_key = 0; /* only a resumed object starts past its first name */
        i = scan;
    }
    st->at_obj = n;
    return CAMPVAL_OK;
}

campval_code campval__json_parse(campval__json_stage *st, const char *json, size_t len,
                                 uint32_t flags)
{
    size_t base = 0;
    if ((flags & CAMPVAL_ALLOW_BOM) && len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
        base = 3;
    st->doc = (campval__doc){json + base, len - base, base, st->tok, st->flags, st->next, 0};
    st->offset = 0;
    st->at_obj = st->at_key = st->at_tok = 0;
    st->allow_dups = (flags & CAMPVAL_ALLOW_DUPLICATE_KEYS) != 0;

    campval__lex_result lr;
    campval__lex(json + base, len - base, st->max_depth, st->max_tokens, st->nest, st->stack,
                 st->flags, st->next, &lr);
    if (lr.code != CAMPVAL_OK) {
        st->offset = lr.offset + base;
        return lr.code;
    }
    campval_code rc = campval__tokenize(json + base, len - base, st->tok, lr.tokens);
    if (rc != CAMPVAL_OK) {
        st->offset = base;
        return rc;
    }
    st->doc.count = lr.tokens;
    return campval__json_resume(st);
}
