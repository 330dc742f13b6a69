/*
 * The lexical stage (src/lex.c) on its own, and the JSON stage (src/json.c) over caller buffers
 * with no workspace. Offsets follow the conventions listed at the top of test_json.c. Inputs are
 * copied to heap blocks of exactly their length, so that sanitizers see any read past the end.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lex.h"

enum { TOKENS = 64, DEPTH = 8 };

static uint8_t nest[DEPTH];
static uint32_t open_[2 * DEPTH + 4];
static uint8_t flags[TOKENS];
static uint32_t next_[TOKENS];

static campval__lex_result lex_n(const char *s, size_t n, uint32_t depth, uint32_t tokens)
{
    char *p = malloc(n ? n : 1);
    cr_assert_not_null(p);
    memcpy(p, s, n);
    memset(flags, 0, sizeof flags);
    campval__lex_result r;
    campval__lex(p, n, depth, tokens, nest, open_, flags, next_, &r);
    free(p);
    return r;
}

static campval__lex_result lex(const char *s)
{
    return lex_n(s, strlen(s), DEPTH, TOKENS);
}

static void rejects(const char *s, campval_code code, size_t offset)
{
    campval__lex_result r = lex(s);
    cr_expect_eq(r.code, code, "%s: %s, want %s", s, campval_code_name(r.code),
                 campval_code_name(code));
    cr_expect_eq(r.offset, offset, "%s: offset %zu, want %zu", s, r.offset, offset);
}

TestSuite(lex);

Test(lex, accepts_and_counts)
{
    campval__lex_result r = lex(" {\"a\": [1, true, null], \"b\": \"x\"} ");
    cr_assert_eq(r.code, CAMPVAL_OK);
    /* object, "a", array, 1, true, null, "b", "x" */
    cr_expect_eq(r.tokens, 8);
    cr_expect_eq(next_[0], 8);  /* the root's subtree is the whole document */
    cr_expect_eq(next_[1], 6);  /* a member name's subtree includes its value */
    cr_expect_eq(next_[2], 6);
    cr_expect_eq(next_[3], 4);
    cr_expect_eq(lex("0").tokens, 1);
    cr_expect_eq(lex("-0.5e+10").code, CAMPVAL_OK);
}

Test(lex, rejection_classes)
{
    rejects("", CAMPVAL_JSON_EMPTY, 0);
    rejects("   ", CAMPVAL_JSON_EMPTY, 3);
    rejects("\xEF\xBB\xBF{}", CAMPVAL_JSON_BOM, 0);
    rejects("[1,]", CAMPVAL_JSON_TRAILING_COMMA, 2);
    rejects("{\"a\":1,}", CAMPVAL_JSON_TRAILING_COMMA, 6);
    rejects("[1,,2]", CAMPVAL_JSON_MISSING_VALUE, 3);
    rejects("[tru]", CAMPVAL_JSON_BAD_LITERAL, 1);
    rejects("01", CAMPVAL_JSON_BAD_NUMBER, 1);
    rejects("1.e3", CAMPVAL_JSON_BAD_NUMBER, 2);
    rejects("+1", CAMPVAL_JSON_BAD_NUMBER, 0);
    rejects("\"a\\qb\"", CAMPVAL_JSON_BAD_ESCAPE, 2);
    rejects("\"\\u12G4\"", CAMPVAL_JSON_BAD_ESCAPE, 5);
    rejects("\"\\uD800\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    rejects("\"a\tb\"", CAMPVAL_JSON_CONTROL_CHAR, 2);
    rejects("\"\xC3\"", CAMPVAL_JSON_BAD_UTF8, 1);
    rejects("\"\xED\xA0\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    rejects("[1] 2", CAMPVAL_JSON_TRAILING_DATA, 4);
    rejects("// c\n1", CAMPVAL_JSON_COMMENT, 0);
    rejects("{\"a\" 1}", CAMPVAL_JSON_EXPECTED_COLON, 5);
    rejects("{1:2}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    rejects("[1 2]", CAMPVAL_JSON_EXPECTED_COMMA, 3);
    rejects("[1}", CAMPVAL_JSON_MISMATCHED_BRACKET, 2);
    rejects("[1,", CAMPVAL_JSON_TRUNCATED, 3);
    rejects("\"abc", CAMPVAL_JSON_TRUNCATED, 4);
    rejects("#", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
    campval__lex_result r = lex_n("[\0]", 3, DEPTH, TOKENS);
    cr_expect_eq(r.code, CAMPVAL_JSON_NUL_BYTE);
    cr_expect_eq(r.offset, 1);
}

Test(lex, limits)
{
    campval__lex_result r = lex_n("[[[1]]]", 7, 3, TOKENS);
    cr_expect_eq(r.code, CAMPVAL_OK);
    r = lex_n("[[[[1]]]]", 9, 3, TOKENS);
    cr_expect_eq(r.code, CAMPVAL_LIMIT_DEPTH);
    cr_expect_eq(r.offset, 3); /* the value that goes one level too deep */
    r = lex_n("[1,2,3]", 7, DEPTH, 4);
    cr_expect_eq(r.code, CAMPVAL_OK);
    cr_expect_eq(r.tokens, 4);
    r = lex_n("[1,2,3,4]", 9, DEPTH, 4);
    cr_expect_eq(r.code, CAMPVAL_LIMIT_TOKENS);
    cr_expect_eq(r.offset, 7); /* the fifth value */
}

Test(lex, string_flags)
{
    campval__lex_result r = lex("{\"plain\": \"caf\xC3\xA9\", \"e\\n\": \"x\"}");
    cr_assert_eq(r.code, CAMPVAL_OK);
    cr_expect_eq(flags[1] & (CAMPVAL__F_ESCAPED | CAMPVAL__F_NONASCII), 0);
    cr_expect(flags[1] & CAMPVAL__F_KEY);
    cr_expect(flags[2] & CAMPVAL__F_NONASCII);
    cr_expect_not(flags[2] & CAMPVAL__F_ESCAPED);
    cr_expect_not(flags[2] & CAMPVAL__F_KEY);
    cr_expect(flags[3] & CAMPVAL__F_ESCAPED);
    cr_expect(flags[3] & CAMPVAL__F_KEY);
    cr_expect_eq(flags[4] & (CAMPVAL__F_ESCAPED | CAMPVAL__F_NONASCII), 0);
}

/* ---- the JSON stage over caller buffers ------------------------------------------------------ */

/* Buffers of a given size, as a caller (the compiler, a test) would carve them. */
typedef struct bufs {
    campval__json_stage st;
    campval__hkey key;
    uint64_t budget;
} bufs;

static void bufs_init(bufs *b, uint32_t tokens, uint32_t depth)
{
    memset(b, 0, sizeof *b);
    b->st.tok = calloc(tokens, sizeof *b->st.tok);
    b->st.flags = calloc(tokens, 1);
    b->st.next = calloc(tokens, sizeof *b->st.next);
    b->st.slots = calloc(2 * (size_t)tokens, sizeof *b->st.slots);
    b->st.stack = calloc(2 * (size_t)depth + 4, sizeof *b->st.stack);
    b->st.nest = calloc(depth, 1);
    cr_assert(b->st.tok && b->st.flags && b->st.next && b->st.slots && b->st.stack &&
              b->st.nest);
    b->st.max_tokens = tokens;
    b->st.max_depth = depth;
    campval__hkey_random(&b->key);
    b->st.key = &b->key;
    b->budget = 1000000;
    b->st.budget = &b->budget;
}

static void bufs_free(bufs *b)
{
    free(b->st.tok);
    free(b->st.flags);
    free(b->st.next);
    free(b->st.slots);
    free(b->st.stack);
    free(b->st.nest);
}

TestSuite(json_stage);

Test(json_stage, rules_sized_buffers)
{
    /* The compiler's sizing: len / 2 + 2 tokens is enough for any document of len bytes. */
    const char *rules = "{\"type\":\"object\",\"required\":[\"a\",\"b\"],\"properties\":{}}";
    size_t len = strlen(rules);
    bufs b;
    bufs_init(&b, (uint32_t)(len / 2 + 2), 512);
    cr_assert_eq(campval__json_parse(&b.st, rules, len, 0), CAMPVAL_OK);
    cr_expect_eq(b.st.doc.count, 9);
    cr_expect_eq(b.st.doc.text, rules);
    cr_expect_eq(b.st.doc.len, len);
    cr_expect_eq(b.st.doc.tok[1].type, CAMPVAL__T_STRING);
    cr_expect_eq(b.budget, 1000000); /* small objects are compared pairwise, unpaid */
    bufs_free(&b);

    bufs_init(&b, 2, 512); /* too few tokens: a limit, not a syntax error */
    cr_expect_eq(campval__json_parse(&b.st, "[1,2]", 5, 0), CAMPVAL_LIMIT_TOKENS);
    bufs_free(&b);
}

Test(json_stage, errors_are_returned_with_offsets)
{
    bufs b;
    bufs_init(&b, TOKENS, DEPTH);
    cr_expect_eq(campval__json_parse(&b.st, "[1,]", 4, 0), CAMPVAL_JSON_TRAILING_COMMA);
    cr_expect_eq(b.st.offset, 2);
    cr_expect_eq(b.st.doc.count, 0);
    /* an allowed BOM is skipped, offsets still count it */
    cr_expect_eq(campval__json_parse(&b.st, "\xEF\xBB\xBF[1,]", 7, CAMPVAL_ALLOW_BOM),
                 CAMPVAL_JSON_TRAILING_COMMA);
    cr_expect_eq(b.st.offset, 5);
    cr_expect_eq(campval__json_parse(&b.st, "\xEF\xBB\xBF{}", 5, CAMPVAL_ALLOW_BOM), CAMPVAL_OK);
    cr_expect_eq(b.st.doc.base, 3);
    bufs_free(&b);
}

Test(json_stage, duplicates_one_by_one)
{
    const char *s = "{\"a\":1,\"b\":2,\"a\":3,\"b\":4,\"a\":5}";
    bufs b;
    bufs_init(&b, TOKENS, DEPTH);
    cr_assert_eq(campval__json_parse(&b.st, s, strlen(s), 0), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 1);
    cr_expect_eq(b.st.later, 5);
    cr_expect_eq(b.st.offset, 13);
    cr_assert_eq(campval__json_resume(&b.st), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 3);
    cr_expect_eq(b.st.later, 7);
    cr_assert_eq(campval__json_resume(&b.st), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 5); /* against the occurrence just before it */
    cr_expect_eq(b.st.later, 9);
    cr_expect_eq(campval__json_resume(&b.st), CAMPVAL_OK);

    /* allowed: no error, the earlier names are shadowed */
    cr_assert_eq(campval__json_parse(&b.st, s, strlen(s), CAMPVAL_ALLOW_DUPLICATE_KEYS),
                 CAMPVAL_OK);
    cr_expect(b.st.flags[1] & CAMPVAL__F_SHADOWED);
    cr_expect(b.st.flags[3] & CAMPVAL__F_SHADOWED);
    cr_expect(b.st.flags[5] & CAMPVAL__F_SHADOWED);
    cr_expect_not(b.st.flags[7] & CAMPVAL__F_SHADOWED);
    cr_expect_not(b.st.flags[9] & CAMPVAL__F_SHADOWED);
    bufs_free(&b);
}

/* Over 16 names: the keyed table, paid from the budget, resumable mid-object. */
Test(json_stage, duplicates_hashed_and_budget)
{
    char s[512];
    size_t n = 0;
    s[n++] = '{';
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(s + n, sizeof s - n, "%s\"k%d\":%d", i ? "," : "", i % 18, i);
    s[n++] = '}';
    bufs b;
    bufs_init(&b, TOKENS, DEPTH);
    cr_assert_eq(campval__json_parse(&b.st, s, n, 0), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 1);      /* "k0" */
    cr_expect_eq(b.st.later, 1 + 2 * 18); /* the nineteenth name */
    cr_assert_eq(campval__json_resume(&b.st), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 3);
    cr_expect_eq(b.st.later, 1 + 2 * 19);
    cr_expect_eq(campval__json_resume(&b.st), CAMPVAL_OK);
    cr_expect_lt(b.budget, 1000000);

    b.budget = 5; /* fewer units than names */
    cr_expect_eq(campval__json_parse(&b.st, s, n, 0), CAMPVAL_LIMIT_EVALUATION);
    cr_expect_eq(b.st.offset, 0);
    cr_expect_eq(b.budget, 0);
    bufs_free(&b);
}

/* ---- the small-object duplicate check: its shortcuts against a plain pairwise model ---------- */

/* An object of n members named names[i] (raw JSON text, escapes allowed), values i; quote[i] is
 * the offset of name i's opening quote. */
static size_t object_of(char *s, size_t cap, const char *const *names, int n, size_t *quote)
{
    size_t len = 0;
    s[len++] = '{';
    for (int i = 0; i < n; i++) {
        if (i)
            s[len++] = ',';
        quote[i] = len;
        len += (size_t)snprintf(s + len, cap - len, "\"%s\":%d", names[i], i);
    }
    s[len++] = '}';
    return len;
}

/* Names p and q of an object with n otherwise distinct names are the same: the check reports
 * (p, q) once at q's quote, resumes to the end, and with duplicates allowed shadows p alone. */
static void expect_one_repeat(const char *const *names, int n, int p, int q, const char *what)
{
    char s[1024];
    size_t quote[32];
    size_t len = object_of(s, sizeof s, names, n, quote);
    bufs b;
    bufs_init(&b, TOKENS, DEPTH);
    cr_assert_eq(campval__json_parse(&b.st, s, len, 0), CAMPVAL_JSON_DUPLICATE_KEY,
                 "%s n=%d p=%d q=%d: %s", what, n, p, q, s);
    cr_expect_eq(b.st.earlier, (uint32_t)(1 + 2 * p), "%s n=%d p=%d q=%d", what, n, p, q);
    cr_expect_eq(b.st.later, (uint32_t)(1 + 2 * q), "%s n=%d p=%d q=%d", what, n, p, q);
    cr_expect_eq(b.st.offset, quote[q], "%s n=%d p=%d q=%d", what, n, p, q);
    cr_expect_eq(campval__json_resume(&b.st), CAMPVAL_OK, "%s n=%d p=%d q=%d", what, n, p, q);

    cr_assert_eq(campval__json_parse(&b.st, s, len, CAMPVAL_ALLOW_DUPLICATE_KEYS), CAMPVAL_OK);
    for (int i = 0; i < n; i++)
        cr_expect_eq((b.st.flags[1 + 2 * i] & CAMPVAL__F_SHADOWED) != 0, i == p,
                     "%s n=%d p=%d q=%d: name %d", what, n, p, q, i);
    bufs_free(&b);
}

/* Every pair of positions in objects of 2 to 17 members (17: the hashed path, which must agree),
 * with names of distinct lengths (the length shortcut), of one length (compared byte by byte),
 * and with either occurrence spelled with an escape. */
Test(json_stage, duplicates_every_position)
{
    static char lens[17][24], same[17][8], esc_len[17][32], esc_same[17][16];
    for (int i = 0; i < 17; i++) {
        memset(lens[i], 'x', (size_t)i + 1);
        lens[i][i + 1] = '\0';
        snprintf(same[i], sizeof same[i], "k%02d", i);
        snprintf(esc_len[i], sizeof esc_len[i], "\\u0078%s", lens[i] + 1); /* "\u0078" is x */
        snprintf(esc_same[i], sizeof esc_same[i], "\\u006B%02d", i);       /* "\u006B" is k */
    }
    for (int n = 2; n <= 17; n++)
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                const char *a[17], *b[17], *c[17], *d[17], *e[17], *f[17];
                for (int i = 0; i < n; i++) {
                    a[i] = b[i] = c[i] = lens[i];
                    d[i] = e[i] = f[i] = same[i];
                }
                a[q] = lens[p];
                b[q] = esc_len[p]; /* plain, then escaped */
                c[p] = esc_len[p]; /* escaped, then plain */
                c[q] = lens[p];
                d[q] = same[p];
                e[q] = esc_same[p];
                f[p] = esc_same[p];
                f[q] = same[p];
                expect_one_repeat(a, n, p, q, "lengths");
                expect_one_repeat(b, n, p, q, "lengths, later escaped");
                expect_one_repeat(c, n, p, q, "lengths, earlier escaped");
                expect_one_repeat(d, n, p, q, "one length");
                expect_one_repeat(e, n, p, q, "one length, later escaped");
                expect_one_repeat(f, n, p, q, "one length, earlier escaped");
            }
}

static campval_code parse_str(bufs *b, const char *s)
{
    return campval__json_parse(&b->st, s, strlen(s), 0);
}

/* Names that share a length (or a length modulo 64) or a first byte but differ;
 * escaped names that differ from plain ones; empty names. */
Test(json_stage, duplicates_near_misses)
{
    bufs b;
    bufs_init(&b, TOKENS, DEPTH);
    cr_expect_eq(parse_str(&b, "{\"ab\":1,\"ba\":2,\"ac\":3,\"abc\":4,\"abd\":5,\"\":6,\"a\":7}"),
                 CAMPVAL_OK);
    cr_expect_eq(parse_str(&b, "{\"\\u0062\":1,\"a\":2,\"\\u0061b\":3,\"ba\":4,\"a\\n\":5}"),
                 CAMPVAL_OK);
    cr_expect_eq(parse_str(&b, "{\"\":1,\"x\":2,\"\":3}"), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 1);
    cr_expect_eq(b.st.later, 5);
    cr_expect_eq(b.st.offset, 12);
    /* an escape in an earlier name: later plain names of new lengths are still compared */
    cr_expect_eq(parse_str(&b, "{\"\\u0061\":1,\"bb\":2,\"ccc\":3,\"a\":4}"),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 1);
    cr_expect_eq(b.st.later, 7);
    cr_expect_eq(parse_str(&b, "{\"a\\n\":1,\"a\\u000a\":2}"), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.later, 3);

    char s[512], x[80], y[80], z[80];
    memset(x, 'n', 70);
    x[70] = '\0';
    memcpy(z, x, sizeof z);
    z[69] = 'm'; /* as long as x, and as x up to the last byte */
    memset(y, 'n', 6);
    y[6] = '\0'; /* 6 bytes: x's length modulo 64 */
    snprintf(s, sizeof s, "{\"%s\":1,\"%s\":2,\"%s\":3}", x, y, z);
    cr_expect_eq(parse_str(&b, s), CAMPVAL_OK);
    snprintf(s, sizeof s, "{\"%s\":1,\"%s\":2,\"%s\":3,\"%s\":4}", x, y, z, x);
    cr_expect_eq(parse_str(&b, s), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_expect_eq(b.st.earlier, 1);
    cr_expect_eq(b.st.later, 7);
    bufs_free(&b);
}

/* Several repeats in one object, each against the occurrence just before it, whatever the
 * lengths; objects inside member values (found after skipping leaf members) in document order. */
Test(json_stage, duplicates_resume_and_nesting)
{
    bufs b;
    bufs_init(&b, TOKENS, DEPTH);
    cr_assert_eq(parse_str(&b, "{\"a\":1,\"bb\":2,\"a\":3,\"ccc\":4,\"bb\":5,\"a\":6,\"ccc\":7}"),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    static const uint32_t pairs[][2] = {{1, 5}, {3, 9}, {5, 11}, {7, 13}};
    for (int i = 0; i < 4; i++) {
        if (i)
            cr_assert_eq(campval__json_resume(&b.st), CAMPVAL_JSON_DUPLICATE_KEY, "repeat %d", i);
        cr_expect_eq(b.st.earlier, pairs[i][0], "repeat %d", i);
        cr_expect_eq(b.st.later, pairs[i][1], "repeat %d", i);
    }
    cr_expect_eq(campval__json_resume(&b.st), CAMPVAL_OK);

    /* tokens: 0 [  1 {  2 "a" 3 {  4 "b" 5 1  6 "b" 7 2  8 "c" 9 [  10 {  11 "d" 12 1
     * 13 "d" 14 2  15 "e" 16 1  17 "e" 18 2  19 {  20 "f" 21 {  22 "g" 23 {  24 "h" 25 1
     * 26 "i" 27 {}  28 "h" 29 2  30 "j" 31 [  32 1  33 {  34 "k" 35 1  36 "k" 37 2 */
    const char *s = "[{\"a\":{\"b\":1,\"b\":2},\"c\":[{\"d\":1,\"d\":2}],\"e\":1,\"e\":2},"
                    "{\"f\":{},\"g\":{\"h\":1,\"i\":{},\"h\":2},\"j\":[1,{\"k\":1,\"k\":2}]}]";
    static const uint32_t nested[][2] = {{15, 17}, {4, 6}, {11, 13}, {24, 28}, {34, 36}};
    cr_assert_eq(parse_str(&b, s), CAMPVAL_JSON_DUPLICATE_KEY);
    for (int i = 0; i < 5; i++) {
        if (i)
            cr_assert_eq(campval__json_resume(&b.st), CAMPVAL_JSON_DUPLICATE_KEY, "nested %d", i);
        cr_expect_eq(b.st.earlier, nested[i][0], "nested %d", i);
        cr_expect_eq(b.st.later, nested[i][1], "nested %d", i);
    }
    cr_expect_eq(campval__json_resume(&b.st), CAMPVAL_OK);
    cr_expect_eq(campval__json_parse(&b.st, s, strlen(s), CAMPVAL_ALLOW_DUPLICATE_KEYS),
                 CAMPVAL_OK);
    for (uint32_t t = 0; t < b.st.doc.count; t++) {
        bool want = t == 15 || t == 4 || t == 11 || t == 24 || t == 34;
        cr_expect_eq((b.st.flags[t] & CAMPVAL__F_SHADOWED) != 0, want, "token %u", t);
    }
    bufs_free(&b);
}
