/* Deep equality and hashing of JSON values (enum, const, uniqueItems). */
#ifndef CAMPVAL_EQUAL_H
#define CAMPVAL_EQUAL_H

#include "internal.h"

/* JSON Schema equality: numbers by value (1 == 1.0), strings after unescaping, objects regardless
 * of member order. Recursion is bounded by the documents' nesting limits. */
bool campval__json_equal(const campval__doc *a, uint32_t ta, const campval__doc *b, uint32_t tb);
/* A hash consistent with campval__json_equal. */
uint64_t campval__json_hash(const campval__doc *d, uint32_t t);
/* Instance type bit (CAMPVAL__TY_*) of a token, without the integer refinement. Inline: the
 * engine asks it for every value it visits. */
static inline uint32_t campval__json_type(const campval__doc *d, uint32_t t)
{
    const campval__tok *k = &d->tok[t];
    if (k->type != CAMPVAL__T_PRIMITIVE)
        return k->type == CAMPVAL__T_OBJECT  ? 1u << 2  /* CAMPVAL__TY_OBJECT */
               : k->type == CAMPVAL__T_ARRAY ? 1u << 3  /* CAMPVAL__TY_ARRAY */
                                             : 1u << 5; /* CAMPVAL__TY_STRING */
    switch (d->text[k->start]) {
    case 't':
    case 'f': return 1u << 1; /* CAMPVAL__TY_BOOLEAN */
    case 'n': return 1u << 0; /* CAMPVAL__TY_NULL */
    default: return 1u << 4;  /* CAMPVAL__TY_NUMBER */
    }
}

#endif /* CAMPVAL_EQUAL_H */
