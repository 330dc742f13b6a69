/*
 * The campaign-wide harm checks (see preflight.h). Each reads the create-campaign members by
 * their API names: contacts[].to_phone_number, contacts[].prompt_variables, from_phone_number,
 * call_retry_config.{allowed_days, calling_windows, max_retry_attempts, call_twice_in_a_row}.
 * Values of the wrong type or format are skipped: the field rules report those.
 */
#include "preflight.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jstring.h"
#include "keywords.h"
#include "phone.h"
#include "pointer.h"
#include "utf8.h"

/* ---- reading the campaign ------------------------------------------------------------------ */

static campval__str str_of(const campval__doc *d, uint32_t t)
{
    return (campval__str){d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                          (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
}

static bool is_type(const campval__doc *d, int64_t t, int type)
{
    return t >= 0 && d->tok[t].type == type;
}

/* The value of member `name` (n bytes) of the object at t (the last one when names repeat), or
 * -1. member() takes a string literal. */
#define member(d, t, lit) member_n(d, t, lit, sizeof lit - 1)
static int64_t member_n(const campval__doc *d, int64_t t, const char *name, size_t n)
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
static size_t short_string(const campval__doc *d, int64_t t, char *buf, size_t cap)
{
    if (!is_type(d, t, CAMPVAL__T_STRING))
        return 0;
    campval__str s = str_of(d, (uint32_t)t);
    if (s.len > cap)
        return 0;
    return campval__str_unescape(s, buf);
}

/* An E.164 number as an integer: '+', 2 to 15 digits, no leading 0. 0 when it is not one. The
 * integer is unique per number, since calling codes never start with 0. With libphonenumber the
 * number is first read the way the carrier will dial it: "+44 0 20 7946 0958" written without
 * spaces is +44 20 7946 0958, the same person as "+442079460958" (this may allocate, as x-phone
 * does). */
static uint64_t digits_key(const char *s, size_t n)
{
    if (n < 3 || n > 16 || s[0] != '+' || s[1] == '0')
        return 0;
    uint64_t v = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v;
}

static uint64_t e164_key(const campval__doc *d, int64_t t)
{
    if (!is_type(d, t, CAMPVAL__T_STRING))
        return 0;
    char buf[24];
    const char *s = d->text + d->tok[t].start;
    size_t n = (size_t)(d->tok[t].end - d->tok[t].start);
    if (d->flags[t] & CAMPVAL__F_ESCAPED) {
        n = short_string(d, t, buf, sizeof buf);
        s = buf;
    }
    uint64_t key = digits_key(s, n);
    /* North American numbers ("+1" then 2-9) are never re-read by libphonenumber: no trunk
     * prefix follows the calling code. Every other number asks it. */
    if (key == 0 || (s[1] == '1' && s[2] >= '2' && s[2] <= '9'))
        return key;
    char canon[20];
    size_t cn = campval__phone_e164(s, n, canon);
    return cn > 0 ? digits_key(canon, cn) : key;
}

/* The contacts array of a campaign, or -1. */
static int64_t contacts_of(const campval__pf *p, uint32_t t)
{
    int64_t c = member(p->d, t, "contacts");
    return is_type(p->d, c, CAMPVAL__T_ARRAY) ? c : -1;
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
static bool table_init(const campval__pf *p, table *tb, uint32_t n)
{
    uint32_t size = 16;
    while (size < 2 * (uint64_t)n && size < (1u << 31))
        size <<= 1;
    if (size > p->ws->slot_count)
        return false;
    tb->slot = p->ws->slots;
    tb->mask = size - 1;
    memset(tb->slot, 0, (size_t)size * sizeof *tb->slot);
    return campval__spend(p->ws, size / 64 + 1);
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

/* Duplicates by sorting: the keys (below 10^15 < 2^50) with their tokens, in document order,
 * through a stable LSD radix sort of five 11-bit passes, so equal keys end up together with
 * the earliest first. Sequential passes instead of a hash table's random probes: a campaign of
 * 100,000 contacts stays in cache. Needs two arrays of the contacts in the slots. */
static int unique_by_sort(const campval__pf *p, int64_t arr, keyed *a, keyed *b)
{
    const campval__doc *d = p->d;
    size_t n = 0;
    EACH_ITEM(d, arr, i, k) {
        int64_t num = member(d, k, "to_phone_number");
        uint64_t key = e164_key(d, num);
        if (key != 0)
            a[n++] = (keyed){key, (uint64_t)num};
    }
    if (!campval__spend(p->ws, 1 + (uint64_t)n))
        return -1;
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
    int ok = 1;
    for (size_t i = 1, first = 0; i < n; i++) {
        if (a[i].key != a[first].key) {
            first = i;
            continue;
        }
        ok = 0;
        if (!p->report(p->ctx, CAMPVAL_DUPLICATE_NUMBER, (uint32_t)a[i].tok,
                       (int32_t)a[first].tok))
            return 0;
    }
    return ok;
}

/* Two contacts with the same number: the later one is reported, naming the earlier. */
static int unique_numbers(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = contacts_of(p, t);
    if (arr < 0)
        return 1;
    size_t contacts = (size_t)d->tok[arr].size;
    if (contacts * 2 * sizeof(keyed) <= (size_t)p->ws->slot_count * sizeof *p->ws->slots) {
        keyed *a = (keyed *)(void *)p->ws->slots;
        return unique_by_sort(p, arr, a, a + contacts);
    }
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
        if (e164_key(d, num) == 0)
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
    int ok = 1;
    EACH_ITEM(d, arr, i, k) {
        int64_t num = member(d, k, "to_phone_number");
        uint64_t key = e164_key(d, num);
        if (key == 0)
            continue;
        if (!campval__spend(p->ws, 2))
            return -1;
        char buf[24];
        int n = snprintf(buf, sizeof buf, "+%llu", (unsigned long long)key);
        if (campval_numbers_contains(list, buf, (size_t)n) != 1)
            continue;
        ok = warn; /* as a warning it does not fail the check */
        if (warn)
            p->ws->severity = CAMPVAL_SEVERITY_WARNING;
        bool go = p->report(p->ctx, CAMPVAL_SUPPRESSED, (uint32_t)num, -1);
        if (warn)
            p->ws->severity = CAMPVAL_SEVERITY_ERROR;
        if (!go)
            return ok;
    }
    return ok;
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
        if (e164_key(d, num) == 0)
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

/* ---- calling windows ------------------------------------------------------------------------ */

int campval__time_of_day(const char *s, size_t n, bool *ambiguous)
{
    *ambiguous = false;
    if (n == 5 && s[2] == ':') {
        int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
        for (int i = 0; i < 5; i++)
            if (i != 2 && (s[i] < '0' || s[i] > '9'))
                return -1;
        return h <= 23 && m <= 59 ? h * 60 + m : -1;
    }
    size_t i = 0;
    int h = 0, m = 0;
    while (i < n && i < 2 && s[i] >= '0' && s[i] <= '9')
        h = h * 10 + (s[i++] - '0');
    if (i == 0 || s[0] == '0' || h < 1 || h > 12)
        return -1;
    if (i < n && s[i] == ':') {
        if (i + 3 > n || s[i + 1] < '0' || s[i + 1] > '5' || s[i + 2] < '0' || s[i + 2] > '9')
            return -1;
        m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        i += 3;
    }
    if (i + 2 != n || (s[i + 1] != 'm' && s[i + 1] != 'M'))
        return -1;
    bool pm = s[i] == 'p' || s[i] == 'P';
    if (!pm && s[i] != 'a' && s[i] != 'A')
        return -1;
    *ambiguous = h == 12;
    return (h % 12 + (pm ? 12 : 0)) * 60 + m;
}

/* A window's minutes [start, end), its tokens; start -1 when unreadable. */
typedef struct window {
    int start, end;
    int64_t start_tok, end_tok;
    bool start_ambiguous, end_ambiguous;
    uint64_t delay; /* retry_delay_seconds, 0 when unreadable */
} window;

static window read_window(const campval__doc *d, uint32_t w)
{
    window r = {-1, -1, -1, -1, false, false, 0};
    char buf[16];
    r.start_tok = member(d, w, "calling_window_start_time");
    r.end_tok = member(d, w, "calling_window_end_time");
    size_t n = short_string(d, r.start_tok, buf, sizeof buf);
    r.start = n ? campval__time_of_day(buf, n, &r.start_ambiguous) : -1;
    n = short_string(d, r.end_tok, buf, sizeof buf);
    r.end = n ? campval__time_of_day(buf, n, &r.end_ambiguous) : -1;
    int64_t delay = member(d, w, "retry_delay_seconds");
    if (is_type(d, delay, CAMPVAL__T_PRIMITIVE)) {
        campval__str s = str_of(d, (uint32_t)delay);
        uint64_t v = 0;
        size_t i = 0;
        for (; i < s.len && s.raw[i] >= '0' && s.raw[i] <= '9' && v < (1ull << 40); i++)
            v = v * 10 + (uint64_t)(s.raw[i] - '0');
        r.delay = i == s.len ? v : 0;
    }
    if (r.start < 0 || r.end < 0)
        r.start = r.end = -1;
    return r;
}

static int64_t windows_of(const campval__doc *d, uint32_t t)
{
    int64_t w = member(d, member(d, t, "call_retry_config"), "calling_windows");
    return is_type(d, w, CAMPVAL__T_ARRAY) ? w : -1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A window that does not end after it starts, windows that overlap, and 12am/12pm. */
static int calling_windows(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = windows_of(d, t);
    if (arr < 0)
        return 1;
    int ok = 1;
    uint32_t n = 0;
    uint64_t *sorted = (uint64_t *)(void *)p->ws->slots; /* slot_count / 2 >= max_tokens */
    EACH_ITEM(d, arr, i, k) {
        window w = read_window(d, k);
        if (!campval__spend(p->ws, 2))
            return -1;
        if (w.start_ambiguous || w.end_ambiguous) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_WINDOW_AMBIGUOUS,
                           (uint32_t)(w.start_ambiguous ? w.start_tok : w.end_tok), -1))
                return 0;
        }
        if (w.start < 0)
            continue;
        if (w.start >= w.end) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_WINDOW_ORDER, (uint32_t)w.end_tok,
                           (int32_t)w.start_tok))
                return 0;
            continue;
        }
        sorted[n++] = (uint64_t)w.start << 42 | (uint64_t)w.end << 31 | k;
    }
    if (!campval__spend(p->ws, (uint64_t)n * 2))
        return -1;
    qsort(sorted, n, sizeof *sorted, cmp_u64);
    /* Sorted by start: a window overlaps an earlier one when it starts before the latest end so
     * far; it is reported naming the window that reaches furthest. */
    uint64_t reach = 0, reach_tok = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t start = sorted[i] >> 42, end = (sorted[i] >> 31) & 0x7FF;
        uint32_t k = (uint32_t)(sorted[i] & 0x7FFFFFFF);
        if (i > 0 && start < reach) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_WINDOW_OVERLAP, k, (int32_t)reach_tok))
                return 0;
        }
        if (end > reach)
            reach = end, reach_tok = k;
    }
    return ok;
}

/* ---- x-retry-budget ------------------------------------------------------------------------ */

#define WEEK (7 * 1440)
#define MAX_SIM_WINDOWS 32 /* more windows than this: the budget is not simulated */

typedef struct plan {
    window w[MAX_SIM_WINDOWS];
    uint32_t nw;
    uint8_t days; /* bit per day, 0 = monday */
    bool twice;
} plan;

/* The first moment at or after minute m (counted from a Monday 00:00) inside a window on an
 * allowed day, and that window; -1 when there is none within two weeks. */
static int64_t next_slot(const plan *pl, int64_t m, uint32_t *win)
{
    int64_t best = -1;
    for (uint32_t i = 0; i < pl->nw; i++) {
        for (int64_t day = m / 1440; day <= m / 1440 + 8; day++) {
            if (!(pl->days >> (day % 7) & 1))
                continue;
            int64_t s = day * 1440 + pl->w[i].start, e = day * 1440 + pl->w[i].end;
            if (e <= m)
                continue;
            int64_t at = s > m ? s : m;
            if (best < 0 || at < best)
                best = at, *win = i;
            break;
        }
    }
    return best;
}

static const char *const DAYS[7] = {"monday", "tuesday", "wednesday", "thursday",
                                    "friday", "saturday", "sunday"};

/* The most calls one person gets in any 24 hours and any 7 days: every first call at a window
 * start is tried, each later attempt after its window's retry delay, moved into the next
 * window when it falls outside one; call_twice_in_a_row makes attempt 2 immediate. */
static void most_calls(const plan *pl, uint64_t attempts, uint32_t *day_max, uint32_t *week_max)
{
    int64_t at[64];
    *day_max = *week_max = 0;
    uint32_t cap = attempts < 64 ? (uint32_t)attempts : 64;
    for (int day = 0; day < 7; day++) {
        if (!(pl->days >> day & 1))
            continue;
        for (uint32_t s = 0; s < pl->nw; s++) {
            uint32_t win = s, n = 0;
            int64_t m = (int64_t)day * 1440 + pl->w[s].start;
            while (n < cap && m >= 0) {
                at[n++] = m;
                uint64_t delay = (n == 1 && pl->twice) ? 0 : (pl->w[win].delay + 59) / 60;
                if (delay > 4 * WEEK)
                    break;
                m = next_slot(pl, m + (int64_t)delay + (delay == 0 ? 0 : 0), &win);
            }
            for (uint32_t a = 0, b = 0, c = 0; a < n; a++) {
                while (b < n && at[b] < at[a] + 1440)
                    b++;
                while (c < n && at[c] < at[a] + WEEK)
                    c++;
                if (b - a > *day_max)
                    *day_max = b - a;
                if (c - a > *week_max)
                    *week_max = c - a;
            }
        }
    }
}

static bool read_plan(const campval__doc *d, int64_t cfg, plan *pl)
{
    memset(pl, 0, sizeof *pl);
    int64_t days = member(d, cfg, "allowed_days"), wins = member(d, cfg, "calling_windows");
    if (!is_type(d, days, CAMPVAL__T_ARRAY) || !is_type(d, wins, CAMPVAL__T_ARRAY) ||
        d->tok[wins].size > MAX_SIM_WINDOWS)
        return false;
    EACH_ITEM(d, days, i, k) {
        char buf[12];
        size_t n = short_string(d, k, buf, sizeof buf - 1);
        buf[n] = 0;
        for (int day = 0; day < 7; day++)
            if (n && strcmp(buf, DAYS[day]) == 0)
                pl->days |= (uint8_t)(1u << day);
    }
    EACH_ITEM(d, wins, i, k) {
        window w = read_window(d, k);
        if (w.start >= 0 && w.start < w.end && w.delay > 0)
            pl->w[pl->nw++] = w;
    }
    int64_t twice = member(d, cfg, "call_twice_in_a_row");
    pl->twice = is_type(d, twice, CAMPVAL__T_PRIMITIVE) && d->text[d->tok[twice].start] == 't';
    return pl->days != 0 && pl->nw > 0;
}

static uint64_t attempts_of(const campval__doc *d, int64_t t)
{
    if (!is_type(d, t, CAMPVAL__T_PRIMITIVE))
        return 0;
    campval__str s = str_of(d, (uint32_t)t);
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.raw[i] < '0' || s.raw[i] > '9')
            return 0;
        v = v < (1ull << 40) ? v * 10 + (uint64_t)(s.raw[i] - '0') : v;
    }
    return v;
}

static int retry_budget(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t cfg = member(d, t, "call_retry_config");
    int64_t att = member(d, cfg, "max_retry_attempts");
    uint64_t attempts = attempts_of(d, att);
    plan pl;
    if (attempts == 0 || !read_plan(d, cfg, &pl))
        return 1;
    if (!campval__spend(p->ws, 7ull * pl.nw * 64 * pl.nw))
        return -1;
    uint32_t day_max, week_max;
    most_calls(&pl, attempts, &day_max, &week_max);
    if (day_max <= p->kw->u.pf.a && week_max <= p->kw->u.pf.b)
        return 1;
    p->report(p->ctx, CAMPVAL_RETRY_BUDGET, (uint32_t)att, (int32_t)(day_max << 16 | week_max));
    return 0;
}

/* ---- x-prompt-variables ---------------------------------------------------------------------- */

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
        /* plain ASCII, the usual value: blank, template and control in one pass */
        bool filled = false, opened = false, closed = false, control = false;
        for (size_t i = 0; i < s.len; i++) {
            unsigned char c = (unsigned char)s.raw[i];
            filled |= c != ' ' && c != '\t' && c != '\n' && c != '\r';
            control |= c < 0x20 || c == 0x7F;
            if (i + 1 < s.len && c == s.raw[i + 1] && (c == '{' || c == '}')) {
                closed |= opened && c == '}';
                opened |= c == '{';
            }
        }
        code = !filled ? CAMPVAL_PROMPT_BLANK
               : closed ? CAMPVAL_PROMPT_TEMPLATE
               : control ? CAMPVAL_PROMPT_CONTROL
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
static int prompt_variables(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = contacts_of(p, t);
    if (arr < 0)
        return 1;
    int ok = 1;
    uint32_t names = 0, contacts = (uint32_t)d->tok[arr].size;
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
    if (contacts < 3 || names == 0)
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

/* ---- dispatch and messages ----------------------------------------------------------------- */

int campval__preflight_run(const campval__pf *pf, uint32_t t)
{
    if (pf->d->tok[t].type != CAMPVAL__T_OBJECT)
        return 1;
    switch ((campval__kwid)pf->kw->id) {
    case KW_x_unique_numbers: return unique_numbers(pf, t);
    case KW_x_caller_not_contact: return caller_not_contact(pf, t);
    case KW_x_max_contacts: return max_contacts(pf, t);
    case KW_x_calling_windows: return calling_windows(pf, t);
    case KW_x_retry_budget: return retry_budget(pf, t);
    case KW_x_prompt_variables: return prompt_variables(pf, t);
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
