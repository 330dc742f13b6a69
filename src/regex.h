/*
 * regex — JSON Schema `pattern` support: ECMA-262 patterns run on PCRE2.
 *
 * A pattern is translated to PCRE2 syntax (where the two read the same text differently, the
 * ECMA-262 meaning wins; where the difference cannot be expressed the pattern is rejected) and
 * compiled once, with JIT when available. Matching runs in a context laid out in workspace
 * memory and never allocates. This is the only part of campval that sees PCRE2 types.
 */
#ifndef CAMPVAL_REGEX_H
#define CAMPVAL_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "campval.h"

/* Defaults for the matching limits; the build may override them (-D...). */

/** Backtracking steps per start position (PCRE2 match limit; counted differently under JIT). */
#ifndef CAMPVAL_REGEX_MATCH_LIMIT
#define CAMPVAL_REGEX_MATCH_LIMIT 200000u
#endif
/** Nested backtracking points in the interpreter (PCRE2 depth limit). */
#ifndef CAMPVAL_REGEX_DEPTH_LIMIT
#define CAMPVAL_REGEX_DEPTH_LIMIT 10000u
#endif
/**
 * KiB of backtracking frames the interpreter may use (PCRE2 heap limit). The frames live in the
 * regex context, so campval__regex_ctx_size() grows with this (about twice as many bytes).
 */
#ifndef CAMPVAL_REGEX_HEAP_LIMIT_KIB
#define CAMPVAL_REGEX_HEAP_LIMIT_KIB 512u
#endif
/** Longest pattern (bytes of the original ECMA-262 text) campval__regex_compile accepts. */
#ifndef CAMPVAL_REGEX_MAX_PATTERN
#define CAMPVAL_REGEX_MAX_PATTERN 16384u
#endif
/** Deepest nesting of groups and lookarounds in a pattern. */
#ifndef CAMPVAL_REGEX_MAX_NEST
#define CAMPVAL_REGEX_MAX_NEST 200u
#endif

/** A compiled pattern. Immutable; may be shared by any number of threads. */
typedef struct campval__regex campval__regex;

/** Per-workspace match state, laid out in caller memory. One thread at a time. */
typedef struct campval__regex_ctx campval__regex_ctx;

/**
 * Translate an ECMA-262 pattern (a JSON Schema `pattern`, UTF-8, `u`-flag syntax) and compile it.
 *
 * @param pat, len    the pattern text (need not be NUL-terminated)
 * @param a           allocator for everything the compiled pattern holds; NULL: malloc/free
 * @param out         receives the pattern; NULL on failure (must not be NULL)
 * @param err_offset  if not NULL, receives the byte offset in `pat` of a CAMPVAL_RULES_BAD_PATTERN
 * @param msg         if not NULL, receives a NUL-terminated English message (cut to msgsize)
 * @return CAMPVAL_OK, CAMPVAL_RULES_BAD_PATTERN (invalid ECMA-262, or syntax this module
 *         rejects because PCRE2 would give it another meaning), CAMPVAL_NOMEM, or
 *         CAMPVAL_NULL_ARGUMENT for a NULL `out`. Thread-safe.
 */
campval_code campval__regex_compile(const char *pat, size_t len, const campval_allocator *a,
                                    campval__regex **out, size_t *err_offset, char *msg,
                                    size_t msgsize);

/** Free a pattern with the allocator it was compiled with (the pattern keeps a copy). NULL: no-op. */
void campval__regex_free(campval__regex *re, const campval_allocator *a);

/** Bytes the pattern holds, including JIT code. */
size_t campval__regex_memory(const campval__regex *re);

/** Bytes campval__regex_ctx_init needs; constant for a build. */
size_t campval__regex_ctx_size(void);

/**
 * Lay out a match context in `mem` (any alignment; malloc-aligned wastes nothing). Uses only
 * that memory: PCRE2's match data, match context and interpreter frames are carved from it.
 * Limits start at the CAMPVAL_REGEX_* defaults.
 * @return CAMPVAL_OK or CAMPVAL_WORKSPACE_TOO_SMALL (size below campval__regex_ctx_size()).
 */
campval_code campval__regex_ctx_init(void *mem, size_t size, campval__regex_ctx **out);

/**
 * Change the limits of a context; 0 keeps the build default for that limit.
 * @return CAMPVAL_OK, or CAMPVAL_BAD_ARGUMENT when heap_kib exceeds CAMPVAL_REGEX_HEAP_LIMIT_KIB
 *         (the context memory is sized for that).
 */
campval_code campval__regex_ctx_set_limits(campval__regex_ctx *ctx, uint32_t match_limit,
                                           uint32_t depth_limit, uint32_t heap_kib);

/**
 * Search `s` (valid UTF-8, not checked again) for the pattern anywhere, as JSON Schema requires.
 * Never allocates. Thread-safe for distinct contexts sharing one pattern.
 * @return 1 match, 0 no match, -1 a limit was reached (match, depth, heap or JIT stack): the
 *         caller reports CAMPVAL_LIMIT_REGEX.
 */
int campval__regex_match(const campval__regex *re, campval__regex_ctx *ctx, const char *s,
                         size_t n);

/** campval__regex_match_limited's answer when the match limit given is what stopped it. */
#define CAMPVAL__REGEX_MATCH_LIMITED (-2)

/**
 * As campval__regex_match, under `match_limit` (PCRE2 match-limit units) for this call only.
 * @return 1, 0, CAMPVAL__REGEX_MATCH_LIMITED, or -1 for any other limit (depth, heap, JIT stack).
 */
int campval__regex_match_limited(const campval__regex *re, campval__regex_ctx *ctx, const char *s,
                                 size_t n, uint32_t match_limit);

/** False for the patterns matched by a linear scan of campval's own (literals, E.164). */
bool campval__regex_uses_pcre2(const campval__regex *re);

#endif /* CAMPVAL_REGEX_H */
