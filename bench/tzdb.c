/*
 * Time zone data: how long campval__tzdb_load takes for every zone in src/tz_names.inc, how many
 * bytes it keeps, and the cost of an offset query and of a local -> UTC conversion. Internal API
 * (src/tzdb.h), linked with the static library; see bench/numbers.sh.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <time.h>

#include "tzdb.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    char err[256];
    double best = 1e9;
    campval__tzdb *db = NULL;
    for (int round = 0; round < 20; round++) {
        campval__tzdb_free(db);
        double t0 = now();
        db = campval__tzdb_load(NULL, err, sizeof err);
        double t = now() - t0;
        if (!db) {
            fprintf(stderr, "tzdb: %s\n", err);
            return 1;
        }
        best = t < best ? t : best;
    }
    enum { Q = 5000000 };
    size_t zones = campval__tz_count();
    volatile int64_t sink = 0;
    double t0 = now();
    for (long i = 0; i < Q; i++)
        sink += campval__tzdb_utc_offset(db, (int)(i % (long)zones), 1500000000 + i * 7919);
    double t1 = now();
    for (long i = 0; i < Q / 10; i++) {
        int64_t u;
        campval__tzdb_local_to_utc(db, (int)(i % (long)zones), 2000 + (int)(i % 50),
                                   1 + (int)(i % 12), 1 + (int)(i % 28), (int)(i % 1440),
                                   CAMPVAL__TZ_EARLIER, &u);
        sink += u;
    }
    double t2 = now();
    printf("tzdb: %zu of %zu zones in %.2f ms (best of 20, warm cache), %zu bytes; "
           "utc_offset %.0f ns, local_to_utc %.0f ns\n",
           campval__tzdb_known(db), zones, best * 1e3, campval__tzdb_memory(db),
           (t1 - t0) * 1e9 / Q, (t2 - t1) * 1e9 / (Q / 10));
    campval__tzdb_free(db);
    return 0;
}
