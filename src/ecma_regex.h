/*
 * ecma_regex — the ECMA-262 pattern grammar, shared by `pattern` (translated to PCRE2 syntax by
 * src/regex.c) and `format: "regex"` (checked only). One grammar, one set of Unicode property
 * tables: the two uses cannot disagree about what a pattern means.
 *
 * The grammar is u-flag ECMA-262 (as JSON Schema 2020-12 asks) with one relaxation from Annex B:
 * an escaped ASCII punctuation character with no other meaning (\&, \%, \-, \', \:, ...) is that
 * character, as Blaze and ajv read patterns.
 */
#ifndef CAMPVAL_ECMA_REGEX_H
#define CAMPVAL_ECMA_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "regex.h" /* CAMPVAL_REGEX_MAX_NEST */

typedef enum campval__ecma_mode {
    /** Validity only; backreferences and modifier groups are accepted. */
    CAMPVAL__ECMA_CHECK,
    /** PCRE2 output; what cannot be translated faithfully is an error. */
    CAMPVAL__ECMA_TRANSLATE,
} campval__ecma_mode;

#define CAMPVAL__ECMA_NOT_FOUND ((size_t)-1)

/** What a parse produced. */
typedef struct campval__ecma_result {
    size_t out_len;    /* TRANSLATE: bytes of PCRE2 text (written to buf when buf is not NULL) */
    size_t found;      /* pattern offset of the construct that wrote byte `target`, or NOT_FOUND */
    const char *err;   /* NULL on success; else a static English message */
    size_t err_at;     /* byte offset of the error in the pattern */
    size_t quote_at;   /* pattern bytes the message should quote (quote_len 0: none) */
    size_t quote_len;
} campval__ecma_result;

/**
 * Parse `pat` (UTF-8, need not be NUL-terminated) in `mode`.
 * @param buf     TRANSLATE: out_len bytes of PCRE2 text are written here; NULL measures only
 * @param target  an offset in the translated text to map back (see result.found), or NOT_FOUND
 * @return true when the pattern is valid (and, in TRANSLATE mode, translatable). Never allocates.
 */
bool campval__ecma_parse(const char *pat, size_t len, campval__ecma_mode mode, char *buf,
                         size_t target, campval__ecma_result *r);

/** `format: "regex"`: true when `pat` is a valid pattern under the grammar above. */
static inline bool campval__ecma_is_valid(const char *pat, size_t len)
{
    campval__ecma_result r;
    return campval__ecma_parse(pat, len, CAMPVAL__ECMA_CHECK, NULL, CAMPVAL__ECMA_NOT_FOUND, &r);
}

#endif /* CAMPVAL_ECMA_REGEX_H */
