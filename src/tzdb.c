/*
 * Time zone data: zone names, TZif files (RFC 8536) with their POSIX TZ footer, region -> zones
 * and phone prefix -> zones. The TZif parser treats every byte as hostile: each count is bounded
 * before it is used, each read is checked against the file's length, and a file that breaks any
 * rule leaves its zone unknown instead of half-loaded.
 */
/* open(2), fstat(2), O_CLOEXEC: POSIX.1-2008 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tzdb.h"

#define COUNT_OF(a) (sizeof(a) / sizeof *(a))

/* ---- names ----------------------------------------------------------------------------------- */

static const char *const tz_names[] = {
#include "tz_names.inc"
};

size_t campval__tz_count(void) { return COUNT_OF(tz_names); }

const char *campval__tz_name(int id)
{
    return id >= 0 && (size_t)id < COUNT_OF(tz_names) ? tz_names[id] : NULL;
}

/* Byte order, like the C-locale sort that built the tables. */
static int compare_name(const char *s, size_t len, const char *name)
{
    size_t nlen = strlen(name);
    int c = memcmp(s, name, len < nlen ? len : nlen);
    if (c != 0)
        return c;
    return len < nlen ? -1 : len > nlen;
}

int campval__tz_lookup(const char *name, size_t len)
{
    size_t lo = 0, hi = COUNT_OF(tz_names);
    if (!name || len == 0)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_name(name, len, tz_names[mid]);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* ---- regions and phone prefixes -------------------------------------------------------------- */

struct region_zones {
    char region[3];
    uint16_t first, count;
};
#include "region_zones.inc"

int campval__region_zones(const char region[2], const uint16_t **ids, size_t *n)
{
    size_t lo = 0, hi = COUNT_OF(region_zones);
    *ids = NULL;
    *n = 0;
    while (region && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(region, region_zones[mid].region, 2);
        if (c == 0) {
            *ids = region_zone_ids + region_zones[mid].first;
            *n = region_zones[mid].count;
            return 1;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* Each zone's region (its run in region_zones, + 1; 0 for none) and, for the phone prefixes,
 * the state after their first three digits: both worked out once per process from the static
 * tables, so that the calling-hours check pays a table read instead of a search per number. */
#define PREFIX_INDEX_DIGITS 3
#define PREFIX_INDEX_SIZE 1000 /* 10^PREFIX_INDEX_DIGITS */
static uint16_t zone_region_run[COUNT_OF(tz_names)];
static struct prefix_state {
    uint16_t lo, hi, found; /* found: UINT16_MAX for none */
    uint8_t read;           /* as longest_prefix gives it */
} prefix_index[PREFIX_INDEX_SIZE];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;
static atomic_bool indexes_built; /* set last by build_indexes: later calls skip pthread_once */
static void build_indexes(void);

static void need_indexes(void)
{
    if (!atomic_load_explicit(&indexes_built, memory_order_acquire))
        pthread_once(&index_once, build_indexes);
}

int campval__zone_region(int zone_id, char region[2])
{
    need_indexes();
    if (zone_id < 0 || (size_t)zone_id >= COUNT_OF(zone_region_run) || !zone_region_run[zone_id])
        return 0;
    memcpy(region, region_zones[zone_region_run[zone_id] - 1].region, 2);
    return 1;
}

struct tz_prefix {
    const char *digits;
    uint16_t first, count;
};
#include "tz_prefixes.inc"

/* Entries of [lo, hi) all share the number's first k-1 digits (entries of exactly k-1 digits
 * first); narrows them to those whose digit k-1 is c, each side by one binary search on that
 * one byte (an entry that ends sorts before every digit). */
static void narrow(size_t *lo, size_t *hi, size_t k, char c)
{
    size_t a = *lo, b = *hi;
    while (a < b) { /* first entry whose byte k-1 is >= c */
        size_t mid = a + (b - a) / 2;
        if ((unsigned char)tz_prefixes[mid].digits[k - 1] < (unsigned char)c)
            a = mid + 1;
        else
            b = mid;
    }
    size_t first = a;
    b = *hi;
    /* first entry whose byte k-1 is > c: a short walk, as one digit rarely has more than a few
     * entries once the number's first digits are known; a binary search past 8 */
    while (a < b && a - first < 8 && tz_prefixes[a].digits[k - 1] == c)
        a++;
    if (a < b && a - first == 8)
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if ((unsigned char)tz_prefixes[mid].digits[k - 1] <= (unsigned char)c)
                a = mid + 1;
            else
                b = mid;
        }
    *lo = first;
    *hi = a;
}

/* The longest prefix in one pass: the entries that start with the first k digits form a range
 * inside the one for k-1, and an entry of exactly k digits is its first element. Goes on from
 * digit k (1-based) to max with [lo, hi) and found as left by the digits before. Returns the
 * digits read; *more tells whether entries that go on past them are left (the number ended). */
static size_t longest_prefix(const char *digits, size_t k, size_t max, size_t *lo, size_t *hi,
                             size_t *found, bool *more)
{
    for (; k <= max && *lo < *hi; k++) {
        if (*hi - *lo == 1 && tz_prefixes[*lo].digits[k - 1] == '\0')
            break; /* the one entry left ends here: it is *found, whatever comes next */
        narrow(lo, hi, k, digits[k - 1]);
        if (*lo < *hi && tz_prefixes[*lo].digits[k] == '\0')
            *found = *lo;
    }
    *more = *lo < *hi && (*hi - *lo > 1 || tz_prefixes[*lo].digits[k - 1] != '\0');
    return k - 1;
}

_Static_assert(COUNT_OF(tz_prefixes) < UINT16_MAX, "prefix positions fit prefix_state");
_Static_assert(COUNT_OF(tz_prefix_ids) < UINT16_MAX, "list places fit campval__tz_list_index");
_Static_assert(TZ_PREFIX_LONGEST == CAMPVAL__TZ_PREFIX_DIGITS, "tzdb.h names the longest prefix");
_Static_assert(COUNT_OF(region_zones) < UINT16_MAX, "region runs fit zone_region_run");

/* A prefix state after some digits: what longest_prefix leaves. */
typedef struct prefix_step {
    size_t lo, hi, found, read;
} prefix_step;

/* The state after `level` digits d[0..level-1] from the one after level-1 of them: the search
 * goes on only where it had not stopped (so every state is what one longest_prefix call over
 * the `level` digits gives). */
static prefix_step next_step(prefix_step st, const char *d, size_t level)
{
    if (st.read + 1 < level)
        return st; /* stopped before: the answer and the digits read stay */
    bool more;
    st.read = longest_prefix(d, level, level, &st.lo, &st.hi, &st.found, &more);
    return st;
}

static void build_indexes(void)
{
    /* Each id's first listing: the run of position `at` is the last run whose first is at or
     * before it, counted from the front (runs are scanned as a prefix maximum, so a position
     * before any later run's start stays in the earlier run). */
    enum { NR = COUNT_OF(region_zones) };
    uint16_t reach[NR]; /* reach[j]: the largest first among runs 1..j */
    reach[0] = 0;
    for (size_t j = 1; j < NR; j++)
        reach[j] = region_zones[j].first > reach[j - 1] ? region_zones[j].first : reach[j - 1];
    size_t next = NR; /* the first run j >= 1 with reach[j] > at, NR for none */
    for (size_t at = COUNT_OF(region_zone_ids); at-- > 0;) { /* the first listing wins */
        while (next > 1 && reach[next - 1] > at)
            next--;
        size_t run = next - 1;
        if (region_zone_ids[at] < COUNT_OF(zone_region_run))
            zone_region_run[region_zone_ids[at]] = (uint16_t)(run + 1);
    }
    /* the three-digit states, one digit at a time */
    const prefix_step none = {0, COUNT_OF(tz_prefixes), SIZE_MAX, 0};
    for (int a = 0; a < 10; a++) {
        char d[PREFIX_INDEX_DIGITS] = {(char)('0' + a), 0, 0};
        prefix_step s1 = next_step(none, d, 1);
        for (int b = 0; b < 10; b++) {
            d[1] = (char)('0' + b);
            prefix_step s2 = next_step(s1, d, 2);
            for (int c = 0; c < 10; c++) {
                d[2] = (char)('0' + c);
                prefix_step s3 = next_step(s2, d, 3);
                prefix_index[a * 100 + b * 10 + c] = (struct prefix_state){
                    (uint16_t)s3.lo, (uint16_t)s3.hi,
                    s3.found == SIZE_MAX ? UINT16_MAX : (uint16_t)s3.found, (uint8_t)s3.read};
            }
        }
    }
    atomic_store_explicit(&indexes_built, true, memory_order_release);
}

size_t campval__tz_for_digits(const char *digits, size_t n, const uint16_t **ids, size_t *used)
{
    size_t lo = 0, hi = COUNT_OF(tz_prefixes), found = SIZE_MAX, k = 1;
    size_t max = n < TZ_PREFIX_LONGEST ? n : TZ_PREFIX_LONGEST;
    if (max >= PREFIX_INDEX_DIGITS) { /* the first three digits from the index */
        need_indexes();
        const struct prefix_state *st =
            &prefix_index[(digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0')];
        lo = st->lo, hi = st->hi, k = PREFIX_INDEX_DIGITS + 1;
        found = st->found == UINT16_MAX ? SIZE_MAX : st->found;
        if (st->read < PREFIX_INDEX_DIGITS) /* settled by fewer digits: "33" for France */
            hi = lo, k = st->read + 1u;
    }
    bool more;
    size_t read = longest_prefix(digits, k, max, &lo, &hi, &found, &more);
    /* Entries left that go on past the digits read: the answer holds for this length only. */
    *used = more && read < TZ_PREFIX_LONGEST ? CAMPVAL__TZ_USED_EXACT | read : read;
    *ids = NULL;
    if (found == SIZE_MAX)
        return 0;
    *ids = tz_prefix_ids + tz_prefixes[found].first;
    return tz_prefixes[found].count;
}

size_t campval__tz_list_index(const uint16_t *ids)
{
    return (size_t)(ids - tz_prefix_ids);
}

size_t campval__tz_for_number(const char *e164_digits, size_t n, const uint16_t **ids)
{
    *ids = NULL;
    if (!e164_digits)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (e164_digits[i] < '0' || e164_digits[i] > '9')
            return 0;
    size_t used;
    return campval__tz_for_digits(e164_digits, n, ids, &used);
}

/* ---- calendar -------------------------------------------------------------------------------- */

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int64_t y, int m)
{
    static const unsigned char d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void campval__civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* The year of a day count (inverse of days_from_civil, year only). */
static int64_t year_of_days(int64_t z)
{
    int64_t y;
    int m, d;
    campval__civil_from_days(z, &y, &m, &d);
    return y;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* ---- POSIX TZ strings (the TZif footer) ------------------------------------------------------ */

/* A date rule: Jn (kind 'J', 1..365, February 29 never counted), n (kind 'D', 0..365) or
 * Mm.w.d (kind 'M'); `secs` is the local time of day of the change, -167h..167h (RFC 8536). */
typedef struct tz_rule_date {
    char kind;
    uint8_t month, week, wday;
    uint16_t day;
    int32_t secs;
} tz_rule_date;

typedef struct tz_posix {
    uint8_t present; /* a footer with at least a standard offset */
    uint8_t has_dst;
    int32_t std_off, dst_off; /* UTC offsets, east positive */
    tz_rule_date start, end;
} tz_posix;

typedef struct cursor {
    const char *p, *end;
} cursor;

static int peek(const cursor *c) { return c->p < c->end ? (unsigned char)*c->p : -1; }

/* std/dst name: 3+ letters, or <...> of letters, digits, '+', '-'. */
static int parse_tz_name(cursor *c)
{
    const char *s = c->p;
    if (peek(c) == '<') {
        c->p++;
        while (c->p < c->end && *c->p != '>') {
            char ch = *c->p;
            int alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                        (ch >= '0' && ch <= '9');
            if (!alnum && ch != '+' && ch != '-')
                return 0;
            c->p++;
        }
        if (c->p >= c->end || c->p - s < 4)
            return 0;
        c->p++;
        return 1;
    }
    while (c->p < c->end && ((*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= 'a' && *c->p <= 'z')))
        c->p++;
    return c->p - s >= 3;
}

static int parse_num(cursor *c, int lo, int hi, int *out)
{
    int v = 0, digits = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 4) {
        v = v * 10 + (*c->p - '0');
        c->p++;
        digits++;
    }
    if (digits == 0 || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/* [+-]hh[:mm[:ss]], hours at most max_h; the sign is the string's (POSIX: west positive). */
static int parse_hms(cursor *c, int max_h, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (peek(c) == '+' || peek(c) == '-')
        sign = *c->p++ == '-' ? -1 : 1;
    if (!parse_num(c, 0, max_h, &h))
        return 0;
    if (peek(c) == ':') {
        c->p++;
        if (!parse_num(c, 0, 59, &m))
            return 0;
        if (peek(c) == ':') {
            c->p++;
            if (!parse_num(c, 0, 59, &s))
                return 0;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 1;
}

static int parse_rule_date(cursor *c, tz_rule_date *r)
{
    int v;
    memset(r, 0, sizeof *r);
    if (peek(c) == 'M') {
        int w, d;
        c->p++;
        if (!parse_num(c, 1, 12, &v) || peek(c) != '.')
            return 0;
        c->p++;
        if (!parse_num(c, 1, 5, &w) || peek(c) != '.')
            return 0;
        c->p++;
        if (!parse_num(c, 0, 6, &d))
            return 0;
        r->kind = 'M', r->month = (uint8_t)v, r->week = (uint8_t)w, r->wday = (uint8_t)d;
    } else if (peek(c) == 'J') {
        c->p++;
        if (!parse_num(c, 1, 365, &v))
            return 0;
        r->kind = 'J', r->day = (uint16_t)v;
    } else {
        if (!parse_num(c, 0, 365, &v))
            return 0;
        r->kind = 'D', r->day = (uint16_t)v;
    }
    r->secs = 7200;
    if (peek(c) == '/') {
        c->p++;
        if (!parse_hms(c, 167, &r->secs))
            return 0;
    }
    return 1;
}

/* An empty footer is valid (no rule); otherwise the whole string must parse. */
static int parse_posix(const char *s, size_t n, tz_posix *tz)
{
    cursor c = {s, s + n};
    int32_t off;
    memset(tz, 0, sizeof *tz);
    if (n == 0)
        return 1;
    if (!parse_tz_name(&c) || !parse_hms(&c, 24, &off))
        return 0;
    tz->present = 1;
    tz->std_off = -off;
    if (c.p == c.end)
        return 1;
    if (!parse_tz_name(&c))
        return 0;
    tz->has_dst = 1;
    tz->dst_off = tz->std_off + 3600;
    if (peek(&c) != ',' && c.p < c.end) {
        if (!parse_hms(&c, 24, &off))
            return 0;
        tz->dst_off = -off;
    }
    /* POSIX leaves the default rules to the implementation; TZif footers always have them. */
    if (peek(&c) != ',')
        return 0;
    c.p++;
    if (!parse_rule_date(&c, &tz->start) || peek(&c) != ',')
        return 0;
    c.p++;
    if (!parse_rule_date(&c, &tz->end))
        return 0;
    return c.p == c.end;
}

/* Local day (days since the epoch) a rule names in year y. */
static int64_t rule_day(const tz_rule_date *r, int64_t y)
{
    int64_t jan1 = days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->day - 1 + (is_leap(y) && r->day >= 60);
    if (r->kind == 'D')
        return jan1 + r->day;
    int64_t first = days_from_civil(y, r->month, 1);
    int wd = (int)((first % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
    int64_t d = first + (r->wday - wd + 7) % 7 + 7 * (r->week - 1);
    while (d >= first + month_days(y, r->month))
        d -= 7;
    return d;
}

static int32_t posix_offset(const tz_posix *tz, int64_t t)
{
    if (!tz->has_dst)
        return tz->std_off;
    /* A billion years either way is as far as the calendar arithmetic below goes without
     * overflow; the rule repeats, so the answer there stands for the times beyond. */
    const int64_t far = INT64_C(1) << 55;
    t = t < -far ? -far : t > far ? far : t;
    int64_t y = year_of_days(floor_div(t + tz->std_off, 86400));
    /* The start is given in standard time, the end in daylight time. */
    int64_t start = rule_day(&tz->start, y) * 86400 + tz->start.secs - tz->std_off;
    int64_t end = rule_day(&tz->end, y) * 86400 + tz->end.secs - tz->dst_off;
    int dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? tz->dst_off : tz->std_off;
}

/* ---- the database ---------------------------------------------------------------------------- */

enum { ZONE_UNKNOWN = 0, ZONE_OK = 1 };

typedef struct tz_zone {
    uint32_t first_trans, trans_count; /* into db->trans_at / db->trans_type */
    uint32_t first_type;               /* into db->type_off */
    uint16_t type_count;
    uint8_t status;
    tz_posix footer;
} tz_zone;

struct campval__tzdb {
    campval_allocator alloc;
    size_t bytes;
    size_t zone_count, known;
    const tz_zone *zones;
    const int64_t *trans_at;
    const uint8_t *trans_type; /* index relative to the zone's first_type */
    const int32_t *type_off;
};

/* Bounds for one file: real ones have a few hundred transitions and a dozen types. */
enum { MAX_TRANS = 65536, MAX_TYPES = 256, MAX_FILE = 1 << 20 };

/* Growable arrays used while loading, copied into the one allocation at the end. */
typedef struct builder {
    const campval_allocator *a;
    int64_t *at;
    uint8_t *ty;
    size_t nt, ca, cy;
    int32_t *off;
    size_t no, co;
} builder;

static int grow(const campval_allocator *a, void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 1;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *q = campval__realloc(a, *p, *cap * elem, c * elem);
    if (!q)
        return 0;
    *p = q;
    *cap = c;
    return 1;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

/* The 44-byte header at p (n bytes available). */
static int read_header(const unsigned char *p, size_t n, tzif_counts *c, int *version)
{
    if (n < 44 || memcmp(p, "TZif", 4) != 0)
        return 0;
    *version = p[4];
    c->isut = be32(p + 20), c->isstd = be32(p + 24), c->leap = be32(p + 28);
    c->time = be32(p + 32), c->type = be32(p + 36), c->chars = be32(p + 40);
    if (c->time > MAX_TRANS || c->type == 0 || c->type > MAX_TYPES || c->chars == 0 ||
        c->chars > 65536 || c->leap > 65536 || (c->isut != 0 && c->isut != c->type) ||
        (c->isstd != 0 && c->isstd != c->type))
        return 0;
    return 1;
}

static size_t block_size(const tzif_counts *c, size_t tsize)
{
    return (size_t)c->time * tsize + c->time + (size_t)c->type * 6 + c->chars +
           (size_t)c->leap * (tsize + 4) + c->isstd + c->isut;
}

#define FAIL(msg)                                                                                   \
    do {                                                                                            \
        *why = msg;                                                                                 \
        return 0;                                                                                   \
    } while (0)

/*
 * Parse one TZif file into the builder and describe it in *z. On failure nothing is kept
 * (the builder's counts are unchanged) and *why says what was wrong; 0 is returned. -1 means
 * out of memory.
 */
static int parse_tzif(builder *b, const unsigned char *p, size_t n, tz_zone *z, const char **why)
{
    tzif_counts c1, c2;
    int v1, v2;
    memset(z, 0, sizeof *z);
    if (!read_header(p, n, &c1, &v1))
        FAIL("not a TZif file, or its counts are out of range");
    if (v1 != '2' && v1 != '3' && v1 != '4')
        FAIL("TZif version 1 only (no 64-bit data)");
    size_t skip = 44 + block_size(&c1, 4);
    if (skip > n)
        FAIL("truncated version 1 data");
    p += skip, n -= skip;
    if (!read_header(p, n, &c2, &v2) || v2 != v1)
        FAIL("bad second header");
    size_t body = block_size(&c2, 8);
    if (44 + body > n)
        FAIL("truncated 64-bit data");
    const unsigned char *at = p + 44, *idx = at + (size_t)c2.time * 8,
                        *types = idx + c2.time, *chars = types + (size_t)c2.type * 6;
    const unsigned char *foot = p + 44 + body, *end = p + n;

    /* transitions ascending, each naming an existing type */
    for (uint32_t i = 0; i < c2.time; i++) {
        if (idx[i] >= c2.type)
            FAIL("transition names a type that does not exist");
        if (i > 0 && be64(at + 8 * i) <= be64(at + 8 * (i - 1)))
            FAIL("transitions out of order");
    }
    for (uint32_t i = 0; i < c2.type; i++) {
        int32_t off = (int32_t)be32(types + 6 * i);
        /* RFC 8536: -2^31 is forbidden; real offsets lie within a day either side */
        if (off <= -26 * 3600 || off >= 26 * 3600)
            FAIL("UTC offset out of range");
        if (types[6 * i + 4] > 1 || types[6 * i + 5] >= c2.chars)
            FAIL("bad time type");
    }
    if (chars[c2.chars - 1] != '\0')
        FAIL("abbreviations not NUL-terminated");

    /* footer: "\n" TZ "\n", required from version 2 on (the TZ string may be empty) */
    tz_posix fz;
    if (end - foot < 2 || *foot != '\n')
        FAIL("missing or bad footer");
    const unsigned char *nl = memchr(foot + 1, '\n', (size_t)(end - foot - 1));
    if (!nl || nl + 1 != end)
        FAIL("footer not terminated by a newline, or data after it");
    if (!parse_posix((const char *)foot + 1, (size_t)(nl - foot - 1), &fz))
        FAIL("footer is not a POSIX TZ string");

    if (!grow(b->a, (void **)&b->at, &b->ca, b->nt + c2.time, sizeof *b->at) ||
        !grow(b->a, (void **)&b->ty, &b->cy, b->nt + c2.time, 1) ||
        !grow(b->a, (void **)&b->off, &b->co, b->no + c2.type, sizeof *b->off))
        return -1;
    for (uint32_t i = 0; i < c2.time; i++) {
        b->at[b->nt + i] = be64(at + 8 * i);
        b->ty[b->nt + i] = idx[i];
    }
    for (uint32_t i = 0; i < c2.type; i++)
        b->off[b->no + i] = (int32_t)be32(types + 6 * i);

    z->first_trans = (uint32_t)b->nt;
    z->trans_count = c2.time;
    z->first_type = (uint32_t)b->no;
    z->type_count = (uint16_t)c2.type;
    z->status = ZONE_OK;
    z->footer = fz;
    b->nt += c2.time;
    b->no += c2.type;
    return 1;
}

#undef FAIL

static void set_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, a, b);
}

/* Copy the builder into one allocation: header, transition times, zones, offsets, type
 * indexes, each part aligned for its type. */
static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static campval__tzdb *finish(builder *b, const tz_zone *zones, size_t count, size_t known,
                             const campval_allocator *a)
{
    size_t o_at = align8(sizeof(campval__tzdb)), abytes = b->nt * sizeof(int64_t);
    size_t o_z = align8(o_at + abytes), zbytes = count * sizeof *zones;
    size_t o_off = align8(o_z + zbytes), obytes = b->no * sizeof(int32_t);
    size_t o_ty = o_off + obytes, bytes = o_ty + b->nt;
    unsigned char *mem = campval__malloc(a, bytes);
    if (!mem)
        return NULL;
    campval__tzdb *db = (campval__tzdb *)mem;
    memset(&db->alloc, 0, sizeof db->alloc);
    if (a)
        db->alloc = *a;
    db->bytes = bytes;
    db->zone_count = count;
    db->known = known;
    if (abytes)
        memcpy(mem + o_at, b->at, abytes);
    if (zbytes)
        memcpy(mem + o_z, zones, zbytes);
    if (obytes)
        memcpy(mem + o_off, b->off, obytes);
    if (b->nt)
        memcpy(mem + o_ty, b->ty, b->nt);
    db->trans_at = (const int64_t *)(void *)(mem + o_at);
    db->zones = (const tz_zone *)(void *)(mem + o_z);
    db->type_off = (const int32_t *)(void *)(mem + o_off);
    db->trans_type = mem + o_ty;
    return db;
}

static void builder_free(builder *b)
{
    campval__free(b->a, b->at, b->ca * sizeof *b->at);
    campval__free(b->a, b->ty, b->cy);
    campval__free(b->a, b->off, b->co * sizeof *b->off);
}

campval__tzdb *campval__tzdb_parse_one(const void *buf, size_t len, const campval_allocator *a,
                                       char *err, size_t errlen)
{
    builder b = {a, NULL, NULL, 0, 0, 0, NULL, 0, 0};
    tz_zone z;
    const char *why = "out of memory";
    campval__tzdb *db = NULL;
    int rc = buf ? parse_tzif(&b, buf, len, &z, &why) : 0;
    if (!buf)
        why = "no data";
    if (rc == 1) {
        db = finish(&b, &z, 1, 1, a);
        why = "out of memory";
    } else if (rc < 0) {
        why = "out of memory";
    }
    if (!db)
        set_err(err, errlen, "%s%s", why, "");
    builder_free(&b);
    return db;
}

/* Read a whole regular file of at most MAX_FILE bytes into *buf (grown as needed). Returns its
 * length, -1 when it cannot be read or is too big, -2 when out of memory. */
static long read_file(const campval_allocator *a, int fd, unsigned char **buf, size_t *cap)
{
    size_t n = 0;
    for (;;) {
        if (n == *cap) {
            if (*cap >= MAX_FILE + 1)
                return -1;
            if (!grow(a, (void **)buf, cap, *cap ? *cap * 2 : 16384, 1))
                return -2;
        }
        ssize_t r = read(fd, *buf + n, *cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > MAX_FILE)
            return -1;
    }
    return (long)n;
}

campval__tzdb *campval__tzdb_load_dir(const char *dir, const campval_allocator *a, char *err,
                                      size_t errlen)
{
    enum { N = COUNT_OF(tz_names) };
    builder b = {a, NULL, NULL, 0, 0, 0, NULL, 0, 0};
    tz_zone *zones = NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, known = 0;
    campval__tzdb *db = NULL;
    /* file identity of each loaded zone, so that links share one copy */
    struct ident {
        dev_t dev;
        ino_t ino;
    } *ids = NULL;
    int oom = 0;

    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    zones = campval__malloc(a, N * sizeof *zones);
    ids = campval__malloc(a, N * sizeof *ids);
    if (!zones || !ids) {
        oom = 1;
        goto out;
    }
    memset(zones, 0, N * sizeof *zones);
    for (size_t i = 0; i < N && !oom; i++) {
        char path[4096];
        int len = snprintf(path, sizeof path, "%s/%s", dir, tz_names[i]);
        if (len < 0 || (size_t)len >= sizeof path)
            continue;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
            close(fd);
            continue;
        }
        ids[i].dev = st.st_dev;
        ids[i].ino = st.st_ino;
        size_t same = i;
        for (size_t j = 0; j < i; j++)
            if (zones[j].status == ZONE_OK && ids[j].dev == st.st_dev && ids[j].ino == st.st_ino) {
                same = j;
                break;
            }
        if (same != i) {
            close(fd);
            zones[i] = zones[same];
            known++;
            continue;
        }
        long n = read_file(a, fd, &buf, &cap);
        close(fd);
        if (n == -2)
            oom = 1;
        if (n < 0)
            continue;
        const char *why;
        int rc = parse_tzif(&b, buf, (size_t)n, &zones[i], &why);
        if (rc < 0)
            oom = 1;
        else if (rc > 0)
            known++;
    }
    if (oom)
        goto out;
    if (known == 0) {
        set_err(err, errlen, "no time zone data could be read from %s%s", dir, "");
        goto out;
    }
    db = finish(&b, zones, N, known, a);
    oom = !db;
out:
    if (oom)
        set_err(err, errlen, "out of memory%s%s", "", "");
    campval__free(a, zones, N * sizeof *zones);
    campval__free(a, ids, N * sizeof *ids);
    campval__free(a, buf, cap);
    builder_free(&b);
    return db;
}

campval__tzdb *campval__tzdb_load(const campval_allocator *a, char *err, size_t errlen)
{
    return campval__tzdb_load_dir(getenv("TZDIR"), a, err, errlen);
}

void campval__tzdb_free(campval__tzdb *db)
{
    if (!db)
        return;
    campval_allocator a = db->alloc;
    campval__free(a.malloc ? &a : NULL, db, db->bytes);
}

size_t campval__tzdb_known(const campval__tzdb *db) { return db ? db->known : 0; }

size_t campval__tzdb_memory(const campval__tzdb *db) { return db ? db->bytes : 0; }

int32_t campval__tzdb_utc_offset_span(const campval__tzdb *db, int zone_id, int64_t utc_seconds,
                                      int64_t *from, int64_t *until)
{
    *from = INT64_MIN, *until = INT64_MAX;
    if (!db || zone_id < 0 || (size_t)zone_id >= db->zone_count)
        return CAMPVAL__TZ_UNKNOWN;
    const tz_zone *z = &db->zones[zone_id];
    if (z->status != ZONE_OK)
        return CAMPVAL__TZ_UNKNOWN;
    const int64_t *at = db->trans_at + z->first_trans;
    size_t n = z->trans_count;
    /* RFC 8536 3.3: the footer covers the times after the last transition, or all times when
     * there is none; without a footer the last type stays in force. Before the first
     * transition, the first type. */
    if (n == 0 || utc_seconds > at[n - 1]) {
        if (n)
            *from = at[n - 1] + 1;
        if (z->footer.present && z->footer.has_dst) {
            *from = *until = utc_seconds; /* the rule's changes are not worked out here */
            return posix_offset(&z->footer, utc_seconds);
        }
        if (z->footer.present)
            return posix_offset(&z->footer, utc_seconds); /* the standard offset */
        return db->type_off[z->first_type + (n ? db->trans_type[z->first_trans + n - 1] : 0)];
    }
    if (utc_seconds < at[0]) {
        *until = at[0] - 1;
        return db->type_off[z->first_type];
    }
    size_t lo = 0, hi = n; /* at[lo] <= t, and t < at[hi] when hi < n */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (at[mid] <= utc_seconds)
            lo = mid;
        else
            hi = mid;
    }
    /* at[n - 1] itself is the table's; the footer takes over after it */
    *from = at[lo];
    *until = lo + 1 < n ? at[lo + 1] - 1 : at[lo];
    return db->type_off[z->first_type + db->trans_type[z->first_trans + lo]];
}

int32_t campval__tzdb_utc_offset(const campval__tzdb *db, int zone_id, int64_t utc_seconds)
{
    int64_t from, until;
    return campval__tzdb_utc_offset_span(db, zone_id, utc_seconds, &from, &until);
}

/* campval__tzdb_utc_offset for one zone, the last answer kept for the interval it holds over. */
typedef struct offset_memo {
    const campval__tzdb *db;
    int zone;
    bool known;
    int32_t off;
    int64_t from, until;
} offset_memo;

static int32_t memo_offset(offset_memo *m, int64_t t)
{
    if (!m->known || t < m->from || t > m->until) {
        m->off = campval__tzdb_utc_offset_span(m->db, m->zone, t, &m->from, &m->until);
        m->known = true;
    }
    return m->off;
}

/* The first instant in (lo, hi] whose offset is not `before` (one transition in between). */
static int64_t find_transition(offset_memo *m, int64_t lo, int64_t hi, int32_t before)
{
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (memo_offset(m, mid) == before)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

int campval__tzdb_local_to_utc(const campval__tzdb *db, int zone_id, int year, int month, int day,
                               int minute_of_day, int prefer, int64_t *utc)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > month_days(year, month) || minute_of_day < 0 || minute_of_day >= 1440)
        return CAMPVAL__TZ_ERROR;
    int64_t local = days_from_civil(year, month, day) * 86400 + (int64_t)minute_of_day * 60;
    offset_memo m = {db, zone_id, false, 0, 0, 0}; /* the six look-ups mostly share one interval */
    int32_t before = memo_offset(&m, local - 36 * 3600);
    int32_t after = memo_offset(&m, local + 36 * 3600);
    int32_t mid = memo_offset(&m, local);
    if (before == CAMPVAL__TZ_UNKNOWN || after == CAMPVAL__TZ_UNKNOWN || mid == CAMPVAL__TZ_UNKNOWN)
        return CAMPVAL__TZ_ERROR;
    const int32_t cand[3] = {before, mid, after};
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    int found = 0;
    for (int i = 0; i < 3; i++) {
        int64_t u = local - cand[i];
        if (memo_offset(&m, u) == cand[i]) {
            lo = u < lo ? u : lo;
            hi = u > hi ? u : hi;
            found = 1;
        }
    }
    if (found) {
        *utc = lo == hi || prefer != CAMPVAL__TZ_LATER ? lo : hi;
        return lo == hi ? CAMPVAL__TZ_EXACT : CAMPVAL__TZ_OVERLAP;
    }
    /* No instant shows this wall time: clocks jumped over it, from `before` to a larger offset.
     * The jump lies between the instants this wall time would have on either offset. */
    if (after <= before)
        return CAMPVAL__TZ_ERROR;
    *utc = find_transition(&m, local - after - 1, local - before, before);
    return CAMPVAL__TZ_GAP;
}
