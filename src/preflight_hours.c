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
 * Contacts whose numbers share a zone list share one verdict, cached on the stack.
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
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* 0 = Monday; 1970-01-01 was a Thursday. */
static int weekday(int64_t days)
{
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

static bool read_schedule(const campval__doc *d, uint32_t t, schedule *sc)
{
    /* Only what is read before it is written is cleared: the whole struct is 8 KB, and
     * clearing it was a third of a one-contact validation. */
    sc->days = 0;
    sc->nw = 0;
    memset(sc->utc_known, 0, sizeof sc->utc_known);
    int64_t cfg = member(d, t, "call_retry_config");
    if (cfg < 0 || d->tok[cfg].type != CAMPVAL__T_OBJECT)
        return false; /* the assistant's own config applies: campval cannot see it */
    char buf[64];
    size_t n = short_string(d, member(d, cfg, "timezone"), buf, sizeof buf);
    sc->ct = n ? campval__tz_lookup(buf, n) : -1;
    int64_t days = member(d, cfg, "allowed_days");
    if (days >= 0 && d->tok[days].type == CAMPVAL__T_ARRAY) {
        uint32_t k = (uint32_t)days + 1;
        for (int i = 0; i < d->tok[days].size; i++, k = d->next[k]) {
            n = short_string(d, k, buf, 12);
            for (int wd = 0; wd < 7; wd++)
                if (n == strlen(campval__day_keys[wd]) && memcmp(buf, campval__day_keys[wd], n) == 0)
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

/* Local time [*ls, *le) in minutes since 1970-01-01 local, in zone z, of window w on date day. */
static bool local_window(const campval__tzdb *db, schedule *sc, uint32_t w, int64_t day, int z,
                         int64_t *ls, int64_t *le)
{
    if (sc->ct < 0) {
        *ls = day * 1440 + sc->start[w];
        *le = day * 1440 + sc->end[w];
        return true;
    }
    int wd = weekday(day);
    if (sc->utc_known[wd][w] == 0) {
        int y, m, d;
        civil_from_days(day, &y, &m, &d);
        bool ok = campval__tzdb_local_to_utc(db, sc->ct, y, m, d, sc->start[w], CAMPVAL__TZ_LATER,
                                             &sc->utc_start[wd][w]) >= 0 &&
                  campval__tzdb_local_to_utc(db, sc->ct, y, m, d, sc->end[w],
                                             CAMPVAL__TZ_EARLIER, &sc->utc_end[wd][w]) >= 0;
        sc->utc_known[wd][w] = ok ? 1 : 2;
    }
    if (sc->utc_known[wd][w] != 1)
        return false;
    int64_t us = sc->utc_start[wd][w], ue = sc->utc_end[wd][w];
    int32_t os = campval__tzdb_utc_offset(db, z, us), oe = campval__tzdb_utc_offset(db, z, ue);
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

/* -1 when every window is legal in every one of these zones (each with its own region's hours),
 * else the finding's aux: the window's place in sc (below MAX_WINDOWS), weekday (3 bits), zone
 * (16 bits). */
static int32_t verdict(const campval__pf *p, schedule *sc, const uint16_t *zones, size_t nz,
                       int64_t day0)
{
    const campval__tzdb *db = p->s->tzdb;
    for (size_t i = 0; i < nz; i++) {
        const campval__hours *h = hours_for(p->kw, zone_region(zones[i]));
        for (int wd = 0; wd < 7; wd++) {
            if (!(sc->days >> wd & 1))
                continue;
            int64_t day = date_of(day0, wd);
            for (uint32_t w = 0; w < sc->nw; w++) {
                int64_t ls, le;
                if (local_window(db, sc, w, day, zones[i], &ls, &le) && !legal(h, ls, le))
                    return (int32_t)(w << 19 | /* the window's place in sc, below 64 */
                                     (uint32_t)wd << 16 | zones[i]);
            }
        }
    }
    return -1;
}

/* The zones of a contact's number from libphonenumber's prefix map (generated into
 * src/tz_prefixes.inc, so no libphonenumber call is made here); 0 when none is known. */
static size_t contact_zones(const char *num, size_t n, const uint16_t **zones)
{
    if (n < 3 || num[0] != '+')
        return 0;
    return campval__tz_for_number(num + 1, n - 1, zones);
}

typedef struct cache_entry {
    const uint16_t *zones;
    int32_t aux;
} cache_entry;

#define CACHE_SIZE 256 /* a power of two */
#define MEMO_BITS 9

typedef struct zone_memo {
    uint64_t head; /* the number's length and first digits, + 1 (0: empty) */
    const uint16_t *zones;
    size_t nz;
} zone_memo;

int campval__calling_hours(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    schedule sc;
    int64_t arr = member(d, t, "contacts");
    if (!p->s->tzdb || arr < 0 || d->tok[arr].type != CAMPVAL__T_ARRAY || !read_schedule(d, t, &sc))
        return 1;
    int64_t day0 = first_day(p->ws);
    /* Both tables sized to the contacts (a power of two, at least twice as many, at most
     * CACHE_SIZE and 1 << MEMO_BITS): only that much is cleared per validation. */
    uint64_t want = (uint64_t)d->tok[arr].size * 2;
    uint32_t cache_mask = CACHE_SIZE - 1, memo_bits = MEMO_BITS;
    while (cache_mask > 7 && want <= cache_mask / 2 + 1)
        cache_mask >>= 1;
    while (memo_bits > 3 && want <= 1u << (memo_bits - 1))
        memo_bits--;
    uint32_t memo_shift = 64 - memo_bits;
    cache_entry cache[CACHE_SIZE];
    memset(cache, 0, (cache_mask + 1) * sizeof *cache);
    zone_memo memo[1u << MEMO_BITS];
    memset(memo, 0, ((size_t)1 << (64 - memo_shift)) * sizeof *memo);
    int ok = 1;
    uint32_t k = (uint32_t)arr + 1;
    for (int i = 0; i < d->tok[arr].size; i++, k = d->next[k]) {
        int64_t num = member(d, k, "to_phone_number");
        char buf[24];
        size_t n = short_string(d, num, buf, 16);
        if (n < 3 || buf[0] != '+' || !campval__spend(p->ws, 4))
            continue;
        size_t j = 1;
        while (j < n && buf[j] >= '0' && buf[j] <= '9')
            j++;
        if (j < n)
            continue; /* not digits: the format reports it, and it must not share a memo entry */
        /* The zones depend on the first CAMPVAL__TZ_PREFIX_DIGITS digits only: remembered by them. */
        uint64_t head = n - 1 < CAMPVAL__TZ_PREFIX_DIGITS ? n - 1 : CAMPVAL__TZ_PREFIX_DIGITS;
        for (j = 1; j <= CAMPVAL__TZ_PREFIX_DIGITS && j < n; j++)
            head = head * 10 + (uint64_t)(buf[j] - '0');
        zone_memo *zm = &memo[(head * 0x9E3779B97F4A7C15ull) >> memo_shift];
        if (zm->head != head + 1) {
            zm->head = head + 1;
            zm->nz = contact_zones(buf, n, &zm->zones);
        }
        const uint16_t *zones = zm->zones;
        size_t nz = zm->nz;
        if (nz == 0)
            continue;
        cache_entry *ce = &cache[((uintptr_t)zones / sizeof *zones) & cache_mask];
        if (ce->zones != zones) {
            if (!campval__spend(p->ws, 7ull * sc.nw * nz * 4))
                return -1;
            ce->zones = zones;
            ce->aux = verdict(p, &sc, zones, nz, day0);
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
    if (!have || w >= sc.nw || !local_window(ws->schema->tzdb, &sc, w, day, (int)z, &ls, &le)) {
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
