/*
 * The JSON stage: lexer, jsmn, structure and duplicate member names, over buffers the caller
 * hands in. No workspace, no allocation, no error list: the return value and the stage struct
 * say what happened, and the caller records it (picohttpparser's shape).
 */
#ifndef CAMPVAL_JSON_H
#define CAMPVAL_JSON_H

#include "internal.h"

typedef struct campval__json_stage {
    /* In: the caller's buffers. */
    campval__tok *tok;    /* max_tokens entries */
    uint8_t *flags;       /* max_tokens entries */
    uint32_t *next;       /* max_tokens entries */
    uint32_t *stack;      /* 2 * max_depth + 4 entries: the lexer's open containers */
    uint8_t *nest;        /* max_depth entries: the lexer's container bits */
    uint32_t *slots;      /* 2 * max_tokens entries: hash slots of the duplicate check */
    uint32_t max_tokens;
    uint32_t max_depth;
    const campval__hkey *key; /* SipHash key of the name table, secret from the input */
    uint64_t *budget;         /* work units left (the caller sets them); the duplicate check
                               * pays from it */
    /* Out. */
    campval__doc doc;     /* the document (count is valid once the lexer has accepted it) */
    size_t offset;        /* where the returned code applies, in the caller's buffer */
    uint32_t earlier;     /* JSON_DUPLICATE_KEY: the earlier name token ... */
    uint32_t later;       /* ... and the repeat */
    /* Private: where campval__json_resume goes on. */
    uint32_t at_obj, at_key, at_tok;
    bool allow_dups;
} campval__json_stage;

/*
 * Parse json[0..len) strictly (flags: CAMPVAL_ALLOW_BOM, CAMPVAL_ALLOW_DUPLICATE_KEYS). Returns:
 *   CAMPVAL_OK                    the document in st->doc can be validated (with
 *                                 CAMPVAL_ALLOW_DUPLICATE_KEYS, repeated names are marked
 *                                 CAMPVAL__F_SHADOWED instead);
 *   CAMPVAL_JSON_DUPLICATE_KEY    st->earlier/st->later name the pair, st->offset the repeat's
 *                                 quote; campval__json_resume finds the next one;
 *   CAMPVAL_LIMIT_EVALUATION      the duplicate check ran out of budget (st->offset: start);
 *   any lexer code or CAMPVAL_INTERNAL, at st->offset.
 */
campval_code campval__json_parse(campval__json_stage *st, const char *json, size_t len,
                                 uint32_t flags);

/* After CAMPVAL_JSON_DUPLICATE_KEY: go on with the duplicate check, same returns. */
campval_code campval__json_resume(campval__json_stage *st);

#endif /* CAMPVAL_JSON_H */
