/*
 * x-calling-hours: is every calling window, on every allowed day of the week the campaign runs,
 * inside the legal calling hours of each contact's region, in the contact's local time?
 *
 * - The contact's zones are those libphonenumber's prefix map gives its number (generated into
 *   src/tz_prefixes.inc: no libphonenumber call, so builds without it have the check too). Every
 *   one of them must be legal, each under the hours of its own region (tzdata's zone.tab), so a
 *   number whose prefix spans the US and Canada answers to both laws.
 * - Windows are read in call_retry_config.timezone when it is set (the API then uses it instead
 *   of detecting a zone) and converted to each contact zone for that date, DST included; without
 *   it they are the contact's own local times.
 * - The week is the seven days from campval_preflight.at (default: now), so DST is the one those
 *   dates have. A window that crosses local midnight is checked against both days' hours.
 * - One finding per contact: the first window and day that are not legal.
 * Contacts whose numbers share a zone list share one verdict, cached on the stack; so do zones
 * that several lists share, and numbers that share the digits which decided their zones.
 */
#include <string.h>
#include <time.h>

#include "keywords.h"
#include "preflight_int.h"
#include "tzdb.h"

/* Legal hours the law sets, and the default for everywhere else; rules may add or replace. */
#define ALL_DAYS(a, b)                                                                             \
    {1, 1, 1, 1, 1, 1, 1}, {{{a, b}}, {{a, b}}, {{a, b}}, {{a, b}}, {{a, b}}, {{a, b}}, {{a, b}}}
static const campval__hours PRESETS[] = {
    /* everywhere without a preset: 08:00-21:00, the US federal hours */
    {{'*', '*'}, ALL_DAYS(8 * 60, 21 * 60)},
    /* US: 47 CFR 64.1200(c)(1), 8 a.m. to 9 p.m. local time, every day */
    {{'U', 'S'}, ALL_DAYS(8 * 60, 21 * 60)},
    /* Canada: CRTC Unsolicited Telecommunications Rules, weekdays 09:00-21:30, weekends
     * 10:00-18:00 */
    {{'C', 'A'},
     {1, 1, 1, 1, 1, 1, 1},
     {{{540, 1290}}, {{540, 1290}}, {{540, 1290}}, {{540, 1290}}, {{540, 1290}}, {{600, 1080}},
      {{600, 1080}}}},
    /* France: Décret 2022-1313, weekdays 10:00-13:00 and 14:00-20:00, never at weekends */
    {{'F', 'R'},
     {2, 2, 2, 2, 2, 0, 0},
     {{{600, 780}, {840, 1200}},
      {{600, 780}, {840, 1200}},
      {{600, 780}, {840, 1200}},
      {{600, 780}, {840, 1200}},
      {{600, 780}, {840, 1200}}}},
};

static const char *const DAY_NAMES[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};

static const campval__hours *find(const campval__hours *h, size_t n, char a, char b)
{
    for (size_t i = 0; i < n; i++)
        if (h[i].region[0] == a && h[i].region[1] == b)
            return &h[i];
    return NULL;
}

/* The rules' entry for the region, then the law's, then the rules' default, then ours. */
static const campval__hours *hours_for(const campval__kw *kw, int32_t region)
{
    const campval__hours *rules = kw->u.pf.data;
    size_t n = rules ? kw->u.pf.count : 0, np = sizeof PRESETS / sizeof *PRESETS;
    char a = (char)(region >> 8), b = (char)(region & 0xFF);
    const campval__hours *h = region ? find(rules, n, a, b) : NULL;
    if (!h && region)
        h = find(PRESETS, np, a, b);
    if (!h)
        h = find(rules, n, '*', '*');
    return h ? h : &PRESETS[0];
}

/* ---- dates --------------------------------------------------------------------------------- */

/* The date of a day count since 1970-01-01. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t year;
    campval__civil_from_days(z, &year, m, d);
    *y = (int)year;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    if (a >= 0 && b > 0) /* the times since 1970 this check sees */
        return a / b;
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* 0 = Monday; 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
    if (days >= 0)
        return (int)((days + 3) % 7);
    return (int)((days % 7 + 7 + 3) % 7);
}

/* The first day of the campaign's week. */
static int64_t first_day(const campval_workspace *ws)
{
    int64_t at = ws->pf.at ? ws->pf.at : (int64_t)time(NULL);
    return floor_div(at, 86400);
}

/* The date of weekday wd in the week starting at day0. */
static int64_t date_of(int64_t day0, int wd)
{
    return day0 + ((wd - weekday(day0)) % 7 + 7) % 7;
}

/* ---- reading the campaign ------------------------------------------------------------------ */

#define MAX_WINDOWS 64 /* more windows than this: only the first ones are checked */

typedef struct schedule {
    int ct;          /* call_retry_config.timezone as a zone id, -1 for the contact's own */
    uint8_t days;    /* allowed weekdays, bit 0 = Monday */
    uint32_t nw;
    int start[MAX_WINDOWS], end[MAX_WINDOWS];
    uint16_t index[MAX_WINDOWS]; /* the window's index in calling_windows */
    /* With a campaign zone: each window's UTC start and end on each weekday's date, worked
     * out once for every contact (0 not yet, 1 known, 2 no answer). */
    uint8_t utc_known[7][MAX_WINDOWS];
    int64_t utc_start[7][MAX_WINDOWS], utc_end[7][MAX_WINDOWS];
} schedule;

/* The lengths of campval__day_keys. */
static const uint8_t DAY_KEY_LEN[7] = {6, 7, 9, 8, 6, 8, 6};

static bool read_schedule(const campval__doc *d, uint32_t t, schedule *sc)
{
    /* Only what is read before it is written is cleared: the whole struct is 8 KB, and
     * clearing it was a third of a one-contact validation. */
    sc->days = 0;
    sc->nw = 0;
    int64_t cfg = member(d, t, "call_retry_config");
    if (cfg < 0 || d->tok[cfg].type != CAMPVAL__T_OBJECT)
        return false; /* the assistant's own config applies: campval cannot see it */
    char buf[64];
    size_t n = short_string(d, member(d, cfg, "timezone"), buf, sizeof buf);
    sc->ct = n ? campval__tz_lookup(buf, n) : -1;
    if (sc->ct >= 0) /* the UTC windows are only for a campaign zone */
        memset(sc->utc_known, 0, sizeof sc->utc_known);
    int64_t days = member(d, cfg, "allowed_days");
    if (days >= 0 && d->tok[days].type == CAMPVAL__T_ARRAY) {
        uint32_t k = (uint32_t)days + 1;
        for (int i = 0; i < d->tok[days].size; i++, k = d->next[k]) {
            n = short_string(d, k, buf, 12);
            for (int wd = 0; wd < 7; wd++)
                if (n == DAY_KEY_LEN[wd] && memcmp(buf, campval__day_keys[wd], n) == 0)
                    sc->days |= (uint8_t)(1u << wd);
        }
    } else {
        sc->days = 0x1F; /* the API's default: Monday through Friday */
    }
    int64_t wins = member(d, cfg, "calling_windows");
    if (wins < 0 || d->tok[wins].type != CAMPVAL__T_ARRAY)
        return false;
    uint32_t k = (uint32_t)wins + 1;
    for (int i = 0; i < d->tok[wins].size && sc->nw < MAX_WINDOWS; i++, k = d->next[k]) {
        bool amb;
        char a[16], b[16];
        size_t an = short_string(d, member(d, k, "calling_window_start_time"), a, sizeof a);
        size_t bn = short_string(d, member(d, k, "calling_window_end_time"), b, sizeof b);
        int s = an ? campval__time_of_day(a, an, &amb) : -1;
        int e = bn ? campval__time_of_day(b, bn, &amb) : -1;
        if (s < 0 || e <= s)
            continue; /* x-calling-windows and the formats report these */
        sc->start[sc->nw] = s;
        sc->end[sc->nw] = e;
        sc->index[sc->nw++] = (uint16_t)i;
    }
    return sc->days != 0 && sc->nw > 0;
}

/* ---- the check ----------------------------------------------------------------------------- */

/* The UTC offset of one zone, the last answer kept for the interval it holds over. */
typedef struct zone_offset {
    int64_t from, until; /* until < from: nothing kept */
    int32_t off;
} zone_offset;

static int32_t offset_at(const campval__tzdb *db, int z, zone_offset *zo, int64_t t)
{
    if (t < zo->from || t > zo->until)
        zo->off = campval__tzdb_utc_offset_span(db, z, t, &zo->from, &zo->until);
    return zo->off;
}

/* With a campaign zone: whether window w on date day (weekday wd) has UTC bounds, worked out
 * once per validation into sc. */
static bool utc_window(const campval__tzdb *db, schedule *sc, uint32_t w, int64_t day, int wd)
{
    if (sc->utc_known[wd][w] == 0) {
        int y, m, d;
        civil_from_days(day, &y, &m, &d);
        bool ok = campval__tzdb_local_to_utc(db, sc->ct, y, m, d, sc->start[w], CAMPVAL__TZ_LATER,
                                             &sc->utc_start[wd][w]) >= 0 &&
                  campval__tzdb_local_to_utc(db, sc->ct, y, m, d, sc->end[w],
                                             CAMPVAL__TZ_EARLIER, &sc->utc_end[wd][w]) >= 0;
        sc->utc_known[wd][w] = ok ? 1 : 2;
    }
    return sc->utc_known[wd][w] == 1;
}

/* Local time [*ls, *le) in minutes since 1970-01-01 local, in zone z, of window w on date day
 * (weekday wd). */
static bool local_window(const campval__tzdb *db, schedule *sc, uint32_t w, int64_t day, int wd,
                         int z, zone_offset *zo, int64_t *ls, int64_t *le)
{
    if (sc->ct < 0) {
        *ls = day * 1440 + sc->start[w];
        *le = day * 1440 + sc->end[w];
        return true;
    }
    if (!utc_window(db, sc, w, day, wd))
        return false;
    int64_t us = sc->utc_start[wd][w], ue = sc->utc_end[wd][w];
    int32_t os = offset_at(db, z, zo, us), oe = offset_at(db, z, zo, ue);
    if (os == CAMPVAL__TZ_UNKNOWN || oe == CAMPVAL__TZ_UNKNOWN || ue <= us)
        return false;
    *ls = floor_div(us + os, 60);
    *le = floor_div(ue + oe + 59, 60);
    return true;
}

/* [ls, le) inside the legal hours, day by day. */
static bool legal(const campval__hours *h, int64_t ls, int64_t le)
{
    while (ls < le) {
        int64_t day = floor_div(ls, 1440);
        int wd = weekday(day);
        int64_t a = ls - day * 1440, b = (le < (day + 1) * 1440 ? le : (day + 1) * 1440) - day * 1440;
        bool in = false;
        for (int i = 0; i < h->count[wd] && !in; i++)
            in = a >= h->iv[wd][i][0] && b <= h->iv[wd][i][1];
        if (!in)
            return false;
        ls = (day + 1) * 1440;
    }
    return true;
}

/* The region of a zone as packed letters, 0 for none. */
static int32_t zone_region(int z)
{
    char r[2];
    return campval__zone_region(z, r) ? (unsigned char)r[0] << 8 | (unsigned char)r[1] : 0;
}

/* What the zone verdicts of one validation share: the week's dates and, since a zone's verdict
 * depends only on its region's hours and on its UTC offsets at the windows' bounds, the verdicts
 * of zones whose offset is the same all week (any zone when windows are in the contact's own
 * time) by hours and offset. */
#define HOURS_MEMO_SIZE 16
typedef struct week {
    int64_t days[7]; /* the date of each weekday */
    int8_t bounds;   /* with a campaign zone: 0 not worked out, 1 first and last known, -1 no
                      * window has UTC bounds */
    int64_t first, last; /* the earliest UTC start and latest end of the windows */
    uint32_t nmemo;
    struct {
        const campval__hours *h;
        int32_t off;
        int32_t aux; /* the verdict without its zone (below 16 bits), or -1 */
    } memo[HOURS_MEMO_SIZE];
} week;

static void week_init(week *wk, int64_t day0)
{
    wk->nmemo = 0;
    wk->bounds = 0;
    for (int wd = 0; wd < 7; wd++)
        wk->days[wd] = date_of(day0, wd);
}

/* With a campaign zone, the bounds of every window on every allowed day (worked out when the
 * first zone needs them: a validation without contacts does not pay for them). */
static void week_bounds(week *wk, const campval__tzdb *db, schedule *sc)
{
    wk->first = INT64_MAX, wk->last = INT64_MIN;
    for (int wd = 0; wd < 7; wd++) {
        if (!(sc->days >> wd & 1))
            continue;
        for (uint32_t w = 0; w < sc->nw; w++)
            if (utc_window(db, sc, w, wk->days[wd], wd)) {
                wk->first = sc->utc_start[wd][w] < wk->first ? sc->utc_start[wd][w] : wk->first;
                wk->last = sc->utc_end[wd][w] > wk->last ? sc->utc_end[wd][w] : wk->last;
            }
    }
    wk->bounds = wk->first <= wk->last ? 1 : -1;
}

/* -1 when every window is legal in zone z under its region's hours, else the finding's aux
 * for the first window and day that is not, as verdict() gives it. */
static int32_t zone_verdict(const campval__pf *p, schedule *sc, int z, week *wk)
{
    const campval__tzdb *db = p->s->tzdb;
    const campval__hours *h = hours_for(p->kw, zone_region(z));
    zone_offset zo = {1, 0, 0};
    bool same = sc->ct < 0; /* the offset does not matter */
    if (!same) {
        if (wk->bounds == 0)
            week_bounds(wk, db, sc);
        if (wk->bounds > 0) {
            zo.off = campval__tzdb_utc_offset_span(db, z, wk->first, &zo.from, &zo.until);
            same = zo.off != CAMPVAL__TZ_UNKNOWN && zo.until >= wk->last;
        }
    }
    int32_t off = sc->ct < 0 ? 0 : zo.off;
    for (uint32_t i = 0; same && i < wk->nmemo; i++)
        if (wk->memo[i].h == h && wk->memo[i].off == off)
            return wk->memo[i].aux < 0 ? -1 : wk->memo[i].aux | z;
    int32_t aux = -1;
    for (int wd = 0; wd < 7 && aux < 0; wd++) {
        if (!(sc->days >> wd & 1))
            continue;
        for (uint32_t w = 0; w < sc->nw; w++) {
            int64_t ls, le;
            if (local_window(db, sc, w, wk->days[wd], wd, z, &zo, &ls, &le) && !legal(h, ls, le)) {
                aux = (int32_t)(w << 19 | (uint32_t)wd << 16); /* w's place in sc, below 64 */
                break;
            }
        }
    }
    if (same && wk->nmemo < HOURS_MEMO_SIZE) {
        wk->memo[wk->nmemo].h = h;
        wk->memo[wk->nmemo].off = off;
        wk->memo[wk->nmemo++].aux = aux;
    }
    return aux < 0 ? -1 : aux | z;
}

/* Zone verdicts already worked out in this validation, by zone id. */
#define ZONE_MEMO_SIZE 64 /* a power of two */
typedef struct zone_memo {
    uint16_t zone1; /* zone id + 1, 0 empty */
    int32_t aux;
} zone_memo;

/* -1 when every window is legal in every one of these zones (each with its own region's hours),
 * else the finding's aux for the first zone where one is not: the window's place in sc (below
 * MAX_WINDOWS), weekday (3 bits), zone (16 bits). */
static int32_t verdict(const campval__pf *p, schedule *sc, const uint16_t *zones, size_t nz,
                       week *wk, zone_memo *zm)
{
    for (size_t i = 0; i < nz; i++) {
        zone_memo *e = &zm[zones[i] & (ZONE_MEMO_SIZE - 1)];
        if (e->zone1 != zones[i] + 1) {
            e->zone1 = (uint16_t)(zones[i] + 1);
            e->aux = zone_verdict(p, sc, zones[i], wk);
        }
        if (e->aux >= 0)
            return e->aux;
    }
    return -1;
}

typedef struct cache_entry {
    uint16_t list1; /* the zone list's place in the prefix map + 1, 0 empty */
    int32_t aux;
} cache_entry;

#define CACHE_SIZE 256 /* a power of two */

/* Zone lists by the digits that decided them (campval__tz_for_digits's *used), in buckets of two
 * by a hash of those digits. How many digits decided the last number with the same first two
 * is kept too: a number is looked up by that many. */
#define NUMBER_MEMO_BITS 5 /* buckets */
typedef struct number_memo {
    const uint16_t *zones;
    uint64_t key;   /* the first `used` digits' bytes, as first_bytes() keeps them */
    uint64_t mask;  /* first_bytes(~0, used): key == (head & mask) for the first `used` */
    uint8_t used;   /* 0: empty */
    uint8_t exact;  /* the digit count the answer holds for, 0 when any at least `used` */
    uint16_t nz;
    uint16_t list1; /* as in cache_entry */
} number_memo;

/* The first u (1..8) of the 8 bytes in w, as memcpy put them there; the others 0. */
static uint64_t first_bytes(uint64_t w, size_t u)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return u >= 8 ? w : w & ~(~UINT64_C(0) >> (8 * u));
#else
    return u >= 8 ? w : w & ((UINT64_C(1) << (8 * u)) - 1);
#endif
}

/* All 8 bytes in '0'..'9' (no carry crosses a byte once the high nibbles are 3). */
static bool eight_digits(uint64_t w)
{
    const uint64_t hi = UINT64_C(0xF0F0F0F0F0F0F0F0), three = UINT64_C(0x3030303030303030);
    return (w & hi) == three && ((w + UINT64_C(0x0606060606060606)) & hi) == three;
}

/* The contact's number (t) when it is '+' and digits: n bytes at *num, and its first
 * CAMPVAL__TZ_PREFIX_DIGITS digits' bytes (fewer when it has fewer) in *head; else 0. Each
 * number that starts with '+' and has 3 to 16 bytes pays the budget before its digits are
 * read. */
static size_t plus_digits(const campval__pf *p, int64_t t, char *buf, const char **num,
                          uint64_t *head)
{
    _Static_assert(CAMPVAL__TZ_PREFIX_DIGITS == 8, "the head is one 8-byte word");
    const campval__doc *d = p->d;
    if (!is_type(d, t, CAMPVAL__T_STRING))
        return 0;
    campval__str s = str_of(d, (uint32_t)t);
    if (s.len > 16)
        return 0;
    size_t n = s.len;
    const char *c = s.raw;
    if (s.escaped)
        n = campval__str_unescape(s, buf), c = buf;
    if (n < 3 || c[0] != '+' || !campval__spend(p->ws, 4))
        return 0;
    if (n - 1 >= 8) { /* digits 1..8 and the last 8, which overlap: n is at most 16 */
        uint64_t tail;
        memcpy(head, c + 1, 8);
        memcpy(&tail, c + n - 8, 8);
        if (!eight_digits(*head) || !eight_digits(tail))
            return 0; /* not digits: the format reports it */
    } else {
        char b[8] = {0};
        for (size_t j = 1; j < n; j++) {
            if ((unsigned char)c[j] - (unsigned)'0' > 9)
                return 0;
            b[j - 1] = c[j];
        }
        memcpy(head, b, 8);
    }
    *num = c;
    return n;
}

typedef struct numbers {
    number_memo e[2u << NUMBER_MEMO_BITS];
    uint8_t depth[100]; /* by the first two digits: the last *used there, 0 for none */
} numbers;

static number_memo *memo_bucket(numbers *m, uint64_t key)
{
    return &m->e[(key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - NUMBER_MEMO_BITS) << 1];
}

/* The zones of a number of nd digits (campval__tz_for_digits), through the memo; head as
 * plus_digits sets it; *list1 as in cache_entry. */
static size_t number_zones(numbers *m, const char *digits, size_t nd, uint64_t head,
                           const uint16_t **zones, uint16_t *list1)
{
    size_t top = nd < CAMPVAL__TZ_PREFIX_DIGITS ? nd : CAMPVAL__TZ_PREFIX_DIGITS; /* >= 2 */
    uint8_t *depth = &m->depth[(digits[0] - '0') * 10 + (digits[1] - '0')];
    if (*depth) {
        number_memo *b = memo_bucket(m, first_bytes(head, *depth < top ? *depth : top));
        for (int i = 0; i < 2; i++) {
            const number_memo *e = &b[i];
            if (e->used && e->used <= top && e->key == (head & e->mask) &&
                (!e->exact || e->exact == nd)) {
                *zones = e->zones;
                *list1 = e->list1;
                return e->nz;
            }
        }
    }
    size_t used, nz = campval__tz_for_digits(digits, nd, zones, &used);
    size_t u = used & ~(size_t)CAMPVAL__TZ_USED_EXACT;
    *list1 = nz ? (uint16_t)(campval__tz_list_index(*zones) + 1) : 0;
    if (u >= 1 && u <= top) { /* always so */
        number_memo *b = memo_bucket(m, first_bytes(head, u));
        b[1] = b[0]; /* the older of the two goes */
        b->zones = *zones;
        b->nz = (uint16_t)nz;
        b->list1 = *list1;
        b->key = first_bytes(head, u);
        b->mask = first_bytes(~UINT64_C(0), u);
        b->used = (uint8_t)u;
        b->exact = (uint8_t)(used & CAMPVAL__TZ_USED_EXACT ? nd : 0);
        *depth = (uint8_t)u;
    }
    return nz;
}

/* member(d, t, "to_phone_number") for a contact: the object test once, then names compared
 * first by length and 8-byte words. */
static int64_t phone_member(const campval__doc *d, uint32_t t)
{
    static const char name[] = "to_phone_number";
    const size_t len = sizeof name - 1;
    if (d->tok[t].type != CAMPVAL__T_OBJECT)
        return -1;
    uint64_t a, b, x, y;
    memcpy(&a, name, 8);
    memcpy(&b, name + len - 8, 8);
    int64_t found = -1;
    uint32_t k = t + 1;
    for (int m = d->tok[t].size; m > 0; m--, k = d->next[k]) {
        const campval__tok *kt = &d->tok[k];
        if (d->flags[k] & CAMPVAL__F_ESCAPED) {
            if (campval__str_equal_plain(str_of(d, k), name, len))
                found = k + 1;
            continue;
        }
        if ((size_t)(kt->end - kt->start) != len)
            continue;
        memcpy(&x, d->text + kt->start, 8);
        memcpy(&y, d->text + kt->start + len - 8, 8);
        if (x == a && y == b)
            found = k + 1; /* the last of repeated names (allowed duplicates) */
    }
    return found;
}

int campval__calling_hours(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    schedule sc;
    int64_t arr = member(d, t, "contacts");
    if (!p->s->tzdb || arr < 0 || d->tok[arr].type != CAMPVAL__T_ARRAY || !read_schedule(d, t, &sc))
        return 1;
    week wk;
    week_init(&wk, first_day(p->ws));
    /* The verdict cache sized to the contacts (a power of two, at least twice as many, at most
     * CACHE_SIZE): only that much is cleared per validation. Each miss pays the budget for a
     * whole list, even when the zone memo saves the work. */
    uint64_t want = (uint64_t)d->tok[arr].size * 2;
    uint32_t cache_mask = CACHE_SIZE - 1;
    while (cache_mask > 7 && want <= cache_mask / 2 + 1)
        cache_mask >>= 1;
    cache_entry cache[CACHE_SIZE];
    memset(cache, 0, (cache_mask + 1) * sizeof *cache);
    numbers memo;
    memset(&memo, 0, sizeof memo);
    zone_memo zm[ZONE_MEMO_SIZE];
    memset(zm, 0, sizeof zm);
    int ok = 1;
    uint32_t k = (uint32_t)arr + 1;
    for (int i = 0; i < d->tok[arr].size; i++, k = d->next[k]) {
        int64_t num = phone_member(d, k);
        char buf[24];
        const char *c = NULL;
        uint64_t head;
        size_t n = plus_digits(p, num, buf, &c, &head);
        if (n == 0)
            continue;
        const uint16_t *zones;
        uint16_t list1;
        size_t nz = number_zones(&memo, c + 1, n - 1, head, &zones, &list1);
        if (nz == 0)
            continue;
        cache_entry *ce = &cache[((uintptr_t)zones / sizeof *zones) & cache_mask];
        if (ce->list1 != list1) {
            if (!campval__spend(p->ws, 7ull * sc.nw * nz * 4))
                return -1;
            ce->list1 = list1;
            ce->aux = verdict(p, &sc, zones, nz, &wk, zm);
        }
        if (ce->aux < 0)
            continue;
        ok = 0;
        if (!p->report(p->ctx, CAMPVAL_CALLING_HOURS, (uint32_t)num, ce->aux))
            return 0;
    }
    return ok;
}

static void put_minutes(campval__sb *sb, int64_t m)
{
    m = ((m % 1440) + 1440) % 1440;
    campval__sb_printf(sb, "%02d:%02d", (int)(m / 60), (int)(m % 60));
}

void campval__calling_hours_message(campval__sb *sb, const campval_workspace *ws,
                                    const campval__kw *kw, const campval_error *err)
{
    const campval__doc *d = &ws->doc;
    uint32_t aux = (uint32_t)err->aux, w = aux >> 19, wd = aux >> 16 & 7, z = aux & 0xFFFF;
    schedule sc;
    int32_t region = zone_region((int)z);
    /* the campaign: the number's member name, contact, contacts, its name, the object */
    int64_t camp = err->token;
    for (int up = 0; up < 5 && camp >= 0; up++)
        camp = d->tok[camp].parent;
    bool have = camp >= 0 && wd < 7 && read_schedule(d, (uint32_t)camp, &sc);
    int64_t day = date_of(first_day(ws), (int)wd), ls, le;
    zone_offset zo = {1, 0, 0};
    if (!have || w >= sc.nw ||
        !local_window(ws->schema->tzdb, &sc, w, day, (int)wd, (int)z, &zo, &ls, &le)) {
        campval__sb_puts(sb, campval_strerror(err->code));
        return;
    }
    int y, m, dd;
    civil_from_days(day, &y, &m, &dd);
    campval__sb_puts(sb, "called at ");
    put_minutes(sb, ls);
    campval__sb_puts(sb, "-");
    put_minutes(sb, le);
    campval__sb_printf(sb, " local time in %s on %s %04d-%02d-%02d (calling_windows/%u",
                       campval__tz_name((int)z), DAY_NAMES[wd], y, m, dd, sc.index[w]);
    if (sc.ct >= 0)
        campval__sb_printf(sb, " in %s", campval__tz_name(sc.ct));
    campval__sb_puts(sb, "); legal hours");
    if (region)
        campval__sb_printf(sb, " in %c%c", (char)(region >> 8), (char)(region & 0xFF));
    const campval__hours *h = hours_for(kw, region);
    int lwd = weekday(floor_div(ls, 1440));
    campval__sb_printf(sb, " on %s: ", DAY_NAMES[lwd]);
    if (h->count[lwd] == 0)
        campval__sb_puts(sb, "none");
    for (int i = 0; i < h->count[lwd]; i++) {
        campval__sb_puts(sb, i ? ", " : "");
        put_minutes(sb, h->iv[lwd][i][0]);
        campval__sb_puts(sb, "-");
        put_minutes(sb, h->iv[lwd][i][1]);
    }
}
