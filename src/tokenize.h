/* Tokenizing stage: the only file that includes jsmn. */
#ifndef CAMPVAL_TOKENIZE_H
#define CAMPVAL_TOKENIZE_H

#include "internal.h"

/*
 * Tokenize a document the lexer has accepted (and counted: `expected` tokens) into tok[].
 * Returns CAMPVAL_OK, or CAMPVAL_INTERNAL if jsmn disagrees with the lexer.
 */
campval_code campval__tokenize(const char *text, size_t len, campval__tok *tok, uint32_t expected);

#endif /* CAMPVAL_TOKENIZE_H */
