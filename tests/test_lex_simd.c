/*
 * The vector lexer (src/lex_simd.c and the second stage in src/lex.c) against the scalar one,
 * differentially: on every input the vector path must accept exactly what the scalar lexer
 * accepts, with the same token count, string flags and subtree links, and campval__lex forced to
 * each implementation must give the scalar lexer's code and offset. Inputs are copied to heap
 * blocks of exactly their length (sanitizers see any read past the end), and again at every
 * alignment within a 64-byte block.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

enum { TOKENS = 512, DEPTH = 16 };

typedef struct run {
    campval__lex_result r;
    uint8_t nest[DEPTH];
    uint32_t open[2 * DEPTH + 4];
    uint8_t flags[TOKENS];
    uint32_t next[TOKENS];
} run;

static run want, got;
static const int vector_impls[] = {CAMPVAL__LEX_SSE2, CAMPVAL__LEX_AVX2};
static size_t compared; /* documents both paths accepted: proves the tests compare something */

static void lex_as(int impl, const char *p, size_t n, uint32_t depth, uint32_t tokens, run *o)
{
    memset(o, 0xA5, sizeof *o); /* stale bytes must not pass for results */
    cr_assert(campval__lex_force(impl));
    campval__lex(p, n, depth, tokens, o->nest, o->open, o->flags, o->next, &o->r);
    campval__lex_force(CAMPVAL__LEX_AUTO);
}

static void show(char *buf, size_t cap, const char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, (unsigned char)p[i] >= 0x20 &&
                              (unsigned char)p[i] < 0x7F ? "%c" : "\\x%02X", (unsigned char)p[i]);
    buf[k < cap ? k : cap - 1] = 0;
}

/* Compare every implementation on p[0..n) as it lies in memory. */
static void compare_at(const char *p, size_t n, uint32_t depth, uint32_t tokens)
{
    char text[200];
    lex_as(CAMPVAL__LEX_SCALAR, p, n, depth, tokens, &want);
    for (size_t k = 0; k < sizeof vector_impls / sizeof *vector_impls; k++) {
        int impl = vector_impls[k];
        if (!campval__lex_force(impl))
            continue; /* this CPU has no AVX2 */
        campval__lex_force(CAMPVAL__LEX_AUTO);
        memset(&got, 0x5A, sizeof got);
        bool ok = campval__lex_vector(impl, p, n, depth, tokens, got.nest, got.open, got.flags,
                                      got.next, &got.r);
        if (ok != (want.r.code == CAMPVAL_OK)) {
            show(text, sizeof text, p, n);
            cr_expect(false, "impl %d: vector %s, scalar %s at %zu: \"%s\"", impl,
                    ok ? "accepts" : "declines", campval_code_name(want.r.code), want.r.offset,
                    text);
            return;
        }
        if (ok) {
            compared++;
            cr_expect_eq(got.r.tokens, want.r.tokens, "impl %d: %u tokens, want %u", impl,
                         got.r.tokens, want.r.tokens);
            for (uint32_t t = 0; t < want.r.tokens && t < got.r.tokens; t++) {
                if (got.flags[t] != want.flags[t] || got.next[t] != want.next[t]) {
                    show(text, sizeof text, p, n);
                    cr_expect(false, "impl %d token %u: flags %u next %u, want %u %u: \"%s\"",
                              impl, t,
                            got.flags[t], got.next[t], want.flags[t], want.next[t], text);
                    return;
                }
            }
        }
        lex_as(impl, p, n, depth, tokens, &got);
        if (got.r.code != want.r.code || got.r.offset != want.r.offset ||
            got.r.tokens != want.r.tokens) {
            show(text, sizeof text, p, n);
            cr_expect(false, "impl %d: %s at %zu (%u tokens), scalar %s at %zu (%u): \"%s\"", impl,
                    campval_code_name(got.r.code), got.r.offset, got.r.tokens,
                    campval_code_name(want.r.code), want.r.offset, want.r.tokens, text);
            return;
        }
    }
}

/* Exactly-sized copy, then every alignment within a 64-byte block. */
static void compare_n(const char *s, size_t n, uint32_t depth, uint32_t tokens, bool aligns)
{
    char *p = malloc(n ? n : 1);
    cr_assert_not_null(p);
    memcpy(p, s, n);
    compare_at(p, n, depth, tokens);
    free(p);
    if (!aligns)
        return;
    char *block = aligned_alloc(64, ((n + 64) / 64 + 1) * 64);
    cr_assert_not_null(block);
    for (size_t a = 1; a < 64; a++) {
        memcpy(block + a, s, n);
        compare_at(block + a, n, depth, tokens);
    }
    free(block);
}

static void compare(const char *s) { compare_n(s, strlen(s), DEPTH, TOKENS, true); }

/* s with its single '@' replaced by `fill` repeated k times, for k = 0..max: moves what follows
 * across every 16-, 32- and 64-byte boundary. */
static void sweep(const char *s, const char *fill, size_t max)
{
    const char *at = strchr(s, '@');
    cr_assert_not_null(at);
    size_t head = (size_t)(at - s), tail = strlen(at + 1), f = strlen(fill);
    char *buf = malloc(head + tail + f * max + 1);
    cr_assert_not_null(buf);
    for (size_t k = 0; k <= max; k++) {
        memcpy(buf, s, head);
        for (size_t i = 0; i < k; i++)
            memcpy(buf + head + i * f, fill, f);
        memcpy(buf + head + k * f, at + 1, tail);
        compare_n(buf, head + k * f + tail, DEPTH, TOKENS, false);
    }
    free(buf);
}

TestSuite(lex_simd);

Test(lex_simd, implementations_can_be_forced)
{
    cr_expect(campval__lex_force(CAMPVAL__LEX_SCALAR));
#if defined(__x86_64__)
    cr_expect(campval__lex_force(CAMPVAL__LEX_SSE2));
    cr_expect_eq(campval__lex_force(CAMPVAL__LEX_AVX2), campval__lex_has_avx2());
#endif
    cr_expect(!campval__lex_force(99));
    cr_expect(campval__lex_force(CAMPVAL__LEX_AUTO));
}

static const char *const valid_docs[] = {
    "0", "-0.5e+10", "true", "false", "null", "\"\"", "\"abc\"", " [ ] ", "{}", "[[],{}]",
    "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
    " {\"a\" : [ 1 , 2.5 , -3e-2 ] ,\n\t\"b\"\r: \"x\" } ",
    "[\"\\\"\",\"\\\\\",\"\\/\\b\\f\\n\\r\\t\",\"\\u00e9\\uD83D\\uDE00\"]",
    "{\"L\\u00e9a\":\"J\\u00fcrgen\",\"na\xC3\xAFve\":\"\xE2\x82\xAC \xF0\x9F\x98\x80\"}",
    "[\"\\\\\\\\\",\"\\\\\\\"\",\"a\\\\\"]",
    "{\"contacts\":[{\"name\":\"L\xC3\xA9" "a\",\"phone\":\"+33612345678\",\"vars\":{\"x\":1}}]}",
};

Test(lex_simd, valid_documents)
{
    for (size_t i = 0; i < sizeof valid_docs / sizeof *valid_docs; i++)
        compare(valid_docs[i]);
    cr_expect_gt(compared, 0, "the vector path accepted nothing");
}

Test(lex_simd, lengths_and_boundaries)
{
    /* Strings, escapes, backslash runs, numbers and literals ending on every byte of a block. */
    sweep("[\"@\"]", "a", 140);
    sweep("[\"@\\\"\",1]", "a", 140);
    sweep("[\"@\\\\\",1]", "a", 140);
    sweep("[\"@\\\\\\\\\\\"\",1]", "a", 140);
    sweep("[\"@\\u00e9\"]", "a", 140);
    sweep("[\"@\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"]", "b", 140);
    sweep("@[1,true,\"x\"]", " ", 140);
    sweep("[@1234567890.5e-3,null]", " ", 140);
    sweep("{\"k\":@[]}", "\n", 140);
    sweep("[@]", "1,", 70);
    sweep("{@\"z\":0}", "\"k\":\"v\",", 30);
    sweep("[@0]", "[", DEPTH + 2); /* past the depth limit */
    sweep("[@\"s\"]", "\"\\\\\",", 40);
    sweep("@", "\"", 140); /* runs of quotes: alternately strings and garbage */
    sweep("\"@", "\\", 140); /* runs of backslashes, ending escaped or not */
#if defined(__x86_64__) /* elsewhere there is no vector lexer to compare */
    cr_expect_gt(compared, 0);
#endif
}

Test(lex_simd, rejection_classes)
{
    /* Control characters in strings, every one, at every offset in a block. */
    char doc[] = "[\"@_\"]";
    for (int c = 1; c < 0x20; c++) { /* (a NUL would end the pattern: its own case below) */
        doc[3] = (char)c;
        char pat[16];
        memcpy(pat, doc, sizeof doc);
        sweep(pat, "a", 70);
    }
    static const char *const bad[] = {
        /* escapes */
        "[\"@\\q\"]", "[\"@\\u12G4\"]", "[\"@\\u12\"]", "[\"@\\uD800\"]", "[\"@\\uDC00\"]",
        "[\"@\\uD800\\u0041\"]", "[\"@\\x\"]", "[\"@\\", "[\"@\\\"]",
        /* UTF-8: lone continuation, overlong, surrogate, above U+10FFFF, truncated, bad lead */
        "[\"@\x80\"]", "[\"@\xBF\"]", "[\"@\xC0\x80\"]", "[\"@\xC1\xBF\"]",
        "[\"@\xE0\x80\x80\"]",
        "[\"@\xE0\x9F\xBF\"]", "[\"@\xF0\x80\x80\x80\"]", "[\"@\xF0\x8F\xBF\xBF\"]",
        "[\"@\xED\xA0\x80\"]", "[\"@\xED\xBF\xBF\"]", "[\"@\xF4\x90\x80\x80\"]",
        "[\"@\xF5\x80\x80\x80\"]",
        "[\"@\xFF\"]", "[\"@\xC3\"]", "[\"@\xE2\x82\"]", "[\"@\xF0\x9F\x98\"]", "[\"@\xC3\x41\"]",
        "[\"@\xE2\x82\xC3\xA9\"]",
        /* outside strings */
        "[@\xC3\xA9]", "[@\\]", "[1@#]", "[1#@]", "@\xEF\xBB\xBF{}", "[tru@]", "[@truex]", "[@01]",
        "[@1.]", "[@-]", "[@+1]", "[1@\"a\"]", "[\"a\"@1]", "{\"a\"@1}", "{@1:2}", "[1@ 2]",
        "[1@}", "[1,@]", "[@,1]", "{\"a\":1,@}", "[1]@ 2", "@// c\n1", "[1,@", "\"abc@",
        "[@\"a\"x]",
        "[@nul]", "[@null1]", "[1@\x01]", "[@\x7F]", "{\"a\":1@\"b\":2}", "[@true false]",
        "{\"a\":[@}", "[\"a\":@1]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        sweep(bad[i], " ", 70);
    char nul[] = "[\"aaaa\0\"]";
    for (size_t n = 1; n <= sizeof nul - 1; n++)
        compare_n(nul, n, DEPTH, TOKENS, true);
}

Test(lex_simd, limits)
{
    const char *doc = "[[1,2],{\"a\":[3]},\"x\"]";
    for (uint32_t t = 1; t < 12; t++)
        compare_n(doc, strlen(doc), DEPTH, t, false);
    for (uint32_t d = 1; d < 5; d++)
        compare_n(doc, strlen(doc), d, TOKENS, false);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

Test(lex_simd, random_bytes)
{
    /* Mostly JSON's own bytes, so that random inputs get past the first few. */
    static const char alphabet[] = "{}[]:,\"\"\"\\\\ \n\t0123456789-+.eEtrufalsn \x01\x1F\x7F\x80"
                                   "\xBF\xC3\xA9\xE2\x82\xAC\xED\xF0\xF4\xFF/u";
    char buf[300];
    for (int i = 0; i < 20000; i++) {
        size_t n = rnd() % sizeof buf;
        for (size_t k = 0; k < n; k++)
            buf[k] = (i & 1) ? (char)rnd() : alphabet[rnd() % (sizeof alphabet - 1)];
        compare_n(buf, n, DEPTH, TOKENS, false);
    }
}

Test(lex_simd, mutated_documents)
{
    /* Valid documents with one to three bytes changed, inserted or removed. */
    static const char bytes[] = "\"\\{}[]:, 0a\x80\xC3\x01";
    char buf[512];
    for (int i = 0; i < 20000; i++) {
        const char *d = valid_docs[rnd() % (sizeof valid_docs / sizeof *valid_docs)];
        size_t n = strlen(d);
        size_t pad = rnd() % 80; /* leading white space moves the document in its blocks */
        memset(buf, ' ', pad);
        memcpy(buf + pad, d, n);
        n += pad;
        for (int m = 1 + (int)(rnd() % 3); m > 0 && n > 0 && n < sizeof buf - 1; m--) {
            size_t at = rnd() % n;
            switch (rnd() % 3) {
            case 0:
                buf[at] = bytes[rnd() % (sizeof bytes - 1)];
                break;
            case 1:
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = bytes[rnd() % (sizeof bytes - 1)];
                n++;
                break;
            default:
                memmove(buf + at, buf + at + 1, n - at - 1);
                n--;
            }
        }
        compare_n(buf, n, DEPTH, TOKENS, false);
    }
#if defined(__x86_64__) /* elsewhere there is no vector lexer to compare */
    cr_expect_gt(compared, 0);
#endif
}

Test(lex_simd, large_document)
{
    /* Many windows of blocks: a long array of small objects, as the campaign payloads are. */
    static char buf[200000];
    size_t n = 0;
    buf[n++] = '[';
    for (int i = 0; n < sizeof buf - 200; i++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "%s{\"name\":\"%s%d\",\"v\":[%d,true,null],\"s\":\"%s\"}",
                              i ? "," : "", i % 8 ? "Jürgen" : "L\\u00e9a", i, i,
                              i % 5 ? "plain" : "tab\\tquote\\\"");
    }
    buf[n++] = ']';
    compare_n(buf, n, DEPTH, TOKENS, false); /* stops at the token limit */
    static uint8_t nest[DEPTH], f0[1 << 16], f1[1 << 16];
    static uint32_t open[2 * DEPTH + 4], n0[1 << 16], n1[1 << 16];
    campval__lex_result r0, r1;
    campval__lex_force(CAMPVAL__LEX_SCALAR);
    campval__lex(buf, n, DEPTH, 1 << 16, nest, open, f0, n0, &r0);
    campval__lex_force(CAMPVAL__LEX_AUTO);
    cr_assert_eq(r0.code, CAMPVAL_OK);
    for (size_t k = 0; k < sizeof vector_impls / sizeof *vector_impls; k++) {
        if (!campval__lex_force(vector_impls[k]))
            continue;
        campval__lex_force(CAMPVAL__LEX_AUTO);
        cr_assert(campval__lex_vector(vector_impls[k], buf, n, DEPTH, 1 << 16, nest, open, f1, n1,
                                      &r1));
        cr_expect_eq(r1.tokens, r0.tokens);
        cr_expect(memcmp(f0, f1, r0.tokens) == 0);
        cr_expect(memcmp(n0, n1, r0.tokens * sizeof *n0) == 0);
        /* an error near the end (a control byte in the last string, past every token limit
           small enough to stop earlier) is the scalar lexer's, at the same offset */
        char keep = buf[n - 5];
        buf[n - 5] = 1;
        static uint8_t g[1 << 16];
        static uint32_t gn[1 << 16];
        campval__lex_result e0, e1;
        campval__lex_force(CAMPVAL__LEX_SCALAR);
        campval__lex(buf, n, DEPTH, 1 << 16, nest, open, g, gn, &e0);
        campval__lex_force(vector_impls[k]); /* the vector pass, which hands errors back */
        campval__lex(buf, n, DEPTH, 1 << 16, nest, open, g, gn, &e1);
        campval__lex_force(CAMPVAL__LEX_AUTO);
        buf[n - 5] = keep;
        cr_expect_eq(e0.code, CAMPVAL_JSON_CONTROL_CHAR, "%s", campval_code_name(e0.code));
        cr_expect_eq(e1.code, e0.code);
        cr_expect_eq(e1.offset, e0.offset);
        cr_expect_eq(e0.offset, n - 5);
    }
}
