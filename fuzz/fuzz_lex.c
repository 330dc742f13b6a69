/*
 * fuzz_lex — the vector lexer (SSE2 and, where the CPU has it, AVX2) against the scalar lexer.
 *
 * The scalar lexer is the oracle here: it is fuzzed against an independent parser by fuzz_json,
 * and the vector path must agree with it byte for byte:
 *   - the vector path accepts exactly the documents the scalar lexer accepts, with the same
 *     token count, string flags and subtree links;
 *   - campval__lex forced to each implementation gives the scalar code, offset and token count.
 * The input is lexed as it comes and again one byte further into a 64-byte block, with generous
 * limits and with tight ones (depth 4, 64 tokens), so that limit errors are compared too.
 */
#include "fuzz.h"
#include "lex.h"

#define MAX_INPUT (64u * 1024u)
#define TOKENS MAX_INPUT
#define DEPTH 64u

typedef struct run {
    campval__lex_result r;
    uint8_t nest[DEPTH];
    uint32_t open[2 * DEPTH + 4];
    uint8_t flags[TOKENS];
    uint32_t next[TOKENS];
} run;

static run want, got;

static void lex_as(int impl, const char *p, size_t n, uint32_t depth, uint32_t tokens, run *o)
{
    FUZZ_CHECK(campval__lex_force(impl), "impl %d", impl);
    campval__lex(p, n, depth, tokens, o->nest, o->open, o->flags, o->next, &o->r);
    campval__lex_force(CAMPVAL__LEX_AUTO);
}

static void compare(const char *p, size_t n, uint32_t depth, uint32_t tokens)
{
    static const int impls[] = {CAMPVAL__LEX_SSE2, CAMPVAL__LEX_AVX2};
    lex_as(CAMPVAL__LEX_SCALAR, p, n, depth, tokens, &want);
    for (size_t k = 0; k < sizeof impls / sizeof *impls; k++) {
        if (!campval__lex_force(impls[k]))
            continue;
        campval__lex_force(CAMPVAL__LEX_AUTO);
        bool ok = campval__lex_vector(impls[k], p, n, depth, tokens, got.nest, got.open,
                                      got.flags, got.next, &got.r);
        FUZZ_CHECK(ok == (want.r.code == CAMPVAL_OK), "impl %d %s, scalar %s at %zu", impls[k],
                   ok ? "accepts" : "declines", campval_code_name(want.r.code), want.r.offset);
        if (ok) {
            FUZZ_CHECK(got.r.tokens == want.r.tokens, "impl %d: %u tokens, scalar %u", impls[k],
                       got.r.tokens, want.r.tokens);
            FUZZ_CHECK(memcmp(got.flags, want.flags, want.r.tokens) == 0, "impl %d: flags",
                       impls[k]);
            FUZZ_CHECK(memcmp(got.next, want.next, want.r.tokens * sizeof *want.next) == 0,
                       "impl %d: next links", impls[k]);
        }
        lex_as(impls[k], p, n, depth, tokens, &got);
        FUZZ_CHECK(got.r.code == want.r.code && got.r.offset == want.r.offset &&
                       got.r.tokens == want.r.tokens,
                   "impl %d: %s at %zu (%u tokens), scalar %s at %zu (%u)", impls[k],
                   campval_code_name(got.r.code), got.r.offset, got.r.tokens,
                   campval_code_name(want.r.code), want.r.offset, want.r.tokens);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char shifted[MAX_INPUT + 1];
    if (size > MAX_INPUT)
        return 0;
    compare((const char *)data, size, DEPTH, TOKENS);
    compare((const char *)data, size, 4, 64);
    memcpy(shifted + 1, data, size);
    compare(shifted + 1, size, DEPTH, TOKENS);
    return 0;
}
