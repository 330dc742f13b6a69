/* Deep equality and hashing of JSON values (enum, const, uniqueItems). */
#ifndef CAMPVAL_EQUAL_H
#define CAMPVAL_EQUAL_H

#include "internal.h"

/* JSON Schema equality: numbers by value (1 == 1.0), strings after unescaping, objects regardless
 * of member order. Recursion is bounded by the documents' nesting limits. */
bool campval__json_equal(const campval__doc *a, uint32_t ta, const campval__doc *b, uint32_t tb);
/* A hash consistent with campval__json_equal. */
uint64_t campval__json_hash(const campval__doc *d, uint32_t t);
/* Instance type bit (CAMPVAL__TY_*) of a token, without the integer refinement. */
uint32_t campval__json_type(const campval__doc *d, uint32_t t);

#endif /* CAMPVAL_EQUAL_H */
