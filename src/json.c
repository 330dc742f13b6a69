/*
 * From bytes to a document: the lexer decides validity and links each token to the end of its
 * subtree (jsmn gives parents but no way to skip a subtree), jsmn builds tokens, then one pass
 * over member names finds repeats, compared after unescaping.
 */
#include "json.h"

#include <string.h>

#include "jstring.h"
#include "lex.h"
#include "tokenize.h"

static campval__str key_str(const campval_workspace *ws, uint32_t k)
{
    const campval__tok *t = &ws->tok[k];
    return (campval__str){ws->doc.text + t->start, (size_t)(t->end - t->start),
                          (ws->flags[k] & CAMPVAL__F_ESCAPED) != 0};
}

/* A repeated name: error, or with duplicates allowed, the earlier one is shadowed. */
static bool repeated(campval_workspace *ws, uint32_t earlier, uint32_t later, bool allow)
{
    if (allow) {
        ws->flags[earlier] |= CAMPVAL__F_SHADOWED;
        return true;
    }
    return campval__ws_error(ws, CAMPVAL_JSON_DUPLICATE_KEY,
                             (size_t)ws->tok[later].start - 1 + ws->doc.base, (int32_t)later,
                             campval__empty, campval__empty, 0, (int32_t)earlier);
}

/* Small objects: pairwise, cheaper than hashing. Each later name is compared with the names
 * before it, so repeats are found in document order (as the hashed path finds them) and each is
 * reported once, against the occurrence just before it. */
static bool dups_small(campval_workspace *ws, uint32_t obj, bool allow)
{
    const uint32_t *next = ws->next;
    const campval__tok *tok = ws->tok;
    const char *text = ws->doc.text;
    uint32_t size = (uint32_t)tok[obj].size;
    uint32_t key[16];
    uint32_t k = obj + 1;
    for (uint32_t i = 0; i < size; i++, k = next[k])
        key[i] = k;
    for (uint32_t j = 1; j < size; j++) {
        const campval__tok *b = &tok[key[j]];
        int blen = b->end - b->start;
        bool besc = (ws->flags[key[j]] & CAMPVAL__F_ESCAPED) != 0;
        uint32_t last = 0;
        for (uint32_t i = 0; i < j; i++) {
            const campval__tok *a = &tok[key[i]];
            bool aesc = (ws->flags[key[i]] & CAMPVAL__F_ESCAPED) != 0;
            bool same;
            if (!aesc && !besc) /* raw bytes are the names: lengths first */
                same = a->end - a->start == blen &&
                       memcmp(text + a->start, text + b->start, (size_t)blen) == 0;
            else
                same = campval__str_equal(key_str(ws, key[i]), key_str(ws, key[j]));
            if (same)
                last = key[i] + 1;
        }
        if (last && !repeated(ws, last - 1, key[j], allow))
            return false;
    }
    return true;
}

/* Larger objects: a table of names under the workspace's secret key, so that nobody can choose
 * names that collide, and every probe paid from the work budget all the same. */
static int dups_hashed(campval_workspace *ws, uint32_t obj, bool allow)
{
    const uint32_t *next = ws->next;
    uint32_t size = (uint32_t)ws->tok[obj].size, cap = 2 * size;
    uint32_t *slots = ws->slots;
    memset(slots, 0, cap * sizeof *slots);
    uint32_t k = obj + 1;
    for (uint32_t i = 0; i < size; i++, k = next[k]) {
        campval__str s = key_str(ws, k);
        uint32_t h = campval__hash_reduce(campval__str_hash_keyed(s, &ws->key), cap);
        for (;; h = h + 1 == cap ? 0 : h + 1) {
            if (!campval__spend(ws, 1))
                return -1;
            uint32_t other = slots[h];
            if (other == 0) {
                slots[h] = k + 1;
                break;
            }
            if (campval__str_equal(key_str(ws, other - 1), s)) {
                if (!repeated(ws, other - 1, k, allow))
                    return 0;
                slots[h] = k + 1; /* the later occurrence is the one that counts */
                break;
            }
        }
    }
    return 1;
}

/* 1: go on, 0: stop (first-error mode), -1: the work budget ran out. */
static int check_duplicates(campval_workspace *ws, uint32_t n, bool allow)
{
    for (uint32_t i = 0; i < n; i++) {
        if (ws->tok[i].type != CAMPVAL__T_OBJECT || ws->tok[i].size < 2)
            continue;
        int go = ws->tok[i].size <= 16 ? dups_small(ws, i, allow) : dups_hashed(ws, i, allow);
        if (go <= 0)
            return go;
    }
    return 1;
}

campval_code campval__parse(campval_workspace *ws, const char *json, size_t len, uint32_t flags)
{
    size_t base = 0;
    if ((flags & CAMPVAL_ALLOW_BOM) && len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
        base = 3;
    ws->doc = (campval__doc){json + base, len - base, base, ws->tok, ws->flags, ws->next, 0};
    /* Every stage from here on pays from one budget, linear in the document. */
    ws->budget = ws->budget_total = CAMPVAL_WORK_FIXED + (uint64_t)CAMPVAL_WORK_PER_BYTE * len;

    campval__lex_result lr;
    campval__lex(json + base, len - base, ws->lim.max_depth, ws->lim.max_tokens, ws->nest,
                 ws->stack, ws->flags, ws->next, &lr);
    if (lr.code != CAMPVAL_OK) {
        campval__ws_error(ws, lr.code, lr.offset + base, -1, campval__empty, campval__empty, 0, -1);
        return lr.code;
    }
    campval_code rc = campval__tokenize(json + base, len - base, ws->tok, lr.tokens);
    if (rc != CAMPVAL_OK) {
        campval__ws_error(ws, rc, base, -1, campval__empty, campval__empty, 0, -1);
        return rc;
    }
    ws->doc.count = lr.tokens;
    size_t before = ws->error_count + ws->errors_dropped;
    if (check_duplicates(ws, lr.tokens, (flags & CAMPVAL_ALLOW_DUPLICATE_KEYS) != 0) < 0) {
        ws->stop = false;
        campval__ws_error(ws, CAMPVAL_LIMIT_EVALUATION, base, -1, campval__empty, campval__empty,
                          0, -1);
        return CAMPVAL_LIMIT_EVALUATION;
    }
    if (ws->error_count + ws->errors_dropped != before)
        return CAMPVAL_JSON_DUPLICATE_KEY;
    return CAMPVAL_OK;
}
