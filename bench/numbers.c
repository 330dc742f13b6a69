/*
 * Number lists at scale: write N random numbers (default 10 million) in random order to a file,
 * load it with campval_numbers_load, and report the load time, the bytes the set keeps, the
 * allocator's peak during the load, and the time per lookup (half the probes present, half
 * absent) next to a plain binary search over the same keys. Then the same for the list written
 * sorted, which skips the sort. bench/numbers.sh adds the peak RSS of a load alone.
 * Public API only; see bench/numbers.sh.
 *
 *   numbers FILE_PREFIX [N]
 *   numbers --load-only FILE      load once with malloc (for the peak RSS of a load alone)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campval.h"

typedef struct peak_alloc {
    size_t live, peak;
} peak_alloc;

static void *pa_malloc(void *ctx, size_t n)
{
    peak_alloc *c = ctx;
    void *p = malloc(n);
    if (p && (c->live += n) > c->peak)
        c->peak = c->live;
    return p;
}

static void *pa_realloc(void *ctx, void *p, size_t old, size_t n)
{
    peak_alloc *c = ctx;
    void *q = realloc(p, n);
    if (q) {
        c->live = c->live - old + n;
        if (c->live > c->peak)
            c->peak = c->live;
    }
    return q;
}

static void pa_free(void *ctx, void *p, size_t n)
{
    peak_alloc *c = ctx;
    c->live -= n;
    free(p);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

/* Mostly North American and European mobile-length numbers, a few in each written style. */
static uint64_t random_number(void)
{
    static const uint64_t cc[] = {1, 1, 1, 44, 33, 49, 34, 39, 61, 91};
    uint64_t c = cc[next() % 10];
    uint64_t national =
        c == 1 ? 2000000000u + next() % 8000000000u : 100000000u + next() % 900000000u;
    uint64_t mul = c == 1 ? 10000000000u : 1000000000u;
    return c * mul + national;
}

static void write_list(const char *path, const uint64_t *keys, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs("# benchmark list\n", f);
    for (size_t i = 0; i < n; i++) {
        if (i % 4 == 3) {
            /* "+1 (415) 555-0123" style for a quarter of them */
            char d[24];
            int k = snprintf(d, sizeof d, "%llu", (unsigned long long)keys[i]);
            fprintf(f, "+%.*s (%.3s) %.3s-%s\n", k - 10, d, d + k - 10, d + k - 7, d + k - 4);
        } else {
            fprintf(f, "+%llu\n", (unsigned long long)keys[i]);
        }
    }
    fclose(f);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void measure(const char *label, const char *path, const uint64_t *keys, size_t n)
{
    peak_alloc c = {0, 0};
    campval_allocator a = {pa_malloc, pa_realloc, pa_free, &c};
    campval_numbers *s;
    campval_numbers_error e;
    double t0 = now();
    campval_code rc = campval_numbers_load(path, &a, &s, &e);
    double t1 = now();
    if (rc != CAMPVAL_OK) {
        fprintf(stderr, "%s: %s line %zu: %s\n", path, campval_code_name(rc), e.line, e.message);
        exit(1);
    }
    /* probes: present keys and absent ones, in random order */
    enum { PROBES = 2000000 };
    char(*text)[24] = malloc(sizeof *text * PROBES);
    size_t *len = malloc(sizeof *len * PROBES);
    for (size_t i = 0; i < PROBES; i++) {
        uint64_t k = i % 2 ? keys[next() % n] : random_number() + 1;
        len[i] = (size_t)snprintf(text[i], sizeof text[i], "+%llu", (unsigned long long)k);
    }
    size_t hits = 0;
    double t2 = now();
    for (size_t i = 0; i < PROBES; i++)
        hits += (size_t)campval_numbers_contains(s, text[i], len[i]);
    double t3 = now();
    /* baseline in the same run (the machine may be busy): a plain binary search over the
     * same sorted keys, parsing the text the same simple way */
    uint64_t *sorted = malloc(n * sizeof *sorted);
    memcpy(sorted, keys, n * sizeof *keys);
    qsort(sorted, n, sizeof *sorted, cmp_u64);
    size_t plain_hits = 0;
    double t4 = now();
    for (size_t i = 0; i < PROBES; i++) {
        uint64_t k = strtoull(text[i] + 1, NULL, 10);
        plain_hits += bsearch(&k, sorted, n, sizeof *sorted, cmp_u64) != NULL;
    }
    double t5 = now();
    free(sorted);
    printf("%-8s load %.2f s, %zu distinct of %zu, set %.1f MB, allocator peak %.1f MB, "
           "lookup %.0f ns (%zu hits of %d; plain bsearch %.0f ns)\n",
           label, t1 - t0, campval_numbers_count(s), n, campval_numbers_memory(s) / 1e6,
           c.peak / 1e6, (t3 - t2) * 1e9 / PROBES, hits, PROBES, (t5 - t4) * 1e9 / PROBES);
    if (plain_hits != hits) {
        fprintf(stderr, "hits differ: %zu, plain %zu\n", hits, plain_hits);
        exit(1);
    }
    campval_numbers_free(s);
    free(text);
    free(len);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: numbers FILE_PREFIX [N]\n");
        return 2;
    }
    if (strcmp(argv[1], "--load-only") == 0 && argc > 2) {
        campval_numbers *s;
        campval_numbers_error e;
        double t0 = now();
        campval_code rc = campval_numbers_load(argv[2], NULL, &s, &e);
        if (rc != CAMPVAL_OK) {
            fprintf(stderr, "%s: %s line %zu: %s\n", argv[2], campval_code_name(rc), e.line,
                    e.message);
            return 1;
        }
        printf("load-only: %.2f s, %zu numbers, %.1f MB\n", now() - t0, campval_numbers_count(s),
               campval_numbers_memory(s) / 1e6);
        campval_numbers_free(s);
        return 0;
    }
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000u;
    uint64_t *keys = malloc(n * sizeof *keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = random_number();
    char path[4096];
    snprintf(path, sizeof path, "%s-random.txt", argv[1]);
    write_list(path, keys, n);
    measure("random", path, keys, n);
    uint64_t *sorted = malloc(n * sizeof *sorted);
    memcpy(sorted, keys, n * sizeof *keys);
    qsort(sorted, n, sizeof *sorted, cmp_u64);
    snprintf(path, sizeof path, "%s-sorted.txt", argv[1]);
    write_list(path, sorted, n);
    measure("sorted", path, keys, n);
    free(keys);
    free(sorted);
    return 0;
}
