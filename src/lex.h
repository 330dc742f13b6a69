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

/* campval__utf8_seq (length of the valid UTF-8 sequence at s, or 0) is in utf8.h. */
#include "utf8.h"

#endif /* CAMPVAL_LEX_H */
