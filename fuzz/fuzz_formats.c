/*
 * fuzz_formats — every format checker, and ECMA-262 patterns over PCRE2 with limits.
 *
 * The whole input goes through campval__format_check for every format id (from a buffer of
 * exactly that size, so ASan sees any read past the end). Then the input is split at its first
 * NUL byte into pattern and subject; the pattern is compiled with a checking allocator and run
 * against the subject and itself (each cut to its longest valid UTF-8 prefix, as the validator
 * only matches valid strings) in a context laid out at an odd address.
 *
 * Invariants beyond "no crash": verdicts are 0 or 1 and repeatable; e164 and uuid agree with
 * their one-line definitions; date agrees with the RFC 3339 full-date grammar; ipv4 with the
 * dotted-quad one; a pattern that compiles is one the `regex` format accepts; the allocator sees
 * balanced, correctly sized frees; a match answers 1, 0 or -1 and the same answer twice.
 */
#include <stdalign.h>

#include "format.h"
#include "fuzz.h"
#include "regex.h"

#define MAX_INPUT (4u * 1024u)

/* ---- oracles ------------------------------------------------------------------------------ */

static bool digit(uint8_t c) { return c >= '0' && c <= '9'; }

static bool hexdig(uint8_t c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* ^\+[1-9][0-9]{1,14}$ */
static bool e164(const uint8_t *s, size_t n)
{
    if (n < 3 || n > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
        return false;
    for (size_t i = 2; i < n; i++)
        if (!digit(s[i]))
            return false;
    return true;
}

/* 8-4-4-4-12 hex digits, either case. */
static bool uuid(const uint8_t *s, size_t n)
{
    if (n != 36)
        return false;
    for (size_t i = 0; i < n; i++)
        if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !hexdig(s[i]))
            return false;
    return true;
}

static int num(const uint8_t *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* RFC 3339 full-date: YYYY-MM-DD, day within the month, Gregorian leap years. */
static bool full_date(const uint8_t *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

/* Four decimal octets 0-255 without leading zeros. */
static bool ipv4(const uint8_t *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
        size_t start = i;
        while (i < n && digit(s[i]) && i - start < 4)
            i++;
        size_t len = i - start;
        if (len == 0 || len > 3 || (len > 1 && s[start] == '0') || num(s + start, len) > 255)
            return false;
    }
    return i == n;
}

/* ---- a checking allocator ----------------------------------------------------------------- */

typedef struct tally {
    size_t live_blocks, live_bytes;
} tally;

static void *t_malloc(void *ctx, size_t size)
{
    tally *t = ctx;
    max_align_t *p = malloc(sizeof(max_align_t) + size);
    if (!p)
        return NULL;
    memcpy(p, &size, sizeof size);
    t->live_blocks++;
    t->live_bytes += size;
    return p + 1;
}

static void t_free(void *ctx, void *ptr, size_t size)
{
    tally *t = ctx;
    if (!ptr)
        return;
    max_align_t *p = (max_align_t *)ptr - 1;
    size_t had;
    memcpy(&had, p, sizeof had);
    FUZZ_CHECK(had == size, "freed %zu bytes of a %zu-byte block", size, had);
    FUZZ_CHECK(t->live_blocks > 0 && t->live_bytes >= size, "free without malloc");
    t->live_blocks--;
    t->live_bytes -= size;
    free(p);
}

/* ---- patterns ----------------------------------------------------------------------------- */

static unsigned char *ctx_mem;

static void match_twice(const campval__regex *re, campval__regex_ctx *ctx, const uint8_t *s,
                        size_t n)
{
    n = fuzz_utf8_prefix(s, n);
    int a = campval__regex_match(re, ctx, (const char *)s, n);
    FUZZ_CHECK(a == 1 || a == 0 || a == -1, "match returned %d", a);
    int b = campval__regex_match(re, ctx, (const char *)s, n);
    FUZZ_CHECK(a == b, "same match answered %d then %d", a, b);
}

static void fuzz_pattern(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t plen = nul ? (size_t)(nul - data) : size;
    const uint8_t *subj = nul ? nul + 1 : data + size;
    size_t slen = nul ? size - plen - 1 : 0;

    tally t = {0, 0};
    campval_allocator a = {t_malloc, NULL, t_free, &t};
    campval__regex *re = (campval__regex *)1;
    size_t err_off = (size_t)-1;
    char msg[64];
    memset(msg, 'x', sizeof msg);
    /* Its own copy, so a read past the pattern is a read past a heap block. */
    char *pat = malloc(plen ? plen : 1);
    FUZZ_CHECK(pat != NULL, "out of memory in the harness");
    memcpy(pat, data, plen);
    campval_code rc = campval__regex_compile(pat, plen, &a, &re, &err_off, msg, sizeof msg);
    FUZZ_CHECK(fuzz_strnlen(msg, sizeof msg) < sizeof msg, "compile message not NUL-terminated");
    FUZZ_CHECK(fuzz_utf8_valid(msg, strlen(msg)), "compile message is not UTF-8");
    if (rc != CAMPVAL_OK) {
        free(pat);
        FUZZ_CHECK(rc == CAMPVAL_RULES_BAD_PATTERN && re == NULL, "compile returned %s",
                   campval_code_name(rc));
        FUZZ_CHECK(err_off <= plen, "error offset %zu in a %zu-byte pattern", err_off, plen);
        FUZZ_CHECK(t.live_blocks == 0, "failed compile leaked %zu blocks", t.live_blocks);
        return;
    }
    FUZZ_CHECK(re != NULL && campval__regex_memory(re) > 0, "compiled pattern");
    FUZZ_CHECK(campval__format_check(CAMPVAL__FMT_REGEX, pat, plen) == 1,
               "pattern compiles but the regex format rejects it: %.*s", (int)plen, pat);

    /* Any alignment must do: lay the context out at an offset taken from the input. */
    size_t need = campval__regex_ctx_size();
    if (!ctx_mem) {
        ctx_mem = malloc(need + 64);
        FUZZ_CHECK(ctx_mem != NULL, "out of memory in the harness");
    }
    campval__regex_ctx *ctx;
    unsigned char *at = ctx_mem + (plen + slen) % 61;
    FUZZ_CHECK(campval__regex_ctx_init(at, need - 1, &ctx) == CAMPVAL_WORKSPACE_TOO_SMALL,
               "context fits in less than campval__regex_ctx_size()");
    FUZZ_CHECK(campval__regex_ctx_init(at, need, &ctx) == CAMPVAL_OK, "context init");
    FUZZ_CHECK(campval__regex_ctx_set_limits(ctx, 0, 0, CAMPVAL_REGEX_HEAP_LIMIT_KIB + 1) ==
                   CAMPVAL_BAD_ARGUMENT,
               "heap limit above the context size accepted");
    /* Small limits keep each input fast; the defaults are exercised by the rules targets. */
    FUZZ_CHECK(campval__regex_ctx_set_limits(ctx, 20000, 1000, 128) == CAMPVAL_OK, "set limits");
    match_twice(re, ctx, subj, slen);
    match_twice(re, ctx, (const uint8_t *)pat, plen);
    match_twice(re, ctx, NULL, 0);
    campval__regex_free(re, &a);
    free(pat);
    FUZZ_CHECK(t.live_blocks == 0 && t.live_bytes == 0, "pattern leaked %zu blocks (%zu bytes)",
               t.live_blocks, t.live_bytes);
}

/* ---- formats ------------------------------------------------------------------------------ */

static void fuzz_formats(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    for (int f = 0; f < CAMPVAL__FMT_COUNT; f++) {
        int v = campval__format_check(f, s, size);
        FUZZ_CHECK(v == 0 || v == 1, "format %d returned %d", f, v);
        FUZZ_CHECK(campval__format_check(f, s, size) == v, "format %d is not repeatable", f);
        const char *name = campval__format_name(f);
        FUZZ_CHECK(name && campval__format_lookup(name, strlen(name)) == f &&
                       campval__format_describe(f) != NULL,
                   "format %d name table", f);
    }
    FUZZ_CHECK(campval__format_check(-1, s, size) == 0 &&
                   campval__format_check(CAMPVAL__FMT_COUNT, s, size) == 0,
               "out-of-range format id accepted");
    int id = campval__format_lookup(s, size);
    FUZZ_CHECK(id == -1 || (id >= 0 && id < CAMPVAL__FMT_COUNT && strlen(campval__format_name(id)) ==
                                                                  size &&
                            memcmp(campval__format_name(id), s, size) == 0),
               "lookup of arbitrary bytes gave %d", id);

#define AGREE(fmt, oracle)                                                                          \
    FUZZ_CHECK(campval__format_check(CAMPVAL__FMT_##fmt, s, size) == (int)oracle(data, size),     \
               #fmt " says %d for \"%.*s\"", campval__format_check(CAMPVAL__FMT_##fmt, s, size),   \
               (int)size, s)
    AGREE(E164, e164);
    AGREE(UUID, uuid);
    AGREE(DATE, full_date);
    AGREE(IPV4, ipv4);
#undef AGREE
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    fuzz_formats(data, size);
    fuzz_pattern(data, size);
    return 0;
}
