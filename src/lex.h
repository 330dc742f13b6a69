/* Lexical stage: the authority on RFC 8259 syntax. One pass, no recursion, no allocation. */
#ifndef CAMPVAL_LEX_H
#define CAMPVAL_LEX_H

#include "internal.h"

typedef struct campval__lex_result {
    campval_code code; /* CAMPVAL_OK or the first syntax/limit error */
    size_t offset;     /* where, relative to the text given */
    uint32_t tokens;   /* tokens the document has (valid when code is OK) */
} campval__lex_result;

/*
 * Check that text[0..len) is exactly one RFC 8259 JSON value with optional surrounding white
 * space. `nest` and `open` hold one entry per nesting level (max_depth each); `flags` receives
 * the string flags of each token in document order and `next` the index of the first token
 * after each token's subtree (max_tokens entries each; a member name's subtree includes its
 * value). Token indices are jsmn's: document order. Stops at the first error.
 */
void campval__lex(const char *text, size_t len, uint32_t max_depth, uint32_t max_tokens,
                  uint8_t *nest, uint32_t *open, uint8_t *flags, uint32_t *next,
                  campval__lex_result *out);

/*
 * Which implementation campval__lex uses. AUTO (the default) is the scalar lexer (see
 * campval__lex in lex.c for why); SSE2 and AVX2 run the vector path on x86-64, which hands every
 * document it cannot accept to the scalar lexer, so verdicts, codes and offsets are the scalar
 * lexer's. Tests and fuzz targets force one (not thread-safe: set it before validating); returns
 * false, changing nothing, when this CPU or build lacks it.
 */
enum { CAMPVAL__LEX_AUTO, CAMPVAL__LEX_SCALAR, CAMPVAL__LEX_SSE2, CAMPVAL__LEX_AVX2 };
bool campval__lex_force(int impl);

/*
 * The vector path alone: true when it accepted the document (out, flags and next then filled as
 * campval__lex fills them), false when it leaves the verdict to the scalar lexer (any error, a
 * limit reached, or impl unavailable). AUTO picks AVX2 where the CPU has it, else SSE2. For the
 * differential tests.
 */
bool campval__lex_vector(int impl, const char *text, size_t len, uint32_t max_depth,
                         uint32_t max_tokens, uint8_t *nest, uint32_t *open, uint8_t *flags,
                         uint32_t *next, campval__lex_result *out);

/* ---- first stage (lex_simd.c), x86-64 only ---- */
enum { CAMPVAL__LEX_WINDOW = 32 }; /* 64-byte blocks classified per refill */

typedef struct campval__lex_index {
    const unsigned char *s;
    size_t len;
    size_t pos;          /* next block to classify */
    uint64_t escaped;    /* carries between blocks: the next byte is escaped, */
    uint64_t in_string;  /* ... inside a string (all ones), */
    uint64_t scalar;     /* ... continues a number or literal */
    bool bad;            /* a byte never valid where it stands: the scalar lexer decides */
    uint32_t n;          /* entries in idx */
    uint32_t idx[CAMPVAL__LEX_WINDOW * 64];
} campval__lex_index;

/* Classify the next window of blocks into ix->idx (ix->n entries), or set bad. */
void campval__lex_index_sse2(campval__lex_index *ix);
void campval__lex_index_avx2(campval__lex_index *ix);
bool campval__lex_has_avx2(void);

/* campval__utf8_seq (length of the valid UTF-8 sequence at s, or 0) is in utf8.h. */
#include "utf8.h"

#endif /* CAMPVAL_LEX_H */
