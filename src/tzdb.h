/*
 * tzdb.h — time zone data for pre-flight checks: zone names, the system's compiled TZif files,
 * region -> zones and phone-number prefix -> zones.
 *
 * Zone ids are positions in src/tz_names.inc (every IANA zone and link name, byte order), so they
 * are small stable integers for one tzdata release and fit a uint16_t.
 *
 * A campval__tzdb is loaded once (the only step that allocates or touches files) and is then
 * immutable: any number of threads may query it at once. Queries never allocate.
 */
#ifndef CAMPVAL_TZDB_H
#define CAMPVAL_TZDB_H

#include <stddef.h>
#include <stdint.h>

#include "campval.h"

/** Number of zone ids (entries of src/tz_names.inc). */
size_t campval__tz_count(void);

/** The name of zone `id` ("America/New_York"), or NULL when out of range. Static. */
const char *campval__tz_name(int id);

/**
 * The zone id of an IANA name (exact, case-sensitive; need not be NUL-terminated), or -1.
 * Binary search over src/tz_names.inc; the `iana-timezone` format uses it too.
 */
int campval__tz_lookup(const char *name, size_t len);

/** What campval__tzdb_utc_offset returns for a zone without data (unknown id, missing or
 * corrupt file). No real offset is anywhere near it. */
#define CAMPVAL__TZ_UNKNOWN INT32_MIN

typedef struct campval__tzdb campval__tzdb;

/**
 * Load the TZif file of every zone in src/tz_names.inc from $TZDIR (when set and not empty) or
 * /usr/share/zoneinfo. Files are read as hostile input: a zone whose file is missing, not a
 * regular file, larger than 1 MiB, version 1 only, or inconsistent in any way is marked unknown,
 * and loading carries on. Names that are links to the same file share its data. Leap-second
 * records are skipped: the default zoneinfo has none (a "right/" TZDIR would put transitions up
 * to 27 s late). $TZDIR is trusted as the C library trusts it; a setuid caller should clear it.
 *
 * @param a      allocator (NULL: malloc); the object is one allocation from it
 * @param err    if not NULL, receives why loading failed, NUL-terminated
 * @return the database, or NULL when out of memory or when not one zone could be loaded
 * (no time zone data installed). Not thread-safe against a concurrent change of TZDIR.
 */
campval__tzdb *campval__tzdb_load(const campval_allocator *a, char *err, size_t errlen);

/** As campval__tzdb_load, from the directory `dir`. */
campval__tzdb *campval__tzdb_load_dir(const char *dir, const campval_allocator *a, char *err,
                                      size_t errlen);

/**
 * A database with a single zone, id 0, parsed from the TZif bytes `buf` (tests and fuzzing).
 * Returns NULL, with the reason in err, when the bytes are not a valid TZif v2+ file or memory
 * runs out.
 */
campval__tzdb *campval__tzdb_parse_one(const void *buf, size_t len, const campval_allocator *a,
                                       char *err, size_t errlen);

/** Free a database (NULL: no-op). Not while other threads still read it. */
void campval__tzdb_free(campval__tzdb *db);

/** Zones with data (the others answer CAMPVAL__TZ_UNKNOWN). */
size_t campval__tzdb_known(const campval__tzdb *db);

/** Bytes the database holds. */
size_t campval__tzdb_memory(const campval__tzdb *db);

/**
 * UTC offset in seconds (east positive: Paris in winter 3600) of zone `zone_id` at the instant
 * `utc_seconds` (Unix time). Past the last transition in the file, the POSIX TZ footer rule
 * ("EST5EDT,M3.2.0,M11.1.0") decides; before the first, the file's first time type.
 * @return the offset, or CAMPVAL__TZ_UNKNOWN for an unknown zone or a zone without data.
 */
int32_t campval__tzdb_utc_offset(const campval__tzdb *db, int zone_id, int64_t utc_seconds);

/**
 * campval__tzdb_utc_offset, also giving an interval [*from, *until] (inclusive, containing
 * utc_seconds) over which the same call answers the same: a caller may keep the answer for
 * every instant inside it. The interval may be just utc_seconds itself (times the POSIX footer
 * decides with daylight saving).
 */
int32_t campval__tzdb_utc_offset_span(const campval__tzdb *db, int zone_id, int64_t utc_seconds,
                                      int64_t *from, int64_t *until);

/** The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm). */
void campval__civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/** How campval__tzdb_local_to_utc resolves a wall time that occurs twice (clocks set back). */
enum campval__tz_prefer {
    CAMPVAL__TZ_EARLIER = 0, /**< the first occurrence (still on the earlier offset, e.g. DST) */
    CAMPVAL__TZ_LATER = 1    /**< the second occurrence */
};

/** What campval__tzdb_local_to_utc found. Negative: no answer. */
enum campval__tz_local {
    CAMPVAL__TZ_ERROR = -1,     /**< unknown zone, no data, or date/minute out of range */
    CAMPVAL__TZ_EXACT = 0,      /**< the wall time occurs exactly once */
    CAMPVAL__TZ_GAP = 1,        /**< skipped (clocks set forward): *utc is the transition */
    CAMPVAL__TZ_OVERLAP = 2     /**< occurs twice: *utc is the one `prefer` asks for */
};

/**
 * The UTC instant at which the wall clock in zone `zone_id` reads `minute_of_day` (0..1439) on
 * the proleptic Gregorian date year-month-day (year 1..9999).
 *
 * Gaps: a wall time the clocks skip (02:30 when they jump from 02:00 to 03:00) maps to the
 * instant of the jump, which is the first instant whose wall time is at or after the one asked
 * for; so a calling window never opens before its start nor includes time before it.
 * Overlaps: a wall time that occurs twice (01:30 when clocks fall back from 02:00 to 01:00) maps
 * to the occurrence `prefer` names: a window start wants CAMPVAL__TZ_LATER and an end
 * CAMPVAL__TZ_EARLIER to stay inside both readings.
 * Assumes at most one transition within 36 hours of the wall time (true of every zone since
 * 1970).
 *
 * @return a campval__tz_local value; *utc is set unless CAMPVAL__TZ_ERROR.
 */
int campval__tzdb_local_to_utc(const campval__tzdb *db, int zone_id, int year, int month, int day,
                               int minute_of_day, int prefer, int64_t *utc);

/**
 * The zones of an ISO 3166-1 alpha-2 region ("US": upper case), from tzdata's zone.tab (and
 * zone1970.tab for a region zone.tab lacks), via the generated src/region_zones.inc.
 * @return 1 with *ids / *n set (ids ascending), or 0 with *n = 0 for an unknown region.
 */
int campval__region_zones(const char region[2], const uint16_t **ids, size_t *n);

/**
 * The region whose zone.tab line names `zone_id` ("America/Toronto" -> "CA"), the inverse of
 * campval__region_zones. A table read (the table is built once per process, on first use).
 * @return 1 with region[0..1] set, 0 for a zone in no region (links, "Etc/UTC", ...).
 */
int campval__zone_region(int zone_id, char region[2]);

/**
 * The zones of a phone number, by the longest prefix of its digits in libphonenumber's time zone
 * map (src/tz_prefixes.inc): "14155550123" -> America/Los_Angeles. Several zones when the prefix
 * spans zones (a country code alone, e.g. "1" for an unknown North American area code, gives all
 * of them). `e164_digits` are the digits after '+', n of them.
 * @return the number of zone ids at *ids, 0 when no prefix matches (then *ids is NULL).
 */
size_t campval__tz_for_number(const char *e164_digits, size_t n, const uint16_t **ids);

/**
 * campval__tz_for_number for digits already known to be digits ('0'..'9', n of them), which
 * also says what the answer depends on: *used is the count of leading digits it read. Every
 * digit string that starts with those digits and is at least that long has the same answer,
 * unless *used has CAMPVAL__TZ_USED_EXACT set: then only strings of exactly
 * (*used & ~CAMPVAL__TZ_USED_EXACT) digits do (a longer one could match a longer prefix).
 * Lets a caller remember answers by the digits that decided them.
 */
size_t campval__tz_for_digits(const char *digits, size_t n, const uint16_t **ids, size_t *used);
#define CAMPVAL__TZ_USED_EXACT 0x100u

/** The place of a zone list campval__tz_for_digits gave (its *ids) among all such lists: equal
 * for equal lists, below UINT16_MAX. */
size_t campval__tz_list_index(const uint16_t *ids);

/* The answer of campval__tz_for_number depends on this many first digits at most (the longest
 * prefix in src/tz_prefixes.inc; tzdb.c checks the two agree). */
#define CAMPVAL__TZ_PREFIX_DIGITS 8

#endif /* CAMPVAL_TZDB_H */
