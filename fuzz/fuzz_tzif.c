/*
 * fuzz_tzif — the TZif parser (campval__tzdb_parse_one) on arbitrary bytes, as a corrupt or
 * hostile file under /usr/share/zoneinfo would reach it.
 *
 * Invariants beyond "no crash": a rejected input says why; an accepted one answers every offset
 * query within a day either side of UTC (what the parser promises to check), at instants spread
 * over the whole 64-bit range, and local -> UTC conversions return a known status whose instant
 * reads the asked wall time (or a later one, for a gap) in that zone.
 */
#include "fuzz.h"
#include "tzdb.h"

#define MAX_INPUT (1u << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char err[128] = "";
    campval__tzdb *db = campval__tzdb_parse_one(data, size, NULL, err, sizeof err);
    if (!db) {
        FUZZ_CHECK(err[0] != '\0', "rejected without a reason");
        return 0;
    }
    FUZZ_CHECK(campval__tzdb_known(db) == 1, "known %zu", campval__tzdb_known(db));
    static const int64_t at[] = {INT64_MIN, -(INT64_C(1) << 59), -INT64_C(2208988800), -1, 0,
                                 INT64_C(1772953200), INT64_C(2225966400), INT64_C(1) << 40,
                                 INT64_MAX / 2};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        int32_t o = campval__tzdb_utc_offset(db, 0, at[i]);
        FUZZ_CHECK(o > -26 * 3600 && o < 26 * 3600, "offset %d at %lld", o, (long long)at[i]);
    }
    FUZZ_CHECK(campval__tzdb_utc_offset(db, 1, 0) == CAMPVAL__TZ_UNKNOWN, "zone 1 exists");
    for (int m = 1; m <= 12; m += 1) {
        int64_t u;
        int minute = (m * 137) % 1440;
        int rc = campval__tzdb_local_to_utc(db, 0, 2030, m, 1 + (m * 3) % 28, minute,
                                            m % 2 ? CAMPVAL__TZ_EARLIER : CAMPVAL__TZ_LATER, &u);
        FUZZ_CHECK(rc >= CAMPVAL__TZ_ERROR && rc <= CAMPVAL__TZ_OVERLAP, "status %d", rc);
        /* rules that change offset more than once in 36 hours may give ERROR, never a lie */
        if (rc == CAMPVAL__TZ_EXACT || rc == CAMPVAL__TZ_OVERLAP) {
            int64_t local = u + campval__tzdb_utc_offset(db, 0, u);
            int64_t mod = ((local % 86400) + 86400) % 86400;
            FUZZ_CHECK(mod / 60 == minute, "month %d: %lld reads %lld, not %d", m, (long long)u,
                       (long long)(mod / 60), minute);
        }
    }
    campval__tzdb_free(db);
    return 0;
}
