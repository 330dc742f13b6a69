/* What the rules compiler's files share: rules.c (documents, registry, identifiers,
 * vocabularies, references), keywords.c (each keyword's compiling) and compile.c (nodes, graph
 * checks, public API). Functions prefixed campval__c_ are the compiler's own, across its files. */
#ifndef CAMPVAL_COMPILE_INT_H
#define CAMPVAL_COMPILE_INT_H

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

#define PUSH(c, arr, count, capv, val)                                                             \
    (campval__c_grow((c), &(arr), &(capv), sizeof *(arr), (count) + 1)                             \
         ? ((arr)[(count)++] = (val), true)                                                        \
         : false)

/* load_uri: the loader refused the URI (a place it does not allow). */
#define LOAD_FORBIDDEN (-2)

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

/* compile.c */
void *campval__c_blk_alloc(compiler *c, size_t size);
void campval__c_blk_free(const campval_allocator *a, campval_schema *s, void *p);
bool campval__c_grow(compiler *c, void *arrp, uint32_t *cap, size_t elem, uint32_t need);
char *campval__c_sdup(compiler *c, const char *s, size_t n);
const char *campval__c_loc(compiler *c, uint32_t doc, uint32_t tok);
int64_t campval__c_child(compiler *c, uint32_t doc, uint32_t tok);
bool campval__c_child_list(compiler *c, uint32_t doc, uint32_t tok, uint32_t *first,
                           uint32_t *count, bool nonempty);
bool campval__c_count_value(compiler *c, uint32_t doc, uint32_t tok, uint64_t *out);
bool campval__c_emit(compiler *c, nodebuild *b, campval__kw kw, uint32_t doc, uint32_t tok);
bool campval__c_string_array(compiler *c, uint32_t doc, uint32_t tok);
bool campval__c_build_object(compiler *c, nodebuild *b, uint32_t doc);

/* rules.c */
uint64_t campval__c_mix64(uint64_t h);
uint64_t campval__c_khash(const compiler *c, uint64_t fnv);
int64_t campval__c_ht_find(const htab *t, uint64_t h, bool (*eq)(const void *, uint32_t),
                           const void *ctx);
bool campval__c_ht_add(compiler *c, htab *t, uint64_t h, uint32_t val);
void campval__c_ht_free(compiler *c, htab *t);
campval__doc campval__c_view(const campval_schema *s, uint32_t d);
/* A preflight keyword's value (src/preflight_rules.c): 1 compile kw, 0 nothing, -1 failed. */
int campval__c_preflight(compiler *c, uint32_t doc, uint32_t v, int id, campval__kw *kw);
/* A JSON array of region codes libphonenumber knows, appended to out (2 bytes each). */
bool campval__c_region_list(compiler *c, uint32_t doc, uint32_t v, char *out, size_t cap,
                            size_t *n);
bool campval__c_fail(compiler *c, campval_code code, uint32_t doc, int64_t tok, const char *fmt,
                     ...);
campval__str campval__c_str_of(const campval__rdoc *d, uint32_t t);
char *campval__c_str_dup(compiler *c, uint32_t doc, uint32_t t, size_t *len);
int64_t campval__c_resolve_pointer(const compiler *c, uint32_t doc, uint32_t from, const char *p,
                                   size_t n);
int64_t campval__c_member(const campval__rdoc *d, uint32_t t, const char *name);
bool campval__c_tok_is(const campval__rdoc *d, uint32_t t, int type);
bool campval__c_tok_bool(const campval__rdoc *d, uint32_t t, bool *v);
bool campval__c_tok_num(const campval__rdoc *d, uint32_t t, campval__num *n);
uint32_t campval__c_intern(compiler *c, const char *s, size_t n);
int64_t campval__c_node_for(compiler *c, uint32_t doc, uint32_t tok);
rinfo *campval__c_rinfo_of(compiler *c, uint32_t resource);
int64_t campval__c_add_and_scan(compiler *c, const char *text, size_t len, const char *uri);
bool campval__c_resolve_ref(compiler *c, uint32_t doc, uint32_t reftok, uint32_t resource,
                            uint32_t *out_doc, uint32_t *out_tok);

/* keywords.c */
bool campval__c_compile_node(compiler *c, uint32_t node, uint32_t doc, uint32_t tok);

#endif /* CAMPVAL_COMPILE_INT_H */
