/* Compiled rules: immutable tables produced by the compiler (compile.c, keywords.c, rules.c) and
 * read by the engine (engine.c). */
#ifndef CAMPVAL_SCHEMA_H
#define CAMPVAL_SCHEMA_H

#include "internal.h"
#include "number.h"

struct campval__regex;

/* Instance types as bits, for `type`. */
enum {
    CAMPVAL__TY_NULL = 1u << 0,
    CAMPVAL__TY_BOOLEAN = 1u << 1,
    CAMPVAL__TY_OBJECT = 1u << 2,
    CAMPVAL__TY_ARRAY = 1u << 3,
    CAMPVAL__TY_NUMBER = 1u << 4,
    CAMPVAL__TY_STRING = 1u << 5,
    CAMPVAL__TY_INTEGER = 1u << 6
};

/* Keyword operations, in the order a node evaluates them (unevaluated* last). */
typedef enum campval__op {
    OP_FALSE,      /* the false schema */
    OP_TYPE,
    OP_ENUM,
    OP_CONST,
    OP_MINIMUM,
    OP_MAXIMUM,
    OP_EXCL_MINIMUM,
    OP_EXCL_MAXIMUM,
    OP_MULTIPLE_OF,
    OP_MIN_LENGTH,
    OP_MAX_LENGTH,
    OP_PATTERN,
    OP_FORMAT,
    OP_PHONE,
    OP_MIN_ITEMS,
    OP_MAX_ITEMS,
    OP_UNIQUE_ITEMS,
    OP_ITEMS,          /* prefixItems + items + contains/minContains/maxContains together */
    OP_OBJECT,         /* properties, patternProperties, additionalProperties, required, dependent* */
    OP_MIN_PROPERTIES,
    OP_MAX_PROPERTIES,
    OP_PROPERTY_NAMES,
    OP_REF,
    OP_DYNAMIC_REF,
    OP_ALL_OF,
    OP_ANY_OF,
    OP_ONE_OF,
    OP_NOT,
    OP_IF,
    OP_PREFLIGHT,      /* campaign-wide harm checks (src/preflight.c), one per keyword */
    OP_UNEVALUATED_ITEMS,
    OP_UNEVALUATED_PROPERTIES
} campval__op;

/* A value from a rules document (for enum and const): document index and token. */
typedef struct campval__value {
    uint32_t doc;
    uint32_t tok;
    uint64_t hash;
} campval__value;

/* One member name a node cares about (properties, required, dependentRequired/Schemas). */
typedef struct campval__name {
    const char *text; /* unescaped, NUL-terminated */
    uint32_t len;
    bool required;         /* in the object keyword's required list (once or more) */
    uint64_t hash;
    int32_t property;      /* node for properties/<name>, or -1 */
    int32_t dep_schema;    /* node for dependentSchemas/<name>, or -1 */
    uint32_t dep_first;    /* dependentRequired/<name>: range in schema->name_refs */
    uint32_t dep_count;
    const char *prop_location; /* keyword location of properties/<name> */
} campval__name;

typedef struct campval__pattern_prop {
    const struct campval__regex *re;
    uint32_t node;
    const char *source;
} campval__pattern_prop;

typedef struct campval__kw {
    uint8_t op;
    uint8_t id;           /* campval__kwid (keywords.h): the row for its code and name */
    const char *keyword;  /* static keyword name for errors */
    const char *location; /* keyword location in the rules */
    union {
        uint32_t types;                          /* OP_TYPE */
        struct { uint32_t first, count; } values; /* OP_ENUM/OP_CONST: range in schema->values */
        campval__num num;                        /* numeric bounds, multipleOf */
        uint64_t count;                          /* min/max length/items/properties */
        struct { const struct campval__regex *re; const char *source; } pattern;
        struct { int fmt; bool assert; } format;
        struct {
            uint32_t prefix_first, prefix_count; /* prefixItems nodes in schema->children */
            int32_t items;                       /* node or -1 */
            int32_t contains;                    /* node or -1 */
            uint64_t min_contains, max_contains;
            bool has_max_contains;
            const char *prefix_location, *items_location, *contains_location;
        } items;
        struct {
            uint32_t names_first, names_count;  /* range in schema->names */
            uint32_t table_first, table_mask;   /* open-addressed hash over names; 0 mask: none */
            uint32_t required_first, required_count; /* indices into names, via schema->name_refs */
            uint32_t required_distinct;         /* names in it, each counted once (names[].required) */
            uint32_t pp_first, pp_count;        /* range in schema->pattern_props */
            int32_t additional;                 /* node or -1 */
            bool has_dependents;
            bool is_map; /* only a non-false additionalProperties: kw_map (set by shortcuts) */
            const char *required_location, *additional_location, *dep_req_location;
        } object;
        uint32_t node;                           /* OP_REF, OP_NOT, OP_PROPERTY_NAMES, unevaluated* */
        struct { uint32_t node; uint32_t anchor; bool dynamic; } dref; /* OP_DYNAMIC_REF */
        struct { uint32_t first, count; } list;  /* allOf/anyOf/oneOf: range in schema->children */
        struct { int32_t cond, then_, else_; const char *then_loc, *else_loc; } cond;
        struct {
            uint32_t checks; /* bit flags: possible, valid */
            uint32_t regions_first, regions_count; /* in schema->strings as 2-letter codes */
            uint32_t types_mask, denied_mask;
        } phone;
        struct {
            uint64_t a, b;        /* counts: caps (x-max-contacts, x-retry-budget) */
            uint32_t first, count; /* x-regions: interned region list */
            const void *data;     /* x-calling-hours: count campval__hours entries */
        } pf; /* OP_PREFLIGHT parameters */
    } u;
} campval__kw;

enum {
    CAMPVAL__N_TRUE = 1u << 0,       /* boolean schema true (or empty) */
    CAMPVAL__N_FALSE = 1u << 1,      /* boolean schema false */
    CAMPVAL__N_TRACKS = 1u << 2,     /* has unevaluatedItems/Properties: collects annotations */
    CAMPVAL__N_RESOURCE = 1u << 3,   /* has $id: enters a new dynamic scope */
    CAMPVAL__N_TYPE_ONLY = 1u << 4,  /* only a `type` keyword: checked without a call */
    CAMPVAL__N_WARNING = 1u << 5,    /* "x-severity": "warning": findings beneath are warnings */
    CAMPVAL__N_TYPE_FIRST = 1u << 6  /* more keywords, the first `type`: passed without a call */
};

typedef struct campval__node {
    uint32_t kw_first, kw_count; /* range in schema->kws */
    uint32_t flags;
    uint32_t resource;          /* resource (for $dynamicRef scope) */
    uint32_t types;             /* CAMPVAL__N_TYPE_ONLY or _TYPE_FIRST: the allowed types */
    uint32_t alias;             /* a node that is only a $ref within its resource: the target
                                   evaluated instead (0: none; the root is never an alias) */
    const char *location;
    uint32_t doc, tok;          /* where the schema is, for compile errors about it */
} campval__node;

/* A schema resource (document root or subschema with $id) and its dynamic anchors. */
typedef struct campval__resource {
    const char *uri;
    uint32_t danchor_first, danchor_count; /* range in schema->danchors */
} campval__resource;

typedef struct campval__danchor {
    uint32_t name; /* interned anchor name (index into schema->strings) */
    uint32_t node;
} campval__danchor;

/* A rules document kept for enum/const values and messages. */
typedef struct campval__rdoc {
    char *text;
    size_t len;
    campval__tok *tok;
    uint8_t *flags;
    uint32_t *next;
    uint32_t count;
    char *uri;
} campval__rdoc;

struct campval_schema {
    uint32_t magic;
    campval_allocator alloc;
    bool has_alloc;
    uint32_t root;
    campval__node *nodes;
    uint32_t node_count;
    campval__kw *kws;
    uint32_t kw_count;
    uint32_t *children;
    uint32_t child_count;
    campval__value *values;
    uint32_t value_count;
    campval__name *names;
    uint32_t name_count;
    uint32_t *name_refs;  /* name indices (required lists, dependentRequired lists) */
    uint32_t name_ref_count;
    uint32_t *tables;     /* name hash tables: name index + 1, 0 empty; see campval__name_slot */
    uint32_t table_count;
    uint64_t table_seed;  /* per compile: crafted names cannot pile up in one slot chain */
    campval__pattern_prop *pattern_props;
    uint32_t pattern_prop_count;
    campval__resource *resources;
    uint32_t resource_count;
    campval__danchor *danchors;
    uint32_t danchor_count;
    campval__rdoc *docs;
    uint32_t doc_count;
    char **strings;       /* interned strings (anchor names, phone regions) */
    uint32_t string_count;
    struct campval__regex **regexes;
    uint32_t regex_count;
    char **warnings;
    uint32_t warning_count;
    struct campval__tzdb *tzdb; /* time zones, loaded when a rule needs them (x-calling-hours) */
    /* Every allocation made for the schema, for freeing and campval_schema_memory(). */
    struct campval__block *blocks;
    size_t memory;
};

/* Start slot of a name (hash: campval__str_hash of it) in a name table of mask+1 slots. */
static inline uint32_t campval__name_slot(const campval_schema *s, uint64_t hash, uint32_t mask)
{
    uint64_t h = hash ^ s->table_seed;
    h ^= h >> 31;
    h *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) & mask;
}

#define CAMPVAL__SCHEMA_MAGIC 0x43565343u /* "CVSC" */

#endif /* CAMPVAL_SCHEMA_H */
