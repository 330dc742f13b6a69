/*
 * Workspace layout. One function computes every region's offset, so that the size callers are
 * told and the layout init carves can never disagree.
 */
#include <stdalign.h>
#include <string.h>

#include "engine.h"
#include "internal.h"
#include "phone.h"
#include "regex.h"

_Static_assert(CAMPVAL_DEFAULT_REGEX_MATCH_LIMIT == CAMPVAL_REGEX_MATCH_LIMIT &&
                   CAMPVAL_DEFAULT_REGEX_DEPTH_LIMIT == CAMPVAL_REGEX_DEPTH_LIMIT &&
                   CAMPVAL_DEFAULT_REGEX_HEAP_LIMIT_KIB == CAMPVAL_REGEX_HEAP_LIMIT_KIB,
               "campval.h's regex defaults are the ones regex.c is built with");

enum { R_TOK, R_FLAGS, R_NEXT, R_STACK, R_SLOTS, R_NEST, R_ERRORS, R_STRBUF, R_REGEX, R_EVAL,
       R_COUNT };

typedef struct layout {
    size_t off[R_COUNT];
    size_t total;
    uint32_t slot_count;
    size_t eval_size;
} layout;

static bool add(size_t *acc, size_t n)
{
    const size_t align = alignof(max_align_t);
    if (n > SIZE_MAX - *acc - align)
        return false;
    *acc = (*acc + n + align - 1) & ~(align - 1);
    return true;
}

static bool mul(size_t a, size_t b, size_t *out)
{
    if (a && b > SIZE_MAX / a)
        return false;
    *out = a * b;
    return true;
}

static bool compute(const campval_limits *lim, layout *l)
{
    if (lim->max_tokens == 0 || lim->max_tokens > (uint32_t)INT32_MAX / 2 || lim->max_depth == 0 ||
        lim->max_depth > CAMPVAL_MAX_DEPTH_CEILING || lim->max_errors == 0 ||
        lim->regex_heap_limit_kib > CAMPVAL_REGEX_HEAP_LIMIT_KIB)
        return false;
    uint32_t slots = lim->max_tokens * 2u; /* max_tokens <= INT32_MAX / 2: no overflow */
    l->slot_count = slots;
    l->eval_size = campval__engine_scratch_size(lim);
    size_t sizes[R_COUNT];
    if (!mul(lim->max_tokens, sizeof(campval__tok), &sizes[R_TOK]) ||
        !mul(lim->max_errors, sizeof(campval_error), &sizes[R_ERRORS]))
        return false;
    sizes[R_FLAGS] = lim->max_tokens;
    sizes[R_NEXT] = (size_t)lim->max_tokens * sizeof(uint32_t);
    sizes[R_STACK] = ((size_t)lim->max_depth * 2 + 4) * sizeof(uint32_t);
    sizes[R_SLOTS] = (size_t)slots * sizeof(uint32_t);
    sizes[R_NEST] = lim->max_depth;
    sizes[R_STRBUF] = (size_t)lim->max_string + 1;
    sizes[R_REGEX] = campval__regex_ctx_size();
    sizes[R_EVAL] = l->eval_size;
    size_t acc = 0;
    if (!add(&acc, sizeof(struct campval_workspace)))
        return false;
    for (int r = 0; r < R_COUNT; r++) {
        l->off[r] = acc;
        if (!add(&acc, sizes[r]))
            return false;
    }
    l->total = acc;
    return true;
}

/* meson's max_depth and max_errors options may change the defaults of a build. */
#ifndef CAMPVAL_BUILD_MAX_DEPTH
#define CAMPVAL_BUILD_MAX_DEPTH CAMPVAL_DEFAULT_MAX_DEPTH
#endif
#ifndef CAMPVAL_BUILD_MAX_ERRORS
#define CAMPVAL_BUILD_MAX_ERRORS CAMPVAL_DEFAULT_MAX_ERRORS
#endif

void campval_limits_default(campval_limits *lim)
{
    if (!lim)
        return;
    lim->max_tokens = CAMPVAL_DEFAULT_MAX_TOKENS;
    lim->max_depth = CAMPVAL_BUILD_MAX_DEPTH;
    lim->max_errors = CAMPVAL_BUILD_MAX_ERRORS;
    lim->max_string = CAMPVAL_DEFAULT_MAX_STRING;
    lim->regex_match_limit = CAMPVAL_DEFAULT_REGEX_MATCH_LIMIT;
    lim->regex_depth_limit = CAMPVAL_DEFAULT_REGEX_DEPTH_LIMIT;
    lim->regex_heap_limit_kib = CAMPVAL_DEFAULT_REGEX_HEAP_LIMIT_KIB;
}

size_t campval_workspace_size(const campval_limits *lim)
{
    campval_limits def;
    if (!lim) {
        campval_limits_default(&def);
        lim = &def;
    }
    layout l;
    return compute(lim, &l) ? l.total : 0;
}

campval_code campval_workspace_init(void *mem, size_t size, const campval_limits *lim,
                                    campval_workspace **out)
{
    if (!out)
        return CAMPVAL_NULL_ARGUMENT;
    *out = NULL;
    if (!mem)
        return CAMPVAL_NULL_ARGUMENT;
    campval_limits def;
    if (!lim) {
        campval_limits_default(&def);
        lim = &def;
    }
    layout l;
    if (!compute(lim, &l) || ((uintptr_t)mem % alignof(max_align_t)) != 0)
        return CAMPVAL_BAD_ARGUMENT;
    if (size < l.total)
        return CAMPVAL_WORKSPACE_TOO_SMALL;
    char *base = mem;
    campval_workspace *ws = mem;
    memset(ws, 0, sizeof *ws);
    ws->magic = CAMPVAL__WS_MAGIC;
    ws->lim = *lim;
    if (!ws->lim.regex_match_limit)
        ws->lim.regex_match_limit = CAMPVAL_DEFAULT_REGEX_MATCH_LIMIT;
    ws->tok = (campval__tok *)(void *)(base + l.off[R_TOK]);
    ws->flags = (uint8_t *)(base + l.off[R_FLAGS]);
    ws->next = (uint32_t *)(void *)(base + l.off[R_NEXT]);
    ws->stack = (uint32_t *)(void *)(base + l.off[R_STACK]);
    ws->slots = (uint32_t *)(void *)(base + l.off[R_SLOTS]);
    ws->slot_count = l.slot_count;
    ws->nest = (uint8_t *)(base + l.off[R_NEST]);
    ws->errors = (campval_error *)(void *)(base + l.off[R_ERRORS]);
    ws->strbuf = base + l.off[R_STRBUF];
    ws->eval = base + l.off[R_EVAL];
    ws->eval_size = l.eval_size;
    campval__hkey_random(&ws->key);
    campval_code rc = campval__regex_ctx_init(base + l.off[R_REGEX], campval__regex_ctx_size(),
                                              &ws->regex);
    if (rc == CAMPVAL_OK)
        rc = campval__regex_ctx_set_limits(ws->regex, ws->lim.regex_match_limit,
                                           lim->regex_depth_limit, lim->regex_heap_limit_kib);
    if (rc != CAMPVAL_OK) {
        ws->magic = 0;
        return rc;
    }
    *out = ws;
    return CAMPVAL_OK;
}

campval_code campval_workspace_create(const campval_limits *lim, const campval_allocator *alloc,
                                      campval_workspace **out)
{
    if (!out)
        return CAMPVAL_NULL_ARGUMENT;
    *out = NULL;
    size_t size = campval_workspace_size(lim);
    if (size == 0)
        return CAMPVAL_BAD_ARGUMENT;
    void *mem = campval__malloc(alloc, size);
    if (!mem)
        return CAMPVAL_NOMEM;
    campval_workspace *ws;
    campval_code rc = campval_workspace_init(mem, size, lim, &ws);
    if (rc != CAMPVAL_OK) {
        campval__free(alloc, mem, size);
        return rc;
    }
    if (alloc)
        ws->alloc = *alloc;
    ws->alloc_size = size;
    ws->owned = true;
    *out = ws;
    return CAMPVAL_OK;
}

void campval_workspace_destroy(campval_workspace *ws)
{
    if (!ws || ws->magic != CAMPVAL__WS_MAGIC || !ws->owned)
        return;
    campval_allocator a = ws->alloc;
    size_t size = ws->alloc_size;
    ws->magic = 0;
    campval__free(a.malloc ? &a : NULL, ws, size);
}

campval_code campval_workspace_set_preflight(campval_workspace *ws, const campval_preflight *pf)
{
    if (!ws)
        return CAMPVAL_NULL_ARGUMENT;
    if (ws->magic != CAMPVAL__WS_MAGIC)
        return CAMPVAL_BAD_ARGUMENT;
    campval_preflight none = {0};
    if (!pf)
        pf = &none;
    /* 1970-01-01 to 9999-12-31 (as the CLI's --at): outside it the zone data has no answer and
     * the calling-hours check would pass without looking */
    if (pf->at < 0 || pf->at > CAMPVAL_PREFLIGHT_AT_MAX)
        return CAMPVAL_BAD_ARGUMENT;
    uint32_t n = 0;
    char regions[sizeof ws->pf_regions];
    for (const char *r = pf->regions; r && *r; r += 2) {
        if (n > 0 && *r++ != ',')
            return CAMPVAL_BAD_ARGUMENT;
        if (n == 64 || r[0] < 'A' || r[0] > 'Z' || r[1] < 'A' || r[1] > 'Z')
            return CAMPVAL_BAD_ARGUMENT;
        memcpy(regions + 2 * n++, r, 2);
    }
    if (pf->regions && n == 0)
        return CAMPVAL_BAD_ARGUMENT;
    if (n > 0 && !campval__phone_available())
        return CAMPVAL_RULES_UNSUPPORTED; /* a number's region is libphonenumber's to say */
    ws->pf = *pf;
    ws->pf.regions = NULL; /* the caller's string need not outlive the call */
    memcpy(ws->pf_regions, regions, 2 * (size_t)n);
    ws->pf_region_count = n;
    return CAMPVAL_OK;
}
