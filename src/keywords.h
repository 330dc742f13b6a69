/* The keywords campval knows, as one X-macro table (llhttp style): the compile-time lookup, the
 * dialect and vocabulary gate, the subschema shape the identifier scan follows, and the code an
 * assertion reports are all generated from it. Per-keyword behaviour stays in small functions:
 * compiling in keywords.c, evaluating in engine.c (a switch on the op), messages in message.c
 * (one renderer per msg id).
 *
 * Rows are in strcmp order of the name: the lookup is a binary search over them
 * (tests/test_engine.c checks the order). Columns:
 *   id     enum suffix (KW_<id>)
 *   name   the keyword as written in rules
 *   op     compiled operation (schema.h; OP_NONE_: nothing compiled, e.g. $defs); several rows
 *          share OP_ITEMS, OP_OBJECT and OP_IF, which aggregate them
 *   vocab  vocabularies of which any one makes it a keyword (0: every vocabulary)
 *   dial   dialects in which it is a keyword (DL_*)
 *   shape  subschemas in its value: SH_NONE, SH_ONE, SH_ARRAY (or one, draft-07 items), SH_MAP
 *   code   the error it reports (CAMPVAL_OK: applicator or annotation)
 *   msg    how message.c explains its error (MS_*: one renderer each; MS_NONE reports nothing
 *          of its own, MS_PLAIN is the code's fixed text) */
#ifndef CAMPVAL_KEYWORDS_H
#define CAMPVAL_KEYWORDS_H

#include "internal.h"
#include "jstring.h"

#define DL_2020 (1u << 0) /* bits by D_2020, D_2019, D_7, D_OAS30 (compile_int.h) */
#define DL_2019 (1u << 1)
#define DL_7 (1u << 2)
#define DL_OAS30 (1u << 3)
#define DL_OLD (DL_7 | DL_OAS30)
#define DL_NEW (DL_2020 | DL_2019)
#define DL_ALL (DL_OLD | DL_NEW)
#define VO_VAL (1u << 3)               /* V_VALIDATION */
#define VO_APP ((1u << 1) | (1u << 2)) /* V_APPLICATOR or V_UNEVALUATED */
#define VO_APPLICATOR (1u << 1)        /* V_APPLICATOR only */
#define OP_NONE_ 0xFF

/* X(id, name, op, vocab, dial, shape, code, msg) */
#define CAMPVAL__KEYWORDS(X)                                                                       \
    X(defs, "$defs", OP_NONE_, 0, DL_ALL, SH_MAP, CAMPVAL_OK, MS_NONE)                             \
    X(dynamicRef, "$dynamicRef", OP_DYNAMIC_REF, 0, DL_2020, SH_NONE, CAMPVAL_OK, MS_NONE)         \
    X(recursiveRef, "$recursiveRef", OP_DYNAMIC_REF, 0, DL_2019, SH_NONE, CAMPVAL_OK, MS_NONE)     \
    X(ref, "$ref", OP_REF, 0, DL_ALL, SH_NONE, CAMPVAL_OK, MS_NONE)                                \
    X(additionalItems, "additionalItems", OP_ITEMS, VO_APPLICATOR, DL_OLD | DL_2019, SH_ONE,       \
      CAMPVAL_OK, MS_NONE)                                                                         \
    X(additionalProperties, "additionalProperties", OP_OBJECT, VO_APP, DL_ALL, SH_ONE,             \
      CAMPVAL_ADDITIONAL_PROPERTY, MS_ADDITIONAL)                                                  \
    X(allOf, "allOf", OP_ALL_OF, VO_APP, DL_ALL, SH_ARRAY, CAMPVAL_OK, MS_NONE)                    \
    X(anyOf, "anyOf", OP_ANY_OF, VO_APP, DL_ALL, SH_ARRAY, CAMPVAL_ANY_OF, MS_PLAIN)               \
    X(const_, "const", OP_CONST, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_CONST, MS_VALUES)                \
    X(contains, "contains", OP_ITEMS, VO_APP, DL_ALL, SH_ONE, CAMPVAL_CONTAINS, MS_CONTAINS)       \
    X(contentSchema, "contentSchema", OP_NONE_, 0, DL_ALL, SH_ONE, CAMPVAL_OK, MS_NONE)            \
    X(definitions, "definitions", OP_NONE_, 0, DL_ALL, SH_MAP, CAMPVAL_OK, MS_NONE)                \
    X(dependencies, "dependencies", OP_OBJECT, 0, DL_OLD, SH_MAP, CAMPVAL_DEPENDENT_REQUIRED,      \
      MS_DEPENDENT)                                                                                \
    X(dependentRequired, "dependentRequired", OP_OBJECT, VO_VAL, DL_NEW, SH_NONE,                  \
      CAMPVAL_DEPENDENT_REQUIRED, MS_DEPENDENT)                                                    \
    X(dependentSchemas, "dependentSchemas", OP_OBJECT, VO_APP, DL_NEW, SH_MAP, CAMPVAL_OK,         \
      MS_NONE)                                                                                     \
    X(else_, "else", OP_IF, VO_APP, DL_ALL, SH_ONE, CAMPVAL_OK, MS_NONE)                           \
    X(enum_, "enum", OP_ENUM, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_ENUM, MS_VALUES)                    \
    X(exclusiveMaximum, "exclusiveMaximum", OP_EXCL_MAXIMUM, VO_VAL, DL_ALL, SH_NONE,              \
      CAMPVAL_EXCLUSIVE_MAXIMUM, MS_BOUND)                                                         \
    X(exclusiveMinimum, "exclusiveMinimum", OP_EXCL_MINIMUM, VO_VAL, DL_ALL, SH_NONE,              \
      CAMPVAL_EXCLUSIVE_MINIMUM, MS_BOUND)                                                         \
    X(format, "format", OP_FORMAT, 0, DL_ALL, SH_NONE, CAMPVAL_FORMAT, MS_FORMAT)                  \
    X(if_, "if", OP_IF, VO_APP, DL_ALL, SH_ONE, CAMPVAL_OK, MS_NONE)                               \
    X(items, "items", OP_ITEMS, VO_APP, DL_ALL, SH_ONE, CAMPVAL_OK, MS_NONE)                       \
    X(maxContains, "maxContains", OP_ITEMS, VO_VAL, DL_NEW, SH_NONE, CAMPVAL_MAX_CONTAINS,         \
      MS_CONTAINS)                                                                                 \
    X(maxItems, "maxItems", OP_MAX_ITEMS, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_MAX_ITEMS, MS_COUNT)    \
    X(maxLength, "maxLength", OP_MAX_LENGTH, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_MAX_LENGTH,          \
      MS_LENGTH)                                                                                   \
    X(maxProperties, "maxProperties", OP_MAX_PROPERTIES, VO_VAL, DL_ALL, SH_NONE,                  \
      CAMPVAL_MAX_PROPERTIES, MS_COUNT)                                                            \
    X(maximum, "maximum", OP_MAXIMUM, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_MAXIMUM, MS_BOUND)          \
    X(minContains, "minContains", OP_ITEMS, VO_VAL, DL_NEW, SH_NONE, CAMPVAL_MIN_CONTAINS,         \
      MS_CONTAINS)                                                                                 \
    X(minItems, "minItems", OP_MIN_ITEMS, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_MIN_ITEMS, MS_COUNT)    \
    X(minLength, "minLength", OP_MIN_LENGTH, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_MIN_LENGTH,          \
      MS_LENGTH)                                                                                   \
    X(minProperties, "minProperties", OP_MIN_PROPERTIES, VO_VAL, DL_ALL, SH_NONE,                  \
      CAMPVAL_MIN_PROPERTIES, MS_COUNT)                                                            \
    X(minimum, "minimum", OP_MINIMUM, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_MINIMUM, MS_BOUND)          \
    X(multipleOf, "multipleOf", OP_MULTIPLE_OF, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_MULTIPLE_OF,      \
      MS_BOUND)                                                                                    \
    X(not_, "not", OP_NOT, VO_APP, DL_ALL, SH_ONE, CAMPVAL_NOT, MS_PLAIN)                          \
    X(nullable, "nullable", OP_NONE_, 0, DL_OAS30, SH_NONE, CAMPVAL_OK, MS_NONE)                   \
    X(oneOf, "oneOf", OP_ONE_OF, VO_APP, DL_ALL, SH_ARRAY, CAMPVAL_ONE_OF, MS_ONE_OF)              \
    X(pattern, "pattern", OP_PATTERN, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_PATTERN, MS_PATTERN)        \
    X(patternProperties, "patternProperties", OP_OBJECT, VO_APP, DL_ALL, SH_MAP, CAMPVAL_OK,       \
      MS_NONE)                                                                                     \
    X(prefixItems, "prefixItems", OP_ITEMS, VO_APP, DL_2020, SH_ARRAY, CAMPVAL_OK, MS_NONE)        \
    X(properties, "properties", OP_OBJECT, VO_APP, DL_ALL, SH_MAP, CAMPVAL_OK, MS_NONE)            \
    X(propertyNames, "propertyNames", OP_PROPERTY_NAMES, VO_APP, DL_ALL, SH_ONE, CAMPVAL_OK,       \
      MS_NONE)                                                                                     \
    X(required, "required", OP_OBJECT, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_REQUIRED, MS_REQUIRED)     \
    X(then, "then", OP_IF, VO_APP, DL_ALL, SH_ONE, CAMPVAL_OK, MS_NONE)                            \
    X(type, "type", OP_TYPE, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_TYPE, MS_TYPE)                       \
    X(unevaluatedItems, "unevaluatedItems", OP_UNEVALUATED_ITEMS, VO_APP, DL_NEW, SH_ONE,          \
      CAMPVAL_UNEVALUATED_ITEM, MS_PLAIN)                                                          \
    X(unevaluatedProperties, "unevaluatedProperties", OP_UNEVALUATED_PROPERTIES, VO_APP, DL_NEW,   \
      SH_ONE, CAMPVAL_UNEVALUATED_PROPERTY, MS_UNEVALUATED)                                        \
    X(uniqueItems, "uniqueItems", OP_UNIQUE_ITEMS, VO_VAL, DL_ALL, SH_NONE, CAMPVAL_UNIQUE_ITEMS,  \
      MS_UNIQUE)                                                                                   \
    X(x_caller_not_contact, "x-caller-not-contact", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,              \
      CAMPVAL_CALLER_IS_CONTACT, MS_PREFLIGHT)                                                     \
    X(x_calling_hours, "x-calling-hours", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                        \
      CAMPVAL_CALLING_HOURS, MS_PREFLIGHT)                                                         \
    X(x_calling_windows, "x-calling-windows", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                    \
      CAMPVAL_WINDOW_ORDER, MS_PREFLIGHT)                                                          \
    X(x_max_contacts, "x-max-contacts", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                          \
      CAMPVAL_TOO_MANY_CONTACTS, MS_PREFLIGHT)                                                     \
    X(x_phone, "x-phone", OP_PHONE, 0, DL_ALL, SH_NONE, CAMPVAL_PHONE_INVALID, MS_PHONE)           \
    X(x_prompt_variables, "x-prompt-variables", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                  \
      CAMPVAL_PROMPT_MISSING, MS_PREFLIGHT)                                                        \
    X(x_regions, "x-regions", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                                    \
      CAMPVAL_CONTACT_REGION, MS_PREFLIGHT)                                                        \
    X(x_retry_budget, "x-retry-budget", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                          \
      CAMPVAL_RETRY_BUDGET, MS_PREFLIGHT)                                                          \
    X(x_severity, "x-severity", OP_NONE_, 0, DL_ALL, SH_NONE, CAMPVAL_OK, MS_NONE)                 \
    X(x_suppress, "x-suppress", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                                  \
      CAMPVAL_SUPPRESSED, MS_PREFLIGHT)                                                            \
    X(x_unique_numbers, "x-unique-numbers", OP_PREFLIGHT, 0, DL_ALL, SH_NONE,                      \
      CAMPVAL_DUPLICATE_NUMBER, MS_PREFLIGHT)

typedef enum { SH_NONE, SH_ONE, SH_ARRAY, SH_MAP } campval__shape;

/* Message renderers (src/message.c has one function per id, in this order). */
typedef enum campval__msgid {
    MS_NONE,
    MS_PLAIN,
    MS_TYPE,
    MS_VALUES,
    MS_REQUIRED,
    MS_DEPENDENT,
    MS_ADDITIONAL,
    MS_UNEVALUATED,
    MS_FORMAT,
    MS_PATTERN,
    MS_BOUND,
    MS_LENGTH,
    MS_COUNT,
    MS_UNIQUE,
    MS_CONTAINS,
    MS_ONE_OF,
    MS_PHONE,
    MS_PREFLIGHT,
    MS_COUNT_
} campval__msgid;

typedef enum campval__kwid {
#define CAMPVAL__KW_ENUM(id, name, op, vocab, dial, shape, code, msg) KW_##id,
    CAMPVAL__KEYWORDS(CAMPVAL__KW_ENUM)
#undef CAMPVAL__KW_ENUM
    KW_COUNT_,
    KW_NONE_ = KW_COUNT_ /* not a keyword (the false schema, unknown names) */
} campval__kwid;

typedef struct campval__kwinfo {
    const char *name;
    uint8_t len;
    uint8_t op;
    uint8_t vocab;
    uint8_t dialects;
    uint8_t shape;
    uint8_t msg;
    campval_code code;
} campval__kwinfo;

/* The table, in row order (index: campval__kwid); one more row, KW_NONE_, all zero. */
extern const campval__kwinfo campval__kw_table[KW_COUNT_ + 1];

/* The row named by n bytes at s (plain, unescaped), or NULL. */
const campval__kwinfo *campval__kw_lookup(const char *s, size_t n);
/* The same for a rules string that may hold escapes. */
const campval__kwinfo *campval__kw_find(campval__str key);

static inline campval__kwid campval__kw_id(const campval__kwinfo *k)
{
    return (campval__kwid)(k - campval__kw_table);
}

#endif /* CAMPVAL_KEYWORDS_H */
