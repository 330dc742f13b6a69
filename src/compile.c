/*
 * Rule compiling. Documents are parsed with campval's own strict JSON stage, scanned once for
 * identifiers ($id, $anchor, $dynamicAnchor) and then compiled node by node from a worklist:
 * a subschema gets its node number when first referenced, so reference cycles need no recursion.
 * Everything allocated here belongs to the schema and is freed with it.
 */
#include "tzdb.h"
#include "compile_int.h"

void *campval__c_blk_alloc(compiler *c, size_t size)
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

void campval__c_blk_free(const campval_allocator *a, campval_schema *s, void *p)
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
bool campval__c_grow(compiler *c, void *arrp, uint32_t *cap, size_t elem, uint32_t need)
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
    void *fresh = campval__c_blk_alloc(c, elem * n);
    if (!fresh)
        return false;
    if (*arr) {
        memcpy(fresh, *arr, elem * *cap);
        campval__c_blk_free(c->a, c->s, *arr);
    }
    *arr = fresh;
    *cap = n;
    return true;
}

char *campval__c_sdup(compiler *c, const char *s, size_t n)
{
    char *p = campval__c_blk_alloc(c, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- compiling nodes ---------------------------------------------------------------------- */


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
            campval__doc whole = campval__c_view(c->s, doc);
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
            put_name(sb, campval__c_str_of(d, (uint32_t)p));
        else
            campval__sb_printf(sb, "%u", di->pos[v]);
    }
}

/* Keyword locations are stored as text, so rules that repeat a long path many times could make
 * them outgrow the rules themselves (a 4 KiB path above 100,000 siblings: 400 MB). Their total is
 * bounded: LOC_BUDGET_BASE plus LOC_BUDGET_PER_BYTE for each byte of rules loaded. */
#define LOC_BUDGET_BASE ((size_t)32 << 20)
#define LOC_BUDGET_PER_BYTE 16u

const char *campval__c_loc(compiler *c, uint32_t doc, uint32_t tok)
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
        campval__c_fail(
            c, CAMPVAL_RULES_TOO_COMPLEX, doc, tok,
            "keyword locations would take more than %zu bytes: too many schemas under long paths",
            LOC_BUDGET_BASE + LOC_BUDGET_PER_BYTE * c->rules_bytes);
        return NULL;
    }
    return campval__c_sdup(c, buf, n);
}

int64_t campval__c_child(compiler *c, uint32_t doc, uint32_t tok)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__c_tok_is(d, tok, CAMPVAL__T_OBJECT)) {
        bool b;
        if (!campval__c_tok_bool(d, tok, &b)) {
            campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok,
                            "a schema must be an object or a boolean");
            return -1;
        }
    }
    return campval__c_node_for(c, doc, tok);
}

bool campval__c_child_list(compiler *c, uint32_t doc, uint32_t tok, uint32_t *first,
                           uint32_t *count, bool nonempty)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__c_tok_is(d, tok, CAMPVAL__T_ARRAY) || (nonempty && d->tok[tok].size == 0))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok,
                               "expected a non-empty array of schemas");
    uint32_t n = (uint32_t)d->tok[tok].size;
    uint32_t base = c->s->child_count;
    if (!campval__c_grow(c, &c->s->children, &c->cap_children, sizeof(uint32_t), base + n))
        return false;
    c->s->child_count += n;
    uint32_t e = tok + 1;
    for (uint32_t i = 0; i < n; i++, e = d->next[e]) {
        int64_t nd = campval__c_child(c, doc, e);
        if (nd < 0)
            return false;
        c->s->children[base + i] = (uint32_t)nd;
    }
    *first = base;
    *count = n;
    return true;
}

bool campval__c_count_value(compiler *c, uint32_t doc, uint32_t tok, uint64_t *out)
{
    campval__num n;
    if (!campval__c_tok_num(&c->s->docs[doc], tok, &n) || campval__num_to_u64(&n, out) != 0)
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok,
                               "expected a non-negative integer");
    return true;
}

bool campval__c_emit(compiler *c, nodebuild *b, campval__kw kw, uint32_t doc, uint32_t tok)
{
    if (b->nkw >= sizeof b->kws / sizeof *b->kws)
        return campval__c_fail(c, CAMPVAL_RULES_TOO_COMPLEX, doc, tok,
                               "too many keywords in one schema");
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
                if (!campval__c_ht_add(c, &c->names_ht, campval__c_khash(c, s->names[i].hash),
                                       i - first))
                    return -1;
        }
        nameq q = {s->names + first, text, len};
        int64_t i = campval__c_ht_find(&c->names_ht, campval__c_khash(c, hash), name_eq, &q);
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
    if (c->names_ht.slot &&
        !campval__c_ht_add(c, &c->names_ht, campval__c_khash(c, hash), s->name_count - 1 - first))
        return -1;
    return s->name_count - 1;
}

static int64_t name_tok(compiler *c, uint32_t first, uint32_t doc, uint32_t tok)
{
    size_t n;
    char *t = campval__c_str_dup(c, doc, tok, &n);
    return t ? name_index(c, first, t, n) : -1;
}

bool campval__c_string_array(compiler *c, uint32_t doc, uint32_t tok)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__c_tok_is(d, tok, CAMPVAL__T_ARRAY))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok,
                               "expected an array of strings");
    uint32_t e = tok + 1;
    for (int i = 0; i < d->tok[tok].size; i++, e = d->next[e])
        if (!campval__c_tok_is(d, e, CAMPVAL__T_STRING))
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, e, "expected a string");
    return true;
}

/* The names a member requires (dependentRequired/<name>, or an array in draft-07's
 * dependencies), recorded for name index ni from the string array at token arr. */
static bool required_by(compiler *c, uint32_t first, uint32_t doc, uint32_t arr, uint32_t ni)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    if (!campval__c_string_array(c, doc, arr))
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
bool campval__c_build_object(compiler *c, nodebuild *b, uint32_t doc)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    campval__kw *kw = &b->object;
    uint32_t first = s->name_count;
    kw->u.object.names_first = first;
    campval__c_ht_free(c, &c->names_ht);
    if (b->tok_properties >= 0) {
        uint32_t p = (uint32_t)b->tok_properties, k = p + 1;
        for (int m = 0; m < d->tok[p].size; m++, k = d->next[k]) {
            int64_t nd = campval__c_child(c, doc, k + 1);
            int64_t ni = name_tok(c, first, doc, k);
            if (nd < 0 || ni < 0)
                return false;
            s->names[ni].property = (int32_t)nd;
            s->names[ni].prop_location = campval__c_loc(c, doc, k + 1);
            if (!s->names[ni].prop_location)
                return false;
        }
    }
    if (b->tok_dep_schemas >= 0) {
        uint32_t p = (uint32_t)b->tok_dep_schemas, k = p + 1;
        for (int m = 0; m < d->tok[p].size; m++, k = d->next[k]) {
            int64_t nd = campval__c_child(c, doc, k + 1);
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
            if (!s->names[ni].required) { /* a name listed twice is counted once */
                s->names[ni].required = true;
                kw->u.object.required_distinct++;
            }
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
            if (!campval__c_tok_is(d, k + 1, CAMPVAL__T_ARRAY)) {
                int64_t nd = campval__c_child(c, doc, k + 1);
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
        if (!campval__c_grow(c, &s->tables, &c->cap_tables, sizeof(uint32_t), tf + size))
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
    uint32_t *first = campval__c_blk_alloc(c, ((size_t)n + 1) * sizeof(uint32_t));
    if (!first)
        return false;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        first[i] = (uint32_t)total;
        total += inplace_edges(s, i, NULL, 0);
        if (total > UINT32_MAX / 2) {
            campval__c_blk_free(c->a, s, first);
            return campval__c_fail(c, CAMPVAL_RULES_TOO_COMPLEX, 0, 0, "too many subschemas");
        }
    }
    first[n] = (uint32_t)total;
    uint32_t *edge = campval__c_blk_alloc(c, (size_t)total * sizeof(uint32_t) + 4);
    uint8_t *color = campval__c_blk_alloc(c, n);
    uint32_t *stack = campval__c_blk_alloc(c, (size_t)n * 2 * sizeof(uint32_t) + 8);
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
                campval__c_fail(c, CAMPVAL_RULES_BAD_REF, s->nodes[next].doc, s->nodes[next].tok,
                                "reference cycle through %s never reaches a value",
                                s->nodes[next].location);
                ok = false;
            } else if (color[next] == 0) {
                color[next] = 1;
                stack[sp++] = next;
                stack[sp++] = first[next];
            }
        }
    }
    campval__c_blk_free(c->a, s, first);
    campval__c_blk_free(c->a, s, edge);
    campval__c_blk_free(c->a, s, color);
    campval__c_blk_free(c->a, s, stack);
    return ok && c->rc == CAMPVAL_OK;
}

/* Where node i's $ref leads when i is nothing but a $ref within its resource, else UINT32_MAX. */
static uint32_t ref_step(const campval_schema *s, uint32_t i)
{
    const campval__node *t = &s->nodes[i];
    if (t->kw_count != 1 || (t->flags & (CAMPVAL__N_TRACKS | CAMPVAL__N_RESOURCE | CAMPVAL__N_WARNING)))
        return UINT32_MAX;
    const campval__kw *kw = &s->kws[t->kw_first];
    if (kw->op != OP_REF || kw->u.node == 0 || s->nodes[kw->u.node].resource != t->resource)
        return UINT32_MAX;
    return kw->u.node;
}

/* Shortcuts the engine takes without changing any verdict: an object keyword that is a map
 * walks its members without name lookups, a node that is nothing but a $ref
 * inside the same resource (no dynamic-scope change) is replaced by its final target, and a
 * node that is nothing but `type` is checked inline. Each chain is followed once and its end
 * shared by every node on it, so a chain of 100,000 $refs costs O(100,000) here and one step
 * when validating. */
static bool shortcuts(compiler *c)
{
    campval_schema *s = c->s;
    /* an object keyword that is only additionalProperties, not false: a map (engine kw_map) */
    for (uint32_t i = 0; i < s->kw_count; i++) {
        campval__kw *kw = &s->kws[i];
        if (kw->op == OP_OBJECT)
            kw->u.object.is_map = kw->u.object.names_count == 0 && kw->u.object.pp_count == 0 &&
                                  kw->u.object.additional >= 0 &&
                                  !(s->nodes[kw->u.object.additional].flags & CAMPVAL__N_FALSE);
    }
    for (uint32_t i = 0; i < s->node_count; i++) {
        campval__node *n = &s->nodes[i];
        if (n->kw_count == 0 || s->kws[n->kw_first].op != OP_TYPE)
            continue;
        /* keywords are sorted by op: a `type` comes first */
        n->types = s->kws[n->kw_first].u.types;
        n->flags |= n->kw_count == 1 && !(n->flags & CAMPVAL__N_TRACKS) ? CAMPVAL__N_TYPE_ONLY
                                                                        : CAMPVAL__N_TYPE_FIRST;
    }
    uint32_t n = s->node_count;
    uint32_t *end = campval__c_blk_alloc(c, ((size_t)n + 1) * sizeof(uint32_t));
    uint32_t *path = campval__c_blk_alloc(c, ((size_t)n + 1) * sizeof(uint32_t));
    uint8_t *state =
        campval__c_blk_alloc(c, (size_t)n + 1); /* 0 not seen, 1 on the path, 2 end known */
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
    campval__c_blk_free(c->a, s, end);
    campval__c_blk_free(c->a, s, path);
    campval__c_blk_free(c->a, s, state);
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
    if (!campval__c_grow(c, &s->danchors, &c->cap_danchors, sizeof *s->danchors, c->ntagged))
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
    campval__tzdb_free(s->tzdb);
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
    c.seed = campval__c_mix64((uint64_t)(uintptr_t)&c ^ (uint64_t)(uintptr_t)s << 17 ^
                              (uint64_t)time(NULL));
    s->table_seed = campval__c_mix64(c.seed);
    campval__c_grow(&c, &s->docs, &c.cap_docs, sizeof *s->docs, RULES_MAX_DOCS);
    campval__c_grow(&c, &c.di, &c.di_cap, sizeof *c.di, RULES_MAX_DOCS);
    const char *base = opt->base_uri ? opt->base_uri : retrieval_uri;
    char baseuri[URI_MAX];
    snprintf(baseuri, sizeof baseuri, "%.*s", (int)campval__uri_strip_fragment(base), base);
    int64_t res = campval__c_add_and_scan(&c, rules ? rules : "", len, baseuri);
    if (res >= 0) {
        uint32_t root_tok = 0;
        if (fragment && *fragment) {
            char dec[URI_MAX];
            size_t dl = campval__uri_percent_decode(fragment, strlen(fragment), dec);
            int64_t t = campval__c_resolve_pointer(&c, 0, 0, dec, dl);
            if (t < 0)
                campval__c_fail(&c, CAMPVAL_RULES_BAD_REF, 0, 0,
                                "\"#%s\" points nowhere in the rules", fragment);
            else
                root_tok = (uint32_t)t;
            if (t >= 0 && c.di[0].res_of[t] < 0) {
                int p = (int)t;
                while (p >= 0 && c.di[0].res_of[p] < 0)
                    p = s->docs[0].tok[p].parent;
                c.di[0].res_of[t] = p >= 0 ? c.di[0].res_of[p] : 0;
            }
        }
        int64_t root = c.rc == CAMPVAL_OK ? campval__c_child(&c, 0, root_tok) : -1;
        if (root >= 0)
            s->root = (uint32_t)root;
        while (c.rc == CAMPVAL_OK && c.iwork < c.nwork) {
            work w = c.work[c.iwork++];
            campval__c_compile_node(&c, w.node, w.doc, w.tok);
        }
        if (c.rc == CAMPVAL_OK)
            finish(&c);
    }
    if (c.rc == CAMPVAL_OK && res < 0)
        c.rc = CAMPVAL_INTERNAL;
    /* Compile-only tables go; the schema keeps what validation reads. */
    for (uint32_t i = 0; i < s->doc_count && c.di; i++) {
        campval__c_blk_free(c.a, s, c.di[i].node_of);
        campval__c_blk_free(c.a, s, c.di[i].res_of);
        campval__c_blk_free(c.a, s, c.di[i].pos);
        campval__c_blk_free(c.a, s, c.di[i].afirst);
        campval__c_blk_free(c.a, s, c.di[i].elems);
        campval__c_ht_free(&c, &c.di[i].members);
    }
    campval__c_ht_free(&c, &c.reg_ht);
    campval__c_ht_free(&c, &c.anchor_ht);
    campval__c_ht_free(&c, &c.string_ht);
    campval__c_ht_free(&c, &c.names_ht);
    campval__c_blk_free(c.a, s, c.di);
    campval__c_blk_free(c.a, s, c.work);
    campval__c_blk_free(c.a, s, c.tagged);
    campval__c_blk_free(c.a, s, c.ri);
    campval__c_blk_free(c.a, s, c.anchors);
    campval__c_blk_free(c.a, s, c.regs);
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
    return s->memory + re + campval__tzdb_memory(s->tzdb);
}
