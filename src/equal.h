/* Deep equality and hashing of JSON values (enum, const, uniqueItems). */
#ifndef CAMPVAL_EQUAL_H
#define CAMPVAL_EQUAL_H

#include "hash.h"
#include "internal.h"

/*
 * What a comparison may use and spend. Objects with more than a few members are compared
 * through a hash table of one side's names, taken from `slots` as a stack: the tables alive at
 * once belong to nested objects of one document, whose members are disjoint tokens, so 2 slots
 * per token of the document always suffice. Every token visited spends one unit of `budget`,
 * so no input can make a comparison or a hash cost more than what the caller granted.
 */
typedef struct campval__eq {
    const campval__hkey *key; /* NULL: the fixed, unkeyed hash (values hashed at compile time) */
    uint32_t *slots;          /* member tables (NULL: pairwise only, for compile time) */
    uint32_t cap, top;
    uint64_t *budget;         /* work units left; NULL: unlimited */
    bool exhausted;           /* the budget or the slots ran out: the answer is not to be used */
} campval__eq;

/* JSON Schema equality: numbers by value (1 == 1.0), strings after unescaping, objects regardless
 * of member order. Linear in the sizes of the two values. Recursion is bounded by the documents'
 * nesting limits. `a` is the side whose objects get the hash tables: the instance, when the
 * other side is a rules document. */
bool campval__json_equal(campval__eq *eq, const campval__doc *a, uint32_t ta,
                         const campval__doc *b, uint32_t tb);
/* A hash consistent with campval__json_equal, keyed with eq->key. eq NULL: unkeyed, unlimited. */
uint64_t campval__json_hash(campval__eq *eq, const campval__doc *d, uint32_t t);
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
