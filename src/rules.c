/*
 * Rules documents before they become nodes: parsing and indexing documents, the registry of
 * resources and anchors, the scan for identifiers, vocabularies, loading and references.
 */
#include "compile_int.h"
#include "keywords.h"

uint64_t campval__c_mix64(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

/* Compile-time hash of an FNV hash (campval__str_hash, campval__hash_bytes). */
uint64_t campval__c_khash(const compiler *c, uint64_t fnv)
{
    return campval__c_mix64(fnv ^ c->seed);
}

static uint64_t khash_bytes(const compiler *c, const char *p, size_t n)
{
    return campval__c_khash(c, campval__hash_bytes(CAMPVAL__HASH_SEED, p, n));
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

int64_t campval__c_ht_find(const htab *t, uint64_t h, bool (*eq)(const void *, uint32_t),
                           const void *ctx)
{
    const struct hslot *sl = ht_slot(t, h, eq, ctx);
    return sl && sl->val ? (int64_t)sl->val - 1 : -1;
}

/* Add index val under hash h (not already present); the table stays at most half full. */
bool campval__c_ht_add(compiler *c, htab *t, uint64_t h, uint32_t val)
{
    if (!t->slot || t->count + 1 > (t->mask + 1) / 2) {
        uint32_t size = t->slot ? (t->mask + 1) * 2 : 16;
        if (size == 0 || size > (UINT32_MAX >> 1)) {
            c->rc = CAMPVAL_RULES_TOO_COMPLEX;
            return false;
        }
        struct hslot *fresh = campval__c_blk_alloc(c, (size_t)size * sizeof *fresh);
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
        campval__c_blk_free(c->a, c->s, t->slot);
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

void campval__c_ht_free(compiler *c, htab *t)
{
    campval__c_blk_free(c->a, c->s, t->slot);
    *t = (htab){0};
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

campval__doc campval__c_view(const campval_schema *s, uint32_t d)
{
    const campval__rdoc *r = &s->docs[d];
    return (campval__doc){r->text, r->len, 0, r->tok, r->flags, r->next, r->count};
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
bool campval__c_fail(compiler *c, campval_code code, uint32_t doc, int64_t tok, const char *fmt,
                     ...)
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
            campval__doc v = campval__c_view(c->s, doc);
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

campval__str campval__c_str_of(const campval__rdoc *d, uint32_t t)
{
    return (campval__str){d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                          (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
}

/* Unescaped copy of a string token. */
char *campval__c_str_dup(compiler *c, uint32_t doc, uint32_t t, size_t *len)
{
    const campval__rdoc *d = &c->s->docs[doc];
    campval__str s = campval__c_str_of(d, t);
    char *p = campval__c_blk_alloc(c, s.len + 1);
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
           campval__str_equal_plain(campval__c_str_of(q->d, k), q->name, q->len);
}

static uint64_t member_hash(const compiler *c, uint32_t obj, uint64_t name_hash)
{
    return campval__c_khash(c, name_hash ^ (obj + 1) * 0x9E3779B97F4A7C15ull);
}

/* Tables that make pointer resolution and rendering independent of sibling counts: element
 * positions and per-array element lists, and a name hash for large objects. O(tokens). */
static bool index_doc(compiler *c, const campval__rdoc *d, dinfo *di)
{
    uint32_t n = d->count;
    di->pos = campval__c_blk_alloc(c, (n + 1) * sizeof(uint32_t));
    di->afirst = campval__c_blk_alloc(c, (n + 1) * sizeof(uint32_t));
    di->elems = campval__c_blk_alloc(c, (n + 1) * sizeof(uint32_t));
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
                uint64_t h = member_hash(c, t, campval__str_hash(campval__c_str_of(d, k)));
                if (!campval__c_ht_add(c, &di->members, h, k))
                    return false;
            }
        }
    }
    return true;
}

/* Value token of the last member `name` of object t, by a scan; -1 when there is none. */
static int64_t scan_member(const campval__rdoc *d, uint32_t t, const char *name, size_t n)
{
    int64_t found = -1;
    uint32_t k = t + 1;
    for (int m = 0; m < d->tok[t].size; m++, k = d->next[k])
        if (campval__str_equal_plain(campval__c_str_of(d, k), name, n))
            found = k + 1;
    return found;
}

/* Value token of member `name` of object t, or -1. */
static int64_t member_of(const compiler *c, const campval__rdoc *d, const dinfo *di, uint32_t t,
                         const char *name, size_t n)
{
    if (d->tok[t].size > INDEX_MEMBERS) {
        memberq q = {d, t, name, n};
        int64_t k = campval__c_ht_find(
            &di->members, member_hash(c, t, campval__hash_bytes(CAMPVAL__HASH_SEED, name, n)),
            member_eq, &q);
        return k < 0 ? -1 : k + 1;
    }
    return scan_member(d, t, name, n);
}

/* RFC 6901 pointer p[0..n) (percent-decoded) from token `from` of document doc, or -1. Same
 * rules as campval__pointer_resolve, but each step is O(1) expected through the doc's index. */
int64_t campval__c_resolve_pointer(const compiler *c, uint32_t doc, uint32_t from, const char *p,
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

/* The JSON stage's buffers for one rules document, sized by its length, in one block. */
typedef struct rules_bufs {
    campval__json_stage st;
    void *mem;
    size_t size;
} rules_bufs;

static bool rules_bufs_alloc(compiler *c, rules_bufs *b, size_t len)
{
    uint32_t tokens = (uint32_t)(len / 2 + 2 < 0x3FFFFFFF ? len / 2 + 2 : 0x3FFFFFFF);
    size_t depth = RULES_MAX_DEPTH;
    size_t t = tokens; /* tokens <= 2^30: none of these overflow a 64-bit size_t */
    size_t off_flags = t * sizeof(campval__tok), off_next = off_flags + ((t + 7) & ~(size_t)7);
    size_t off_slots = off_next + t * sizeof(uint32_t), off_stack = off_slots + 2 * t * 4;
    size_t off_nest = off_stack + (2 * depth + 4) * sizeof(uint32_t);
    b->size = off_nest + depth;
    char *m = b->mem = campval__malloc(c->a, b->size);
    if (!m)
        return false;
    memset(&b->st, 0, sizeof b->st);
    b->st.tok = (campval__tok *)(void *)m;
    b->st.flags = (uint8_t *)(m + off_flags);
    b->st.next = (uint32_t *)(void *)(m + off_next);
    b->st.slots = (uint32_t *)(void *)(m + off_slots);
    b->st.stack = (uint32_t *)(void *)(m + off_stack);
    b->st.nest = (uint8_t *)(m + off_nest);
    b->st.max_tokens = tokens;
    b->st.max_depth = RULES_MAX_DEPTH;
    return true;
}

/* Parse text into a new rules document; returns its index or -1. */
static int64_t add_doc(compiler *c, const char *text, size_t len, const char *uri)
{
    if (len > CAMPVAL_MAX_INPUT)
        return campval__c_fail(c, CAMPVAL_RULES_TOO_COMPLEX, UINT32_MAX, -1, "rules document too large"), -1;
    rules_bufs rb;
    if (!rules_bufs_alloc(c, &rb, len)) {
        c->rc = CAMPVAL_NOMEM;
        return -1;
    }
    campval__hkey key;
    campval__hkey_random(&key);
    uint64_t budget = CAMPVAL_WORK_FIXED + (uint64_t)CAMPVAL_WORK_PER_BYTE * len;
    rb.st.key = &key;
    rb.st.budget = &budget;
    campval_code rc = campval__json_parse(&rb.st, text, len, 0);
    if (rc != CAMPVAL_OK) {
        campval__free(c->a, rb.mem, rb.size);
        /* Valid JSON past a limit (nesting deeper than RULES_MAX_DEPTH) is not a syntax error. */
        bool limit = rc == CAMPVAL_LIMIT_DEPTH || rc == CAMPVAL_LIMIT_TOKENS;
        c->rc = limit ? CAMPVAL_RULES_TOO_COMPLEX : CAMPVAL_RULES_SYNTAX;
        if (c->err) {
            memset(c->err, 0, sizeof *c->err);
            c->err->code = c->rc;
            c->err->offset = rb.st.offset;
            campval__line_col(text, len, rb.st.offset, &c->err->line, &c->err->column);
            copy_cut(c->err->document, sizeof c->err->document, c->s->doc_count ? uri : "");
            snprintf(c->err->message, sizeof c->err->message, "%s: %s",
                     limit ? "rules exceed a compile limit" : "rules are not valid JSON",
                     campval_strerror(rc));
        }
        return -1;
    }
    uint32_t n = rb.st.doc.count;
    if (c->s->doc_count >= RULES_MAX_DOCS) {
        campval__free(c->a, rb.mem, rb.size);
        return campval__c_fail(c, CAMPVAL_RULES_TOO_COMPLEX, 0, 0, "rules reference more than %u documents",
                    RULES_MAX_DOCS), -1;
    }
    campval__rdoc d = {0};
    d.text = campval__c_sdup(c, text, len);
    d.len = len;
    d.tok = campval__c_blk_alloc(c, n * sizeof *d.tok);
    d.flags = campval__c_blk_alloc(c, n);
    d.next = campval__c_blk_alloc(c, n * sizeof *d.next);
    d.count = n;
    d.uri = campval__c_sdup(c, uri, strlen(uri));
    dinfo di = {0};
    di.node_of = campval__c_blk_alloc(c, n * sizeof(int32_t));
    di.res_of = campval__c_blk_alloc(c, n * sizeof(int32_t));
    if (c->rc != CAMPVAL_OK) {
        campval__free(c->a, rb.mem, rb.size);
        return -1;
    }
    memcpy(d.tok, rb.st.tok, n * sizeof *d.tok);
    memcpy(d.flags, rb.st.flags, n);
    memcpy(d.next, rb.st.next, n * sizeof *d.next);
    campval__free(c->a, rb.mem, rb.size);
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
int64_t campval__c_member(const campval__rdoc *d, uint32_t t, const char *name)
{
    if (d->tok[t].type != CAMPVAL__T_OBJECT)
        return -1;
    size_t n = strlen(name);
    return scan_member(d, t, name, n);
}

bool campval__c_tok_is(const campval__rdoc *d, uint32_t t, int type)
{
    return d->tok[t].type == type;
}

bool campval__c_tok_bool(const campval__rdoc *d, uint32_t t, bool *v)
{
    if (d->tok[t].type != CAMPVAL__T_PRIMITIVE)
        return false;
    char ch = d->text[d->tok[t].start];
    if (ch != 't' && ch != 'f')
        return false;
    *v = ch == 't';
    return true;
}

bool campval__c_tok_num(const campval__rdoc *d, uint32_t t, campval__num *n)
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
    return campval__c_ht_find(t, khash_bytes(c, uri, len), key_eq, &q);
}

static bool add_resource(compiler *c, const char *uri, uint32_t doc, uint32_t tok, uint32_t *out)
{
    campval_schema *s = c->s;
    size_t n = campval__uri_strip_fragment(uri);
    int64_t existing = c->nregs ? find_reg(c, c->regs, &c->reg_ht, uri, n) : -1;
    if (existing >= 0) {
        if (c->regs[existing].doc != doc || c->regs[existing].tok != tok)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_REF, doc, tok,
                                   "duplicate schema identifier %.*s", (int)n, uri);
        *out = c->regs[existing].resource;
        return true;
    }
    campval__resource res = {campval__c_sdup(c, uri, n), 0, 0};
    if (!res.uri || !PUSH(c, s->resources, s->resource_count, c->cap_res, res))
        return false;
    reg r = {(char *)res.uri, doc, tok, s->resource_count - 1};
    if (!PUSH(c, c->regs, c->nregs, c->cap_regs, r) ||
        !campval__c_ht_add(c, &c->reg_ht, khash_bytes(c, uri, n), c->nregs - 1))
        return false;
    *out = r.resource;
    return true;
}

static bool add_anchor(compiler *c, uint32_t resource, const char *name, size_t nlen, uint32_t doc,
                       uint32_t tok)
{
    const char *base = c->s->resources[resource].uri;
    size_t bl = strlen(base);
    char *full = campval__c_blk_alloc(c, bl + nlen + 2);
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
        return campval__c_fail(c, CAMPVAL_RULES_BAD_REF, doc, tok, "duplicate anchor \"%.*s\"",
                               (int)nlen, name);
    }
    reg r = {full, doc, tok, resource};
    return PUSH(c, c->anchors, c->nanchors, c->cap_anchors, r) &&
           campval__c_ht_add(c, &c->anchor_ht, khash_bytes(c, full, bl + 1 + nlen),
                             c->nanchors - 1);
}

uint32_t campval__c_intern(compiler *c, const char *s, size_t n)
{
    uint64_t h = khash_bytes(c, s, n);
    if (c->s->string_count) {
        keyq q = {(const char *const *)&c->s->strings[0], sizeof(char *), s, n};
        int64_t i = campval__c_ht_find(&c->string_ht, h, key_eq, &q);
        if (i >= 0)
            return (uint32_t)i;
    }
    char *p = campval__c_sdup(c, s, n);
    if (!p || !PUSH(c, c->s->strings, c->s->string_count, c->cap_strings, p) ||
        !campval__c_ht_add(c, &c->string_ht, h, c->s->string_count - 1))
        return UINT32_MAX;
    return c->s->string_count - 1;
}

/* Node for a schema token, created (and queued) on first use. */
int64_t campval__c_node_for(compiler *c, uint32_t doc, uint32_t tok)
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

/* Subschemas in a member's value, by the keyword table's shape column. */
static campval__shape schema_kind(campval__str key)
{
    const campval__kwinfo *k = campval__kw_find(key);
    return k ? (campval__shape)k->shape : SH_NONE;
}

static bool vocab_of(compiler *c, uint32_t doc, uint32_t tok, uint32_t resource, uint32_t *vocab,
                     uint8_t parent_dialect);
rinfo *campval__c_rinfo_of(compiler *c, uint32_t resource);

/* A $dynamicAnchor (or 2019-09's $recursiveAnchor, as the name "") of a resource. */
static bool dynamic_anchor(compiler *c, uint32_t resource, const char *name, size_t n, uint32_t doc,
                           uint32_t tok)
{
    int64_t node = campval__c_node_for(c, doc, tok);
    uint32_t nm = campval__c_intern(c, name, n);
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
        return campval__c_fail(c, CAMPVAL_RULES_TOO_COMPLEX, doc, tok, "rules nested too deeply");
    if (!campval__c_tok_is(d, tok, CAMPVAL__T_OBJECT)) {
        di->res_of[tok] = (int32_t)resource;
        return true;
    }
    uint8_t dialect = campval__c_rinfo_of(c, resource)->dialect;
    if ((dialect == D_7 || dialect == D_OAS30) && campval__c_member(d, tok, "$ref") >= 0) {
        /* draft-07: everything beside $ref is ignored, $id and subschemas included. */
        di->res_of[tok] = (int32_t)resource;
        return true;
    }
    int64_t id = campval__c_member(d, tok, "$id");
    if (id >= 0 && campval__c_tok_is(d, (uint32_t)id, CAMPVAL__T_STRING)) {
        char *ref = campval__c_str_dup(c, doc, (uint32_t)id, NULL);
        char abs[URI_MAX];
        if (!ref)
            return false;
        if (!campval__uri_resolve(c->s->resources[resource].uri, ref, abs, sizeof abs))
            return campval__c_fail(c, CAMPVAL_RULES_BAD_REF, doc, (uint32_t)id, "$id is too long");
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
                dialect = campval__c_rinfo_of(c, resource)->dialect;
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
        int64_t an = campval__c_member(d, tok, anchors[k]);
        if (an < 0 || !campval__c_tok_is(d, (uint32_t)an, CAMPVAL__T_STRING))
            continue;
        size_t n;
        char *name = campval__c_str_dup(c, doc, (uint32_t)an, &n);
        if (!name || !add_anchor(c, resource, name, n, doc, tok))
            return false;
        if (k == 1 && !dynamic_anchor(c, resource, name, n, doc, tok))
            return false;
    }
    bool ra;
    int64_t rec = dialect == D_2019 ? campval__c_member(d, tok, "$recursiveAnchor") : -1;
    if (rec >= 0 && campval__c_tok_bool(d, (uint32_t)rec, &ra) && ra &&
        !dynamic_anchor(c, resource, "", 0, doc, tok)) /* $recursiveAnchor: the anchor "" */
        return false;
    uint32_t k = tok + 1;
    for (int m = 0; m < d->tok[tok].size; m++, k = d->next[k]) {
        uint32_t v = k + 1;
        switch (schema_kind(campval__c_str_of(d, k))) {
        case SH_ONE:
            if (!scan(c, doc, v, resource, depth + 1))
                return false;
            break;
        case SH_ARRAY:
            if (campval__c_tok_is(d, v, CAMPVAL__T_ARRAY)) {
                uint32_t e = v + 1;
                for (int i = 0; i < d->tok[v].size; i++, e = d->next[e])
                    if (!scan(c, doc, e, resource, depth + 1))
                        return false;
            } else if (!scan(c, doc, v, resource, depth + 1)) { /* draft-07 single items */
                return false;
            }
            break;
        case SH_MAP:
            if (campval__c_tok_is(d, v, CAMPVAL__T_OBJECT)) {
                uint32_t e = v + 1;
                for (int i = 0; i < d->tok[v].size; i++, e = d->next[e])
                    if (!scan(c, doc, e + 1, resource, depth + 1))
                        return false;
            }
            break;
        case SH_NONE:
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

rinfo *campval__c_rinfo_of(compiler *c, uint32_t resource)
{
    if (!campval__c_grow(c, &c->ri, &c->cap_ri, sizeof *c->ri, resource + 1))
        return NULL;
    while (c->nri <= resource)
        c->ri[c->nri++] = (rinfo){V_ALL, false, c->dialect, false, 0};
    return &c->ri[resource];
}

static bool vocab_of(compiler *c, uint32_t doc, uint32_t tok, uint32_t resource, uint32_t *vocab,
                     uint8_t parent_dialect)
{
    const campval__rdoc *d = &c->s->docs[doc];
    rinfo *ri = campval__c_rinfo_of(c, resource);
    if (!ri)
        return false;
    ri->vocab = V_ALL;
    ri->dialect = parent_dialect;
    int64_t oas = tok == 0 ? campval__c_member(d, tok, "openapi") : -1;
    if (oas >= 0 && campval__c_tok_is(d, (uint32_t)oas, CAMPVAL__T_STRING)) {
        campval__str v = campval__c_str_of(d, (uint32_t)oas);
        ri->dialect = v.len >= 3 && memcmp(v.raw, "3.0", 3) == 0 ? D_OAS30 : D_2020;
    }
    bool af;
    int64_t x = campval__c_member(d, tok, "x-assert-formats");
    if (x >= 0 && campval__c_tok_bool(d, (uint32_t)x, &af))
        ri->assert_formats = af;
    int64_t sch = campval__c_member(d, tok, "$schema");
    *vocab = V_ALL;
    if (sch < 0 || !campval__c_tok_is(d, (uint32_t)sch, CAMPVAL__T_STRING))
        return true;
    size_t n;
    char *u = campval__c_str_dup(c, doc, (uint32_t)sch, &n);
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
    if (!campval__c_rinfo_of(c, (uint32_t)r) || !campval__c_rinfo_of(c, resource))
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
    int64_t voc = campval__c_member(md, mr->tok, "$vocabulary");
    if (voc < 0 || !campval__c_tok_is(md, (uint32_t)voc, CAMPVAL__T_OBJECT))
        return true;
    uint32_t bits = V_CORE;
    uint32_t k = (uint32_t)voc + 1;
    for (int m = 0; m < md->tok[voc].size; m++, k = md->next[k]) {
        campval__str key = campval__c_str_of(md, k);
        bool required = false;
        campval__c_tok_bool(md, k + 1, &required);
        bool known = false;
        for (size_t i = 0; i < sizeof known_vocabs / sizeof *known_vocabs; i++) {
            if (campval__str_equal_plain(key, known_vocabs[i].uri, strlen(known_vocabs[i].uri))) {
                bits |= known_vocabs[i].bit;
                known = true;
            }
        }
        if (!known && required)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_VOCABULARY, mr->doc, k,
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
int64_t campval__c_add_and_scan(compiler *c, const char *text, size_t len, const char *uri)
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

static int64_t load_uri(compiler *c, const char *uri, size_t n)
{
    int64_t r = c->nregs ? find_reg(c, c->regs, &c->reg_ht, uri, n) : -1;
    if (r >= 0)
        return c->regs[r].resource;
    char *u = campval__c_sdup(c, uri, n);
    if (!u)
        return -1;
    for (size_t i = 0; i < campval__builtin_total; i++) {
        const campval__builtin *b = &campval__builtins[i];
        size_t bl = campval__uri_strip_fragment(b->uri);
        if (bl == n && memcmp(b->uri, uri, n) == 0)
            return campval__c_add_and_scan(c, b->text, b->len, u);
    }
    if (c->loader) {
        const char *text = NULL;
        size_t len = 0;
        int lr = c->loader(c->loader_ctx, u, &text, &len);
        if (lr == 0 && text)
            return campval__c_add_and_scan(c, text, len, u);
        if (lr == (int)CAMPVAL_RULES_REF_FORBIDDEN)
            return LOAD_FORBIDDEN;
    }
    return -1;
}

/* Resolve a reference string token to a (doc, token) schema position. */
bool campval__c_resolve_ref(compiler *c, uint32_t doc, uint32_t reftok, uint32_t resource,
                            uint32_t *out_doc, uint32_t *out_tok)
{
    char *ref = campval__c_str_dup(c, doc, reftok, NULL);
    if (!ref)
        return false;
    char abs[URI_MAX];
    if (!campval__uri_resolve(c->s->resources[resource].uri, ref, abs, sizeof abs))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "reference is too long");
    size_t ul = campval__uri_strip_fragment(abs);
    const char *frag = abs[ul] == '#' ? abs + ul + 1 : "";
    char dec[URI_MAX];
    size_t dl = campval__uri_percent_decode(frag, strlen(frag), dec);
    dec[dl] = '\0';
    int64_t res = load_uri(c, abs, ul);
    if (res == LOAD_FORBIDDEN)
        return campval__c_fail(c, CAMPVAL_RULES_REF_FORBIDDEN, doc, reftok,
                               "\"%s\" resolves to %.*s, outside the allowed places", ref, (int)ul,
                               abs);
    if (res < 0) {
        if (c->rc == CAMPVAL_OK || c->rc == CAMPVAL_RULES_BAD_REF)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "cannot resolve \"%s\"",
                                   ref);
        return false;
    }
    const reg *target = &c->regs[res]; /* regs[i] is resource i */
    if (dl == 0 || dec[0] == '/') {
        int64_t t = campval__c_resolve_pointer(c, target->doc, target->tok, dec, dl);
        if (t < 0)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "\"%s\" points nowhere",
                                   ref);
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
        return campval__c_fail(c, CAMPVAL_RULES_BAD_REF, doc, reftok, "no anchor for \"%s\"", ref);
    *out_doc = c->anchors[a].doc;
    *out_tok = c->anchors[a].tok;
    return true;
}
