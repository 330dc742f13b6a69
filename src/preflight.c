/*
 * The campaign-wide harm checks (see preflight.h). Each reads the create-campaign members by
 * their API names: contacts[].to_phone_number, contacts[].prompt_variables, from_phone_number,
 * call_retry_config.{allowed_days, calling_windows, max_retry_attempts, call_twice_in_a_row}.
 * Values of the wrong type or format are skipped: the field rules report those.
 */
#include "preflight_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jstring.h"
#include "keywords.h"
#include "phone.h"
#include "pointer.h"
#include "utf8.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES 0x0101010101010101ull

static inline uint64_t load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Eight bytes all '0'..'9': no byte has its top bit set by subtracting '0' (below '0') or by
 * adding 0x80 - ':' (above '9'). A borrow or carry across bytes comes only from a byte that
 * already set its own top bit, so it cannot hide one. */
static inline bool eight_digits(uint64_t w)
{
    return (((w - 0x30 * ONES) | (w + 0x46 * ONES)) & 0x80 * ONES) == 0;
}

/* The number eight digit values (0..9, the first in the lowest byte) make. */
static inline uint64_t eight_value(uint64_t v)
{
    v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFull;
    v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFull;
    return (v * 10000 + (v >> 32)) & 0xFFFFFFFFull;
}
#endif

/* An E.164 number as an integer: '+', 2 to 15 digits, no leading 0. 0 when it is not one. The
 * integer is unique per number, since calling codes never start with 0. With libphonenumber the
 * number is first read the way the carrier will dial it: "+44 0 20 7946 0958" written without
 * spaces is +44 20 7946 0958, the same person as "+442079460958" (this may allocate, as x-phone
 * does). */
static inline uint64_t digits_key(const char *s, size_t n)
{
    if (n < 3 || n > 16 || s[0] != '+' || s[1] == '0')
        return 0;
#ifdef ONES
    if (n >= 9) { /* 8 to 15 digits: the first eight, and the last eight (overlapping) */
        static const uint64_t pow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
        uint64_t head = load8(s + 1), tail = load8(s + n - 8);
        if (!(eight_digits(head) & eight_digits(tail)))
            return 0;
        size_t rest = n - 9; /* digits after the first eight, the top bytes of tail */
        uint64_t v = eight_value(head & 0x0F * ONES);
        if (rest == 0)
            return v;
        tail &= (0x0F * ONES) & (~0ull << (8 * (8 - rest)));
        return v * pow10[rest] + eight_value(tail);
    }
#endif
    uint64_t v = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v;
}

/* The escaped string at t unescaped into buf, then its key as written (the rare case, kept out
 * of written_key so that the plain case inlines). */
CAMPVAL__NOINLINE static uint64_t escaped_key(const campval__doc *d, int64_t t, const char **s,
                                              size_t *n, char buf[24])
{
    *n = short_string(d, t, buf, 24);
    *s = buf;
    return digits_key(*s, *n);
}

/* The number at t as written (its digits as one integer), or 0 when t is not an E.164 string:
 * e164_key is 0 exactly then, without asking libphonenumber. */
static inline uint64_t written_key(const campval__doc *d, int64_t t, const char **s, size_t *n,
                                   char buf[24])
{
    if (!is_type(d, t, CAMPVAL__T_STRING))
        return 0;
    if (d->flags[t] & CAMPVAL__F_ESCAPED)
        return escaped_key(d, t, s, n, buf);
    *s = d->text + d->tok[t].start;
    *n = (size_t)(d->tok[t].end - d->tok[t].start);
    return digits_key(*s, *n);
}

static bool is_e164(const campval__doc *d, int64_t t)
{
    const char *s;
    size_t n;
    char buf[24];
    return written_key(d, t, &s, &n, buf) != 0;
}

/* The key of E.164 number s[0..n) (key as written) as libphonenumber reads it. */
CAMPVAL__NOINLINE static uint64_t reread_key(const char *s, size_t n, uint64_t key)
{
    char canon[20];
    size_t cn = campval__phone_e164(s, n, canon);
    if (cn == n && memcmp(canon, s, n) == 0)
        return key; /* libphonenumber reads it as written (the usual case) */
    return cn > 0 ? digits_key(canon, cn) : key;
}

/* routes: campval__phone_routes(), NULL without libphonenumber (or when it failed). */
static inline uint64_t e164_key_with(const campval__doc *d, int64_t t, const uint16_t *routes)
{
    const char *s = NULL;
    size_t n = 0;
    char buf[24];
    uint64_t key = written_key(d, t, &s, &n, buf);
    /* North American numbers ("+1" then 2-9) are never re-read by libphonenumber: no trunk
     * prefix follows the calling code. Nor are those campval__phone_kept vouches for (no
     * national prefix can start where their national number starts). Every other number asks
     * it. */
    if (key == 0 || (s[1] == '1' && s[2] >= '2' && s[2] <= '9') ||
        (routes && campval__phone_kept(routes, s, n)))
        return key;
    return reread_key(s, n, key);
}

static uint64_t e164_key(const campval__doc *d, int64_t t)
{
    return e164_key_with(d, t, campval__phone_routes());
}

static uint32_t key_slot(const campval__pf *p, const table *tb, uint64_t key)
{
    return (uint32_t)campval__siphash(&p->ws->key, &key, sizeof key) & tb->mask;
}

/* ---- x-unique-numbers and x-caller-not-contact ------------------------------------------------ */

typedef struct keyed {
    uint64_t key;
    uint64_t tok; /* the number's token */
} keyed;

/* Below this many contacts the numbers are sorted as packed integers (see sort_few) instead of
 * by the radix sort, whose five passes each clear and add up 2,048 counters whatever n is: for 2
 * contacts that was 85% of a whole validation, and at 10,000 the packed sort is still cheaper.
 * A packed integer is a 50-bit key above a 14-bit index. Numbers that are not sorted packed
 * (more contacts) are merge-sorted below MERGE_BELOW, radix-sorted from there. */
#define PACKED_BELOW 16384
#define INDEX_BITS 14
#define MERGE_BELOW 256

/* Keys are below 10^15 < 2^50. For few contacts they are sorted by mixed(key), a bijection of
 * that range (times an odd constant modulo 2^50), which spreads numbers with common prefixes
 * evenly over the top bits: equal keys stay together, in document order, and the caller's
 * number is looked for in the same order. */
#define KEY_BITS 50
#define KEY_MASK ((1ull << KEY_BITS) - 1)
#define MIX 0x9E3779B97F4A7C15ull   /* odd (2^64 over the golden ratio) */
#define UNMIX 0xF1DE83E19937733Dull /* its inverse modulo 2^64 */

static inline uint64_t mixed(uint64_t key)
{
    return (key * MIX) & KEY_MASK;
}

/* Stable bottom-up merge sort of a[0..n) by key, b as scratch; returns where the result is. */
static keyed *merge_sort(keyed *a, keyed *b, size_t n)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                b[o++] = a[j].key < a[i].key ? a[j++] : a[i++];
            while (i < mid)
                b[o++] = a[i++];
            while (j < hi)
                b[o++] = a[j++];
        }
        keyed *s = a;
        a = b;
        b = s;
    }
    return a;
}

/* Stable LSD radix sort of a[0..n) by key in five 11-bit passes, b as scratch. */
static keyed *radix_sort(keyed *a, keyed *b, size_t n)
{
    for (int shift = 0; shift < 55; shift += 11) {
        size_t count[2049] = {0};
        for (size_t i = 0; i < n; i++)
            count[((a[i].key >> shift) & 0x7FF) + 1]++;
        for (int c = 0; c < 2048; c++)
            count[c + 1] += count[c];
        for (size_t i = 0; i < n; i++)
            b[count[(a[i].key >> shift) & 0x7FF]++] = a[i];
        keyed *s = a;
        a = b;
        b = s;
    }
    return a;
}

/* Sorts the distinct values w[0..n) with v[0..n) as scratch (a bottom-up merge sort, O(n log n)
 * whatever the values), the result in w. */
static void sort_packed(uint64_t *w, uint64_t *v, size_t n)
{
    uint64_t *a = w, *b = v;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                b[o++] = a[j] < a[i] ? a[j++] : a[i++];
            while (i < mid)
                b[o++] = a[i++];
            while (j < hi)
                b[o++] = a[j++];
        }
        uint64_t *t = a;
        a = b;
        b = t;
    }
    if (a != w)
        memcpy(w, a, n * sizeof *w);
}

/* The numbers of fewer than PACKED_BELOW contacts sorted into out[0..n) by mixed key, then
 * document order: packed[i] = mixed(key) << INDEX_BITS | i sits in out's lower half (as
 * uint64_t), toks[i] is number i's token. A counting sort on the top bits (about two numbers per
 * bucket, the keys being mixed: fewer buckets cost more moves, more cost more counters) into the
 * upper half leaves only numbers sharing a bucket out of order, which one insertion pass puts
 * right; each keyed entry is then written upwards, once the packed values it covers have been
 * read. Equal keys share a bucket already in document order, so only unequal keys that share one
 * move. Keys made to collide after mixing could make that pass quadratic: past 8n + 1024 moves
 * it stops and a merge sort finishes (the packed values are distinct, so every sort orders them
 * the same). */
static void sort_few(keyed *out, const uint32_t *toks, size_t n)
{
    _Static_assert(KEY_BITS + INDEX_BITS <= 64 && PACKED_BELOW <= (1u << INDEX_BITS) &&
                       PACKED_BELOW <= 65536,
                   "a packed value is a key and an index; a bucket count fits in 16 bits");
    const uint64_t index_mask = (1u << INDEX_BITS) - 1;
    uint64_t *v = (uint64_t *)(void *)out, *w = v + n;
    if (n < 2) { /* nothing to sort; written downwards, v being below */
        for (size_t i = n; i-- > 0;)
            out[i] = (keyed){((v[i] >> INDEX_BITS) * UNMIX) & KEY_MASK, toks[v[i] & index_mask]};
        return;
    }
    unsigned bits = 1;
    while ((2u << bits) < n)
        bits++;
    unsigned shift = KEY_BITS + INDEX_BITS - bits;
    uint16_t start[PACKED_BELOW / 2 + 1];
    memset(start, 0, ((1u << bits) + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[(v[i] >> shift) + 1]++;
    for (unsigned b = 0; b < (1u << bits); b++)
        start[b + 1] = (uint16_t)(start[b + 1] + start[b]);
    for (size_t i = 0; i < n; i++)
        w[start[v[i] >> shift]++] = v[i];
    /* v is free now: the merge sort's scratch if the insertion pass gives up */
    size_t moves = 0, max_moves = 8 * n + 1024;
    for (size_t i = 1; i < n; i++) {
        uint64_t x = w[i];
        size_t j = i;
        for (; j > 0 && w[j - 1] > x; j--)
            w[j] = w[j - 1];
        w[j] = x;
        moves += i - j;
        if (moves > max_moves) {
            sort_packed(w, v, n);
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t x = w[i];
        out[i] = (keyed){((x >> INDEX_BITS) * UNMIX) & KEY_MASK, toks[x & index_mask]};
    }
}

/* The contacts' numbers sorted: the keys (below 10^15 < 2^50) with their tokens, in document
 * order, through a stable sort (radix, or merge for a few numbers; for fewer than PACKED_BELOW
 * contacts, sort_few, by mixed key), so equal keys end up together with the earliest first.
 * Sequential passes instead of a hash table's random probes: a campaign of 100,000 contacts stays
 * in cache. Made once per validation in the slots and shared by the
 * checks that compare numbers (duplicates, caller ID, do-not-call list) while nothing else has
 * written the slots; NULL when the slots cannot hold two arrays of the contacts (*n is then 0)
 * or the budget ran out (*n is then 1). */
static const keyed *sorted_numbers(const campval__pf *p, int64_t arr, size_t *out_n)
{
    campval_workspace *ws = p->ws;
    const campval__doc *d = p->d;
    if (ws->pf_sorted.keys && ws->pf_sorted.arr == arr &&
        ws->pf_sorted.validation == ws->validations && ws->pf_sorted.gen == ws->slots_gen) {
        *out_n = ws->pf_sorted.n;
        return ws->pf_sorted.keys;
    }
    size_t contacts = (size_t)d->tok[arr].size;
    *out_n = 0;
    if (contacts * 2 * sizeof(keyed) > (size_t)ws->slot_count * sizeof *ws->slots)
        return NULL;
    ws->slots_gen++;
    keyed *a = (keyed *)(void *)ws->slots, *b = a + contacts;
    /* Few contacts: their tokens in the lower half, the packed keys in the upper half, which
     * sort_few turns into the sorted keyed. Many: keyed in the lower half, radix-sorted. */
    bool few = contacts < PACKED_BELOW;
    uint32_t *toks = (uint32_t *)(void *)a;
    uint64_t *packed = (uint64_t *)(void *)b;
    size_t n = 0;
    const uint16_t *routes = campval__phone_routes();
    EACH_ITEM(d, arr, i, k) {
        int64_t num = member(d, k, "to_phone_number");
        uint64_t key = e164_key_with(d, num, routes);
        if (key == 0)
            continue;
        if (few) {
            toks[n] = (uint32_t)num;
            packed[n] = mixed(key) << INDEX_BITS | n;
            n++;
        } else {
            a[n++] = (keyed){key, (uint64_t)num};
        }
    }
    if (!campval__spend(ws, 1 + (uint64_t)n)) {
        *out_n = 1;
        return NULL;
    }
    if (few) {
        sort_few(b, toks, n);
        a = b;
    } else {
        a = n < MERGE_BELOW ? merge_sort(a, b, n) : radix_sort(a, b, n);
    }
    ws->pf_sorted.keys = a;
    ws->pf_sorted.n = *out_n = n;
    ws->pf_sorted.arr = arr;
    ws->pf_sorted.validation = ws->validations;
    ws->pf_sorted.gen = ws->slots_gen;
    return a;
}

/* The half of the slots the sorted numbers of arr do not occupy (room for its contacts). */
static keyed *other_half(const campval__pf *p, const keyed *sorted, int64_t arr)
{
    keyed *base = (keyed *)(void *)p->ws->slots;
    return sorted == base ? base + p->d->tok[arr].size : base;
}

/* Findings gathered in key order ({key: the contact's token, tok: its aux}, in the other half)
 * put back in document order before they are reported, so that max_errors and
 * CAMPVAL_FIRST_ERROR keep the first ones in the document, as the checks without the sort do.
 * The sort takes the sorted numbers' half as scratch: their cache is dropped. */
static const keyed *in_document_order(const campval__pf *p, keyed *found, size_t f,
                                      const keyed *sorted)
{
    p->ws->slots_gen++;
    return merge_sort(found, (keyed *)(uintptr_t)sorted, f);
}

/* Duplicates: equal keys are adjacent in the sorted numbers. */
static int unique_by_sort(const campval__pf *p, const keyed *a, size_t n, int64_t arr)
{
    keyed *found = other_half(p, a, arr);
    size_t f = 0;
    for (size_t i = 1, first = 0; i < n; i++) {
        if (a[i].key != a[first].key)
            first = i;
        else
            found[f++] = (keyed){a[i].tok, a[first].tok};
    }
    if (f == 0)
        return 1;
    if (!campval__spend(p->ws, f))
        return -1;
    const keyed *o = in_document_order(p, found, f, a);
    for (size_t i = 0; i < f; i++)
        if (!p->report(p->ctx, CAMPVAL_DUPLICATE_NUMBER, (uint32_t)o[i].key, (int32_t)o[i].tok))
            break;
    return 0;
}

/* Two contacts with the same number: the later one is reported, naming the earlier. */
static int unique_numbers(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = contacts_of(p, t);
    if (arr < 0)
        return 1;
    size_t n;
    const keyed *sorted = sorted_numbers(p, arr, &n);
    if (sorted)
        return unique_by_sort(p, sorted, n, arr);
    if (n == 1)
        return -1;
    table tb;
    if (!table_init(p, &tb, (uint32_t)d->tok[arr].size))
        return -1;
    /* Each slot's key beside the table when the slots hold both, else read again when probed. */
    size_t size = (size_t)tb.mask + 1;
    uint64_t *keys = size * 3 <= p->ws->slot_count ? (uint64_t *)(void *)(tb.slot + size) : NULL;
    int ok = 1;
    EACH_ITEM(d, arr, i, k) {
        int64_t num = member(d, k, "to_phone_number");
        uint64_t key = e164_key(d, num);
        if (key == 0)
            continue;
        uint32_t h = key_slot(p, &tb, key);
        for (; tb.slot[h]; h = (h + 1) & tb.mask) {
            if (!campval__spend(p->ws, 1))
                return -1;
            if ((keys ? keys[h] : e164_key(d, tb.slot[h] - 1)) == key)
                break;
        }
        if (keys && !tb.slot[h])
            keys[h] = key;
        if (tb.slot[h]) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_DUPLICATE_NUMBER, (uint32_t)num,
                           (int32_t)(tb.slot[h] - 1)))
                return 0;
        } else {
            tb.slot[h] = (uint32_t)num + 1;
        }
    }
    return ok;
}

static int caller_not_contact(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t from = member(d, t, "from_phone_number");
    uint64_t caller = e164_key(d, from);
    int64_t arr = contacts_of(p, t);
    if (caller == 0 || arr < 0)
        return 1;
    int ok = 1;
    size_t n;
    const keyed *sorted = sorted_numbers(p, arr, &n);
    if (sorted) { /* the contacts with the caller's number, by binary search */
        bool few = (size_t)d->tok[arr].size < PACKED_BELOW; /* sorted by mixed key */
        uint64_t want = few ? mixed(caller) : caller;
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((few ? mixed(sorted[mid].key) : sorted[mid].key) < want)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < n && sorted[lo].key == caller; lo++) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_CALLER_IS_CONTACT, (uint32_t)sorted[lo].tok,
                           (int32_t)from))
                return 0;
        }
        return ok;
    }
    if (n == 1)
        return -1;
    EACH_ITEM(d, arr, i, k) {
        int64_t num = member(d, k, "to_phone_number");
        if (e164_key(d, num) != caller)
            continue;
        ok = 0;
        if (!p->report(p->ctx, CAMPVAL_CALLER_IS_CONTACT, (uint32_t)num, (int32_t)from))
            return 0;
    }
    return ok;
}

/* ---- x-regions ------------------------------------------------------------------------------ */

/* The allowed regions: the workspace's list (campval_workspace_set_preflight) or the rules'. */
static const char *allowed_regions(const campval_workspace *ws, const campval_schema *s,
                                   const campval__kw *kw, uint32_t *n)
{
    if (ws->pf_region_count) {
        *n = ws->pf_region_count;
        return ws->pf_regions;
    }
    *n = kw->u.pf.count;
    return *n ? s->strings[kw->u.pf.first] : "";
}

/* A contact's region as libphonenumber sees it, packed as (letter << 8 | letter), 0 if none. */
static int32_t region_of(const campval__doc *d, int64_t t)
{
    char buf[24];
    size_t n = short_string(d, t, buf, sizeof buf);
    campval__phone_info info;
    if (n == 0 || campval__phone_analyze(buf, n, CAMPVAL__PHONE_WANT_REGION, &info) != 0 ||
        !info.parsed || info.region[0] < 'A' || info.region[1] < 'A' || info.region[2])
        return 0;
    return (int32_t)((unsigned char)info.region[0] << 8 | (unsigned char)info.region[1]);
}

static int contact_regions(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = contacts_of(p, t);
    if (arr < 0)
        return 1;
    uint32_t n;
    const char *allowed = allowed_regions(p->ws, p->s, p->kw, &n);
    if (n == 0 || !campval__phone_available())
        return 1; /* x-regions: true and no regions given (set_preflight refuses them without
                     libphonenumber) */
    int ok = 1;
    EACH_ITEM(d, arr, i, k) {
        int64_t num = member(d, k, "to_phone_number");
        if (!is_e164(d, num))
            continue; /* not E.164: the format says so */
        if (!campval__spend(p->ws, 4))
            return -1;
        int32_t r = region_of(d, num);
        bool in = false;
        for (uint32_t j = 0; j < n && !in; j++)
            in = r == ((unsigned char)allowed[2 * j] << 8 | (unsigned char)allowed[2 * j + 1]);
        if (in)
            continue;
        ok = 0;
        if (!p->report(p->ctx, CAMPVAL_CONTACT_REGION, (uint32_t)num, r))
            return 0;
    }
    return ok;
}

/* ---- x-suppress ---------------------------------------------------------------------------- */

/* One listed contact: an error, or a warning when the settings ask for one; false to stop. */
static bool report_suppressed(const campval__pf *p, uint32_t num, bool warn)
{
    if (warn)
        p->ws->severity = CAMPVAL_SEVERITY_WARNING;
    bool go = p->report(p->ctx, CAMPVAL_SUPPRESSED, num, -1);
    if (warn)
        p->ws->severity = CAMPVAL_SEVERITY_ERROR;
    return go;
}

/* Contacts on the workspace's do-not-call list (campval_workspace_set_preflight), compared as
 * the duplicate check compares numbers. An error unless the settings ask for a warning. */
static int suppressed(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    const campval_numbers *list = p->ws->pf.suppress;
    int64_t arr = contacts_of(p, t);
    if (!list || arr < 0)
        return 1;
    bool warn = (p->ws->pf.flags & CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING) &&
                p->ws->severity == CAMPVAL_SEVERITY_ERROR;
    size_t n;
    const keyed *sorted = sorted_numbers(p, arr, &n);
    if (!sorted && n == 1)
        return -1;
    /* Listed contacts, gathered (from the sorted numbers, in key order: then put back in
     * document order) or found in document order, then reported. */
    keyed *found = sorted ? other_half(p, sorted, arr) : NULL;
    size_t f = 0;
    int ok = 1;
    for (size_t i = 0, k = (uint32_t)arr + 1; sorted ? i < n : i < (size_t)d->tok[arr].size;
         i++, k = sorted ? k : d->next[k]) {
        int64_t num = sorted ? (int64_t)sorted[i].tok : member(d, k, "to_phone_number");
        uint64_t key = sorted ? sorted[i].key : e164_key(d, num);
        if (key == 0)
            continue;
        if (!campval__spend(p->ws, 2))
            return -1;
        char buf[24];
        int len = snprintf(buf, sizeof buf, "+%llu", (unsigned long long)key);
        if (campval_numbers_contains(list, buf, (size_t)len) != 1)
            continue;
        if (found) {
            found[f++] = (keyed){(uint64_t)num, 0};
            continue;
        }
        ok = warn; /* as a warning it does not fail the check */
        if (!report_suppressed(p, (uint32_t)num, warn))
            return ok;
    }
    if (f == 0)
        return ok;
    const keyed *o = in_document_order(p, found, f, sorted);
    for (size_t i = 0; i < f; i++)
        if (!report_suppressed(p, (uint32_t)o[i].key, warn))
            break;
    return warn;
}

size_t campval_contact_regions(const campval_workspace *ws, campval_region_fn fn, void *ctx)
{
    if (!ws || !fn || ws->magic != CAMPVAL__WS_MAGIC || ws->doc.count == 0 ||
        !campval__phone_available())
        return 0;
    const campval__doc *d = &ws->doc;
    int64_t arr = member(d, 0, "contacts");
    if (!is_type(d, arr, CAMPVAL__T_ARRAY))
        return 0;
    size_t n = 0;
    EACH_ITEM(d, arr, i, k) {
        int64_t num = member(d, k, "to_phone_number");
        if (!is_e164(d, num))
            continue;
        int32_t r = region_of(d, num);
        char region[2] = {r ? (char)(r >> 8) : 'Z', r ? (char)(r & 0xFF) : 'Z'};
        fn(ctx, region);
        n++;
    }
    return n;
}

/* ---- x-max-contacts ------------------------------------------------------------------------ */

static int max_contacts(const campval__pf *p, uint32_t t)
{
    int64_t arr = contacts_of(p, t);
    if (arr < 0 || (uint64_t)p->d->tok[arr].size <= p->kw->u.pf.a)
        return 1;
    p->report(p->ctx, CAMPVAL_TOO_MANY_CONTACTS, (uint32_t)arr, -1);
    return 0;
}

/* ---- dispatch and messages ----------------------------------------------------------------- */

int campval__preflight_run(const campval__pf *pf, uint32_t t)
{
    if (pf->d->tok[t].type != CAMPVAL__T_OBJECT)
        return 1;
    switch ((campval__kwid)pf->kw->id) {
    case KW_x_unique_numbers: return unique_numbers(pf, t);
    case KW_x_caller_not_contact: return caller_not_contact(pf, t);
    case KW_x_max_contacts: return max_contacts(pf, t);
    case KW_x_calling_windows: return campval__calling_windows(pf, t);
    case KW_x_retry_budget: return campval__retry_budget(pf, t);
    case KW_x_prompt_variables: return campval__prompt_variables(pf, t);
    case KW_x_regions: return contact_regions(pf, t);
    case KW_x_calling_hours: return campval__calling_hours(pf, t);
    case KW_x_suppress: return suppressed(pf, t);
    default: return 1;
    }
}

static void show_text(campval__sb *sb, const campval__doc *d, uint32_t t)
{
    char buf[64];
    campval__str s = str_of(d, t);
    if (s.len > 60)
        s.len = campval__str_safe_cut(s, 60);
    size_t n = campval__str_unescape(s, buf);
    campval__sb_put(sb, buf, n);
}

void campval__preflight_message(campval__sb *sb, const campval_workspace *ws,
                                const campval__kw *kw, const campval_error *err)
{
    const campval__doc *d = &ws->doc;
    uint32_t t = (uint32_t)err->token;
    int32_t aux = err->aux;
    bool other = aux >= 0 && (uint32_t)aux < d->count;
    switch (err->code) {
    case CAMPVAL_CALLING_HOURS: campval__calling_hours_message(sb, ws, kw, err); break;
    case CAMPVAL_DUPLICATE_NUMBER:
    case CAMPVAL_CALLER_IS_CONTACT:
        campval__sb_puts(sb, err->code == CAMPVAL_DUPLICATE_NUMBER
                                 ? "the same person is called twice: "
                                 : "the campaign calls its own caller ID: ");
        show_text(sb, d, t);
        if (other) {
            campval__sb_puts(sb, " is the same number as ");
            campval__pointer_render(d, (uint32_t)aux, sb);
        }
        break;
    case CAMPVAL_CONTACT_REGION: {
        show_text(sb, d, t);
        if (aux > 0)
            campval__sb_printf(sb, " is in %c%c", (char)(aux >> 8), (char)(aux & 0xFF));
        else
            campval__sb_puts(sb, " is in no region");
        uint32_t n;
        const char *allowed = allowed_regions(ws, ws->schema, kw, &n);
        campval__sb_puts(sb, ", outside the regions this campaign may call: ");
        for (uint32_t j = 0; j < n && j < 16; j++)
            campval__sb_printf(sb, "%s%c%c", j ? ", " : "", allowed[2 * j], allowed[2 * j + 1]);
        if (n > 16)
            campval__sb_puts(sb, ", ...");
        break;
    }
    case CAMPVAL_TOO_MANY_CONTACTS:
        campval__sb_printf(sb, "%d contacts in one campaign, more than the cap of %llu "
                               "(Vapi and Synthflow cap a batch at 10,000); split the list",
                           d->tok[t].size, (unsigned long long)kw->u.pf.a);
        break;
    case CAMPVAL_WINDOW_AMBIGUOUS:
        campval__sb_puts(sb, "\"");
        show_text(sb, d, t);
        campval__sb_puts(sb, "\" is ambiguous (12am is midnight, 12pm noon, but people and some "
                             "systems read them the other way); write \"00:00\" or \"12:00\"");
        break;
    case CAMPVAL_WINDOW_ORDER:
        campval__sb_puts(sb, "the window ends at ");
        show_text(sb, d, t);
        if (other) {
            campval__sb_puts(sb, ", not after it starts at ");
            show_text(sb, d, (uint32_t)aux);
        }
        campval__sb_puts(sb, ": as one day's times no call fits in it, and a window across midnight "
                             "would call through the night");
        break;
    case CAMPVAL_WINDOW_OVERLAP:
        campval__sb_puts(sb, "calling window overlaps ");
        if (other)
            campval__pointer_render(d, (uint32_t)aux, sb);
        else
            campval__sb_puts(sb, "another window");
        break;
    case CAMPVAL_RETRY_BUDGET:
        campval__sb_printf(sb, "one person can get up to %d calls in 24 hours and %d in 7 days "
                               "(caps %llu and %llu: Florida 501.616, US Regulation F "
                               "12 CFR 1006.14)",
                           aux >> 16, aux & 0xFFFF, (unsigned long long)kw->u.pf.a,
                           (unsigned long long)kw->u.pf.b);
        break;
    case CAMPVAL_PROMPT_MISSING:
        campval__sb_puts(sb, "no \"");
        if (other)
            show_text(sb, d, (uint32_t)aux);
        campval__sb_puts(sb, "\", which most contacts have");
        if (other) {
            campval__sb_puts(sb, " (e.g. ");
            campval__pointer_render(d, (uint32_t)aux, sb);
            campval__sb_puts(sb, ")");
        }
        break;
    case CAMPVAL_SUPPRESSED:
        show_text(sb, d, t);
        campval__sb_puts(sb, " is on the do-not-call list this campaign is checked against");
        break;
    case CAMPVAL_PROMPT_BLANK: campval__sb_puts(sb, "prompt variable is blank"); break;
    case CAMPVAL_PROMPT_TEMPLATE:
        campval__sb_puts(sb, "prompt variable still holds a template placeholder: \"");
        show_text(sb, d, t);
        campval__sb_puts(sb, "\"");
        break;
    case CAMPVAL_PROMPT_CONTROL:
        campval__sb_puts(sb, "prompt variable holds control or bidirectional-override "
                             "characters, which can hide or reorder what the assistant says");
        break;
    default: campval__sb_puts(sb, campval_strerror(err->code)); break;
    }
}
