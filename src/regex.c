/*
 * regex — ECMA-262 patterns on PCRE2. The only file that includes pcre2.h.
 *
 * The pattern is first translated to PCRE2 syntax by src/ecma_regex.c (TRANSLATE mode: twice on
 * success, measure then write, and once more on a PCRE2 error to map its offset back). Here:
 *   1. Compilation through the caller's allocator, with JIT when the platform has it, and the
 *      fast paths (literals, E.164) that answer without PCRE2.
 *   2. A match context laid out in caller memory: PCRE2's general context allocates from that
 *      memory, so matching never reaches malloc.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ecma_regex.h"
#include "regex.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_FOUND SIZE_MAX

/* ---------------------------------------------------------------------------------------------
 * Compiled patterns
 * ------------------------------------------------------------------------------------------- */

/* Patterns simple enough to answer without PCRE2, with the same verdicts (tests/test_regex.c
 * checks them against PCRE2): a literal, anchored at the start, the end or both, and E.164. */
enum fast { FAST_NONE, FAST_CONTAINS, FAST_PREFIX, FAST_SUFFIX, FAST_EXACT, FAST_E164 };

#define FAST_LITERAL_MAX 64

struct campval__regex {
    pcre2_code *code;
    campval_allocator alloc; /* a copy: pcre2_code_free calls back into it */
    size_t bytes;            /* held through alloc, headers included */
    bool jit;
    unsigned char fast;      /* enum fast */
    unsigned char lit_len;
    char lit[FAST_LITERAL_MAX];
};

/* Recognise a fast pattern from its ECMA-262 text; FAST_NONE for anything else. */
static unsigned char recognise(const char *pat, size_t len, char *lit, unsigned char *lit_len)
{
    static const char *const e164[] = {"^\\+[1-9][0-9]{1,14}$", "^\\+[1-9]\\d{1,14}$"};
    for (size_t i = 0; i < sizeof e164 / sizeof *e164; i++)
        if (len == strlen(e164[i]) && memcmp(pat, e164[i], len) == 0)
            return FAST_E164;
    size_t i = 0, n = 0;
    bool start = len > 0 && pat[0] == '^', end = false;
    if (start)
        i = 1;
    while (i < len) {
        char ch = pat[i];
        if (ch == '$' && i + 1 == len) {
            end = true;
            break;
        }
        if (ch == '\\') {
            /* An escaped punctuation character stands for itself. */
            if (i + 1 >= len || !strchr("^$\\.*+?()[]{}|/-", pat[i + 1]) || pat[i + 1] == 0)
                return FAST_NONE;
            ch = pat[++i];
        } else if (strchr("^$.*+?()[]{}|", ch) || ch == 0) {
            return FAST_NONE;
        }
        if (n == FAST_LITERAL_MAX)
            return FAST_NONE;
        lit[n++] = ch;
        i++;
    }
    *lit_len = (unsigned char)n;
    return start && end ? FAST_EXACT : start ? FAST_PREFIX : end ? FAST_SUFFIX : FAST_CONTAINS;
}

static bool is_e164(const char *s, size_t n)
{
    if (n < 3 || n > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
        return false;
    for (size_t i = 2; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int match_fast(const campval__regex *re, const char *s, size_t n)
{
    size_t k = re->lit_len;
    switch (re->fast) {
    case FAST_E164: return is_e164(s, n);
    case FAST_EXACT: return n == k && memcmp(s, re->lit, k) == 0;
    case FAST_PREFIX: return n >= k && memcmp(s, re->lit, k) == 0;
    case FAST_SUFFIX: return n >= k && memcmp(s + n - k, re->lit, k) == 0;
    default:
        for (size_t i = 0; i + k <= n; i++)
            if (memcmp(s + i, re->lit, k) == 0)
                return 1;
        return 0;
    }
}

/* PCRE2 frees without a size; campval_allocator wants one. Keep it in front of the block. */
typedef union size_header {
    size_t size;
    max_align_t align;
} size_header;

static void *std_malloc(void *ctx, size_t n) { return (void)ctx, malloc(n); }
static void std_free(void *ctx, void *p, size_t n) { (void)ctx, (void)n, free(p); }

static void *tracked_malloc(size_t n, void *data)
{
    campval__regex *re = data;
    if (n > SIZE_MAX - sizeof(size_header))
        return NULL;
    size_header *h = re->alloc.malloc(re->alloc.ctx, n + sizeof *h);
    if (!h)
        return NULL;
    h->size = n + sizeof *h;
    re->bytes += h->size;
    return h + 1;
}

static void tracked_free(void *p, void *data)
{
    campval__regex *re = data;
    if (!p)
        return;
    size_header *h = (size_header *)p - 1;
    re->bytes -= h->size;
    re->alloc.free(re->alloc.ctx, h, h->size);
}

static void set_message(char *msg, size_t msgsize, const char *text, const char *pat,
                        const campval__ecma_result *r)
{
    if (!msg || msgsize == 0)
        return;
    if (r && r->quote_len > 0)
        snprintf(msg, msgsize, "%s: '%.*s'", text, (int)r->quote_len, pat + r->quote_at);
    else
        snprintf(msg, msgsize, "%s", text);
}

static campval_code bad_pattern(size_t at, size_t *err_offset, char *msg, size_t msgsize,
                                const char *text, const char *pat, const campval__ecma_result *r)
{
    if (err_offset)
        *err_offset = at;
    set_message(msg, msgsize, text, pat, r);
    return CAMPVAL_RULES_BAD_PATTERN;
}

/* PCRE2 reports offsets in the translated text; translate again to find the source construct. */
static size_t map_offset(const char *pat, size_t len, size_t translated)
{
    campval__ecma_result r;
    campval__ecma_parse(pat, len, CAMPVAL__ECMA_TRANSLATE, NULL, translated, &r);
    return r.found == CAMPVAL__ECMA_NOT_FOUND ? len : r.found;
}

/* PCRE2_UTF without PCRE2_UCP: \b and PCRE2's tables stay ASCII. $ only at the very end. */
#define COMPILE_OPTIONS                                                                            \
    (PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C |                \
     PCRE2_NO_UTF_CHECK)

static campval_code compile_translated(campval__regex *re, const char *buf, size_t n,
                                       int *pcre_err, size_t *pcre_off)
{
    campval_code rc = CAMPVAL_NOMEM;
    pcre2_general_context *g = pcre2_general_context_create(tracked_malloc, tracked_free, re);
    pcre2_compile_context *cc = g ? pcre2_compile_context_create(g) : NULL;
    if (cc) {
        /* A lone \uD800 is a valid ECMA pattern; as \x{d800} it simply never matches UTF-8. */
        pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALLOW_SURROGATE_ESCAPES);
        pcre2_set_parens_nest_limit(cc, CAMPVAL_REGEX_MAX_NEST + 10);
        int ec;
        PCRE2_SIZE eo;
        re->code = pcre2_compile((PCRE2_SPTR)buf, n, COMPILE_OPTIONS, &ec, &eo, cc);
        if (re->code) {
            rc = CAMPVAL_OK;
        } else if (ec != PCRE2_ERROR_HEAP_FAILED) {
            rc = CAMPVAL_RULES_BAD_PATTERN;
            *pcre_err = ec;
            *pcre_off = eo;
        }
    }
    pcre2_compile_context_free(cc);
    pcre2_general_context_free(g);
    return rc;
}

campval_code campval__regex_compile(const char *pat, size_t len, const campval_allocator *a,
                                    campval__regex **out, size_t *err_offset, char *msg,
                                    size_t msgsize)
{
    static const campval_allocator std = {std_malloc, NULL, std_free, NULL};
    if (!out)
        return CAMPVAL_NULL_ARGUMENT;
    *out = NULL;
    if (msg && msgsize)
        msg[0] = '\0';
    if (!pat && len > 0)
        return bad_pattern(0, err_offset, msg, msgsize, "NULL pattern", NULL, NULL);
    if (!pat)
        pat = "";
    if (len > CAMPVAL_REGEX_MAX_PATTERN)
        return bad_pattern(CAMPVAL_REGEX_MAX_PATTERN, err_offset, msg, msgsize,
                           "pattern is longer than this build allows", NULL, NULL);

    campval__ecma_result r;
    if (!campval__ecma_parse(pat, len, CAMPVAL__ECMA_TRANSLATE, NULL, CAMPVAL__ECMA_NOT_FOUND, &r))
        return bad_pattern(r.err_at, err_offset, msg, msgsize, r.err, pat, &r);
    size_t n = r.out_len;

    if (!a)
        a = &std;
    campval__regex *re = a->malloc(a->ctx, sizeof *re);
    if (!re)
        return CAMPVAL_NOMEM;
    re->code = NULL;
    re->alloc = *a;
    re->bytes = sizeof *re;
    re->jit = false;
    re->fast = recognise(pat, len, re->lit, &re->lit_len);

    char *buf = tracked_malloc(n + 1, re);
    if (!buf) {
        a->free(a->ctx, re, sizeof *re);
        return CAMPVAL_NOMEM;
    }
    campval__ecma_parse(pat, len, CAMPVAL__ECMA_TRANSLATE, buf, CAMPVAL__ECMA_NOT_FOUND, &r);
    int pcre_err = 0;
    size_t pcre_off = 0;
    campval_code rc = compile_translated(re, buf, n, &pcre_err, &pcre_off);
    tracked_free(buf, re);
    if (rc != CAMPVAL_OK) {
        a->free(a->ctx, re, sizeof *re);
        if (rc == CAMPVAL_RULES_BAD_PATTERN) {
            char text[160];
            pcre2_get_error_message(pcre_err, (PCRE2_UCHAR *)text, sizeof text);
            /* Property errors point just past the escape; others at the construct itself. */
            bool after = pcre_err == PCRE2_ERROR_MALFORMED_UNICODE_PROPERTY ||
                         pcre_err == PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY;
            if (after && pcre_off > 0)
                pcre_off--;
            return bad_pattern(map_offset(pat, len, pcre_off), err_offset, msg, msgsize, text,
                               NULL, NULL);
        }
        return rc;
    }
    /* Without JIT (unsupported platform, no executable memory) the interpreter runs with the
     * same limits; nothing else changes. */
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    *out = re;
    return CAMPVAL_OK;
}

void campval__regex_free(campval__regex *re, const campval_allocator *a)
{
    (void)a; /* the copy taken at compile time is the one PCRE2 already used */
    if (!re)
        return;
    campval_allocator alloc = re->alloc;
    pcre2_code_free(re->code);
    alloc.free(alloc.ctx, re, sizeof *re);
}

size_t campval__regex_memory(const campval__regex *re)
{
    if (!re)
        return 0;
    size_t jit = 0;
    if (re->jit)
        pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jit);
    return re->bytes + jit;
}

/* ---------------------------------------------------------------------------------------------
 * Match contexts
 *
 * PCRE2's general context allocates from the context memory. Besides three small objects made
 * at init, only the interpreter allocates: its backtracking frames, which it grows by
 * allocating a block twice as large, copying, then freeing the old one, up to the heap limit.
 * So at most two frame blocks are alive at once; placing blocks alternately at the low and the
 * high end of the region, and popping freed blocks off either end, serves that with 2 x heap
 * limit bytes, where a plain bump allocator would need the sum of every size ever reached.
 * ------------------------------------------------------------------------------------------- */

typedef union block {
    struct {
        size_t total; /* header included */
        size_t below; /* offset of the previous top block at the same end, NOT_FOUND if none */
        bool freed;
        bool high;
    } h;
    max_align_t align;
} block;

struct campval__regex_ctx {
    pcre2_general_context *general;
    pcre2_match_context *match_ctx;
    pcre2_match_data *match_data;
    unsigned char *region;
    size_t cap;
    size_t low_used, high_used;
    size_t low_top, high_top; /* offsets of the topmost block at each end */
    bool next_high;
    uint32_t match_limit;     /* the context's own limit, for campval__regex_match */
};

#define ALIGN_UP(n, a) (((n) + (a)-1) / (a) * (a))
/* gctx, mctx and match data with one ovector pair: a few hundred bytes in PCRE2 10.42. */
#define FIXED_OBJECTS_BYTES 4096u
#define REGION_BYTES                                                                               \
    (FIXED_OBJECTS_BYTES + 2u * ((size_t)CAMPVAL_REGEX_HEAP_LIMIT_KIB * 1024u + sizeof(block)))

static block *block_at(campval__regex_ctx *c, size_t off) { return (block *)(c->region + off); }

static void *region_malloc(size_t n, void *data)
{
    campval__regex_ctx *c = data;
    size_t room = c->cap - c->low_used - c->high_used;
    if (n > room)
        return NULL;
    size_t total = ALIGN_UP(n, sizeof(block)) + sizeof(block);
    if (total > room)
        return NULL;
    bool high = c->next_high;
    size_t off = high ? c->cap - c->high_used - total : c->low_used;
    block *b = block_at(c, off);
    b->h.total = total;
    b->h.freed = false;
    b->h.high = high;
    if (high) {
        b->h.below = c->high_top;
        c->high_top = off;
        c->high_used += total;
    } else {
        b->h.below = c->low_top;
        c->low_top = off;
        c->low_used += total;
    }
    c->next_high = !high;
    return b + 1;
}

static void region_free(void *p, void *data)
{
    campval__regex_ctx *c = data;
    if (!p)
        return;
    ((block *)p - 1)->h.freed = true;
    while (c->low_top != NOT_FOUND && block_at(c, c->low_top)->h.freed) {
        c->low_used = c->low_top;
        c->low_top = block_at(c, c->low_top)->h.below;
    }
    while (c->high_top != NOT_FOUND && block_at(c, c->high_top)->h.freed) {
        c->high_used -= block_at(c, c->high_top)->h.total;
        c->high_top = block_at(c, c->high_top)->h.below;
    }
}

size_t campval__regex_ctx_size(void)
{
    return alignof(max_align_t) - 1 + ALIGN_UP(sizeof(campval__regex_ctx), sizeof(block)) +
           REGION_BYTES;
}

campval_code campval__regex_ctx_set_limits(campval__regex_ctx *ctx, uint32_t match_limit,
                                           uint32_t depth_limit, uint32_t heap_kib)
{
    if (heap_kib > CAMPVAL_REGEX_HEAP_LIMIT_KIB)
        return CAMPVAL_BAD_ARGUMENT;
    ctx->match_limit = match_limit ? match_limit : CAMPVAL_REGEX_MATCH_LIMIT;
    pcre2_set_match_limit(ctx->match_ctx, ctx->match_limit);
    pcre2_set_depth_limit(ctx->match_ctx, depth_limit ? depth_limit : CAMPVAL_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(ctx->match_ctx, heap_kib ? heap_kib : CAMPVAL_REGEX_HEAP_LIMIT_KIB);
    return CAMPVAL_OK;
}

campval_code campval__regex_ctx_init(void *mem, size_t size, campval__regex_ctx **out)
{
    if (!mem || size < campval__regex_ctx_size())
        return CAMPVAL_WORKSPACE_TOO_SMALL;
    uintptr_t addr = (uintptr_t)mem;
    size_t pad = (alignof(max_align_t) - addr % alignof(max_align_t)) % alignof(max_align_t);
    campval__regex_ctx *c = (campval__regex_ctx *)((unsigned char *)mem + pad);
    c->region = (unsigned char *)c + ALIGN_UP(sizeof *c, sizeof(block));
    c->cap = REGION_BYTES / sizeof(block) * sizeof(block); /* high-end blocks stay aligned */
    c->low_used = c->high_used = 0;
    c->low_top = c->high_top = NOT_FOUND;
    c->next_high = false;
    c->general = pcre2_general_context_create(region_malloc, region_free, c);
    c->match_ctx = c->general ? pcre2_match_context_create(c->general) : NULL;
    /* One pair: only "matched or not" is read. The JIT stack stays PCRE2's default 32 KiB on
     * the machine stack, since a pcre2_jit_stack could only come from mmap, not from here. */
    c->match_data = c->match_ctx ? pcre2_match_data_create(1, c->general) : NULL;
    if (!c->match_data)
        return CAMPVAL_WORKSPACE_TOO_SMALL; /* cannot happen with REGION_BYTES; kept honest */
    campval__regex_ctx_set_limits(c, 0, 0, 0);
    *out = c;
    return CAMPVAL_OK;
}

bool campval__regex_uses_pcre2(const campval__regex *re)
{
    return re->fast == FAST_NONE;
}

int campval__regex_match_limited(const campval__regex *re, campval__regex_ctx *ctx, const char *s,
                                 size_t n, uint32_t match_limit)
{
    if (!s)
        s = "";
    if (re->fast != FAST_NONE)
        return match_fast(re, s, n);
    pcre2_set_match_limit(ctx->match_ctx, match_limit);
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, ctx->match_data,
                         ctx->match_ctx);
    /* The fixed JIT stack ran out (long subject, deep group repetition): the interpreter keeps
     * its frames in the context, up to the heap limit, and may still finish. */
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                         ctx->match_data, ctx->match_ctx);
    if (rc >= 0)
        return 1; /* 0 would mean "matched, ovector too small" */
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT)
        return CAMPVAL__REGEX_MATCH_LIMITED;
    /* DEPTHLIMIT, HEAPLIMIT, JIT_STACKLIMIT, NOMEMORY; anything else would be a bug here, and
     * failing closed is the safe answer for a validator. */
    return -1;
}

int campval__regex_match(const campval__regex *re, campval__regex_ctx *ctx, const char *s,
                         size_t n)
{
    int r = campval__regex_match_limited(re, ctx, s, n, ctx->match_limit);
    return r == CAMPVAL__REGEX_MATCH_LIMITED ? -1 : r;
}
