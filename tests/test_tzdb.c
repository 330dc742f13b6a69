/* Time zone data (src/tzdb.c): zone names, TZif loading and offsets, local -> UTC, regions and
 * phone prefixes. Needs the system's tzdata (/usr/share/zoneinfo, or $TZDIR). */
#define _DEFAULT_SOURCE /* tm_gmtoff, setenv */

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "tzdb.h"

static campval__tzdb *db;

static void load(void)
{
    char err[256] = "";
    db = campval__tzdb_load(NULL, err, sizeof err);
    cr_assert_not_null(db, "load: %s", err);
}

static void unload(void) { campval__tzdb_free(db); }

static int zone(const char *name)
{
    int id = campval__tz_lookup(name, strlen(name));
    cr_assert_geq(id, 0, "%s is not in tz_names.inc", name);
    return id;
}

static int32_t off(const char *name, int64_t t)
{
    return campval__tzdb_utc_offset(db, zone(name), t);
}

/* 2026-01-15 and 2026-07-15 12:00 UTC; 2040-01-15 and 2040-07-15 12:00 UTC */
#define JAN26 INT64_C(1768478400)
#define JUL26 INT64_C(1784116800)
#define JAN40 INT64_C(2210241600)
#define JUL40 INT64_C(2225966400)

TestSuite(tzdb, .init = load, .fini = unload);

Test(names, lookup_matches_the_table)
{
    cr_expect_gt(campval__tz_count(), 400);
    for (size_t i = 0; i < campval__tz_count(); i++) {
        const char *n = campval__tz_name((int)i);
        cr_assert_eq(campval__tz_lookup(n, strlen(n)), (int)i, "%s", n);
    }
    cr_expect_eq(campval__tz_lookup("America/New_Yor", 15), -1);
    cr_expect_eq(campval__tz_lookup("America/New_YorkX", 17), -1);
    cr_expect_eq(campval__tz_lookup("", 0), -1);
    cr_expect_eq(campval__tz_lookup(NULL, 3), -1);
    cr_expect_eq(campval__tz_lookup("Europe/Kiev", 11) >= 0, 1, "links are names too");
    cr_expect_null(campval__tz_name(-1));
    cr_expect_null(campval__tz_name((int)campval__tz_count()));
}

Test(tzdb, loads_nearly_every_zone)
{
    /* a handful of names in tzdata.zi may lack a compiled file on some systems */
    cr_expect_geq(campval__tzdb_known(db), campval__tz_count() - 10, "%zu of %zu zones",
                  campval__tzdb_known(db), campval__tz_count());
    cr_expect_gt(campval__tzdb_memory(db), 0);
}

Test(tzdb, new_york)
{
    cr_expect_eq(off("America/New_York", JAN26), -18000);
    cr_expect_eq(off("America/New_York", JUL26), -14400);
    /* far past the last transition in the file: the footer EST5EDT,M3.2.0,M11.1.0 */
    cr_expect_eq(off("America/New_York", JAN40), -18000);
    cr_expect_eq(off("America/New_York", JUL40), -14400);
    cr_expect_eq(off("US/Eastern", JUL40), -14400, "a link");
    /* 2026-03-08 07:00 UTC is the change to EDT */
    cr_expect_eq(off("America/New_York", INT64_C(1772953199)), -18000);
    cr_expect_eq(off("America/New_York", INT64_C(1772953200)), -14400);
    /* the ends of time (fuzz_tzif: the footer's arithmetic once overflowed there) */
    int32_t o = off("America/New_York", INT64_MIN);
    cr_expect(o > -6 * 3600 && o < -3 * 3600, "%d", o);
    o = off("America/New_York", INT64_MAX);
    cr_expect(o == -18000 || o == -14400, "%d", o);
}

Test(tzdb, paris_kolkata_lord_howe_tokyo)
{
    cr_expect_eq(off("Europe/Paris", JAN26), 3600);
    cr_expect_eq(off("Europe/Paris", JUL26), 7200);
    cr_expect_eq(off("Europe/Paris", JUL40), 7200);
    cr_expect_eq(off("Asia/Kolkata", JAN26), 19800);
    cr_expect_eq(off("Asia/Kolkata", JUL40), 19800);
    /* 30-minute DST, southern hemisphere: +11 in January, +10:30 in July */
    cr_expect_eq(off("Australia/Lord_Howe", JAN26), 39600);
    cr_expect_eq(off("Australia/Lord_Howe", JUL26), 37800);
    cr_expect_eq(off("Australia/Lord_Howe", JAN40), 39600);
    cr_expect_eq(off("Australia/Lord_Howe", JUL40), 37800);
    /* no DST */
    cr_expect_eq(off("Asia/Tokyo", JAN26), 32400);
    cr_expect_eq(off("Asia/Tokyo", JUL40), 32400);
    cr_expect_eq(off("UTC", JUL40), 0);
}

Test(tzdb, unknown_zone)
{
    cr_expect_eq(campval__tzdb_utc_offset(db, -1, 0), CAMPVAL__TZ_UNKNOWN);
    cr_expect_eq(campval__tzdb_utc_offset(db, (int)campval__tz_count(), 0), CAMPVAL__TZ_UNKNOWN);
    cr_expect_eq(campval__tzdb_utc_offset(NULL, 0, 0), CAMPVAL__TZ_UNKNOWN);
}

/* Every zone agrees with the C library's own reading of the same files (glibc, TZ=:Zone), at
 * instants from 1900 to 2100, including far beyond the last transition. */
Test(tzdb, agrees_with_localtime)
{
    size_t compared = 0;
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    for (size_t i = 0; i < campval__tz_count(); i++) {
        int32_t first = campval__tzdb_utc_offset(db, (int)i, 0);
        if (first == CAMPVAL__TZ_UNKNOWN)
            continue;
        char tz[300];
        snprintf(tz, sizeof tz, ":%s", campval__tz_name((int)i));
        setenv("TZ", tz, 1);
        tzset();
        for (int64_t t = INT64_C(-2208988800); t < INT64_C(4102444800); t += 86400 * 61 + 3607) {
            time_t tt = (time_t)t;
            struct tm tm;
            cr_assert_not_null(localtime_r(&tt, &tm));
            int32_t got = campval__tzdb_utc_offset(db, (int)i, t);
            cr_assert_eq(got, (int32_t)tm.tm_gmtoff, "%s at %lld: %d, libc %ld",
                         campval__tz_name((int)i), (long long)t, got, tm.tm_gmtoff);
            compared++;
        }
    }
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
    cr_expect_gt(compared, 100000);
}

Test(tzdb, local_to_utc)
{
    int64_t u = 0;
    int ny = zone("America/New_York"), paris = zone("Europe/Paris");
    /* plain: 2026-01-15 07:00 EST is 12:00 UTC */
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 1, 15, 7 * 60, CAMPVAL__TZ_EARLIER, &u),
                 CAMPVAL__TZ_EXACT);
    cr_expect_eq(u, JAN26);
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 7, 15, 8 * 60, CAMPVAL__TZ_LATER, &u),
                 CAMPVAL__TZ_EXACT);
    cr_expect_eq(u, JUL26);
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2040, 7, 15, 8 * 60, CAMPVAL__TZ_LATER, &u),
                 CAMPVAL__TZ_EXACT);
    cr_expect_eq(u, JUL40);

    /* gap: 02:30 on 2026-03-08 does not exist in New York; the jump is at 07:00 UTC */
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 3, 8, 150, CAMPVAL__TZ_EARLIER, &u),
                 CAMPVAL__TZ_GAP);
    cr_expect_eq(u, INT64_C(1772953200));
    /* overlap: 01:30 on 2026-11-01 happens at 05:30 UTC (EDT) and at 06:30 UTC (EST) */
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 11, 1, 90, CAMPVAL__TZ_EARLIER, &u),
                 CAMPVAL__TZ_OVERLAP);
    cr_expect_eq(u, INT64_C(1793511000));
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 11, 1, 90, CAMPVAL__TZ_LATER, &u),
                 CAMPVAL__TZ_OVERLAP);
    cr_expect_eq(u, INT64_C(1793514600));
    /* Paris: gap 2026-03-29 02:30 (jump at 01:00 UTC), overlap 2026-10-25 02:30 */
    cr_expect_eq(campval__tzdb_local_to_utc(db, paris, 2026, 3, 29, 150, 0, &u), CAMPVAL__TZ_GAP);
    cr_expect_eq(u, INT64_C(1774746000));
    cr_expect_eq(campval__tzdb_local_to_utc(db, paris, 2026, 10, 25, 150, CAMPVAL__TZ_EARLIER, &u),
                 CAMPVAL__TZ_OVERLAP);
    cr_expect_eq(u, INT64_C(1792888200));
    cr_expect_eq(campval__tzdb_local_to_utc(db, paris, 2026, 10, 25, 150, CAMPVAL__TZ_LATER, &u),
                 CAMPVAL__TZ_OVERLAP);
    cr_expect_eq(u, INT64_C(1792891800));
    /* Lord Howe's half-hour gap: 02:00 -> 02:30 on 2026-10-04, at 15:30 UTC the day before */
    cr_expect_eq(campval__tzdb_local_to_utc(db, zone("Australia/Lord_Howe"), 2026, 10, 4, 135, 0,
                                            &u),
                 CAMPVAL__TZ_GAP);
    cr_expect_eq(u, INT64_C(1791041400));

    /* out of range */
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 2, 29, 0, 0, &u), CAMPVAL__TZ_ERROR);
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 13, 1, 0, 0, &u), CAMPVAL__TZ_ERROR);
    cr_expect_eq(campval__tzdb_local_to_utc(db, ny, 2026, 1, 1, 1440, 0, &u), CAMPVAL__TZ_ERROR);
    cr_expect_eq(campval__tzdb_local_to_utc(db, -1, 2026, 1, 1, 0, 0, &u), CAMPVAL__TZ_ERROR);
}

/* Round trip: every wall time of a whole year in a few zones maps to an instant showing it
 * (or, in a gap, to the jump). */
Test(tzdb, local_to_utc_round_trip)
{
    static const char *const zones[] = {"America/New_York", "Australia/Lord_Howe",
                                        "Europe/London", "America/Santiago"};
    for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
        int id = zone(zones[z]);
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 28; d++)
                for (int min = 0; min < 1440; min += 15) {
                    int64_t u;
                    int rc = campval__tzdb_local_to_utc(db, id, 2026, m, d, min,
                                                        CAMPVAL__TZ_EARLIER, &u);
                    cr_assert_geq(rc, 0);
                    int32_t o = campval__tzdb_utc_offset(db, id, u);
                    int64_t wall = (u + o) % 86400 / 60;
                    if (rc == CAMPVAL__TZ_GAP)
                        cr_assert_gt(wall, min, "%s %d-%d %d", zones[z], m, d, min);
                    else
                        cr_assert_eq(wall, min, "%s %d-%d %d", zones[z], m, d, min);
                }
    }
}

/* ---- hostile TZif bytes ---------------------------------------------------------------------- */

static text zone_file(const char *name)
{
    char path[512];
    const char *dir = getenv("TZDIR");
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    text t = slurp(path);
    cr_assert_not_null(t.p, "cannot read %s", path);
    return t;
}

Test(tzif, parses_a_real_file)
{
    text t = zone_file("America/New_York");
    char err[128];
    campval__tzdb *one = campval__tzdb_parse_one(t.p, t.n, NULL, err, sizeof err);
    cr_assert_not_null(one, "%s", err);
    cr_expect_eq(campval__tzdb_utc_offset(one, 0, JAN26), -18000);
    cr_expect_eq(campval__tzdb_utc_offset(one, 0, JUL40), -14400);
    cr_expect_eq(campval__tzdb_utc_offset(one, 1, JUL40), CAMPVAL__TZ_UNKNOWN);
    campval__tzdb_free(one);
    free(t.p);
}

Test(tzif, every_truncation_is_rejected)
{
    text t = zone_file("Europe/Paris");
    for (size_t n = 0; n < t.n; n++) {
        char *copy = malloc(n ? n : 1); /* exact size, so a read past the end is a real overread */
        memcpy(copy, t.p, n);
        char err[128] = "";
        campval__tzdb *one = campval__tzdb_parse_one(copy, n, NULL, err, sizeof err);
        cr_expect_null(one, "a %zu-byte prefix of %zu was accepted", n, t.n);
        cr_expect_neq(err[0], '\0');
        campval__tzdb_free(one);
        free(copy);
    }
    free(t.p);
}

Test(tzif, corrupt_bytes_never_crash)
{
    text t = zone_file("Australia/Lord_Howe");
    unsigned seed = 12345;
    size_t accepted = 0, rejected = 0;
    for (int round = 0; round < 20000; round++) {
        char *copy = malloc(t.n);
        memcpy(copy, t.p, t.n);
        int flips = 1 + round % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % t.n;
            seed = seed * 1103515245u + 12345u;
            copy[at] = (char)(seed >> 16);
        }
        campval__tzdb *one = campval__tzdb_parse_one(copy, t.n, NULL, NULL, 0);
        if (one) {
            accepted++;
            /* whatever it accepted answers every query without reading out of bounds */
            for (int64_t u = INT64_C(-5000000000); u < INT64_C(5000000000); u += 99999999) {
                int32_t o = campval__tzdb_utc_offset(one, 0, u);
                cr_assert(o > -26 * 3600 && o < 26 * 3600, "offset %d", o);
            }
            int64_t u;
            campval__tzdb_local_to_utc(one, 0, 2026, 3, 29, 150, 0, &u);
        } else {
            rejected++;
        }
        campval__tzdb_free(one);
        free(copy);
    }
    cr_expect_gt(rejected, 0);
    cr_expect_gt(accepted, 0, "flips in abbreviation text or old transitions are harmless");
    free(t.p);
}

Test(tzif, handmade_files)
{
    /* header-only file claiming huge counts */
    unsigned char h[44] = "TZif2";
    memset(h + 20, 0xFF, 24);
    cr_expect_null(campval__tzdb_parse_one(h, sizeof h, NULL, NULL, 0));
    /* version 1 only */
    text t = zone_file("Asia/Tokyo");
    t.p[4] = '\0';
    cr_expect_null(campval__tzdb_parse_one(t.p, t.n, NULL, NULL, 0));
    t.p[4] = '2';
    campval__tzdb *ok = campval__tzdb_parse_one(t.p, t.n, NULL, NULL, 0);
    cr_expect_not_null(ok);
    campval__tzdb_free(ok);
    /* a footer that is not a POSIX TZ string */
    char *bad = malloc(t.n + 8);
    memcpy(bad, t.p, t.n);
    size_t n = t.n;
    while (n > 0 && bad[n - 2] != '\n')
        n--;
    memcpy(bad + n - 1, "X9\n", 3);
    cr_expect_null(campval__tzdb_parse_one(bad, n + 2, NULL, NULL, 0));
    cr_expect_null(campval__tzdb_parse_one(NULL, 0, NULL, NULL, 0));
    free(bad);
    free(t.p);
}

Test(tzif, missing_directory)
{
    char err[256] = "";
    campval__tzdb *none = campval__tzdb_load_dir("/nonexistent-zoneinfo", NULL, err, sizeof err);
    cr_expect_null(none);
    cr_expect(strstr(err, "no time zone data") != NULL, "%s", err);
}

/* ---- regions and phone prefixes -------------------------------------------------------------- */

static int has(const uint16_t *ids, size_t n, const char *name)
{
    int want = zone(name);
    for (size_t i = 0; i < n; i++)
        if (ids[i] == want)
            return 1;
    return 0;
}

Test(regions, us_fr_and_unknown)
{
    const uint16_t *ids;
    size_t n;
    cr_assert_eq(campval__region_zones("US", &ids, &n), 1);
    cr_expect_geq(n, 20);
    cr_expect(has(ids, n, "America/New_York"));
    cr_expect(has(ids, n, "America/Los_Angeles"));
    cr_expect(has(ids, n, "Pacific/Honolulu"));
    cr_expect(!has(ids, n, "Europe/Paris"));
    cr_assert_eq(campval__region_zones("FR", &ids, &n), 1);
    cr_expect_eq(n, 1);
    cr_expect(has(ids, n, "Europe/Paris"));
    /* a country zone1970.tab lumps with another still has its own zone */
    cr_assert_eq(campval__region_zones("IS", &ids, &n), 1);
    cr_expect(has(ids, n, "Atlantic/Reykjavik"));
    cr_expect_eq(campval__region_zones("XX", &ids, &n), 0);
    cr_expect_eq(n, 0);
    cr_expect_eq(campval__region_zones("us", &ids, &n), 0, "upper case only");
}

/* campval__zone_region inverts campval__region_zones for every zone, and knows no other. */
Test(regions, zone_region_is_the_inverse)
{
    static char region_of[1024][2];
    static bool listed[1024];
    size_t total = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            const char r[2] = {a, b};
            const uint16_t *ids;
            size_t n;
            if (!campval__region_zones(r, &ids, &n))
                continue;
            for (size_t i = 0; i < n; i++) {
                cr_assert_lt(ids[i], 1024);
                listed[ids[i]] = true;
                memcpy(region_of[ids[i]], r, 2);
                total++;
            }
        }
    cr_expect_eq(total, 418);
    for (int z = 0; z < 1024; z++) {
        char r[2] = {0, 0};
        cr_assert_eq(campval__zone_region(z, r), listed[z], "zone %d", z);
        if (listed[z])
            cr_expect(r[0] == region_of[z][0] && r[1] == region_of[z][1], "zone %d", z);
    }
}

Test(prefixes, numbers)
{
    const uint16_t *ids;
    size_t n = campval__tz_for_number("14155550123", 11, &ids);
    cr_assert_eq(n, 1);
    cr_expect(has(ids, n, "America/Los_Angeles"));
    n = campval__tz_for_number("12125550123", 11, &ids);
    cr_assert_eq(n, 1);
    cr_expect(has(ids, n, "America/New_York"));
    n = campval__tz_for_number("33142685300", 11, &ids);
    cr_assert_eq(n, 1);
    cr_expect(has(ids, n, "Europe/Paris"));
    n = campval__tz_for_number("919876543210", 12, &ids);
    cr_expect(has(ids, n, "Asia/Calcutta") || has(ids, n, "Asia/Kolkata"));
    /* an unknown area code falls back to the country code: every NANP zone */
    n = campval__tz_for_number("19995550123", 11, &ids);
    cr_expect_gt(n, 10);
    cr_expect(has(ids, n, "America/New_York"));
    /* unknown */
    cr_expect_eq(campval__tz_for_number("999123", 6, &ids), 0);
    cr_expect_null(ids);
    cr_expect_eq(campval__tz_for_number("", 0, &ids), 0);
    cr_expect_eq(campval__tz_for_number("1415x", 5, &ids), 0, "digits only");
    cr_expect_eq(campval__tz_for_number(NULL, 3, &ids), 0);
}

/* The generated table itself, read by brute force: the longest entry that starts the number. */
#define COUNT_OF(a) (sizeof(a) / sizeof *(a))
struct tz_prefix {
    const char *digits;
    uint16_t first, count;
};
#include "../src/tz_prefixes.inc"

static size_t reference_zones(const char *num, size_t n, const uint16_t **ids)
{
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t i = 0; i < COUNT_OF(tz_prefixes); i++) {
        size_t len = strlen(tz_prefixes[i].digits);
        if (len <= n && len > best_len && memcmp(tz_prefixes[i].digits, num, len) == 0)
            best = i, best_len = len;
    }
    *ids = best == SIZE_MAX ? NULL : tz_prefix_ids + tz_prefixes[best].first;
    return best == SIZE_MAX ? 0 : tz_prefixes[best].count;
}

static void expect_reference(const char *num, size_t n)
{
    const uint16_t *got, *want;
    size_t gn = campval__tz_for_number(num, n, &got), wn = reference_zones(num, n, &want);
    /* the test has its own copy of the ids: compared by value */
    cr_assert(gn == wn && (gn == 0 || memcmp(got, want, gn * sizeof *got) == 0),
              "%.*s: %zu zones, the table says %zu", (int)n, num, gn, wn);
}

/* The lookup (a once-built index for the first three digits, then a search per digit) finds
 * the same entry as reading the whole table: every number of 1 to 4 digits, and random ones
 * of 5 to 15 digits that start like the table's entries. */
Test(prefixes, longest_prefix_as_the_table_says)
{
    char num[16];
    for (size_t len = 1; len <= 4; len++)
        for (unsigned v = 0, end = len == 1 ? 10 : len == 2 ? 100 : len == 3 ? 1000 : 10000;
             v < end; v++) {
            snprintf(num, sizeof num, "%0*u", (int)len, v);
            expect_reference(num, len);
        }
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const char *start = tz_prefixes[x % COUNT_OF(tz_prefixes)].digits;
        size_t len = 5 + (size_t)(x >> 20) % 11, k = strlen(start);
        memcpy(num, start, k < len ? k : len);
        for (size_t j = k; j < len; j++)
            num[j] = (char)('0' + (x >> (j * 3)) % 10);
        expect_reference(num, len);
    }
}

/* ---- allocation ------------------------------------------------------------------------------ */


Test(memory, load_is_one_allocation_and_failures_leak_nothing)
{
    counting_alloc c = {0, 0, 0};
    campval_allocator a = {ca_malloc, NULL, ca_free, &c};
    char err[128];
    campval__tzdb *db1 = campval__tzdb_load(&a, err, sizeof err);
    cr_assert_not_null(db1, "%s", err);
    cr_expect_eq(c.live_bytes, campval__tzdb_memory(db1), "what stays is the one object");
    size_t needed = c.calls;
    campval__tzdb_free(db1);
    cr_expect_eq(c.live_bytes, 0);
    for (size_t k = 1; k <= needed; k++) {
        counting_alloc f = {0, 0, k};
        campval_allocator fa = {ca_malloc, NULL, ca_free, &f};
        err[0] = '\0';
        campval__tzdb *d = campval__tzdb_load(&fa, err, sizeof err);
        cr_expect_null(d, "failing call %zu of %zu still loaded", k, needed);
        cr_expect_str_eq(err, "out of memory");
        cr_expect_eq(f.live_bytes, 0, "failing call %zu leaked %zu bytes", k, f.live_bytes);
        campval__tzdb_free(d);
    }
}

/* campval__tz_for_digits's *used, which the calling-hours check remembers zone lists by: every
 * digit string that starts with those digits (and has the same length when
 * CAMPVAL__TZ_USED_EXACT is set) gets the same zones, and the answer is campval__tz_for_number's.
 */
Test(prefixes, digits_that_decide_the_zones)
{
    static const char *const heads[] = {"1",   "1415", "1999", "1204", "1613", "33",   "44",
                                        "447", "4414", "49",   "81",   "55",   "5511", "5555",
                                        "61",  "612",  "6125", "91",   "7",    "86",   "0",
                                        "2",   "35",   "64",   "99",   "88",   "2125", "3"};
    uint32_t x = 12345;
    for (int trial = 0; trial < 4000; trial++) {
        char num[16], other[16];
        x = x * 1103515245u + 12345u;
        const char *h = heads[(x >> 8) % (sizeof heads / sizeof *heads)];
        size_t hn = strlen(h), n = 2 + (x >> 20) % 14; /* 2..15 digits */
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            num[i] = i < hn ? h[i] : (char)('0' + (x >> 16) % 10);
        }
        const uint16_t *ids, *want;
        size_t used, nz = campval__tz_for_digits(num, n, &ids, &used);
        cr_assert_eq(nz, campval__tz_for_number(num, n, &want), "%.*s", (int)n, num);
        cr_assert_eq(ids, want, "%.*s", (int)n, num);
        size_t u = used & ~(size_t)CAMPVAL__TZ_USED_EXACT;
        cr_assert(u >= 1 && u <= n && u <= CAMPVAL__TZ_PREFIX_DIGITS, "%.*s: used %zx", (int)n,
                  num, used);
        for (int k = 0; k < 8; k++) { /* the same first u digits, then anything */
            x = x * 1103515245u + 12345u;
            size_t m = used & CAMPVAL__TZ_USED_EXACT ? n : u + (x >> 20) % (16 - u);
            memcpy(other, num, u);
            for (size_t i = u; i < m; i++) {
                x = x * 1103515245u + 12345u;
                other[i] = (char)('0' + (x >> 16) % 10);
            }
            const uint16_t *oids;
            size_t ou, onz = campval__tz_for_digits(other, m, &oids, &ou);
            cr_assert(onz == nz && oids == ids, "%.*s (used %zx) and %.*s differ", (int)n, num,
                      used, (int)m, other);
        }
        if (nz)
            cr_assert_lt(campval__tz_list_index(ids), (size_t)UINT16_MAX);
    }
}

/* campval__tzdb_utc_offset_span: the offset holds over the whole interval it gives, which
 * contains the instant asked about; around DST changes and far from the table. */
Test(tzdb, offset_spans)
{
    static const char *const names[] = {"America/New_York", "Europe/London", "Australia/Sydney",
                                        "America/Phoenix",  "Asia/Kolkata",  "Australia/Lord_Howe",
                                        "Etc/UTC"};
    for (size_t z = 0; z < sizeof names / sizeof *names; z++) {
        int id = zone(names[z]);
        for (int64_t t = JAN26 - 400 * INT64_C(86400); t < JUL40 + 400 * INT64_C(86400);
             t += 86400 * 3 + 7919) {
            int64_t from, until;
            int32_t o = campval__tzdb_utc_offset_span(db, id, t, &from, &until);
            cr_assert_eq(o, campval__tzdb_utc_offset(db, id, t), "%s at %lld", names[z],
                         (long long)t);
            cr_assert(from <= t && t <= until, "%s at %lld", names[z], (long long)t);
            const int64_t probe[] = {from, until, from / 2 + until / 2};
            for (int i = 0; i < 3; i++)
                if (probe[i] > INT64_MIN && probe[i] < INT64_MAX)
                    cr_assert_eq(campval__tzdb_utc_offset(db, id, probe[i]), o,
                                 "%s: %lld in [%lld, %lld]", names[z], (long long)probe[i],
                                 (long long)from, (long long)until);
        }
    }
    int64_t from, until;
    cr_expect_eq(campval__tzdb_utc_offset_span(db, -1, 0, &from, &until), CAMPVAL__TZ_UNKNOWN);
}
