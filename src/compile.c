/*
 * Rule compiling. Documents are parsed with campval's own strict JSON stage, scanned once for
 * identifiers ($id, $anchor, $dynamicAnchor) and then compiled node by node from a worklist:
 * a subschema gets its node number when first referenced, so reference cycles need no recursion.
 * Everything allocated here belongs to the schema and is freed with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "equal.h"
#include "format.h"
#include "json.h"
#include "jstring.h"
#include "phone.h"
#include "pointer.h"
#include "regex.h"
#include "schema.h"
#include "uri.h"

#define RULES_MAX_DEPTH 512u
/* Documents one compile may load. Their tables are reserved up front and never move, so a
 * pointer to a document stays valid while a $ref loads another one. */
#define RULES_MAX_DOCS 256u
#define URI_MAX 2048

/* Dialects, per schema resource: chosen by $schema, inherited from the enclosing resource, or
 * the compile option's default. OpenAPI 3.0 documents ("openapi": "3.0.x" at the root) are
 * draft-07 plus `nullable` and draft-04's boolean exclusiveMinimum/exclusiveMaximum. */
enum { D_2020, D_2019, D_7, D_OAS30 };

/* Vocabularies (2020-12). */
enum {
    V_CORE = 1u << 0,
    V_APPLICATOR = 1u << 1,
    V_UNEVALUATED = 1u << 2,
    V_VALIDATION = 1u << 3,
    V_META = 1u << 4,
    V_FORMAT_ANNOTATION = 1u << 5,
    V_FORMAT_ASSERTION = 1u << 6,
    V_CONTENT = 1u << 7,
    V_ALL = 0xBF /* everything but format assertion */
};

/* ---- allocation: every block is linked to the schema ------------------------------------ */

struct campval__block {
    struct campval__block *prev, *next;
    size_t size;
    max_align_t align[];
};

typedef struct reg {
    char *uri;
    uint32_t doc, tok;
    uint32_t resource;
} reg;

/* Open-addressed table of indices into an array whose keys the caller compares; only the hash
 * is stored. Compile-time lookups go through these so that every lookup is O(1) expected and
 * compiling stays linear in the size of the rules. */
typedef struct htab {
    struct hslot {
        uint64_t hash;
        uint32_t val; /* index + 1; 0: empty */
    } *slot;
    uint32_t mask, count;
} htab;

typedef struct dinfo {
    int32_t *node_of; /* node per token, -1 */
    int32_t *res_of;  /* resource per schema token, -1 */
    uint32_t *pos;    /* array element: its index; any other token: 0 */
    uint32_t *afirst; /* array token: its first element in elems */
    uint32_t *elems;  /* elements of every array, array by array */
    htab members;     /* (object, name) -> name token, for objects with many members */
} dinfo;

typedef struct tagged_anchor {
    uint32_t resource, name, node;
} tagged_anchor;

/* Per-resource settings, kept while compiling. */
typedef struct rinfo {
    uint32_t vocab;
    bool assert_formats;
    uint8_t dialect;
    bool has_meta_vocab; /* as a meta-schema: its $vocabulary was read into meta_vocab */
    uint32_t meta_vocab;
} rinfo;

typedef struct work {
    uint32_t node, doc, tok;
} work;

typedef struct compiler {
    campval_schema *s;
    const campval_allocator *a;
    uint32_t flags;
    campval_loader loader;
    void *loader_ctx;
    uint8_t dialect; /* default for documents without $schema */
    campval_compile_error *err;
    campval_code rc;
    dinfo *di;
    uint32_t di_cap;
    uint64_t seed;  /* mixed into every compile-time hash: crafted names cannot collide */
    reg *regs;      /* regs[i] is resource i */
    uint32_t nregs, cap_regs;
    htab reg_ht;
    reg *anchors; /* uri = base#name */
    uint32_t nanchors, cap_anchors;
    htab anchor_ht;
    htab string_ht; /* s->strings */
    htab names_ht;  /* names of the object keyword being built (build_object) */
    size_t rules_bytes, loc_bytes; /* bytes of rules loaded; of keyword locations made */
    work *work;
    uint32_t nwork, cap_work, iwork;
    rinfo *ri;
    uint32_t nri, cap_ri;
    tagged_anchor *tagged; /* $dynamicAnchors, grouped by resource when compiling ends */
    uint32_t ntagged, cap_tagged;
    /* capacities of the schema arrays */
    uint32_t cap_nodes, cap_kws, cap_children, cap_values, cap_names, cap_name_refs, cap_tables,
        cap_pp, cap_res, cap_danchors, cap_docs, cap_strings, cap_regexes, cap_warnings;
} compiler;

static void *blk_alloc(compiler *c, size_t size)
{
    struct campval__block *b = campval__malloc(c->a, sizeof *b + size);
    if (!b) {
        c->rc = CAMPVAL_NOMEM;
        return NULL;
    }
    b->size = size;
    b->prev = NULL;
    b->next = c->s->blocks;
    if (b->next)
        b->next->prev = b;
    c->s->blocks = b;
    c->s->memory += size;
    return b->align;
}

static struct campval__block *blk_of(void *p)
{
    return (struct campval__block *)((char *)p - offsetof(struct campval__block, align));
}

static void blk_free(const campval_allocator *a, campval_schema *s, void *p)
{
    if (!p)
        return;
    struct campval__block *b = blk_of(p);
    if (b->prev)
        b->prev->next = b->next;
    else
        s->blocks = b->next;
    if (b->next)
        b->next->prev = b->prev;
    s->memory -= b->size;
    campval__free(a, b, sizeof *b + b->size);
}

/* Grow *arr (elements of `elem` bytes, capacity *cap) to hold `need`. */
static bool grow(compiler *c, void *arrp, uint32_t *cap, size_t elem, uint32_t need)
{
    void **arr = arrp;
    if (need <= *cap)
        return true;
    if (c->rc != CAMPVAL_OK)
        return false;
    uint32_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > UINT32_MAX / 2) {
            c->rc = CAMPVAL_RULES_TOO_COMPLEX;
            return false;
        }
        n *= 2;
    }
    void *fresh = blk_alloc(c, elem * n);
    if (!fresh)
        return false;
    if (*arr) {
        memcpy(fresh, *arr, elem * *cap);
        blk_free(c->a, c->s, *arr);
    }
    *arr = fresh;
    *cap = n;
    return true;
}

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

/* Compile-time hash of an FNV hash (campval__str_hash, campval__hash_bytes). */
static uint64_t khash(const compiler *c, uint64_t fnv)
{
    return mix64(fnv ^ c->seed);
}

static uint64_t khash_bytes(const compiler *c, const char *p, size_t n)
{
    return khash(c, campval__hash_bytes(CAMPVAL__HASH_SEED, p, n));
}

/* The slot for hash h whose entry satisfies eq(ctx, index), or the empty slot where it goes. */
static struct hslot *ht_slot(const htab *t, uint64_t h, bool (*eq)(const void *, uint32_t),
                             const void *ctx)
{
    if (!t->slot)
        return NULL;
    for (uint32_t i = (uint32_t)h & t->mask;; i = (i + 1) & t->mask) {
        struct hslot *sl = &t->slot[i];
        if (sl->val == 0 || (sl->hash == h && eq(ctx, sl->val - 1)))
            return sl;
    }
}

static int64_t ht_find(const htab *t, uint64_t h, bool (*eq)(const void *, uint32_t),
                       const void *ctx)
{
    const struct hslot *sl = ht_slot(t, h, eq, ctx);
    return sl && sl->val ? (int64_t)sl->val - 1 : -1;
}

/* Add index val under hash h (not already present); the table stays at most half full. */
static bool ht_add(compiler *c, htab *t, uint64_t h, uint32_t val)
{
    if (!t->slot || t->count + 1 > (t->mask + 1) / 2) {
        uint32_t size = t->slot ? (t->mask + 1) * 2 : 16;
        if (size == 0 || size > (UINT32_MAX >> 1)) {
            c->rc = CAMPVAL_RULES_TOO_COMPLEX;
            return false;
        }
        struct hslot *fresh = blk_alloc(c, (size_t)size * sizeof *fresh);
        if (!fresh)
            return false;
        memset(fresh, 0, (size_t)size * sizeof *fresh);
        for (uint32_t i = 0; t->slot && i <= t->mask; i++) {
            if (!t->slot[i].val)
                continue;
            uint32_t j = (uint32_t)t->slot[i].hash & (size - 1);
            while (fresh[j].val)
                j = (j + 1) & (size - 1);
            fresh[j] = t->slot[i];
        }
        blk_free(c->a, c->s, t->slot);
        t->slot = fresh;
        t->mask = size - 1;
    }
    uint32_t j = (uint32_t)h & t->mask;
    while (t->slot[j].val)
        j = (j + 1) & t->mask;
    t->slot[j] = (struct hslot){h, val + 1};
    t->count++;
    return true;
}

static void ht_free(compiler *c, htab *t)
{
    blk_free(c->a, c->s, t->slot);
    *t = (htab){0};
}

#define PUSH(c, arr, count, capv, val)                                                             \
    (grow((c), &(arr), &(capv), sizeof *(arr), (count) + 1) ? ((arr)[(count)++] = (val), true)   \
                                                            : false)

static char *sdup(compiler *c, const char *s, size_t n)
{
    char *p = blk_alloc(c, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- errors ----------------------------------------------------------------------------- */

static void copy_cut(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n < size) {
        memcpy(dst, src, n + 1);
        return;
    }
    memcpy(dst, src, size - 4);
    memcpy(dst + size - 4, "...", 4);
}

static campval__doc view(const campval_schema *s, uint32_t d)
{
    const campval__rdoc *r = &s->docs[d];
    return (campval__doc){r->text, r->len, 0, r->tok, r->flags, r->next, r->count};
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static bool fail(compiler *c, campval_code code, uint32_t doc, int64_t tok, const char *fmt, ...)
{
    if (c->rc != CAMPVAL_OK && c->rc != code)
        return false; /* keep the first error */
    c->rc = code;
    if (!c->err)
        return false;
    campval_compile_error *e = c->err;
    memset(e, 0, sizeof *e);
    e->code = code;
    e->line = e->column = 1; /* offset 0 until a token says otherwise */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    if (doc < c->s->doc_count) {
        const campval__rdoc *r = &c->s->docs[doc];
        copy_cut(e->document, sizeof e->document, doc == 0 ? "" : r->uri);
        if (tok >= 0 && (uint32_t)tok < r->count) {
            int start = r->tok[tok].start;
            if (r->tok[tok].type == CAMPVAL__T_STRING)
                start--;
            e->offset = (size_t)start;
            campval__line_col(r->text, r->len, e->offset, &e->line, &e->column);
            campval__doc v = view(c->s, doc);
            char buf[1024];
            campval__sb sb;
            campval__sb_init(&sb, buf, sizeof buf);
            campval__pointer_render(&v, (uint32_t)tok, &sb);
            campval__sb_finish(&sb);
            copy_cut(e->location, sizeof e->location, buf);
        }
    }
    return false;
}

/* ---- documents -------------------------------------------------------------------------- */

static campval__str str_of(const campval__rdoc *d, uint32_t t)
{
    return (campval__str){d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                          (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
}

/* Unescaped copy of a string token. */
static char *str_dup(compiler *c, uint32_t doc, uint32_t t, size_t *len)
{
    const campval__rdoc *d = &c->s->docs[doc];
    campval__str s = str_of(d, t);
    char *p = blk_alloc(c, s.len + 1);
    if (!p)
        return NULL;
    size_t n = campval__str_unescape(s, p);
    p[n] = '\0';
    if (len)
        *len = n;
    return p;
}

/* Objects with more members than this get their names hashed for pointer resolution. */
#define INDEX_MEMBERS 16

typedef struct memberq {
    const campval__rdoc *d;
    uint32_t obj;
    const char *name;
    size_t len;
} memberq;

static bool member_eq(const void *ctx, uint32_t k)
{
    const memberq *q = ctx;
    return q->d->tok[k].parent == (int)q->obj &&
           campval__str_equal_plain(str_of(q->d, k), q->name, q->len);
}

static uint64_t member_hash(const compiler *c, uint32_t obj, uint64_t name_hash)
{
    return khash(c, name_hash ^ (obj + 1) * 0x9E3779B97F4A7C15ull);
}

/* Tables that make pointer resolution and rendering independent of sibling counts: element
 * positions and per-array element lists, and a name hash for large objects. O(tokens). */
static bool index_doc(compiler *c, const campval__rdoc *d, dinfo *di)
{
    uint32_t n = d->count;
    di->pos = blk_alloc(c, (n + 1) * sizeof(uint32_t));
    di->afirst = blk_alloc(c, (n + 1) * sizeof(uint32_t));
    di->elems = blk_alloc(c, (n + 1) * sizeof(uint32_t));
    if (!di->pos || !di->afirst || !di->elems)
        return false;
    memset(di->pos, 0, n * sizeof(uint32_t));
    uint32_t ne = 0;
    for (uint32_t t = 0; t < n; t++) {
        di->afirst[t] = ne;
        if (d->tok[t].type == CAMPVAL__T_ARRAY) {
            uint32_t e = t + 1;
            for (uint32_t i = 0; i < (uint32_t)d->tok[t].size; i++, e = d->next[e]) {
                di->pos[e] = i;
                di->elems[ne++] = e;
            }
        } else if (d->tok[t].type == CAMPVAL__T_OBJECT && d->tok[t].size > INDEX_MEMBERS) {
            uint32_t k = t + 1;
            for (int m = 0; m < d->tok[t].size; m++, k = d->next[k]) {
                /* Rules are parsed without CAMPVAL_ALLOW_DUPLICATE_KEYS: names are unique. */
                uint64_t h = member_hash(c, t, campval__str_hash(str_of(d, k)));
                if (!ht_add(c, &di->members, h, k))
                    return false;
            }
        }
    }
    return true;
}

/* Value token of member `name` of object t, or -1. */
static int64_t member_of(const compiler *c, const campval__rdoc *d, const dinfo *di, uint32_t t,
                         const char *name, size_t n)
{
    if (d->tok[t].size > INDEX_MEMBERS) {
        memberq q = {d, t, name, n};
        int64_t k = ht_find(&di->members, member_hash(c, t, campval__hash_bytes(CAMPVAL__HASH_SEED,
                                                                                  name, n)),
                            member_eq, &q);
        return k < 0 ? -1 : k + 1;
    }
    int64_t found = -1;
    uint32_t k = t + 1;
    for (int m = 0; m < d->tok[t].size; m++, k = d->next[k])
        if (campval__str_equal_plain(str_of(d, k), name, n))
            found = k + 1;
    return found;
}

/* RFC 6901 pointer p[0..n) (percent-decoded) from token `from` of document doc, or -1. Same
 * rules as campval__pointer_resolve, but each step is O(1) expected through the doc's index. */
static int64_t resolve_pointer(const compiler *c, uint32_t doc, uint32_t from, const char *p,
                               size_t n)
{
    const campval__rdoc *d = &c->s->docs[doc];
    const dinfo *di = &c->di[doc];
    uint32_t t = from;
    if (n > 0 && p[0] != '/')
        return -1;
    char seg[1024];
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && p[j] != '/')
            j++;
        if (j - i - 1 >= sizeof seg)
            return -1;
        size_t sl = 0;
        for (size_t q = i + 1; q < j; q++) {
            if (p[q] != '~') {
                seg[sl++] = p[q];
            } else if (q + 1 < j && (p[q + 1] == '0' || p[q + 1] == '1')) {
                seg[sl++] = p[++q] == '0' ? '~' : '/';
            } else {
                return -1;
            }
        }
        if (d->tok[t].type == CAMPVAL__T_OBJECT) {
            int64_t v = member_of(c, d, di, t, seg, sl);
            if (v < 0)
                return -1;
            t = (uint32_t)v;
        } else if (d->tok[t].type == CAMPVAL__T_ARRAY) {
            if (sl == 0 || sl > 9 || (sl > 1 && seg[0] == '0'))
                return -1;
            uint32_t idx = 0;
            for (size_t k = 0; k < sl; k++) {
                if (seg[k] < '0' || seg[k] > '9')
                    return -1;
                idx = idx * 10 + (uint32_t)(seg[k] - '0');
            }
            if (idx >= (uint32_t)d->tok[t].size)
                return -1;
            t = di->elems[di->afirst[t] + idx];
        } else {
            return -1;
        }
        i = j;
    }
    return t;
}

/* Parse text into a new rules document; returns its index or -1. */
static int64_t add_doc(compiler *c, const char *text, size_t len, const char *uri)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_depth = RULES_MAX_DEPTH;
    lim.max_errors = 1;
    lim.max_tokens = (uint32_t)(len / 2 + 2 < 0x3FFFFFFF ? len / 2 + 2 : 0x3FFFFFFF);
    if (len > CAMPVAL_MAX_INPUT)
        return fail(c, CAMPVAL_RULES_TOO_COMPLEX, UINT32_MAX, -1, "rules document too large"), -1;
    campval_workspace *ws;
    campval_code rc = campval_workspace_create(&lim, c->a, &ws);
    if (rc != CAMPVAL_OK) {
        c->rc = rc == CAMPVAL_NOMEM ? CAMPVAL_NOMEM : CAMPVAL_RULES_TOO_COMPLEX;
        return -1;
    }
    ws->validate_flags = CAMPVAL_FIRST_ERROR;
    ws->error_count = ws->errors_dropped = 0;
    ws->stop = false;
    rc = campval__parse(ws, text, len, 0);
    if (rc != CAMPVAL_OK) {
        campval_error e = ws->errors[0];
        campval_workspace_destroy(ws);
        /* Valid JSON past a limit (nesting deeper than RULES_MAX_DEPTH) is not a syntax error. */
        bool limit = e.code == CAMPVAL_LIMIT_DEPTH || e.code == CAMPVAL_LIMIT_TOKENS;
        c->rc = limit ? CAMPVAL_RULES_TOO_COMPLEX : CAMPVAL_RULES_SYNTAX;
        if (c->err) {
            memset(c->err, 0, sizeof *c->err);
            c->err->code = c->rc;
            c->err->offset = e.offset;
            campval__line_col(text, len, e.offset, &c->err->line, &c->err->column);
            copy_cut(c->err->document, sizeof c->err->document, c->s->doc_count ? uri : "");
            snprintf(c->err->message, sizeof c->err->message, "%s: %s",
                     limit ? "rules exceed a compile limit" : "rules are not valid JSON",
                     campval_strerror(e.code));
        }
        return -1;
    }
    uint32_t n = ws->doc.count;
    if (c->s->doc_count >= RULES_MAX_DOCS) {
        campval_workspace_destroy(ws);
        return fail(c, CAMPVAL_RULES_TOO_COMPLEX, 0, 0, "rules reference more than %u documents",
                    RULES_MAX_DOCS), -1;
    }
    campval__rdoc d = {0};
    d.text = sdup(c, text, len);
    d.len = len;
    d.tok = blk_alloc(c, n * sizeof *d.tok);
    d.flags = blk_alloc(c, n);
    d.next = blk_alloc(c, n * sizeof *d.next);
    d.count = n;
    d.uri = sdup(c, uri, strlen(uri));
    dinfo di = {0};
    di.node_of = blk_alloc(c, n * sizeof(int32_t));
    di.res_of = blk_alloc(c, n * sizeof(int32_t));
    if (c->rc != CAMPVAL_OK) {
        campval_workspace_destroy(ws);
        return -1;
    }
    memcpy(d.tok, ws->tok, n * sizeof *d.tok);
    memcpy(d.flags, ws->flags, n);
    memcpy(d.next, ws->next, n * sizeof *d.next);
    campval_workspace_destroy(ws);
    for (uint32_t i = 0; i < n; i++)
        di.node_of[i] = di.res_of[i] = -1;
    if (!index_doc(c, &d, &di))
        return -1;
    uint32_t idx = c->s->doc_count++;
    c->rules_bytes += len;
    c->s->docs[idx] = d;
    c->di[idx] = di;
    return idx;
}

/* Member `name` of object token t, the value token, or -1. */
static int64_t member(const campval__rdoc *d, uint32_t t, const char *name)
{
    if (d->tok[t].type != CAMPVAL__T_OBJECT)
        return -1;
    size_t n = strlen(name);
    int64_t found = -1;
    uint32_t k = t + 1;
    for (int m = 0; m < d->tok[t].size; m++, k = d->next[k])
        if (campval__str_equal_plain(str_of(d, k), name, n))
            found = k + 1;
    return found;
}

static bool tok_is(const campval__rdoc *d, uint32_t t, int type)
{
    return d->tok[t].type == type;
}

static bool tok_bool(const campval__rdoc *d, uint32_t t, bool *v)
{
    if (d->tok[t].type != CAMPVAL__T_PRIMITIVE)
        return false;
    char ch = d->text[d->tok[t].start];
    if (ch != 't' && ch != 'f')
        return false;
    *v = ch == 't';
    return true;
}

static bool tok_num(const campval__rdoc *d, uint32_t t, campval__num *n)
{
    if (d->tok[t].type != CAMPVAL__T_PRIMITIVE)
        return false;
    char ch = d->text[d->tok[t].start];
    if (ch == 't' || ch == 'f' || ch == 'n')
        return false;
    return campval__num_parse(d->text + d->tok[t].start,
                              (size_t)(d->tok[t].end - d->tok[t].start), n) == 0;
}

/* ---- registry ------------------------------------------------------------------------------ */

typedef struct keyq {
    const char *const *base; /* first key pointer ... */
    size_t stride;           /* ... and the distance between key pointers */
    const char *key;
    size_t len;
} keyq;

static bool key_eq(const void *ctx, uint32_t i)
{
    const keyq *q = ctx;
    const char *k = *(const char *const *)((const char *)q->base + (size_t)i * q->stride);
    return strlen(k) == q->len && memcmp(k, q->key, q->len) == 0;
}

/* Index of the entry keyed `uri[0..len)` in a registry (regs or anchors), or -1. */
static int64_t find_reg(const compiler *c, const reg *r, const htab *t, const char *uri, size_t len)
{
    keyq q = {(const char *const *)&r[0].uri, sizeof *r, uri, len};
    return ht_find(t, khash_bytes(c, uri, len), key_eq, &q);
}

static bool add_resource(compiler *c, const char *uri, uint32_t doc, uint32_t tok, uint32_t *out)
{
    campval_schema *s = c->s;
    size_t n = campval__uri_strip_fragment(uri);
    int64_t existing = c->nregs ? find_reg(c, c->regs, &c->reg_ht, uri, n) : -1;
    if (existing >= 0) {
        if (c->regs[existing].doc != doc || c->regs[existing].tok != tok)
            return fail(c, CAMPVAL_RULES_BAD_REF, doc, tok, "duplicate schema identifier %.*s",
                        (int)n, uri);
        *out = c->regs[existing].resource;
        return true;
    }
    campval__resource res = {sdup(c, uri, n), 0, 0};
    if (!res.uri || !PUSH(c, s->resources, s->resource_count, c->cap_res, res))
        return false;
    reg r = {(char *)res.uri, doc, tok, s->resource_count - 1};
    if (!PUSH(c, c->regs, c->nregs, c->cap_regs, r) ||
        !ht_add(c, &c->reg_ht, khash_bytes(c, uri, n), c->nregs - 1))
        return false;
    *out = r.resource;
    return true;
}

static bool add_anchor(compiler *c, uint32_t resource, const char *name, size_t nlen, uint32_t doc,
                       uint32_t tok)
{
    const char *base = c->s->resources[resource].uri;
    size_t bl = strlen(base);
    char *full = blk_alloc(c, bl + nlen + 2);
    if (!full)
        return false;
    memcpy(full, base, bl);
    full[bl] = '#';
    memcpy(full + bl + 1, name, nlen);
    full[bl + 1 + nlen] = '\0';
    int64_t existing =
        c->nanchors ? find_reg(c, c->anchors, &c->anchor_ht, full, bl + 1 + nlen) : -1;
    if (existing >= 0) {
        if (c->anchors[existing].tok == tok && c->anchors[existing].doc == doc)
            return true;
        return fail(c, CAMPVAL_RULES_BAD_REF, doc, tok, "duplicate anchor \"%.*s\"", (int)nlen,
                    name);
    }
    reg r = {full, doc, tok, resource};
    return PUSH(c, c->anchors, c->nanchors, c->cap_anchors, r) &&
           ht_add(c, &c->anchor_ht, khash_bytes(c, full, bl + 1 + nlen), c->nanchors - 1);
}

static uint32_t intern(compiler *c, const char *s, size_t n)
{
    uint64_t h = khash_bytes(c, s, n);
    if (c->s->string_count) {
        keyq q = {(const char *const *)&c->s->strings[0], sizeof(char *), s, n};
        int64_t i = ht_find(&c->string_ht, h, key_eq, &q);
        if (i >= 0)
            return (uint32_t)i;
    }
    char *p = sdup(c, s, n);
    if (!p || !PUSH(c, c->s->strings, c->s->string_count, c->cap_strings, p) ||
        !ht_add(c, &c->string_ht, h, c->s->string_count - 1))
        return UINT32_MAX;
    return c->s->string_count - 1;
}

/* Node for a schema token, created (and queued) on first use. */
static int64_t node_for(compiler *c, uint32_t doc, uint32_t tok)
{
    dinfo *di = &c->di[doc];
    if (di->node_of[tok] >= 0)
        return di->node_of[tok];
    campval_schema *s = c->s;
    campval__node nd = {0, 0, 0, 0, 0, 0, NULL, doc, tok};
    if (!PUSH(c, s->nodes, s->node_count, c->cap_nodes, nd))
        return -1;
    uint32_t id = s->node_count - 1;
    di->node_of[tok] = (int32_t)id;
    work w = {id, doc, tok};
    if (!PUSH(c, c->work, c->nwork, c->cap_work, w))
        return -1;
    return id;
}

/* ---- scanning for identifiers ----------------------------------------------------------------- */

typedef enum { K_NONE, K_ONE, K_ARRAY, K_MAP } kind;

static kind schema_kind(campval__str key)
{
    static const char *const one[] = {"additionalProperties", "propertyNames", "items", "contains",
                                      "not", "if", "then", "else", "unevaluatedItems",
                                      "unevaluatedProperties", "contentSchema",
                                      "additionalItems"};
    static const char *const arr[] = {"allOf", "anyOf", "oneOf", "prefixItems"};
    static const char *const map[] = {"properties", "patternProperties", "$defs",
                                      "dependentSchemas", "definitions", "dependencies"};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        if (campval__str_equal_plain(key, one[i], strlen(one[i])))
            return K_ONE;
    for (size_t i = 0; i < sizeof arr / sizeof *arr; i++)
        if (campval__str_equal_plain(key, arr[i], strlen(arr[i])))
            return K_ARRAY;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (campval__str_equal_plain(key, map[i], strlen(map[i])))
            return K_MAP;
    return K_NONE;
}

static bool vocab_of(compiler *c, uint32_t doc, uint32_t tok, uint32_t resource, uint32_t *vocab,
                     uint8_t parent_dialect);
static rinfo *rinfo_of(compiler *c, uint32_t resource);

/* A $dynamicAnchor (or 2019-09's $recursiveAnchor, as the name "") of a resource. */
static bool dynamic_anchor(compiler *c, uint32_t resource, const char *name, size_t n,
                           uint32_t doc, uint32_t tok)
{
    int64_t node = node_for(c, doc, tok);
    uint32_t nm = intern(c, name, n);
    if (node < 0 || nm == UINT32_MAX)
        return false;
    tagged_anchor ta = {resource, nm, (uint32_t)node};
    return PUSH(c, c->tagged, c->ntagged, c->cap_tagged, ta);
}

static bool scan(compiler *c, uint32_t doc, uint32_t tok, uint32_t resource, uint32_t depth)
{
    const campval__rdoc *d = &c->s->docs[doc];
    dinfo *di = &c->di[doc];
    if (depth > RULES_MAX_DEPTH)
        return fail(c, CAMPVAL_RULES_TOO_COMPLEX, doc, tok, "rules nested too deeply");
    if (!tok_is(d, tok, CAMPVAL__T_OBJECT)) {
        di->res_of[tok] = (int32_t)resource;
        return true;
    }
    uint8_t dialect = rinfo_of(c, resource)->dialect;
    if ((dialect == D_7 || dialect == D_OAS30) && member(d, tok, "$ref") >= 0) {
        /* draft-07: everything beside $ref is ignored, $id and subschemas included. */
        di->res_of[tok] = (int32_t)resource;
        return true;
    }
    int64_t id = member(d, tok, "$id");
    if (id >= 0 && tok_is(d, (uint32_t)id, CAMPVAL__T_STRING)) {
        char *ref = str_dup(c, doc, (uint32_t)id, NULL);
        char abs[URI_MAX];
        if (!ref)
            return false;
        if (!campval__uri_resolve(c->s->resources[resource].uri, ref, abs, sizeof abs))
            return fail(c, CAMPVAL_RULES_BAD_REF, doc, (uint32_t)id, "$id is too long");
        size_t base_len = campval__uri_strip_fragment(abs);
        char frag[URI_MAX];
        snprintf(frag, sizeof frag, "%s", abs[base_len] == '#' ? abs + base_len + 1 : "");
        abs[base_len] = '\0';
        uint32_t parent = resource;
        /* draft-07 "$id": "#name" names the schema, like a later $anchor. */
        bool anchor_only = dialect == D_7 || dialect == D_OAS30 ? ref[0] == '#' : false;
        if (!anchor_only) {
            if (!add_resource(c, abs, doc, tok, &resource))
                return false;
            if (resource != parent) {
                uint32_t v;
                if (!vocab_of(c, doc, tok, resource, &v, dialect))
                    return false;
                dialect = rinfo_of(c, resource)->dialect;
                d = &c->s->docs[doc];
                di = &c->di[doc];
            }
        }
        if ((dialect == D_7 || dialect == D_OAS30) && frag[0] && frag[0] != '/' &&
            !add_anchor(c, resource, frag, strlen(frag), doc, tok))
            return false;
    }
    di->res_of[tok] = (int32_t)resource;
    static const char *const anchors[] = {"$anchor", "$dynamicAnchor"};
    for (int k = 0; k < 2 && dialect != D_7 && dialect != D_OAS30; k++) {
        if (k == 1 && dialect != D_2020)
            break;
        int64_t an = member(d, tok, anchors[k]);
        if (an < 0 || !tok_is(d, (uint32_t)an, CAMPVAL__T_STRING))
            continue;
        size_t n;
        char *name = str_dup(c, doc, (uint32_t)an, &n);
        if (!name || !add_anchor(c, resource, name, n, doc, tok))
            return false;
        if (k == 1 && !dynamic_anchor(c, resource, name, n, doc, tok))
            return false;
    }
    bool ra;
    int64_t rec = dialect == D_2019 ? member(d, tok, "$recursiveAnchor") : -1;
    if (rec >= 0 && tok_bool(d, (uint32_t)rec, &ra) && ra &&
        !dynamic_anchor(c, resource, "", 0, doc, tok)) /* $recursiveAnchor: the anchor "" */
        return false;
    uint32_t k = tok + 1;
    for (int m = 0; m < d->tok[tok].size; m++, k = d->next[k]) {
        uint32_t v = k + 1;
        switch (schema_kind(str_of(d, k))) {
        case K_ONE:
            if (!scan(c, doc, v, resource, depth + 1))
                return false;
            break;
        case K_ARRAY:
            if (tok_is(d, v, CAMPVAL__T_ARRAY)) {
                uint32_t e = v + 1;
                for (int i = 0; i < d->tok[v].size; i++, e = d->next[e])
                    if (!scan(c, doc, e, resource, depth + 1))
                        return false;
            } else if (!scan(c, doc, v, resource, depth + 1)) { /* draft-07 single items */
                return false;
            }
            break;
        case K_MAP:
            if (tok_is(d, v, CAMPVAL__T_OBJECT)) {
                uint32_t e = v + 1;
                for (int i = 0; i < d->tok[v].size; i++, e = d->next[e])
                    if (!scan(c, doc, e + 1, resource, depth + 1))
                        return false;
            }
            break;
        case K_NONE:
            break;
        }
    }
    return true;
}

/* ---- vocabularies and loading ------------------------------------------------------------- */

static const struct {
    const char *uri;
    uint32_t bit;
} known_vocabs[] = {
    {"https://json-schema.org/draft/2020-12/vocab/core", V_CORE},
    {"https://json-schema.org/draft/2020-12/vocab/applicator", V_APPLICATOR},
    {"https://json-schema.org/draft/2020-12/vocab/unevaluated", V_UNEVALUATED},
    {"https://json-schema.org/draft/2020-12/vocab/validation", V_VALIDATION},
    {"https://json-schema.org/draft/2020-12/vocab/meta-data", V_META},
    {"https://json-schema.org/draft/2020-12/vocab/format-annotation", V_FORMAT_ANNOTATION},
    {"https://json-schema.org/draft/2020-12/vocab/format-assertion", V_FORMAT_ASSERTION},
    {"https://json-schema.org/draft/2020-12/vocab/content", V_CONTENT},
    {"https://json-schema.org/draft/2019-09/vocab/core", V_CORE},
    {"https://json-schema.org/draft/2019-09/vocab/applicator", V_APPLICATOR | V_UNEVALUATED},
    {"https://json-schema.org/draft/2019-09/vocab/validation", V_VALIDATION},
    {"https://json-schema.org/draft/2019-09/vocab/meta-data", V_META},
    {"https://json-schema.org/draft/2019-09/vocab/format", V_FORMAT_ANNOTATION},
    {"https://json-schema.org/draft/2019-09/vocab/content", V_CONTENT},
};

static int64_t load_uri(compiler *c, const char *uri, size_t n);

static rinfo *rinfo_of(compiler *c, uint32_t resource)
{
    if (!grow(c, &c->ri, &c->cap_ri, sizeof *c->ri, resource + 1))
        return NULL;
    while (c->nri <= resource)
        c->ri[c->nri++] = (rinfo){V_ALL, false, c->dialect, false, 0};
    return &c->ri[resource];
}

static bool vocab_of(compiler *c, uint32_t doc, uint32_t tok, uint32_t resource, uint32_t *vocab,
                     uint8_t parent_dialect)
{
    const campval__rdoc *d = &c->s->docs[doc];
    rinfo *ri = rinfo_of(c, resource);
    if (!ri)
        return false;
    ri->vocab = V_ALL;
    ri->dialect = parent_dialect;
    int64_t oas = tok == 0 ? member(d, tok, "openapi") : -1;
    if (oas >= 0 && tok_is(d, (uint32_t)oas, CAMPVAL__T_STRING)) {
        campval__str v = str_of(d, (uint32_t)oas);
        ri->dialect = v.len >= 3 && memcmp(v.raw, "3.0", 3) == 0 ? D_OAS30 : D_2020;
    }
    bool af;
    int64_t x = member(d, tok, "x-assert-formats");
    if (x >= 0 && tok_bool(d, (uint32_t)x, &af))
        ri->assert_formats = af;
    int64_t sch = member(d, tok, "$schema");
    *vocab = V_ALL;
    if (sch < 0 || !tok_is(d, (uint32_t)sch, CAMPVAL__T_STRING))
        return true;
    size_t n;
    char *u = str_dup(c, doc, (uint32_t)sch, &n);
    if (!u)
        return false;
    n = campval__uri_strip_fragment(u);
    static const struct {
        const char *uri;
        uint8_t dialect;
    } standard[] = {{"https://json-schema.org/draft/2020-12/schema", D_2020},
                    {"https://json-schema.org/draft/2019-09/schema", D_2019},
                    {"http://json-schema.org/draft-07/schema", D_7},
                    {"https://json-schema.org/draft-07/schema", D_7}};
    for (size_t i = 0; i < sizeof standard / sizeof *standard; i++) {
        if (strlen(standard[i].uri) == n && memcmp(standard[i].uri, u, n) == 0) {
            ri->dialect = standard[i].dialect;
            return true;
        }
    }
    int64_t r = load_uri(c, u, n);
    if (r < 0) {
        c->rc = CAMPVAL_OK; /* an unknown meta-schema only means default vocabularies */
        return true;
    }
    const reg *mr = &c->regs[r]; /* regs[i] is resource i */
    /* Loading may have grown the table: take both entries once it has its final size. */
    if (!rinfo_of(c, (uint32_t)r) || !rinfo_of(c, resource))
        return false;
    rinfo *meta = &c->ri[r];
    ri = &c->ri[resource];
    ri->dialect = meta->dialect; /* a custom meta-schema's own dialect */
    if (meta->has_meta_vocab) { /* read once, however many resources name this meta-schema */
        ri->vocab = *vocab = meta->meta_vocab;
        if (meta->meta_vocab & V_FORMAT_ASSERTION)
            ri->assert_formats = true;
        return true;
    }
    const campval__rdoc *md = &c->s->docs[mr->doc];
    int64_t voc = member(md, mr->tok, "$vocabulary");
    if (voc < 0 || !tok_is(md, (uint32_t)voc, CAMPVAL__T_OBJECT))
        return true;
    uint32_t bits = V_CORE;
    uint32_t k = (uint32_t)voc + 1;
    for (int m = 0; m < md->tok[voc].size; m++, k = md->next[k]) {
        campval__str key = str_of(md, k);
        bool required = false;
        tok_bool(md, k + 1, &required);
        bool known = false;
        for (size_t i = 0; i < sizeof known_vocabs / sizeof *known_vocabs; i++) {
            if (campval__str_equal_plain(key, known_vocabs[i].uri, strlen(known_vocabs[i].uri))) {
                bits |= known_vocabs[i].bit;
                known = true;
            }
        }
        if (!known && required)
            return fail(c, CAMPVAL_RULES_BAD_VOCABULARY, mr->doc, k,
                        "the meta-schema requires a vocabulary campval does not know");
    }
    meta->has_meta_vocab = true;
    meta->meta_vocab = bits;
    ri->vocab = bits;
    if (bits & V_FORMAT_ASSERTION)
        ri->assert_formats = true;
    *vocab = bits;
    return true;
}


/* Add a document under `uri` (no fragment) and scan it; returns its root resource or -1. */
static int64_t add_and_scan(compiler *c, const char *text, size_t len, const char *uri)
{
    int64_t doc = add_doc(c, text, len, uri);
    if (doc < 0)
        return -1;
    uint32_t res;
    if (!add_resource(c, uri, (uint32_t)doc, 0, &res))
        return -1;
    uint32_t vocab;
    if (!vocab_of(c, (uint32_t)doc, 0, res, &vocab, c->dialect) ||
        !scan(c, (uint32_t)doc, 0, res, 0))
        return -1;
    return res;
}

/* load_uri: the loader refused the URI (a place it does not allow). */
#define LOAD_FORBIDDEN (-2)

static int64_t load_uri(compiler *c, const char *uri, size_t n)
{
    int64_t r = c->nregs ? find_reg(c, c->regs, &c->reg_ht, uri, n) : -1;
    if (r >= 0)
        return c->regs[r].resource;
    char *u = sdup(c, uri, n);
    if (!u)
        return -1;
    for (size_t i = 0; i < campval__builtin_total; i++) {
        const campval__builtin *b = &campval__builtins[i];
        size_t bl = campval__uri_strip_fragment(b->uri);
        if (bl == n && memcmp(b->uri, uri, n) == 0)
            return add_and_scan(c, b->text, b->len, u);
    }
    if (c->loader) {
        const char *text = NULL;
        size_t len = 0;
        int lr = c->loader(c->loader_ctx, u, &text, &len);
        if (lr == 0 && text)
            return add_and_scan(c, text, len, u);
        if (lr == (int)CAMPVAL_RULES_REF_FORBIDDEN)
            return LOAD_FORBIDDEN;
    }
    return -1;
}

/* Resolve a reference string token to a (doc, token) schema position. */
static bool resolve_ref(compiler *c, uint32_t doc, uint32_t reftok, uint32_t resource,
                        uint32_t *out_doc, uint32_t *out_tok)
{
    char *ref = str_dup(c, doc, reftok, NULL);
    if (!ref)
        return false;
    char abs[URI_MAX];
    if (!campval__uri_resolve(c->s->resources[resource].uri, ref, abs, sizeof abs))
        return fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "reference is too long");
    size_t ul = campval__uri_strip_fragment(abs);
    const char *frag = abs[ul] == '#' ? abs + ul + 1 : "";
    char dec[URI_MAX];
    size_t dl = campval__uri_percent_decode(frag, strlen(frag), dec);
    dec[dl] = '\0';
    int64_t res = load_uri(c, abs, ul);
    if (res == LOAD_FORBIDDEN)
        return fail(c, CAMPVAL_RULES_REF_FORBIDDEN, doc, reftok,
                    "\"%s\" resolves to %.*s, outside the allowed places", ref, (int)ul, abs);
    if (res < 0) {
        if (c->rc == CAMPVAL_OK || c->rc == CAMPVAL_RULES_BAD_REF)
            return fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "cannot resolve \"%s\"", ref);
        return false;
    }
    const reg *target = &c->regs[res]; /* regs[i] is resource i */
    if (dl == 0 || dec[0] == '/') {
        int64_t t = resolve_pointer(c, target->doc, target->tok, dec, dl);
        if (t < 0)
            return fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "\"%s\" points nowhere", ref);
        *out_doc = target->doc;
        *out_tok = (uint32_t)t;
        /* A target outside anything scanned (inside an unknown keyword) takes the base of its
         * nearest scanned ancestor. */
        dinfo *di = &c->di[target->doc];
        if (di->res_of[t] < 0) {
            int p = (int)t;
            while (p >= 0 && di->res_of[p] < 0)
                p = c->s->docs[target->doc].tok[p].parent;
            di->res_of[t] = p >= 0 ? di->res_of[p] : (int32_t)res;
        }
        return true;
    }
    /* A plain-name fragment: an anchor. */
    char full[URI_MAX * 2];
    snprintf(full, sizeof full, "%.*s#%s", (int)ul, abs, dec);
    int64_t a = c->nanchors ? find_reg(c, c->anchors, &c->anchor_ht, full, strlen(full)) : -1;
    if (a < 0)
        return fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "no anchor for \"%s\"", ref);
    *out_doc = c->anchors[a].doc;
    *out_tok = c->anchors[a].tok;
    return true;
}

/* ---- compiling nodes ---------------------------------------------------------------------- */

typedef struct nodebuild {
    campval__kw kws[40];
    uint32_t nkw;
    /* aggregated keywords */
    bool has_items;
    campval__kw items;
    bool has_object;
    campval__kw object;
    int64_t tok_properties, tok_pattern, tok_required, tok_dep_req, tok_dep_schemas;
    int64_t tok_dependencies;    /* draft-07 `dependencies`: arrays and schemas mixed */
    int32_t additional_items;    /* draft-07/2019-09 additionalItems node, or -1 */
    bool items_array;            /* draft-07/2019-09 array-form items */
    bool nullable;               /* OpenAPI 3.0 */
    int excl_min, excl_max;      /* OpenAPI 3.0 boolean exclusiveMinimum/Maximum: -1 unset */
    bool has_min_contains, has_if;
    uint64_t min_contains;
    campval__kw cond;
} nodebuild;

/* Append bytes to sb as one pointer segment ('~' -> "~0", '/' -> "~1"). Every byte adds output,
 * so no more than what still fits is read: a long name costs no more than the room left. */
static void put_segment(campval__sb *sb, const char *p, size_t n)
{
    size_t room = sb->len < sb->size ? sb->size - sb->len : 0;
    if (n > room)
        n = room;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '~' && p[i] != '/')
            continue;
        campval__sb_put(sb, p + run, i - run);
        campval__sb_puts(sb, p[i] == '~' ? "~0" : "~1");
        run = i + 1;
    }
    campval__sb_put(sb, p + run, n - run);
}

static void put_name(campval__sb *sb, campval__str s)
{
    if (!s.escaped) {
        put_segment(sb, s.raw, s.len);
        return;
    }
    char tmp[256];
    while (s.len > 0 && sb->len < sb->size) { /* unescaping never lengthens */
        size_t cut = campval__str_safe_cut(s, sizeof tmp);
        if (cut == 0)
            break;
        put_segment(sb, tmp, campval__str_unescape((campval__str){s.raw, cut, true}, tmp));
        s.raw += cut;
        s.len -= cut;
    }
}

/* Append the JSON Pointer of token t to sb, stopping once sb is full. Unlike
 * campval__pointer_render (which counts the siblings before each array element and walks up
 * once per level) this takes O(depth + size of sb), through the doc's element positions. */
static void render(const compiler *c, uint32_t doc, uint32_t t, campval__sb *sb)
{
    const campval__rdoc *d = &c->s->docs[doc];
    const dinfo *di = &c->di[doc];
    if (d->flags[t] & CAMPVAL__F_KEY)
        t++;
    uint32_t path[RULES_MAX_DEPTH + 8]; /* value tokens, bottom-up; the parser bounds depth */
    uint32_t depth = 0;
    for (uint32_t v = t; d->tok[v].parent >= 0;) {
        if (depth == sizeof path / sizeof *path) {
            campval__doc whole = view(c->s, doc);
            campval__pointer_render(&whole, t, sb);
            return;
        }
        path[depth++] = v;
        int p = d->tok[v].parent;
        v = (uint32_t)(d->tok[p].type == CAMPVAL__T_STRING ? d->tok[p].parent : p);
    }
    while (depth > 0 && sb->len < sb->size) {
        uint32_t v = path[--depth];
        int p = d->tok[v].parent;
        campval__sb_puts(sb, "/");
        if (d->tok[p].type == CAMPVAL__T_STRING)
            put_name(sb, str_of(d, (uint32_t)p));
        else
            campval__sb_printf(sb, "%u", di->pos[v]);
    }
}

/* Keyword locations are stored as text, so rules that repeat a long path many times could make
 * them outgrow the rules themselves (a 4 KiB path above 100,000 siblings: 400 MB). Their total is
 * bounded: LOC_BUDGET_BASE plus LOC_BUDGET_PER_BYTE for each byte of rules loaded. */
#define LOC_BUDGET_BASE ((size_t)32 << 20)
#define LOC_BUDGET_PER_BYTE 16u

static const char *loc(compiler *c, uint32_t doc, uint32_t tok)
{
    if (c->rc != CAMPVAL_OK)
        return NULL;
    char buf[4096];
    campval__sb sb;
    campval__sb_init(&sb, buf, sizeof buf);
    if (doc != 0)
        campval__sb_puts(&sb, c->s->docs[doc].uri);
    campval__sb_puts(&sb, "#");
    render(c, doc, tok, &sb);
    size_t n = campval__sb_finish(&sb);
    n = n < sizeof buf ? n : sizeof buf - 1;
    c->loc_bytes += n + 1;
    if (c->loc_bytes > LOC_BUDGET_BASE + LOC_BUDGET_PER_BYTE * c->rules_bytes) {
        fail(c, CAMPVAL_RULES_TOO_COMPLEX, doc, tok,
             "keyword locations would take more than %zu bytes: too many schemas under long paths",
             LOC_BUDGET_BASE + LOC_BUDGET_PER_BYTE * c->rules_bytes);
        return NULL;
    }
    return sdup(c, buf, n);
}

static int64_t child(compiler *c, uint32_t doc, uint32_t tok)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!tok_is(d, tok, CAMPVAL__T_OBJECT)) {
        bool b;
        if (!tok_bool(d, tok, &b)) {
            fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "a schema must be an object or a boolean");
            return -1;
        }
    }
    return node_for(c, doc, tok);
}

static bool child_list(compiler *c, uint32_t doc, uint32_t tok, uint32_t *first, uint32_t *count,
                       bool nonempty)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!tok_is(d, tok, CAMPVAL__T_ARRAY) || (nonempty && d->tok[tok].size == 0))
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "expected a non-empty array of schemas");
    uint32_t n = (uint32_t)d->tok[tok].size;
    uint32_t base = c->s->child_count;
    if (!grow(c, &c->s->children, &c->cap_children, sizeof(uint32_t), base + n))
        return false;
    c->s->child_count += n;
    uint32_t e = tok + 1;
    for (uint32_t i = 0; i < n; i++, e = d->next[e]) {
        int64_t nd = child(c, doc, e);
        if (nd < 0)
            return false;
        c->s->children[base + i] = (uint32_t)nd;
    }
    *first = base;
    *count = n;
    return true;
}

static bool count_value(compiler *c, uint32_t doc, uint32_t tok, uint64_t *out)
{
    campval__num n;
    if (!tok_num(&c->s->docs[doc], tok, &n) || campval__num_to_u64(&n, out) != 0)
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "expected a non-negative integer");
    return true;
}

static bool emit(compiler *c, nodebuild *b, campval__kw kw, uint32_t doc, uint32_t tok)
{
    if (b->nkw >= sizeof b->kws / sizeof *b->kws)
        return fail(c, CAMPVAL_RULES_TOO_COMPLEX, doc, tok, "too many keywords in one schema");
    b->kws[b->nkw++] = kw;
    return true;
}

typedef struct nameq {
    const campval__name *names;
    const char *text;
    size_t len;
} nameq;

static bool name_eq(const void *ctx, uint32_t i)
{
    const nameq *q = ctx;
    return q->names[i].len == q->len && memcmp(q->names[i].text, q->text, q->len) == 0;
}

/* Index of name (unescaped) in the schema's names, added to this object's range if new. A few
 * names are compared in turn; past NAMES_SCANNED, c->names_ht (reset per object) finds them. */
#define NAMES_SCANNED 8u
static int64_t name_index(compiler *c, uint32_t first, const char *text, size_t len)
{
    campval_schema *s = c->s;
    uint64_t hash = campval__hash_bytes(CAMPVAL__HASH_SEED, text, len);
    if (s->name_count - first <= NAMES_SCANNED) {
        for (uint32_t i = first; i < s->name_count; i++)
            if (s->names[i].len == len && memcmp(s->names[i].text, text, len) == 0)
                return i;
    } else {
        if (!c->names_ht.slot) {
            for (uint32_t i = first; i < s->name_count; i++)
                if (!ht_add(c, &c->names_ht, khash(c, s->names[i].hash), i - first))
                    return -1;
        }
        nameq q = {s->names + first, text, len};
        int64_t i = ht_find(&c->names_ht, khash(c, hash), name_eq, &q);
        if (i >= 0)
            return first + i;
    }
    campval__name nm = {0};
    nm.text = text;
    nm.len = (uint32_t)len;
    nm.hash = hash;
    nm.property = -1;
    nm.dep_schema = -1;
    if (!PUSH(c, s->names, s->name_count, c->cap_names, nm))
        return -1;
    if (c->names_ht.slot && !ht_add(c, &c->names_ht, khash(c, hash), s->name_count - 1 - first))
        return -1;
    return s->name_count - 1;
}

static int64_t name_tok(compiler *c, uint32_t first, uint32_t doc, uint32_t tok)
{
    size_t n;
    char *t = str_dup(c, doc, tok, &n);
    return t ? name_index(c, first, t, n) : -1;
}

static bool string_array(compiler *c, uint32_t doc, uint32_t tok)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!tok_is(d, tok, CAMPVAL__T_ARRAY))
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "expected an array of strings");
    uint32_t e = tok + 1;
    for (int i = 0; i < d->tok[tok].size; i++, e = d->next[e])
        if (!tok_is(d, e, CAMPVAL__T_STRING))
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, e, "expected a string");
    return true;
}

/* The names a member requires (dependentRequired/<name>, or an array in draft-07's
 * dependencies), recorded for name index ni from the string array at token arr. */
static bool required_by(compiler *c, uint32_t first, uint32_t doc, uint32_t arr, uint32_t ni)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    if (!string_array(c, doc, arr))
        return false;
    uint32_t df = s->name_ref_count;
    uint32_t e = arr + 1;
    for (int i = 0; i < d->tok[arr].size; i++, e = d->next[e]) {
        int64_t nj = name_tok(c, first, doc, e);
        if (nj < 0 ||
            !PUSH(c, s->name_refs, s->name_ref_count, c->cap_name_refs, (uint32_t)nj))
            return false;
    }
    s->names[ni].dep_first = df;
    s->names[ni].dep_count = s->name_ref_count - df;
    return true;
}

/* Build the object keyword's names and hash table from the collected tokens. */
static bool build_object(compiler *c, nodebuild *b, uint32_t doc)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    campval__kw *kw = &b->object;
    uint32_t first = s->name_count;
    kw->u.object.names_first = first;
    ht_free(c, &c->names_ht);
    if (b->tok_properties >= 0) {
        uint32_t p = (uint32_t)b->tok_properties, k = p + 1;
        for (int m = 0; m < d->tok[p].size; m++, k = d->next[k]) {
            int64_t nd = child(c, doc, k + 1);
            int64_t ni = name_tok(c, first, doc, k);
            if (nd < 0 || ni < 0)
                return false;
            s->names[ni].property = (int32_t)nd;
            s->names[ni].prop_location = loc(c, doc, k + 1);
            if (!s->names[ni].prop_location)
                return false;
        }
    }
    if (b->tok_dep_schemas >= 0) {
        uint32_t p = (uint32_t)b->tok_dep_schemas, k = p + 1;
        for (int m = 0; m < d->tok[p].size; m++, k = d->next[k]) {
            int64_t nd = child(c, doc, k + 1);
            int64_t ni = name_tok(c, first, doc, k);
            if (nd < 0 || ni < 0)
                return false;
            s->names[ni].dep_schema = (int32_t)nd;
            kw->u.object.has_dependents = true;
        }
    }
    if (b->tok_required >= 0) {
        uint32_t p = (uint32_t)b->tok_required, e = p + 1;
        kw->u.object.required_first = s->name_ref_count;
        for (int m = 0; m < d->tok[p].size; m++, e = d->next[e]) {
            int64_t ni = name_tok(c, first, doc, e);
            if (ni < 0 || !PUSH(c, s->name_refs, s->name_ref_count, c->cap_name_refs, (uint32_t)ni))
                return false;
        }
        kw->u.object.required_count = s->name_ref_count - kw->u.object.required_first;
    }
    if (b->tok_dep_req >= 0) {
        uint32_t p = (uint32_t)b->tok_dep_req, k = p + 1;
        for (int m = 0; m < d->tok[p].size; m++, k = d->next[k]) {
            int64_t ni = name_tok(c, first, doc, k);
            if (ni < 0 || !required_by(c, first, doc, k + 1, (uint32_t)ni))
                return false;
            kw->u.object.has_dependents = true;
        }
    }
    if (b->tok_dependencies >= 0) { /* draft-07: an array is dependentRequired, else a schema */
        uint32_t p = (uint32_t)b->tok_dependencies, k = p + 1;
        for (int m = 0; m < d->tok[p].size; m++, k = d->next[k]) {
            int64_t ni = name_tok(c, first, doc, k);
            if (ni < 0)
                return false;
            kw->u.object.has_dependents = true;
            if (!tok_is(d, k + 1, CAMPVAL__T_ARRAY)) {
                int64_t nd = child(c, doc, k + 1);
                if (nd < 0)
                    return false;
                s->names[ni].dep_schema = (int32_t)nd;
                continue;
            }
            if (!required_by(c, first, doc, k + 1, (uint32_t)ni))
                return false;
        }
    }
    uint32_t count = s->name_count - first;
    kw->u.object.names_count = count;
    if (count > 0) {
        uint32_t size = 4;
        while (size < count * 2)
            size <<= 1;
        uint32_t tf = s->table_count;
        if (!grow(c, &s->tables, &c->cap_tables, sizeof(uint32_t), tf + size))
            return false;
        memset(s->tables + tf, 0, size * sizeof(uint32_t));
        s->table_count += size;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t h = campval__name_slot(s, s->names[first + i].hash, size - 1);
            while (s->tables[tf + h] != 0)
                h = (h + 1) & (size - 1);
            s->tables[tf + h] = first + i + 1;
        }
        kw->u.object.table_first = tf;
        kw->u.object.table_mask = size - 1;
    }
    return true;
}

static bool compile_pattern(compiler *c, uint32_t doc, uint32_t tok,
                            const struct campval__regex **out, const char **source)
{
    if (!tok_is(&c->s->docs[doc], tok, CAMPVAL__T_STRING))
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "a pattern must be a string");
    size_t n;
    char *p = str_dup(c, doc, tok, &n);
    if (!p)
        return false;
    struct campval__regex *re;
    size_t eoff = 0;
    char msg[160];
    campval_code rc = campval__regex_compile(p, n, c->a, &re, &eoff, msg, sizeof msg);
    if (rc != CAMPVAL_OK) {
        if (rc == CAMPVAL_NOMEM) {
            c->rc = rc;
            return false;
        }
        return fail(c, CAMPVAL_RULES_BAD_PATTERN, doc, tok, "pattern /%s/ at offset %zu: %s", p,
                    eoff, msg);
    }
    if (!PUSH(c, c->s->regexes, c->s->regex_count, c->cap_regexes, re)) {
        campval__regex_free(re, c->a);
        return false;
    }
    *out = re;
    *source = p;
    return true;
}

static bool type_bits(compiler *c, uint32_t doc, uint32_t tok, uint32_t *bits)
{
    static const char *const names[] = {"null", "boolean", "object", "array", "number", "string",
                                        "integer"};
    const campval__rdoc *d = &c->s->docs[doc];
    uint32_t t = tok, n = 1;
    if (tok_is(d, tok, CAMPVAL__T_ARRAY)) {
        t = tok + 1;
        n = (uint32_t)d->tok[tok].size;
    }
    *bits = 0;
    for (uint32_t i = 0; i < n; i++, t = d->next[t]) {
        bool ok = false;
        for (uint32_t k = 0; k < 7 && tok_is(d, t, CAMPVAL__T_STRING); k++)
            if (campval__str_equal_plain(str_of(d, t), names[k], strlen(names[k]))) {
                *bits |= 1u << k;
                ok = true;
            }
        if (!ok)
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, t, "unknown type");
    }
    return true;
}

static bool value_list(compiler *c, uint32_t doc, uint32_t tok, bool single, campval__kw *kw)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    campval__doc v = view(s, doc);
    kw->u.values.first = s->value_count;
    uint32_t t = tok, n = 1;
    if (!single) {
        if (!tok_is(d, tok, CAMPVAL__T_ARRAY))
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "enum must be an array");
        t = tok + 1;
        n = (uint32_t)d->tok[tok].size;
    }
    for (uint32_t i = 0; i < n; i++, t = d->next[t]) {
        campval__value val = {doc, t, campval__json_hash(NULL, &v, t)};
        if (!PUSH(c, s->values, s->value_count, c->cap_values, val))
            return false;
    }
    kw->u.values.count = n;
    return true;
}

static bool compile_phone(compiler *c, uint32_t doc, uint32_t tok, campval__kw *kw);

/* RULES_UNKNOWN_FORMAT for the asserted format at token v, with the nearest known name. */
static bool unknown_format(compiler *c, uint32_t doc, uint32_t v)
{
    size_t n;
    char *name = str_dup(c, doc, v, &n);
    if (!name)
        return false;
    const char *best = NULL;
    size_t best_dist = SIZE_MAX, limit = n / 3 > 2 ? n / 3 : 2;
    for (int f = 0; campval__format_name(f); f++) {
        const char *cand = campval__format_name(f);
        size_t dist = campval__edit_distance(name, n, cand, strlen(cand));
        if (dist <= limit && dist < best_dist) {
            best = cand;
            best_dist = dist;
        }
    }
    char hint[64] = "";
    if (best)
        snprintf(hint, sizeof hint, "; did you mean \"%s\"?", best);
    return fail(c, CAMPVAL_RULES_UNKNOWN_FORMAT, doc, v,
                "unknown format \"%.*s\": formats are asserted here, and campval cannot check "
                "this one%s", (int)(n > 100 ? 100 : n), name, hint);
}

#define IS(name) campval__str_equal_plain(key, name, sizeof name - 1)

/* Forms only older dialects have (OpenAPI 3.0's nullable and boolean exclusive bounds,
 * draft-07's dependencies, additionalItems): 1 done, 0 failed, -1 not one of them. */
static int legacy_keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__str key,
                          uint8_t dialect, uint32_t vocab)
{
    const campval__rdoc *d = &c->s->docs[doc];
    bool old = dialect == D_7 || dialect == D_OAS30;
    if (dialect == D_OAS30 && IS("nullable")) {
        bool nb;
        if (tok_bool(d, v, &nb))
            b->nullable = nb;
        return 1;
    }
    if (dialect == D_OAS30 && (IS("exclusiveMinimum") || IS("exclusiveMaximum")) &&
        tok_is(d, v, CAMPVAL__T_PRIMITIVE) && (d->text[d->tok[v].start] == 't' ||
                                               d->text[d->tok[v].start] == 'f')) {
        /* draft-04 style: a flag on minimum/maximum */
        bool ex = d->text[d->tok[v].start] == 't';
        if (IS("exclusiveMinimum"))
            b->excl_min = ex;
        else
            b->excl_max = ex;
        return 1;
    }
    if (old && IS("dependencies")) {
        if (!tok_is(d, v, CAMPVAL__T_OBJECT))
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "dependencies must be an object")
                       ? 1 : 0;
        b->has_object = true;
        b->tok_dependencies = v;
        b->object.u.object.dep_req_location = loc(c, doc, v);
        return 1;
    }
    if (IS("additionalItems") && (vocab & V_APPLICATOR)) {
        int64_t nd = child(c, doc, v);
        if (nd < 0)
            return 0;
        b->additional_items = (int32_t)nd;
        b->items.u.items.items_location = loc(c, doc, v);
        return 1;
    }
    return -1;
}

/* "format": 1 a keyword to emit in *kw, 0 nothing to check, -1 failed. */
static int format_keyword(compiler *c, uint32_t doc, uint32_t v, const rinfo *ri, uint32_t vocab,
                          campval__kw *kw)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    if (!tok_is(d, v, CAMPVAL__T_STRING))
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "format must be a string") ? 0 : -1;
    size_t flen;
    char *fname = str_dup(c, doc, v, &flen);
    if (!fname)
        return -1;
    int fmt = campval__format_lookup(fname, flen);
    /* Asserted: by x-assert-formats, the compile flag, or the format-assertion vocabulary
     * (which sets assert_formats too). An asserted format campval cannot check must not
     * pass everything: that is a compile error. */
    bool asserted = ri->assert_formats || (c->flags & CAMPVAL_ASSERT_FORMATS) ||
                    (vocab & V_FORMAT_ASSERTION);
    if (fmt < 0) {
        blk_free(c->a, s, fname);
        if (asserted)
            return unknown_format(c, doc, v) ? 0 : -1;
        return 0; /* an annotation nobody checks */
    }
    blk_free(c->a, s, fname);
    if (!asserted && !campval__format_is_own(fmt))
        return 0;
    kw->op = OP_FORMAT;
    kw->keyword = "format";
    kw->u.format.fmt = fmt;
    kw->u.format.assert = true;
    return 1;
}

/* $ref, $dynamicRef and $recursiveRef: the static target, and whether the reference is dynamic. */
static bool ref_keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__str key,
                        uint32_t resource, uint8_t dialect)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    campval__kw kw;
    memset(&kw, 0, sizeof kw);
    if ((IS("$dynamicRef") && dialect != D_2020) || (IS("$recursiveRef") && dialect != D_2019))
        return true;
    if (!tok_is(d, v, CAMPVAL__T_STRING))
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "a reference must be a string");
    uint32_t td = 0, tt = 0;
    if (!resolve_ref(c, doc, v, resource, &td, &tt))
        return false;
    int64_t nd = child(c, td, tt);
    if (nd < 0)
        return false;
    if (IS("$ref")) {
        kw.op = OP_REF;
        kw.keyword = "$ref";
        kw.u.node = (uint32_t)nd;
    } else if (IS("$recursiveRef")) {
        /* 2019-09: dynamic when the target declares "$recursiveAnchor": true; the
         * outermost such resource in scope wins, as for $dynamicRef with anchor "". */
        kw.op = OP_DYNAMIC_REF;
        kw.keyword = "$recursiveRef";
        kw.u.dref.node = (uint32_t)nd;
        const campval__rdoc *t = &s->docs[td];
        int64_t ra = member(t, tt, "$recursiveAnchor");
        bool on;
        if (ra >= 0 && tok_bool(t, (uint32_t)ra, &on) && on) {
            kw.u.dref.dynamic = true;
            kw.u.dref.anchor = intern(c, "", 0);
        }
    } else {
        kw.op = OP_DYNAMIC_REF;
        kw.keyword = "$dynamicRef";
        kw.u.dref.node = (uint32_t)nd;
        /* Dynamic only when the fragment is a plain name and the static target declares
         * a $dynamicAnchor of that name. */
        size_t n;
        char *ref = str_dup(c, doc, v, &n);
        if (!ref)
            return false;
        const char *hash = strchr(ref, '#');
        const campval__rdoc *t = &s->docs[td];
        int64_t da = member(t, tt, "$dynamicAnchor");
        if (hash && hash[1] != '/' && hash[1] != '\0' && da >= 0 &&
            tok_is(t, (uint32_t)da, CAMPVAL__T_STRING) &&
            campval__str_equal_plain(str_of(t, (uint32_t)da), hash + 1, strlen(hash + 1))) {
            kw.u.dref.dynamic = true;
            kw.u.dref.anchor = intern(c, hash + 1, strlen(hash + 1));
        }
    }
    kw.location = loc(c, doc, v);
    return emit(c, b, kw, doc, v);
}

/* CAMPVAL_WARN_UNKNOWN: a warning for a keyword no vocabulary knows. */
static bool warn_unknown(compiler *c, uint32_t doc, uint32_t k, campval__str key)
{
    campval_schema *s = c->s;
    static const char *const known[] = {
        "$schema", "$id", "$anchor", "$dynamicAnchor", "$defs", "definitions", "$comment",
        "$vocabulary", "title", "description", "default", "examples", "deprecated",
        "readOnly", "writeOnly", "contentEncoding", "contentMediaType", "contentSchema",
        "x-assert-formats"};
    bool is_known = false;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        is_known |= campval__str_equal_plain(key, known[i], strlen(known[i]));
    if (!is_known) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s: unknown keyword \"%.*s\" ignored", loc(c, doc, k),
                 (int)(key.len > 200 ? 200 : key.len), key.raw);
        char *w = sdup(c, buf, strlen(buf));
        if (!w || !PUSH(c, s->warnings, s->warning_count, c->cap_warnings, w))
            return false;
    }
    return true;
}

/* if, then, else: one conditional per schema object, filled in as its keywords come. */
static bool cond_keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__str key)
{
    int64_t nd = child(c, doc, v);
    if (nd < 0)
        return false;
    if (!b->has_if) {
        b->has_if = true;
        b->cond.u.cond.cond = b->cond.u.cond.then_ = b->cond.u.cond.else_ = -1;
    }
    if (IS("if")) {
        b->cond.u.cond.cond = (int32_t)nd;
        b->cond.location = loc(c, doc, v);
    } else if (IS("then")) {
        b->cond.u.cond.then_ = (int32_t)nd;
        b->cond.u.cond.then_loc = loc(c, doc, v);
    } else {
        b->cond.u.cond.else_ = (int32_t)nd;
        b->cond.u.cond.else_loc = loc(c, doc, v);
    }
    return true;
}

#undef IS

/* One keyword of a schema object. */
static bool keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t k, uint32_t resource,
                    uint32_t node)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    rinfo *ri = rinfo_of(c, resource);
    if (!ri)
        return false;
    uint32_t vocab = ri->vocab;
    uint8_t dialect = ri->dialect;
    bool old = dialect == D_7 || dialect == D_OAS30; /* draft-07 semantics */
    campval__str key = str_of(d, k);
    uint32_t v = k + 1;
    campval__kw kw;
    memset(&kw, 0, sizeof kw);
    kw.location = NULL;
#define IS(name) campval__str_equal_plain(key, name, sizeof name - 1)
#define LOC() (kw.location = loc(c, doc, v))
    /* Keywords a dialect does not have are annotations there. */
    if ((old && (IS("dependentRequired") || IS("dependentSchemas") || IS("prefixItems") ||
                 IS("unevaluatedItems") || IS("unevaluatedProperties") || IS("minContains") ||
                 IS("maxContains") || IS("$recursiveRef"))) ||
        (dialect == D_2019 && (IS("prefixItems") || IS("$dynamicRef"))) ||
        (dialect == D_2020 && (IS("additionalItems") || IS("$recursiveRef"))) ||
        (dialect != D_2020 && IS("$dynamicRef")) || (!old && IS("dependencies")))
        goto other_ignored;
    int legacy = legacy_keyword(c, b, doc, v, key, dialect, vocab);
    if (legacy >= 0)
        return legacy;
    bool validation = (vocab & V_VALIDATION) != 0, applicator = (vocab & V_APPLICATOR) != 0;
    if (IS("type") && validation) {
        kw.op = OP_TYPE;
        kw.keyword = "type";
        if (!type_bits(c, doc, v, &kw.u.types))
            return false;
    } else if ((IS("enum") || IS("const")) && validation) {
        bool is_const = IS("const");
        kw.op = is_const ? OP_CONST : OP_ENUM;
        kw.keyword = is_const ? "const" : "enum";
        if (!value_list(c, doc, v, is_const, &kw))
            return false;
    } else if ((IS("minimum") || IS("maximum") || IS("exclusiveMinimum") ||
                IS("exclusiveMaximum") || IS("multipleOf")) && validation) {
        kw.op = IS("minimum") ? OP_MINIMUM : IS("maximum") ? OP_MAXIMUM
              : IS("exclusiveMinimum") ? OP_EXCL_MINIMUM : IS("exclusiveMaximum") ? OP_EXCL_MAXIMUM
              : OP_MULTIPLE_OF;
        static const char *const kn[] = {"minimum", "maximum", "exclusiveMinimum",
                                         "exclusiveMaximum", "multipleOf"};
        kw.keyword = kn[kw.op - OP_MINIMUM];
        if (!tok_num(d, v, &kw.u.num))
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "%s must be a number", kw.keyword);
        if (kw.op == OP_MULTIPLE_OF && campval__num_sign(&kw.u.num) <= 0)
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "multipleOf must be above 0");
        if (kw.op == OP_MULTIPLE_OF && !campval__num_step_supported(&kw.u.num))
            return fail(c, CAMPVAL_RULES_UNSUPPORTED, doc, v,
                        "multipleOf with more than 19 significant digits is not supported");
    } else if ((IS("minLength") || IS("maxLength") || IS("minItems") || IS("maxItems") ||
                IS("minProperties") || IS("maxProperties")) && validation) {
        kw.op = IS("minLength") ? OP_MIN_LENGTH : IS("maxLength") ? OP_MAX_LENGTH
              : IS("minItems") ? OP_MIN_ITEMS : IS("maxItems") ? OP_MAX_ITEMS
              : IS("minProperties") ? OP_MIN_PROPERTIES : OP_MAX_PROPERTIES;
        kw.keyword = kw.op == OP_MIN_LENGTH ? "minLength" : kw.op == OP_MAX_LENGTH ? "maxLength"
                   : kw.op == OP_MIN_ITEMS ? "minItems" : kw.op == OP_MAX_ITEMS ? "maxItems"
                   : kw.op == OP_MIN_PROPERTIES ? "minProperties" : "maxProperties";
        if (!count_value(c, doc, v, &kw.u.count))
            return false;
    } else if (IS("uniqueItems") && validation) {
        bool u;
        if (!tok_bool(d, v, &u))
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "uniqueItems must be a boolean");
        if (!u)
            return true;
        kw.op = OP_UNIQUE_ITEMS;
        kw.keyword = "uniqueItems";
    } else if (IS("pattern") && validation) {
        kw.op = OP_PATTERN;
        kw.keyword = "pattern";
        if (!compile_pattern(c, doc, v, &kw.u.pattern.re, &kw.u.pattern.source))
            return false;
    } else if (IS("format")) {
        int r = format_keyword(c, doc, v, ri, vocab, &kw);
        if (r <= 0)
            return r == 0;
    } else if (IS("x-phone")) {
        kw.op = OP_PHONE;
        kw.keyword = "x-phone";
        if (!compile_phone(c, doc, v, &kw))
            return false;
    } else if (IS("required") && validation) {
        if (!string_array(c, doc, v))
            return false;
        b->has_object = true;
        b->tok_required = v;
        b->object.u.object.required_location = loc(c, doc, v);
        return true;
    } else if (IS("dependentRequired") && validation) {
        if (!tok_is(d, v, CAMPVAL__T_OBJECT))
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "dependentRequired must be an object");
        b->has_object = true;
        b->tok_dep_req = v;
        b->object.u.object.dep_req_location = loc(c, doc, v);
        return true;
    } else if ((IS("minContains") || IS("maxContains")) && validation) {
        uint64_t n;
        if (!count_value(c, doc, v, &n))
            return false;
        b->has_items = true;
        if (IS("minContains")) {
            b->has_min_contains = true;
            b->min_contains = n;
        } else {
            b->items.u.items.max_contains = n;
            b->items.u.items.has_max_contains = true;
        }
        return true;
    } else if (!applicator && !(vocab & V_UNEVALUATED)) {
        goto other;
    } else if (IS("properties") || IS("patternProperties") || IS("additionalProperties") ||
               IS("dependentSchemas")) {
        b->has_object = true;
        if (IS("additionalProperties")) {
            int64_t nd = child(c, doc, v);
            if (nd < 0)
                return false;
            b->object.u.object.additional = (int32_t)nd;
            b->object.u.object.additional_location = loc(c, doc, v);
            return true;
        }
        if (!tok_is(d, v, CAMPVAL__T_OBJECT))
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "expected an object of schemas");
        if (IS("properties"))
            b->tok_properties = v;
        else if (IS("dependentSchemas"))
            b->tok_dep_schemas = v;
        else
            b->tok_pattern = v;
        return true;
    } else if (IS("prefixItems") || IS("items") || IS("contains")) {
        b->has_items = true;
        if (IS("prefixItems")) {
            b->items.u.items.prefix_location = loc(c, doc, v);
            return child_list(c, doc, v, &b->items.u.items.prefix_first,
                              &b->items.u.items.prefix_count, true);
        }
        if (IS("items") && dialect != D_2020 && tok_is(d, v, CAMPVAL__T_ARRAY)) {
            /* draft-07/2019-09 array form: what 2020-12 calls prefixItems */
            b->items_array = true;
            b->items.u.items.prefix_location = loc(c, doc, v);
            return child_list(c, doc, v, &b->items.u.items.prefix_first,
                              &b->items.u.items.prefix_count, false);
        }
        int64_t nd = child(c, doc, v);
        if (nd < 0)
            return false;
        if (IS("items")) {
            b->items.u.items.items = (int32_t)nd;
            b->items.u.items.items_location = loc(c, doc, v);
        } else {
            b->items.u.items.contains = (int32_t)nd;
            b->items.u.items.contains_location = loc(c, doc, v);
        }
        return true;
    } else if (IS("propertyNames") || IS("not") || IS("unevaluatedItems") ||
               IS("unevaluatedProperties")) {
        kw.op = IS("propertyNames") ? OP_PROPERTY_NAMES : IS("not") ? OP_NOT
              : IS("unevaluatedItems") ? OP_UNEVALUATED_ITEMS : OP_UNEVALUATED_PROPERTIES;
        kw.keyword = kw.op == OP_PROPERTY_NAMES ? "propertyNames" : kw.op == OP_NOT ? "not"
                   : kw.op == OP_UNEVALUATED_ITEMS ? "unevaluatedItems" : "unevaluatedProperties";
        if ((kw.op == OP_UNEVALUATED_ITEMS || kw.op == OP_UNEVALUATED_PROPERTIES) &&
            !(vocab & V_UNEVALUATED))
            return true;
        int64_t nd = child(c, doc, v);
        if (nd < 0)
            return false;
        kw.u.node = (uint32_t)nd;
        if (kw.op == OP_UNEVALUATED_ITEMS || kw.op == OP_UNEVALUATED_PROPERTIES)
            s->nodes[node].flags |= CAMPVAL__N_TRACKS;
    } else if (IS("allOf") || IS("anyOf") || IS("oneOf")) {
        kw.op = IS("allOf") ? OP_ALL_OF : IS("anyOf") ? OP_ANY_OF : OP_ONE_OF;
        kw.keyword = kw.op == OP_ALL_OF ? "allOf" : kw.op == OP_ANY_OF ? "anyOf" : "oneOf";
        if (!child_list(c, doc, v, &kw.u.list.first, &kw.u.list.count, true))
            return false;
    } else if (IS("if") || IS("then") || IS("else")) {
        return cond_keyword(c, b, doc, v, key);
    } else {
        goto other;
    }
    LOC();
    return emit(c, b, kw, doc, v);
other:
other_ignored:
    if (IS("$ref") || IS("$dynamicRef") || IS("$recursiveRef"))
        return ref_keyword(c, b, doc, v, key, resource, dialect);
    if (c->flags & CAMPVAL_WARN_UNKNOWN)
        return warn_unknown(c, doc, k, key);
    return true;
#undef IS
#undef LOC
}

static int op_cmp(const void *a, const void *b)
{
    const campval__kw *x = a, *y = b;
    return (int)x->op - (int)y->op;
}

static bool compile_node(compiler *c, uint32_t node, uint32_t doc, uint32_t tok)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    dinfo *di = &c->di[doc];
    int32_t res = di->res_of[tok];
    if (res < 0) {
        int p = (int)tok;
        while (p >= 0 && di->res_of[p] < 0)
            p = d->tok[p].parent;
        res = p >= 0 ? di->res_of[p] : 0;
    }
    s->nodes[node].resource = (uint32_t)res;
    s->nodes[node].location = loc(c, doc, tok);
    bool bv;
    if (tok_bool(d, tok, &bv)) {
        s->nodes[node].flags |= bv ? CAMPVAL__N_TRUE : CAMPVAL__N_FALSE;
        if (!bv) {
            campval__kw kw = {0};
            kw.op = OP_FALSE;
            kw.keyword = "false";
            kw.location = s->nodes[node].location;
            s->nodes[node].kw_first = s->kw_count;
            s->nodes[node].kw_count = 1;
            return PUSH(c, s->kws, s->kw_count, c->cap_kws, kw);
        }
        s->nodes[node].kw_first = s->kw_count;
        return true;
    }
    if (!tok_is(d, tok, CAMPVAL__T_OBJECT))
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "a schema must be an object or a boolean");
    if (member(d, tok, "$id") >= 0 && di->res_of[tok] >= 0)
        s->nodes[node].flags |= CAMPVAL__N_RESOURCE;
    nodebuild *b = blk_alloc(c, sizeof *b);
    if (!b)
        return false;
    memset(b, 0, sizeof *b);
    b->tok_properties = b->tok_pattern = b->tok_required = b->tok_dep_req = b->tok_dep_schemas = -1;
    b->tok_dependencies = -1;
    b->additional_items = -1;
    b->excl_min = b->excl_max = -1;
    b->items.op = OP_ITEMS;
    b->items.keyword = "items";
    b->items.u.items.items = b->items.u.items.contains = -1;
    b->object.op = OP_OBJECT;
    b->object.keyword = "properties";
    b->object.u.object.additional = -1;
    b->cond.op = OP_IF;
    b->cond.keyword = "if";
    uint8_t dialect = rinfo_of(c, (uint32_t)res)->dialect;
    int64_t ref = dialect == D_7 || dialect == D_OAS30 ? member(d, tok, "$ref") : -1;
    uint32_t k = tok + 1;
    for (int m = 0; m < d->tok[tok].size; m++, k = d->next[k]) {
        if (ref >= 0 && k + 1 != (uint32_t)ref) /* draft-07: $ref overrides its siblings */
            continue;
        if (!keyword(c, b, doc, k, (uint32_t)res, node))
            goto out;
    }
    if (b->items_array && b->additional_items >= 0)
        b->items.u.items.items = b->additional_items;
    for (uint32_t i = 0; i < b->nkw; i++) { /* OpenAPI 3.0 adjustments */
        campval__kw *kw = &b->kws[i];
        if (kw->op == OP_TYPE && b->nullable)
            kw->u.types |= CAMPVAL__TY_NULL;
        if (kw->op == OP_MINIMUM && b->excl_min == 1) {
            kw->op = OP_EXCL_MINIMUM;
            kw->keyword = "exclusiveMinimum";
        }
        if (kw->op == OP_MAXIMUM && b->excl_max == 1) {
            kw->op = OP_EXCL_MAXIMUM;
            kw->keyword = "exclusiveMaximum";
        }
    }
    if (b->has_items) {
        campval__kw *it = &b->items;
        it->u.items.min_contains = b->has_min_contains ? b->min_contains : 1;
        it->location = it->u.items.contains_location ? it->u.items.contains_location
                     : it->u.items.items_location ? it->u.items.items_location
                     : it->u.items.prefix_location ? it->u.items.prefix_location
                     : s->nodes[node].location;
        if (it->u.items.prefix_count || it->u.items.items >= 0 || it->u.items.contains >= 0)
            if (!emit(c, b, *it, doc, tok))
                goto out;
    }
    if (b->has_object) {
        campval__kw *ob = &b->object;
        if (b->tok_pattern >= 0) {
            uint32_t p = (uint32_t)b->tok_pattern, pk = p + 1;
            ob->u.object.pp_first = s->pattern_prop_count;
            for (int i = 0; i < d->tok[p].size; i++, pk = d->next[pk]) {
                campval__pattern_prop pp;
                int64_t nd = child(c, doc, pk + 1);
                if (nd < 0 || !compile_pattern(c, doc, pk, &pp.re, &pp.source))
                    goto out;
                pp.node = (uint32_t)nd;
                if (!PUSH(c, s->pattern_props, s->pattern_prop_count, c->cap_pp, pp))
                    goto out;
            }
            ob->u.object.pp_count = s->pattern_prop_count - ob->u.object.pp_first;
        }
        if (!build_object(c, b, doc))
            goto out;
        ob->location = s->nodes[node].location;
        if (!emit(c, b, *ob, doc, tok))
            goto out;
    }
    if (b->has_if && b->cond.u.cond.cond >= 0 && !emit(c, b, b->cond, doc, tok))
        goto out;
    if (b->nkw > 1)
        qsort(b->kws, b->nkw, sizeof *b->kws, op_cmp);
    s->nodes[node].kw_first = s->kw_count;
    s->nodes[node].kw_count = b->nkw;
    if (!grow(c, &s->kws, &c->cap_kws, sizeof *s->kws, s->kw_count + b->nkw))
        goto out;
    if (b->nkw)
        memcpy(s->kws + s->kw_count, b->kws, b->nkw * sizeof *b->kws);
    s->kw_count += b->nkw;
    if (b->nkw == 0)
        s->nodes[node].flags |= CAMPVAL__N_TRUE;
    blk_free(c->a, s, b);
    return true;
out:
    blk_free(c->a, s, b);
    return false;
}

/* x-phone: {"possible": true, "valid": true, "regions": [...], "types": [...],
 * "deniedTypes": [...]}. Without libphonenumber such rules do not compile: a check that cannot
 * run must never pass silently. */
static bool phone_types(compiler *c, uint32_t doc, uint32_t tok, uint32_t *mask)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!string_array(c, doc, tok))
        return false;
    *mask = 0;
    uint32_t e = tok + 1;
    for (int i = 0; i < d->tok[tok].size; i++, e = d->next[e]) {
        campval__str n = str_of(d, e);
        int t = n.escaped ? -1 : campval__phone_type_lookup(n.raw, n.len);
        if (t < 0)
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, e,
                        "unknown phone number type (fixed_line, mobile, fixed_line_or_mobile, "
                        "toll_free, premium_rate, shared_cost, voip, personal_number, pager, "
                        "uan, voicemail, unknown)");
        *mask |= 1u << t;
    }
    return true;
}

static bool compile_phone(compiler *c, uint32_t doc, uint32_t tok, campval__kw *kw)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__phone_available())
        return fail(c, CAMPVAL_RULES_UNSUPPORTED, doc, tok,
                    "x-phone needs libphonenumber, which this build does not have");
    if (!tok_is(d, tok, CAMPVAL__T_OBJECT))
        return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "x-phone must be an object");
    uint32_t k = tok + 1;
    char regions[1024];
    size_t nreg = 0;
    for (int m = 0; m < d->tok[tok].size; m++, k = d->next[k]) {
        campval__str key = str_of(d, k);
        uint32_t v = k + 1;
        bool b;
        if (campval__str_equal_plain(key, "possible", 8) || campval__str_equal_plain(key, "valid", 5)) {
            if (!tok_bool(d, v, &b))
                return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "expected true or false");
            if (b)
                kw->u.phone.checks |= key.len == 5 ? CAMPVAL__PHONE_WANT_VALID
                                                   : CAMPVAL__PHONE_WANT_POSSIBLE;
        } else if (campval__str_equal_plain(key, "regions", 7)) {
            if (!string_array(c, doc, v))
                return false;
            uint32_t e = v + 1;
            for (int i = 0; i < d->tok[v].size; i++, e = d->next[e]) {
                campval__str r = str_of(d, e);
                if (r.escaped || r.len != 2 || campval__phone_region_known(r.raw, 2) != 1)
                    return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, e,
                                "unknown region code (two upper-case letters, e.g. \"US\")");
                if (nreg + 2 >= sizeof regions)
                    return fail(c, CAMPVAL_RULES_TOO_COMPLEX, doc, v, "too many regions");
                memcpy(regions + nreg, r.raw, 2);
                nreg += 2;
            }
        } else if (campval__str_equal_plain(key, "types", 5)) {
            if (!phone_types(c, doc, v, &kw->u.phone.types_mask))
                return false;
        } else if (campval__str_equal_plain(key, "deniedTypes", 11)) {
            if (!phone_types(c, doc, v, &kw->u.phone.denied_mask))
                return false;
        } else {
            return fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, k,
                        "unknown x-phone member (possible, valid, regions, types, deniedTypes)");
        }
    }
    if (nreg) {
        uint32_t idx = intern(c, regions, nreg);
        if (idx == UINT32_MAX)
            return false;
        kw->u.phone.regions_first = idx;
        kw->u.phone.regions_count = (uint32_t)(nreg / 2);
    }
    /* Load libphonenumber and its tables now, not on the first request. */
    campval__phone_info info;
    campval__phone_analyze("+14155550123", 12, CAMPVAL__PHONE_WANT_ALL, &info);
    return true;
}

/* ---- checks over the whole graph ----------------------------------------------------------- */

/* Children a node evaluates at the same instance location (in-place applicators). */
static uint32_t inplace_edges(const campval_schema *s, uint32_t node, uint32_t *out, uint32_t max)
{
    uint32_t n = 0;
    const campval__node *nd = &s->nodes[node];
#define ADD(x)                                                                                     \
    do {                                                                                           \
        if (n < max)                                                                               \
            out[n] = (x);                                                                          \
        n++;                                                                                       \
    } while (0)
    for (uint32_t i = 0; i < nd->kw_count; i++) {
        const campval__kw *kw = &s->kws[nd->kw_first + i];
        switch (kw->op) {
        case OP_REF: ADD(kw->u.node); break;
        case OP_DYNAMIC_REF: ADD(kw->u.dref.node); break;
        case OP_NOT: ADD(kw->u.node); break;
        case OP_ALL_OF:
        case OP_ANY_OF:
        case OP_ONE_OF:
            for (uint32_t j = 0; j < kw->u.list.count; j++)
                ADD(s->children[kw->u.list.first + j]);
            break;
        case OP_IF:
            ADD((uint32_t)kw->u.cond.cond);
            if (kw->u.cond.then_ >= 0)
                ADD((uint32_t)kw->u.cond.then_);
            if (kw->u.cond.else_ >= 0)
                ADD((uint32_t)kw->u.cond.else_);
            break;
        case OP_OBJECT:
            for (uint32_t j = 0; j < kw->u.object.names_count; j++)
                if (s->names[kw->u.object.names_first + j].dep_schema >= 0)
                    ADD((uint32_t)s->names[kw->u.object.names_first + j].dep_schema);
            break;
        default: break;
        }
    }
#undef ADD
    return n;
}

/* A cycle of in-place references never reaches an instance step: it would loop forever. The
 * edges are listed once (adjacency in first/edge), so the search is O(nodes + edges) even for a
 * node with 100,000 subschemas. */
static bool check_cycles(compiler *c)
{
    campval_schema *s = c->s;
    uint32_t n = s->node_count;
    uint32_t *first = blk_alloc(c, ((size_t)n + 1) * sizeof(uint32_t));
    if (!first)
        return false;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        first[i] = (uint32_t)total;
        total += inplace_edges(s, i, NULL, 0);
        if (total > UINT32_MAX / 2) {
            blk_free(c->a, s, first);
            return fail(c, CAMPVAL_RULES_TOO_COMPLEX, 0, 0, "too many subschemas");
        }
    }
    first[n] = (uint32_t)total;
    uint32_t *edge = blk_alloc(c, (size_t)total * sizeof(uint32_t) + 4);
    uint8_t *color = blk_alloc(c, n);
    uint32_t *stack = blk_alloc(c, (size_t)n * 2 * sizeof(uint32_t) + 8);
    bool ok = edge && color && stack;
    if (ok) {
        for (uint32_t i = 0; i < n; i++)
            inplace_edges(s, i, edge + first[i], first[i + 1] - first[i]);
        memset(color, 0, n);
    }
    for (uint32_t root = 0; root < n && ok; root++) {
        if (color[root])
            continue;
        uint32_t sp = 0;
        stack[sp++] = root;
        stack[sp++] = first[root];
        color[root] = 1;
        while (sp > 0 && ok) {
            uint32_t node = stack[sp - 2], idx = stack[sp - 1];
            if (idx >= first[node + 1]) {
                color[node] = 2;
                sp -= 2;
                continue;
            }
            stack[sp - 1] = idx + 1;
            uint32_t next = edge[idx];
            if (color[next] == 1) {
                c->rc = CAMPVAL_OK;
                fail(c, CAMPVAL_RULES_BAD_REF, s->nodes[next].doc, s->nodes[next].tok,
                     "reference cycle through %s never reaches a value", s->nodes[next].location);
                ok = false;
            } else if (color[next] == 0) {
                color[next] = 1;
                stack[sp++] = next;
                stack[sp++] = first[next];
            }
        }
    }
    blk_free(c->a, s, first);
    blk_free(c->a, s, edge);
    blk_free(c->a, s, color);
    blk_free(c->a, s, stack);
    return ok && c->rc == CAMPVAL_OK;
}

/* Where node i's $ref leads when i is nothing but a $ref within its resource, else UINT32_MAX. */
static uint32_t ref_step(const campval_schema *s, uint32_t i)
{
    const campval__node *t = &s->nodes[i];
    if (t->kw_count != 1 || (t->flags & (CAMPVAL__N_TRACKS | CAMPVAL__N_RESOURCE)))
        return UINT32_MAX;
    const campval__kw *kw = &s->kws[t->kw_first];
    if (kw->op != OP_REF || kw->u.node == 0 || s->nodes[kw->u.node].resource != t->resource)
        return UINT32_MAX;
    return kw->u.node;
}

/* Shortcuts the engine takes without changing any verdict: a node that is nothing but a $ref
 * inside the same resource (no dynamic-scope change) is replaced by its final target, and a
 * node that is nothing but `type` is checked inline. Each chain is followed once and its end
 * shared by every node on it, so a chain of 100,000 $refs costs O(100,000) here and one step
 * when validating. */
static bool shortcuts(compiler *c)
{
    campval_schema *s = c->s;
    for (uint32_t i = 0; i < s->node_count; i++) {
        campval__node *n = &s->nodes[i];
        if (n->kw_count != 1 || (n->flags & CAMPVAL__N_TRACKS))
            continue;
        const campval__kw *kw = &s->kws[n->kw_first];
        if (kw->op == OP_TYPE) {
            n->flags |= CAMPVAL__N_TYPE_ONLY;
            n->types = kw->u.types;
        }
    }
    uint32_t n = s->node_count;
    uint32_t *end = blk_alloc(c, ((size_t)n + 1) * sizeof(uint32_t));
    uint32_t *path = blk_alloc(c, ((size_t)n + 1) * sizeof(uint32_t));
    uint8_t *state = blk_alloc(c, (size_t)n + 1); /* 0 not seen, 1 on the path, 2 end known */
    if (!end || !path || !state)
        return false;
    memset(state, 0, n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t np = 0, cur = i;
        while (state[cur] == 0) {
            state[cur] = 1;
            path[np++] = cur;
            uint32_t next = ref_step(s, cur);
            if (next == UINT32_MAX)
                break;
            cur = next;
        }
        /* cur: the chain's last node (on the path), a node whose end is known, or (never, after
         * check_cycles) a node met earlier on this path: then the path stops before it. */
        uint32_t last = state[cur] == 2 ? end[cur] : path[np - 1];
        while (np > 0) {
            uint32_t k = path[--np];
            end[k] = last;
            state[k] = 2;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (end[i] != i)
            s->nodes[i].alias = end[i];
    blk_free(c->a, s, end);
    blk_free(c->a, s, path);
    blk_free(c->a, s, state);
    return true;
}

static int tagged_cmp(const void *a, const void *b)
{
    const tagged_anchor *x = a, *y = b;
    return x->resource < y->resource ? -1 : x->resource > y->resource;
}

static bool finish(compiler *c)
{
    campval_schema *s = c->s;
    if (c->ntagged > 1)
        qsort(c->tagged, c->ntagged, sizeof *c->tagged, tagged_cmp);
    if (!grow(c, &s->danchors, &c->cap_danchors, sizeof *s->danchors, c->ntagged))
        return false;
    for (uint32_t i = 0; i < c->ntagged; i++) {
        campval__resource *r = &s->resources[c->tagged[i].resource];
        if (r->danchor_count == 0)
            r->danchor_first = i;
        r->danchor_count++;
        s->danchors[i] = (campval__danchor){c->tagged[i].name, c->tagged[i].node};
    }
    s->danchor_count = c->ntagged;
    return check_cycles(c) && shortcuts(c);
}

/* ---- public API ------------------------------------------------------------------------------ */

void campval_schema_free(campval_schema *s)
{
    if (!s || s->magic != CAMPVAL__SCHEMA_MAGIC)
        return;
    campval_allocator a = s->alloc;
    const campval_allocator *ap = s->has_alloc ? &a : NULL;
    for (uint32_t i = 0; i < s->regex_count; i++)
        campval__regex_free(s->regexes[i], ap);
    struct campval__block *b = s->blocks;
    while (b) {
        struct campval__block *next = b->next;
        campval__free(ap, b, sizeof *b + b->size);
        b = next;
    }
    s->magic = 0;
    campval__free(ap, s, sizeof *s);
}

static campval_code compile_text(const char *rules, size_t len, const campval_compile_options *opt,
                                 const char *retrieval_uri, const char *fragment,
                                 campval_schema **out, campval_compile_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!out)
        return CAMPVAL_NULL_ARGUMENT;
    *out = NULL;
    if (!rules && len > 0)
        return CAMPVAL_NULL_ARGUMENT;
    static const campval_compile_options defaults = {0, NULL, NULL, NULL, CAMPVAL_DIALECT_2020_12,
                                                     NULL};
    if (!opt)
        opt = &defaults;
    campval_schema *s = campval__malloc(opt->allocator, sizeof *s);
    if (!s)
        return CAMPVAL_NOMEM;
    memset(s, 0, sizeof *s);
    s->magic = CAMPVAL__SCHEMA_MAGIC;
    if (opt->allocator) {
        s->alloc = *opt->allocator;
        s->has_alloc = true;
    }
    s->memory = sizeof *s;
    compiler c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.a = opt->allocator;
    c.flags = opt->flags;
    c.loader = opt->loader;
    c.loader_ctx = opt->loader_ctx;
    c.dialect = opt->dialect == CAMPVAL_DIALECT_DRAFT7    ? D_7
              : opt->dialect == CAMPVAL_DIALECT_2019_09 ? D_2019
                                                        : D_2020;
    c.err = err;
    c.rc = CAMPVAL_OK;
    /* Not for secrecy, only so that hashes differ between runs: names crafted to collide in
     * one run's tables do not collide in the next. */
    c.seed = mix64((uint64_t)(uintptr_t)&c ^ (uint64_t)(uintptr_t)s << 17 ^ (uint64_t)time(NULL));
    s->table_seed = mix64(c.seed);
    grow(&c, &s->docs, &c.cap_docs, sizeof *s->docs, RULES_MAX_DOCS);
    grow(&c, &c.di, &c.di_cap, sizeof *c.di, RULES_MAX_DOCS);
    const char *base = opt->base_uri ? opt->base_uri : retrieval_uri;
    char baseuri[URI_MAX];
    snprintf(baseuri, sizeof baseuri, "%.*s", (int)campval__uri_strip_fragment(base), base);
    int64_t res = add_and_scan(&c, rules ? rules : "", len, baseuri);
    if (res >= 0) {
        uint32_t root_tok = 0;
        if (fragment && *fragment) {
            char dec[URI_MAX];
            size_t dl = campval__uri_percent_decode(fragment, strlen(fragment), dec);
            int64_t t = resolve_pointer(&c, 0, 0, dec, dl);
            if (t < 0)
                fail(&c, CAMPVAL_RULES_BAD_REF, 0, 0, "\"#%s\" points nowhere in the rules",
                     fragment);
            else
                root_tok = (uint32_t)t;
            if (t >= 0 && c.di[0].res_of[t] < 0) {
                int p = (int)t;
                while (p >= 0 && c.di[0].res_of[p] < 0)
                    p = s->docs[0].tok[p].parent;
                c.di[0].res_of[t] = p >= 0 ? c.di[0].res_of[p] : 0;
            }
        }
        int64_t root = c.rc == CAMPVAL_OK ? child(&c, 0, root_tok) : -1;
        if (root >= 0)
            s->root = (uint32_t)root;
        while (c.rc == CAMPVAL_OK && c.iwork < c.nwork) {
            work w = c.work[c.iwork++];
            compile_node(&c, w.node, w.doc, w.tok);
        }
        if (c.rc == CAMPVAL_OK)
            finish(&c);
    }
    if (c.rc == CAMPVAL_OK && res < 0)
        c.rc = CAMPVAL_INTERNAL;
    /* Compile-only tables go; the schema keeps what validation reads. */
    for (uint32_t i = 0; i < s->doc_count && c.di; i++) {
        blk_free(c.a, s, c.di[i].node_of);
        blk_free(c.a, s, c.di[i].res_of);
        blk_free(c.a, s, c.di[i].pos);
        blk_free(c.a, s, c.di[i].afirst);
        blk_free(c.a, s, c.di[i].elems);
        ht_free(&c, &c.di[i].members);
    }
    ht_free(&c, &c.reg_ht);
    ht_free(&c, &c.anchor_ht);
    ht_free(&c, &c.string_ht);
    ht_free(&c, &c.names_ht);
    blk_free(c.a, s, c.di);
    blk_free(c.a, s, c.work);
    blk_free(c.a, s, c.tagged);
    blk_free(c.a, s, c.ri);
    blk_free(c.a, s, c.anchors);
    blk_free(c.a, s, c.regs);
    if (c.rc != CAMPVAL_OK) {
        if (err && err->code == CAMPVAL_OK) {
            err->code = c.rc;
            snprintf(err->message, sizeof err->message, "%s", campval_strerror(c.rc));
        }
        campval_schema_free(s);
        return c.rc;
    }
    *out = s;
    return CAMPVAL_OK;
}

campval_code campval_schema_compile(const char *rules, size_t len,
                                    const campval_compile_options *opt, campval_schema **out,
                                    campval_compile_error *err)
{
    return compile_text(rules, len, opt, "campval:///rules.json", NULL, out, err);
}

campval_code campval_schema_builtin(const char *name, const campval_compile_options *opt,
                                    campval_schema **out, campval_compile_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (!name || !out) {
        if (out)
            *out = NULL;
        return CAMPVAL_NULL_ARGUMENT;
    }
    *out = NULL;
    const char *hash = strchr(name, '#');
    size_t n = hash ? (size_t)(hash - name) : strlen(name);
    for (size_t i = 0; i < campval__builtin_total; i++) {
        const campval__builtin *b = &campval__builtins[i];
        if (b->name && strlen(b->name) == n && memcmp(b->name, name, n) == 0)
            return compile_text(b->text, b->len, opt, b->uri, hash ? hash + 1 : NULL, out, err);
    }
    if (err) {
        err->code = CAMPVAL_RULES_UNKNOWN_BUILTIN;
        snprintf(err->message, sizeof err->message, "no built-in rules named \"%.*s\"",
                 (int)(n > 200 ? 200 : n), name);
    }
    return CAMPVAL_RULES_UNKNOWN_BUILTIN;
}

size_t campval_builtin_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < campval__builtin_total; i++)
        n += campval__builtins[i].name != NULL;
    return n;
}

long campval_builtin_find(const char *name)
{
    if (!name)
        return -1;
    size_t n = strcspn(name, "#");
    long i = 0;
    for (size_t k = 0; k < campval__builtin_total; k++) {
        const char *b = campval__builtins[k].name;
        if (!b)
            continue;
        if (strlen(b) == n && strncmp(b, name, n) == 0)
            return i;
        i++;
    }
    return -1;
}

const char *campval_builtin_name(size_t i, const char **description)
{
    for (size_t k = 0; k < campval__builtin_total; k++) {
        if (!campval__builtins[k].name)
            continue;
        if (i-- == 0) {
            if (description)
                *description = campval__builtins[k].description;
            return campval__builtins[k].name;
        }
    }
    return NULL;
}

size_t campval_schema_warning_count(const campval_schema *s)
{
    return s && s->magic == CAMPVAL__SCHEMA_MAGIC ? s->warning_count : 0;
}

const char *campval_schema_warning(const campval_schema *s, size_t i)
{
    if (!s || s->magic != CAMPVAL__SCHEMA_MAGIC || i >= s->warning_count)
        return NULL;
    return s->warnings[i];
}

size_t campval_schema_memory(const campval_schema *s)
{
    if (!s || s->magic != CAMPVAL__SCHEMA_MAGIC)
        return 0;
    size_t re = 0;
    for (uint32_t i = 0; i < s->regex_count; i++)
        re += campval__regex_memory(s->regexes[i]);
    return s->memory + re;
}
