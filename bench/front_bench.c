/*
 * The strict parse taken apart, in one process: the scalar lexer, the vector lexer (SSE2, and
 * AVX2 where the CPU has it), jsmn as campval configures and inlines it (campval__tokenize), and
 * the whole JSON stage (lexer + jsmn + duplicate names). Rounds alternate between them and each
 * figure is the best round, so that a machine whose speed drifts (a shared VM) skews them alike.
 * bench/jsmn_bench.c is the "jsmn alone" of bench/run.sh; jsmn there is not inlined, its parser
 * state goes through memory, and it runs about twice as slow as the same jsmn inside campval.
 *
 * build (from the repository, after
 *   meson setup build-rel -Dbuildtype=release && ninja -C build-rel):
 *   cc -O2 -std=c11 -Iinclude -Isrc -Ibuild-rel -Ibuild-rel/include -o /tmp/front_bench \
 *      bench/front_bench.c build-rel/libcampval.a -lpcre2-8 -lm -lstdc++
 * usage: front_bench FILE...
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "lex.h"
#include "tokenize.h"

enum { ROUNDS = 15, TOKENS = 1 << 21, DEPTH = 128 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static campval__json_stage st;
static uint64_t budget;
static campval__hkey key = {1, 2};

enum { F_SCALAR, F_SSE2, F_AVX2, F_JSMN, F_STAGE, F_COUNT };
static const char *const names[F_COUNT] = {"lex_scalar", "lex_sse2", "lex_avx2", "jsmn",
                                           "json_stage"};

/* One run of figure f over the document; false when it is unavailable or fails. */
static bool once(int f, const char *s, size_t n, uint32_t tokens)
{
    campval__lex_result r;
    switch (f) {
    case F_SCALAR:
    case F_SSE2:
    case F_AVX2:
        campval__lex(s, n, DEPTH, TOKENS, st.nest, st.stack, st.flags, st.next, &r);
        return r.code == CAMPVAL_OK;
    case F_JSMN:
        return campval__tokenize(s, n, st.tok, tokens) == CAMPVAL_OK;
    default:
        budget = UINT64_MAX;
        return campval__json_parse(&st, s, n, 0) == CAMPVAL_OK;
    }
}

int main(int argc, char **argv)
{
    st = (campval__json_stage){.tok = malloc(sizeof *st.tok * TOKENS), .flags = malloc(TOKENS),
                               .next = malloc(sizeof *st.next * TOKENS),
                               .stack = malloc(sizeof *st.stack * (2 * DEPTH + 4)),
                               .nest = malloc(DEPTH),
                               .slots = malloc(sizeof *st.slots * 2 * TOKENS),
                               .max_tokens = TOKENS, .max_depth = DEPTH, .key = &key,
                               .budget = &budget};
    if (argc < 2 || !st.tok || !st.flags || !st.next || !st.stack || !st.nest || !st.slots) {
        fprintf(stderr, "usage: front_bench FILE...\n");
        return 2;
    }
    static const int impl[F_COUNT] = {CAMPVAL__LEX_SCALAR, CAMPVAL__LEX_SSE2, CAMPVAL__LEX_AVX2,
                                      CAMPVAL__LEX_AUTO, CAMPVAL__LEX_AUTO};
    for (int a = 1; a < argc; a++) {
        size_t n;
        char *s = read_all(argv[a], &n);
        campval__lex_result r;
        if (!s)
            return 2;
        campval__lex(s, n, DEPTH, TOKENS, st.nest, st.stack, st.flags, st.next, &r);
        if (r.code != CAMPVAL_OK) {
            fprintf(stderr, "%s: %s at %zu\n", argv[a], campval_code_name(r.code), r.offset);
            return 1;
        }
        double best[F_COUNT];
        long loop = 4000000 / ((long)n + 200) + 1;
        for (int f = 0; f < F_COUNT; f++)
            best[f] = -1;
        for (int round = 0; round < ROUNDS; round++) {
            for (int f = 0; f < F_COUNT; f++) {
                if (!campval__lex_force(impl[f]))
                    continue;
                double t0 = now();
                for (long i = 0; i < loop; i++)
                    if (!once(f, s, n, r.tokens))
                        return 1;
                double us = (now() - t0) * 1e6 / (double)loop;
                if (best[f] < 0 || us < best[f])
                    best[f] = us;
            }
        }
        campval__lex_force(CAMPVAL__LEX_AUTO);
        printf("%s: bytes=%zu tokens=%u", argv[a], n, r.tokens);
        for (int f = 0; f < F_COUNT; f++)
            if (best[f] >= 0)
                printf(" %s_us=%.3f", names[f], best[f]);
        printf(" json_stage/jsmn=%.2f\n", best[F_STAGE] / best[F_JSMN]);
        free(s);
    }
    return 0;
}
