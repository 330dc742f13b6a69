/*
 * campval — validate campaign API payloads with strict JSON and JSON Schema rules.
 *
 * One public header. Reading order: export macro, limits, codes, types, compile API,
 * validate API, output helpers.
 *
 * The model in three steps:
 *
 *   1. Compile rules once (campval_schema_compile or campval_schema_builtin). This is the only
 *      step that allocates, through an optional allocator hook. The compiled schema is immutable
 *      and may be shared by any number of threads.
 *   2. Give each thread a workspace (campval_workspace_size + campval_workspace_init, in memory
 *      the caller owns, or campval_workspace_create). It holds the JSON tokens, regex match data
 *      and the error list.
 *   3. Call campval_validate as often as needed. It performs no heap allocation (rules using the
 *      x-phone keyword excepted, see there; the pre-flight number checks allocate once, on first
 *      use: libphonenumber's tables per process, PCRE2 match data per thread) and returns
 *      CAMPVAL_OK or the code of the first problem; every problem is listed in the result.
 *
 * @code
 *   campval_schema *schema;
 *   campval_compile_error cerr;
 *   if (campval_schema_builtin("campaign_create", NULL, &schema, &cerr) != CAMPVAL_OK)
 *       return fail(cerr.message);
 *   campval_workspace *ws;
 *   campval_workspace_create(NULL, NULL, &ws);
 *   campval_result res;
 *   if (campval_validate(schema, ws, body, body_len, 0, &res) != CAMPVAL_OK) {
 *       for (size_t i = 0; i < res.error_count; i++) {
 *           char ptr[256], msg[256];
 *           campval_error_pointer(ws, &res.errors[i], ptr, sizeof ptr);
 *           campval_error_message(ws, &res.errors[i], msg, sizeof msg);
 *           printf("%s: %s\n", ptr, msg);
 *       }
 *   }
 *   campval_workspace_destroy(ws);
 *   campval_schema_free(schema);
 * @endcode
 */
/*
 * ABI. The shared library is libcampval.so.0 and exports campval_* only, under the symbol
 * version CAMPVAL_0 (the campval_numbers_* functions, added later, under CAMPVAL_0.2).
 * Compiled schemas and workspaces are opaque: campval allocates them (or lays a workspace out
 * in memory sized by campval_workspace_size), so they may grow freely. The
 * structs callers allocate themselves are campval_limits, campval_compile_options,
 * campval_allocator, campval_result and campval_error (read only), campval_compile_error and
 * campval_numbers_error.
 * Within major version 0 new fields are only ever added at the end of these structs; callers
 * must fill campval_limits with campval_limits_default() and zero campval_compile_options
 * before setting fields, so that new fields get their defaults. Code numbers never change.
 * While the version is 0.x, a minor release may still add such fields: rebuild against the new
 * header (CAMPVAL_VERSION_NUMBER tells which one a program was built with).
 */
#ifndef CAMPVAL_H
#define CAMPVAL_H

#include <stddef.h>
#include <stdint.h>

#include "campval/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Export macro
 * ------------------------------------------------------------------------------------------- */

#if defined(CAMPVAL_STATIC)
#define CAMPVAL_API
#elif defined(_WIN32)
#ifdef CAMPVAL_BUILDING
#define CAMPVAL_API __declspec(dllexport)
#else
#define CAMPVAL_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define CAMPVAL_API __attribute__((visibility("default")))
#else
#define CAMPVAL_API
#endif

/* ---------------------------------------------------------------------------------------------
 * Limits
 *
 * Every length and depth that comes from input is bounded. The defaults below are what
 * campval_limits_default() fills in; each can be changed per workspace.
 * ------------------------------------------------------------------------------------------- */

/** Largest input campval_validate accepts: jsmn keeps positions in an `int`. */
#define CAMPVAL_MAX_INPUT ((size_t)0x7FFFFFFE)
/**
 * Default nesting depth (objects and arrays) a document may reach: meson's -Dmax_depth, through
 * the generated campval/version.h (CAMPVAL_BUILD_MAX_DEPTH).
 */
#define CAMPVAL_DEFAULT_MAX_DEPTH CAMPVAL_BUILD_MAX_DEPTH
/** Hard ceiling on max_depth. */
#define CAMPVAL_MAX_DEPTH_CEILING 1024u
/**
 * Machine stack a thread needs to validate with a given max_depth. Evaluation recurses at most
 * 2 * max_depth + 64 levels (then CAMPVAL_LIMIT_EVALUATION), each taking at most
 * CAMPVAL_STACK_PER_LEVEL bytes; CAMPVAL_STACK_BASE covers the entry, PCRE2's JIT stack (32 KiB)
 * and libphonenumber: 224 KiB at the default depth 128, 1.1 MiB at the ceiling. Measured with
 * gcc -O2 on x86-64 over recursive rules through every applicator: at most 300 bytes per level
 * (tests/test_threads.c runs them at the default depth and at the ceiling, in threads with
 * exactly this much stack above a guard page, and counts the bytes they touched). Other
 * compilers and -O0 need more; sanitizer builds need several times more.
 */
#define CAMPVAL_STACK_PER_LEVEL 512u
#define CAMPVAL_STACK_BASE (64u * 1024u)
#define CAMPVAL_STACK_NEEDED(max_depth)                                                            \
    ((size_t)CAMPVAL_STACK_BASE + (size_t)CAMPVAL_STACK_PER_LEVEL * (2u * (size_t)(max_depth) + 64u))
/** Default number of JSON tokens (values plus member names) a workspace holds. */
#define CAMPVAL_DEFAULT_MAX_TOKENS 262144u
/** Default number of errors recorded per validation: meson's -Dmax_errors, via campval/version.h. */
#define CAMPVAL_DEFAULT_MAX_ERRORS CAMPVAL_BUILD_MAX_ERRORS
/** Default size of the buffer for strings that must be unescaped before a pattern runs. */
#define CAMPVAL_DEFAULT_MAX_STRING 65536u
/** Default PCRE2 match limit of one pattern match (campval_limits.regex_match_limit). */
#define CAMPVAL_DEFAULT_REGEX_MATCH_LIMIT 200000u
/** Default PCRE2 depth limit (campval_limits.regex_depth_limit). */
#define CAMPVAL_DEFAULT_REGEX_DEPTH_LIMIT 10000u
/** Default and largest PCRE2 heap limit in KiB (campval_limits.regex_heap_limit_kib). */
#define CAMPVAL_DEFAULT_REGEX_HEAP_LIMIT_KIB 512u
/**
 * The work budget: what one campval_validate may spend, in units of about one evaluation step,
 * is CAMPVAL_WORK_FIXED + CAMPVAL_WORK_PER_BYTE * len. Evaluation steps, members and items a
 * keyword walks (a unit each, whatever its subschema), tokens hashed or compared (enum, const,
 * uniqueItems), hash-table probes, string bytes read by formats and patterns (a unit per 32
 * bytes), and PCRE2 match-limit units all spend from it; running out
 * stops validation with CAMPVAL_LIMIT_EVALUATION (fail closed). So the cost of every document
 * is linear in its size, whatever its bytes and whatever the rules. The budget is far above what
 * real documents use (see bench/worst-case.sh for the figures on this build).
 */
#define CAMPVAL_WORK_FIXED 200000u
#define CAMPVAL_WORK_PER_BYTE 8u

/*
 * Compiling rules takes time linear in their size, and is bounded (CAMPVAL_RULES_TOO_COMPLEX
 * beyond): at most 256 documents per compile, schemas nested at most 512 deep, 40 keywords per
 * schema object, and keyword locations (kept as text for errors) totalling at most 32 MiB plus 16
 * bytes per byte of rules loaded.
 */

/* ---------------------------------------------------------------------------------------------
 * Codes
 *
 * One list generates the enum, the names and the messages. Numbers are stable and never
 * reused; groups: 1xx JSON syntax, 2xx rules (compile) and number lists, 3xx payload violations,
 * 4xx limits and usage, 5xx internal.
 * ------------------------------------------------------------------------------------------- */

#define CAMPVAL_CODES(X)                                                                            \
    X(OK, 0, "ok")                                                                                  \
    /* JSON syntax */                                                                               \
    X(JSON_EMPTY, 100, "empty document")                                                            \
    X(JSON_BOM, 101, "byte-order mark before the document")                                         \
    X(JSON_UNEXPECTED_CHAR, 102, "unexpected character")                                            \
    X(JSON_TRUNCATED, 103, "document ends too early")                                               \
    X(JSON_BAD_LITERAL, 104, "invalid literal (expected true, false or null)")                      \
    X(JSON_BAD_NUMBER, 105, "invalid number")                                                       \
    X(JSON_BAD_ESCAPE, 106, "invalid escape sequence in string")                                    \
    X(JSON_CONTROL_CHAR, 107, "unescaped control character in string")                              \
    X(JSON_BAD_UTF8, 108, "invalid UTF-8")                                                          \
    X(JSON_LONE_SURROGATE, 109, "unpaired UTF-16 surrogate escape")                                 \
    X(JSON_NUL_BYTE, 110, "NUL byte")                                                               \
    X(JSON_TRAILING_COMMA, 111, "trailing comma")                                                   \
    X(JSON_MISSING_VALUE, 112, "missing value")                                                     \
    X(JSON_TRAILING_DATA, 113, "data after the top-level value")                                    \
    X(JSON_COMMENT, 114, "comments are not JSON")                                                   \
    X(JSON_DUPLICATE_KEY, 115, "duplicate member name")                                             \
    X(JSON_EXPECTED_COLON, 116, "expected ':' after member name")                                   \
    X(JSON_EXPECTED_KEY, 117, "expected a member name in double quotes")                            \
    X(JSON_EXPECTED_COMMA, 118, "expected ',' or a closing bracket")                                \
    X(JSON_MISMATCHED_BRACKET, 119, "closing bracket does not match the opening one")               \
    /* Rules (compile) */                                                                           \
    X(RULES_SYNTAX, 200, "rules are not valid JSON")                                                \
    X(RULES_BAD_KEYWORD, 201, "invalid value for a rules keyword")                                  \
    X(RULES_BAD_REF, 202, "reference cannot be resolved")                                           \
    X(RULES_BAD_PATTERN, 203, "invalid regular expression")                                         \
    X(RULES_UNKNOWN_FORMAT, 204, "unknown format")                                                  \
    X(RULES_UNSUPPORTED, 205, "rules use a feature this build does not support")                    \
    X(RULES_UNKNOWN_BUILTIN, 206, "no built-in rules of that name")                                 \
    X(RULES_TOO_COMPLEX, 207, "rules exceed a compile limit")                                       \
    X(RULES_BAD_VOCABULARY, 208, "rules require an unknown vocabulary")                             \
    X(RULES_REF_FORBIDDEN, 209, "reference points outside the allowed places")                      \
    X(NUMBERS_SYNTAX, 210, "a line of the number list is not an E.164 number")                      \
    /* Payload violations */                                                                        \
    X(TYPE, 300, "wrong type")                                                                      \
    X(ENUM, 301, "value is not one of the allowed values")                                          \
    X(CONST, 302, "value is not the required constant")                                             \
    X(REQUIRED, 303, "required member is missing")                                                  \
    X(ADDITIONAL_PROPERTY, 304, "member is not allowed")                                            \
    X(PROPERTY_NAME, 305, "member name is not allowed")                                             \
    X(DEPENDENT_REQUIRED, 306, "member requires another member")                                    \
    X(MIN_PROPERTIES, 307, "too few members")                                                       \
    X(MAX_PROPERTIES, 308, "too many members")                                                      \
    X(MIN_ITEMS, 309, "too few items")                                                              \
    X(MAX_ITEMS, 310, "too many items")                                                             \
    X(UNIQUE_ITEMS, 311, "items are not unique")                                                    \
    X(CONTAINS, 312, "array does not contain a matching item")                                      \
    X(MIN_CONTAINS, 313, "too few matching items")                                                  \
    X(MAX_CONTAINS, 314, "too many matching items")                                                 \
    X(MIN_LENGTH, 315, "string is too short")                                                       \
    X(MAX_LENGTH, 316, "string is too long")                                                        \
    X(PATTERN, 317, "string does not match the pattern")                                            \
    X(FORMAT, 318, "string is not in the required format")                                          \
    X(MINIMUM, 319, "number is below the minimum")                                                  \
    X(MAXIMUM, 320, "number is above the maximum")                                                  \
    X(EXCLUSIVE_MINIMUM, 321, "number is not above the exclusive minimum")                          \
    X(EXCLUSIVE_MAXIMUM, 322, "number is not below the exclusive maximum")                          \
    X(MULTIPLE_OF, 323, "number is not a multiple of the required step")                            \
    X(ANY_OF, 324, "value matches none of the alternatives")                                        \
    X(ONE_OF, 325, "value must match exactly one alternative")                                      \
    X(NOT, 326, "value matches a schema it must not match")                                         \
    X(FALSE_SCHEMA, 327, "no value is allowed here")                                                \
    X(UNEVALUATED_PROPERTY, 328, "member is not allowed (unevaluated)")                             \
    X(UNEVALUATED_ITEM, 329, "item is not allowed (unevaluated)")                                   \
    X(E164, 330, "not an E.164 number")                                                             \
    X(PHONE_INVALID, 331, "phone number is not valid")                                              \
    X(PHONE_IMPOSSIBLE, 332, "phone number is not possible")                                        \
    X(PHONE_REGION, 333, "phone number is from a region that is not allowed")                       \
    X(PHONE_TYPE, 334, "phone number is of a type that is not allowed")                             \
    X(PHONE_DENIED_TYPE, 335, "phone number is of a denied type")                                   \
    X(DUPLICATE_NUMBER, 340, "the same number is called twice")                                     \
    X(CALLER_IS_CONTACT, 341, "a contact has the caller's own number")                              \
    X(CONTACT_REGION, 342, "contact is outside the allowed regions")                                \
    X(CALLING_HOURS, 343, "calling window is outside legal calling hours in local time")            \
    X(WINDOW_ORDER, 344, "calling window does not end after it starts")                             \
    X(WINDOW_OVERLAP, 345, "calling windows overlap")                                               \
    X(WINDOW_AMBIGUOUS, 346, "12am and 12pm are read differently by people and systems")            \
    X(RETRY_BUDGET, 347, "one person can get more calls than the cap allows")                       \
    X(PROMPT_MISSING, 348, "contact lacks a prompt variable most contacts have")                    \
    X(PROMPT_BLANK, 349, "prompt variable is blank")                                                \
    X(PROMPT_TEMPLATE, 350, "prompt variable still holds a template placeholder")                   \
    X(PROMPT_CONTROL, 351, "prompt variable holds control or bidi-override characters")             \
    X(TOO_MANY_CONTACTS, 352, "more contacts than the batch cap")                                   \
    X(SUPPRESSED, 353, "number is on the do-not-call list")                                         \
    /* Limits and usage */                                                                          \
    X(LIMIT_DEPTH, 400, "document is nested too deeply")                                            \
    X(LIMIT_TOKENS, 401, "document has more values than the workspace holds")                       \
    X(LIMIT_INPUT, 402, "document is too large")                                                    \
    X(LIMIT_STRING, 403, "string is too long to unescape for a pattern")                            \
    X(LIMIT_REGEX, 404, "pattern matching exceeded its limit")                                      \
    X(LIMIT_EVALUATION, 405, "validation exceeded its evaluation limit")                            \
    X(NULL_ARGUMENT, 420, "a required argument is NULL")                                            \
    X(WORKSPACE_TOO_SMALL, 421, "workspace memory is too small")                                    \
    X(BAD_ARGUMENT, 422, "an argument is out of range")                                             \
    X(IO, 423, "input or output failed")                                                            \
    /* Internal */                                                                                  \
    X(NOMEM, 500, "out of memory")                                                                  \
    X(INTERNAL, 501, "internal error")

/** Every code campval reports. Values are stable across releases. */
typedef enum campval_code {
#define CAMPVAL_X_(name, num, msg) CAMPVAL_##name = num,
    CAMPVAL_CODES(CAMPVAL_X_)
#undef CAMPVAL_X_
} campval_code;

/** The groups codes fall into; see campval_code_class(). */
typedef enum campval_class {
    CAMPVAL_CLASS_OK = 0,
    CAMPVAL_CLASS_SYNTAX = 1,    /**< the bytes are not strict JSON (HTTP 400) */
    CAMPVAL_CLASS_RULES = 2,     /**< the rules (or a number list) do not load */
    CAMPVAL_CLASS_VIOLATION = 3, /**< valid JSON that breaks the rules (HTTP 422) */
    CAMPVAL_CLASS_LIMIT = 4,     /**< a limit was reached (codes 400-419; HTTP 413 or 422,
                                      see campval_http_status) */
    CAMPVAL_CLASS_USAGE = 5,     /**< the caller passed something wrong (codes 420-499) */
    CAMPVAL_CLASS_INTERNAL = 6
} campval_class;

/* ---------------------------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------------------------- */

/** Compiled rules. Immutable once compiled; safe to share between threads. */
typedef struct campval_schema campval_schema;

/** Per-thread scratch memory for validation. Not thread-safe: one thread at a time. */
typedef struct campval_workspace campval_workspace;

/**
 * Allocator hook for compilation (and campval_workspace_create). NULL anywhere an allocator is
 * taken means the C library's malloc/realloc/free. `realloc` may be NULL: campval then uses
 * malloc + copy + free.
 */
typedef struct campval_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} campval_allocator;

/** Workspace limits. Fill with campval_limits_default(), then change what you need. */
typedef struct campval_limits {
    uint32_t max_tokens; /**< JSON values + member names per document */
    uint32_t max_depth;  /**< nesting of objects/arrays; at most CAMPVAL_MAX_DEPTH_CEILING */
    uint32_t max_errors; /**< errors recorded per validation (at least 1) */
    uint32_t max_string; /**< unescaped bytes of one string with escapes that a pattern or
                              format must see (strings without escapes are read in place) */
    /** PCRE2 match limit: backtracking steps one match may take (CAMPVAL_LIMIT_REGEX beyond;
        the work budget may stop a match earlier). 0: CAMPVAL_DEFAULT_REGEX_MATCH_LIMIT. */
    uint32_t regex_match_limit;
    /** PCRE2 depth limit: nested backtracking points. 0: CAMPVAL_DEFAULT_REGEX_DEPTH_LIMIT. */
    uint32_t regex_depth_limit;
    /** PCRE2 heap limit in KiB, at most CAMPVAL_DEFAULT_REGEX_HEAP_LIMIT_KIB (the workspace is
        sized for that). 0: the default. */
    uint32_t regex_heap_limit_kib;
} campval_limits;

/**
 * One problem found. Plain data: code, where in the input, where in the rules.
 * The JSON Pointer to the offending value and the human message are rendered on request with
 * campval_error_pointer() and campval_error_message(), from the workspace that produced the error
 * (and, for validation errors, the same input, which must still be in memory).
 */
/**
 * How sure a finding is. An error is something the rules forbid: it makes the document invalid.
 * A warning comes from a subschema the rules mark `"x-severity": "warning"` (things that only
 * look wrong, or campval's own policy): it is reported, and the document stays valid.
 */
typedef enum campval_severity {
    CAMPVAL_SEVERITY_ERROR = 0,
    CAMPVAL_SEVERITY_WARNING = 1
} campval_severity;

/** "error" or "warning" ("unknown" for any other value). */
CAMPVAL_API const char *campval_severity_name(campval_severity severity);

/** One finding of a validation: an error or a warning (see severity). */
typedef struct campval_error {
    campval_code code;
    size_t offset;   /**< byte offset of the offending value (or syntax error) in the input */
    uint32_t line;   /**< 1-based line of offset */
    uint32_t column; /**< 1-based column of offset, in bytes */
    int32_t token;   /**< token index of the offending value, -1 when there is none */
    /** Static keyword name ("required", "format", ...), "" for syntax errors. Never NULL. */
    const char *keyword;
    /**
     * JSON Pointer into the rules document of the failing keyword ("" for syntax errors, or
     * "#/properties/contacts/items/required"). Owned by the schema; valid while it lives.
     */
    const char *keyword_location;
    /*
     * RESERVED: the fields below are campval's own bookkeeping for campval_error_message().
     * Their meaning and values may change in any release; do not read or set them.
     */
    uint32_t detail; /**< reserved: which compiled keyword produced the error */
    int32_t aux;     /**< reserved: a second token the message refers to, or -1 */
    /** CAMPVAL_SEVERITY_ERROR, or _WARNING for a finding under "x-severity": "warning" (last,
     * as the ABI note above asks of new fields). */
    campval_severity severity;
} campval_error;

/** The outcome of campval_validate. Arrays live in the workspace until its next use. */
typedef struct campval_result {
    int valid;                   /**< 1 when the document has no errors (warnings allowed) */
    /** Findings recorded, errors and warnings alike (the length of `errors`). */
    size_t error_count;
    /** Findings found but not recorded (max_errors reached). A warning never takes the last
     * free entry, so an error is always recorded when there is one. */
    size_t errors_dropped;
    const campval_error *errors; /**< error_count findings, in document order */
    size_t token_count;          /**< tokens the document used */
    /** What campval_validate returned; campval_write_result's problem+json is chosen by it. */
    campval_code code;
    /**
     * Work units the validation spent, out of CAMPVAL_WORK_FIXED + CAMPVAL_WORK_PER_BYTE * len
     * (CAMPVAL_LIMIT_EVALUATION when that runs out): how far a document is from the limit.
     */
    uint64_t work;
    /** Findings of each severity, recorded or dropped: index CAMPVAL_SEVERITY_ERROR and
     * CAMPVAL_SEVERITY_WARNING. valid is 1 exactly when found[CAMPVAL_SEVERITY_ERROR] is 0. */
    size_t found[2];
} campval_result;

/**
 * A compile error: where in the rules text and which keyword. Text fields are NUL-terminated and
 * cut with "..." when longer than their buffer.
 */
typedef struct campval_compile_error {
    campval_code code;
    size_t offset;         /**< byte offset in the rules text (of the document that failed) */
    uint32_t line;         /**< 1-based */
    uint32_t column;       /**< 1-based, bytes */
    char document[256];    /**< URI of the document that failed ("" for the rules given) */
    char location[256];    /**< JSON Pointer of the offending keyword in that document */
    char message[256];     /**< what is wrong, in English */
} campval_compile_error;

/** An immutable set of E.164 numbers (a do-not-call list); see campval_numbers_parse. */
typedef struct campval_numbers campval_numbers;

/** Why a number list did not load: the first bad line. */
typedef struct campval_numbers_error {
    size_t line;       /**< 1-based line of the first bad line; 0 when no line is to blame */
    char message[128]; /**< what is wrong, in English, NUL-terminated */
} campval_numbers_error;

/** Flags for campval_validate. */
enum campval_validate_flags {
    /** Stop at the first error (gateway mode). */
    CAMPVAL_FIRST_ERROR = 1u << 0,
    /**
     * Accept objects that repeat a member name. RISK: other parsers may read another
     * occurrence than the one validated. When set, the LAST occurrence is the one validated,
     * as in JavaScript's JSON.parse, Python's json and most JSON libraries.
     */
    CAMPVAL_ALLOW_DUPLICATE_KEYS = 1u << 1,
    /**
     * Skip one UTF-8 byte-order mark (EF BB BF) at the start. RISK: RFC 8259 forbids it and
     * some backends reject or mis-read it; only set it when the backend strips it too.
     */
    CAMPVAL_ALLOW_BOM = 1u << 2,
    /** Check syntax only: parse strictly, skip the rules. */
    CAMPVAL_SYNTAX_ONLY = 1u << 3,
    /**
     * Errors only: subschemas marked "x-severity": "warning" are skipped, not evaluated (they
     * can never make a document invalid, so a gateway that only blocks saves their cost).
     */
    CAMPVAL_NO_WARNINGS = 1u << 4
};

/** Flags for compilation (campval_compile_options.flags). */
enum campval_compile_flags {
    /**
     * Assert every `format` (otherwise only where the rules ask for it, and always e164). A format
     * campval does not know is then a compile error, CAMPVAL_RULES_UNKNOWN_FORMAT.
     */
    CAMPVAL_ASSERT_FORMATS = 1u << 0,
    /** Record unknown keywords as warnings (campval_schema_warning). */
    CAMPVAL_WARN_UNKNOWN = 1u << 1
};

/**
 * Loads a referenced document that is neither in the rules nor built in.
 * Return 0 and set *text and *len (memory you own; campval copies it before the next call).
 * Return CAMPVAL_RULES_REF_FORBIDDEN to refuse a URI that points outside the places the loader
 * allows (the compile then fails with that code and a message naming the reference); any other
 * non-zero return means the URI cannot be loaded (CAMPVAL_RULES_BAD_REF).
 */
typedef int (*campval_loader)(void *ctx, const char *uri, const char **text, size_t *len);

/** Dialect for schemas without `$schema`. */
typedef enum campval_dialect {
    CAMPVAL_DIALECT_2020_12 = 0,
    CAMPVAL_DIALECT_2019_09 = 1,
    CAMPVAL_DIALECT_DRAFT7 = 2
} campval_dialect;

/** Options for compilation. A NULL pointer to this struct means all defaults. */
typedef struct campval_compile_options {
    uint32_t flags;                     /**< campval_compile_flags */
    const campval_allocator *allocator; /**< NULL: malloc */
    campval_loader loader;              /**< NULL: only built-in and in-document references */
    void *loader_ctx;
    campval_dialect dialect;            /**< for rules without $schema */
    const char *base_uri;               /**< retrieval URI of the rules, or NULL */
} campval_compile_options;

/* ---------------------------------------------------------------------------------------------
 * Codes as text
 * ------------------------------------------------------------------------------------------- */

/** Symbolic name of a code ("JSON_BAD_NUMBER"); "UNKNOWN" for a number not in the list. */
CAMPVAL_API const char *campval_code_name(campval_code code);
/** Static English message for a code. Never NULL. */
CAMPVAL_API const char *campval_strerror(campval_code code);
/** The group a code belongs to. */
CAMPVAL_API campval_class campval_code_class(campval_code code);
/** Library version string, "MAJOR.MINOR.PATCH". */
CAMPVAL_API const char *campval_version(void);

/* ---------------------------------------------------------------------------------------------
 * Compile API
 * ------------------------------------------------------------------------------------------- */

/**
 * Compile a JSON Schema document into immutable tables.
 *
 * @param rules  the rules text (strict JSON, UTF-8); need not be NUL-terminated
 * @param len    its length in bytes
 * @param opt    options, or NULL for defaults
 * @param out    receives the schema; set to NULL on failure
 * @param err    if not NULL, receives the compile error: code, offset/line/column in the rules
 *               text, the JSON Pointer of the offending keyword and a message
 * @return CAMPVAL_OK, a CAMPVAL_RULES_* code, CAMPVAL_NOMEM or CAMPVAL_NULL_ARGUMENT.
 * Thread-safe (no shared state).
 *
 * @code
 *   campval_schema *s; campval_compile_error e;
 *   if (campval_schema_compile(text, len, NULL, &s, &e) != CAMPVAL_OK)
 *       fprintf(stderr, "rules:%u:%u: %s at %s\n", e.line, e.column, e.message, e.location);
 * @endcode
 */
CAMPVAL_API campval_code campval_schema_compile(const char *rules, size_t len,
                                                const campval_compile_options *opt,
                                                campval_schema **out, campval_compile_error *err);

/**
 * Compile the built-in rules set `name` (e.g. "campaign_create", "campaign").
 * A name ending in "#/json/pointer" selects a subschema. Returns CAMPVAL_RULES_UNKNOWN_BUILTIN
 * for an unknown name, otherwise as campval_schema_compile.
 */
CAMPVAL_API campval_code campval_schema_builtin(const char *name, const campval_compile_options *opt,
                                                campval_schema **out, campval_compile_error *err);

/** Number of built-in rules sets. */
CAMPVAL_API size_t campval_builtin_count(void);
/**
 * Name and one-line description of built-in rules set i (0-based), or NULL for i out of range.
 * The strings are static.
 */
CAMPVAL_API const char *campval_builtin_name(size_t i, const char **description);

/**
 * Look a built-in rules set up by name. A "#/json/pointer" suffix (as campval_schema_builtin
 * takes) is ignored. Thread-safe; never allocates.
 * @return its index for campval_builtin_name(), or -1 when `name` is NULL or no built-in.
 *
 * @code
 *   if (campval_builtin_find(arg) >= 0) rc = campval_schema_builtin(arg, NULL, &schema, &cerr);
 * @endcode
 */
CAMPVAL_API long campval_builtin_find(const char *name);

/** Number of warnings recorded at compile time (CAMPVAL_WARN_UNKNOWN). */
CAMPVAL_API size_t campval_schema_warning_count(const campval_schema *schema);
/** Text of warning i, or NULL. Owned by the schema. */
CAMPVAL_API const char *campval_schema_warning(const campval_schema *schema, size_t i);

/** Bytes the compiled schema holds (tables, strings, compiled patterns). */
CAMPVAL_API size_t campval_schema_memory(const campval_schema *schema);

/** Free a compiled schema. NULL is a no-op. Not while any thread validates with it. */
CAMPVAL_API void campval_schema_free(campval_schema *schema);

/* ---------------------------------------------------------------------------------------------
 * Validate API
 * ------------------------------------------------------------------------------------------- */

/** Fill `lim` with the CAMPVAL_DEFAULT_* values. */
CAMPVAL_API void campval_limits_default(campval_limits *lim);

/**
 * Bytes a workspace with these limits needs (NULL: defaults); 0 when the limits are out of range
 * (max_depth 0 or above the ceiling, max_errors 0, max_tokens 0 or sizes overflowing).
 */
CAMPVAL_API size_t campval_workspace_size(const campval_limits *lim);

/**
 * Lay a workspace out in caller memory. `mem` must be aligned for any object (malloc-aligned) and
 * at least campval_workspace_size(lim) bytes; it must stay alive and untouched while the
 * workspace is used. Nothing is allocated, nothing needs freeing.
 * @return CAMPVAL_OK, CAMPVAL_NULL_ARGUMENT, CAMPVAL_BAD_ARGUMENT (limits out of range or mem
 * misaligned) or CAMPVAL_WORKSPACE_TOO_SMALL.
 *
 * @code
 *   static _Alignas(max_align_t) char buf[1 << 20];
 *   campval_limits lim; campval_limits_default(&lim); lim.max_tokens = 20000;
 *   campval_workspace *ws;
 *   if (campval_workspace_init(buf, sizeof buf, &lim, &ws) != CAMPVAL_OK) abort();
 * @endcode
 */
CAMPVAL_API campval_code campval_workspace_init(void *mem, size_t size, const campval_limits *lim,
                                                campval_workspace **out);

/** Allocate and initialise a workspace (lim NULL: defaults; alloc NULL: malloc). */
CAMPVAL_API campval_code campval_workspace_create(const campval_limits *lim,
                                                  const campval_allocator *alloc,
                                                  campval_workspace **out);
/** Free a workspace made by campval_workspace_create. NULL is a no-op. */
CAMPVAL_API void campval_workspace_destroy(campval_workspace *ws);

/** Flags of campval_preflight. */
enum campval_preflight_flags {
    /** Contacts on the suppression list are warnings, not errors. */
    CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING = 1u << 0
};

/**
 * What the campaign-wide checks (x-regions, x-calling-hours, x-suppress, ...) need to know that
 * is not in the rules: when the campaign runs, which regions it may call, whom it must not call.
 * Zero every field, then set what you need; zero means "the rules' value" or "now".
 */
typedef struct campval_preflight {
    /** The day the campaign runs, as a Unix time (calling hours use its DST); 0: now; at most
     * CAMPVAL_PREFLIGHT_AT_MAX. */
    int64_t at;
    /** "US,CA": region codes that replace every x-regions list of the rules; NULL: the rules'. */
    const char *regions;
    /** The do-not-call list x-suppress checks contacts against; NULL: none (x-suppress passes). */
    const campval_numbers *suppress;
    uint32_t flags; /**< campval_preflight_flags */
} campval_preflight;

/** The last second campval_preflight.at may name: 9999-12-31 23:59:59 UTC. */
#define CAMPVAL_PREFLIGHT_AT_MAX INT64_C(253402300799)

/**
 * Give a workspace the preflight settings for its next validations (NULL: back to defaults).
 * The struct is copied; `suppress` must stay alive while the workspace uses it. Returns
 * CAMPVAL_BAD_ARGUMENT for `at` below 0 or above CAMPVAL_PREFLIGHT_AT_MAX, for a malformed
 * region list (two upper-case letters each, commas between, at most 64), and CAMPVAL_RULES_UNSUPPORTED for a region list in a build without libphonenumber
 * (which decides a number's region).
 */
CAMPVAL_API campval_code campval_workspace_set_preflight(campval_workspace *ws,
                                                         const campval_preflight *pf);

/** Called by campval_contact_regions with each contact's region ("US"; "ZZ" when none). */
typedef void (*campval_region_fn)(void *ctx, const char region[2]);

/**
 * The regions of the contacts of the document a workspace last validated (a create-campaign
 * object: contacts[].to_phone_number), as libphonenumber reads each number, for summaries such
 * as "contacts by region: US 12, CA 3". Numbers that are not E.164 strings are skipped. Costs
 * what libphonenumber does (tens of microseconds for a North American number) and may allocate.
 * @return the contacts passed to fn; 0 in a build without libphonenumber.
 */
CAMPVAL_API size_t campval_contact_regions(const campval_workspace *ws, campval_region_fn fn,
                                           void *ctx);

/**
 * Validate a document: strict RFC 8259 JSON, then the rules.
 *
 * @param schema compiled rules; NULL only together with CAMPVAL_SYNTAX_ONLY
 * @param ws     a workspace, used by one thread at a time
 * @param json   the document bytes (not NUL-terminated; NUL bytes inside are errors)
 * @param len    its length; above CAMPVAL_MAX_INPUT gives CAMPVAL_LIMIT_INPUT
 * @param flags  campval_validate_flags
 * @param out    receives the result; its arrays stay valid until the workspace is used again
 * @return CAMPVAL_OK when valid; the limit code when a limit stopped validation
 * (CAMPVAL_LIMIT_REGEX, ...: its error is listed with the violations found before it, unless
 * max_errors was reached); otherwise the code of the first error (also in out->errors), or a
 * usage code (CAMPVAL_NULL_ARGUMENT) with no errors listed. Always also in out->code.
 * Performs no heap allocation, unless the rules use x-phone (and once per process and thread on
 * first use by the pre-flight number checks, see above). Thread-safe for distinct workspaces
 * sharing one schema.
 */
CAMPVAL_API campval_code campval_validate(const campval_schema *schema, campval_workspace *ws,
                                          const char *json, size_t len, uint32_t flags,
                                          campval_result *out);

/* ---------------------------------------------------------------------------------------------
 * Output helpers
 * ------------------------------------------------------------------------------------------- */

/**
 * RFC 6901 JSON Pointer to the value an error is about ("/contacts/3/to_phone_number"; "" for
 * the root), written into buf with snprintf semantics: returns the full length, writes at most
 * size-1 bytes and a NUL. Needs the workspace and the input of the validation that made err.
 */
CAMPVAL_API size_t campval_error_pointer(const campval_workspace *ws, const campval_error *err,
                                         char *buf, size_t size);

/**
 * Human message for an error, with the specifics ("expected integer, found string",
 * "did you mean \"monday\"?"), snprintf semantics as campval_error_pointer. Escapes nothing:
 * the message may quote input bytes (always valid UTF-8 after validation).
 */
CAMPVAL_API size_t campval_error_message(const campval_workspace *ws, const campval_error *err,
                                         char *buf, size_t size);

/** Output formats for campval_write_result. */
typedef enum campval_output {
    CAMPVAL_OUTPUT_TEXT = 0,    /**< FILE:LINE:COLUMN: error: MESSAGE [keyword] at /pointer */
    CAMPVAL_OUTPUT_JSON = 1,    /**< one line: {"file","valid","errors":[...]} (JSON Schema basic) */
    CAMPVAL_OUTPUT_PROBLEM = 2  /**< RFC 9457 application/problem+json document */
} campval_output;

/** Sink for campval_write_result: write n bytes, return 0 on success. */
typedef int (*campval_writer)(void *ctx, const char *data, size_t n);

/**
 * Render a validation result. `name` is the file name shown (NULL: "-"). JSON output is always
 * valid JSON and valid UTF-8 whatever the input was. Allocates nothing.
 * CAMPVAL_OUTPUT_PROBLEM picks the problem by res->code; its "status" member is
 * campval_http_status(res->code), and its "type" (under https://campval.dev/problems/) is
 * `malformed-json` (400), `payload-too-large` (413), `validation-limit` (422),
 * `invalid-payload` (422), or `about:blank` for a valid document (200) and for usage or
 * internal codes (500). Errors are listed in its "errors" member, warnings in "warnings". A
 * caller that refuses warnings as well (a gateway with campval_fail_on warning) passes a copy of
 * the result with `valid` 0 and `code` the first warning's: the problem is then
 * `invalid-payload` with an empty "errors", the warnings, and the detail "N warnings found".
 * @return CAMPVAL_OK or CAMPVAL_IO when the writer fails.
 */
CAMPVAL_API campval_code campval_write_result(const campval_workspace *ws,
                                              const campval_result *res, campval_output format,
                                              const char *name, campval_writer write, void *ctx);

/**
 * The HTTP status for what campval_validate returned, as the problem+json states it:
 * - 200 CAMPVAL_OK;
 * - 400 malformed JSON (CAMPVAL_CLASS_SYNTAX);
 * - 413 a body too large to parse: CAMPVAL_LIMIT_INPUT, CAMPVAL_LIMIT_TOKENS and
 *   CAMPVAL_LIMIT_DEPTH, limits of the document itself, reached before any rule ran;
 * - 422 rule violations (CAMPVAL_CLASS_VIOLATION), and the limits reached while checking
 *   well-formed JSON against the rules (CAMPVAL_LIMIT_STRING, CAMPVAL_LIMIT_REGEX,
 *   CAMPVAL_LIMIT_EVALUATION): validation stopped, so the body is refused (fail closed);
 * - 500 anything else (rules, usage and internal codes: the server's fault).
 * Thread-safe.
 */
CAMPVAL_API int campval_http_status(campval_code code);

/* ---------------------------------------------------------------------------------------------
 * Number lists (suppression / do-not-call)
 *
 * A list of phone numbers loaded once and shared read-only by any number of threads. The text
 * format: one number per line, '+' then 2 to 15 digits (the first not 0), with spaces, '-', '.',
 * '(' and ')' allowed between the digits ("+1 (415) 555-0123"); blanks around a number are
 * ignored; empty lines and lines whose first non-blank character is '#' are skipped; lines end
 * with LF or CRLF; a line may hold at most 1024 bytes. Duplicates are kept once. Loading fails
 * closed: any other line fails the whole load with CAMPVAL_NUMBERS_SYNTAX and its line number,
 * so that a damaged list never silently lets numbers through. Memory: 8 bytes per distinct
 * number plus 1/63 for an index (10 million: 81 MB; twice the 80 MB while an unsorted list is
 * being sorted).
 * ------------------------------------------------------------------------------------------- */

/**
 * Build a number set from text in memory.
 *
 * @param text  the list (see the format above); need not be NUL-terminated; NULL only with len 0
 * @param len   its length in bytes; 0 gives an empty set
 * @param a     allocator (NULL: malloc); the set keeps a copy of it for campval_numbers_free
 * @param out   receives the set; NULL on failure
 * @param err   if not NULL, receives the first bad line and why (line 0 for other failures)
 * @return CAMPVAL_OK, CAMPVAL_NUMBERS_SYNTAX, CAMPVAL_NOMEM or CAMPVAL_NULL_ARGUMENT. On
 * failure nothing stays allocated. Thread-safe (no shared state).
 *
 * @code
 *   campval_numbers *dnc; campval_numbers_error e;
 *   if (campval_numbers_parse(text, len, NULL, &dnc, &e) != CAMPVAL_OK)
 *       fprintf(stderr, "dnc.txt:%zu: %s\n", e.line, e.message);
 * @endcode
 */
CAMPVAL_API campval_code campval_numbers_parse(const char *text, size_t len,
                                               const campval_allocator *a, campval_numbers **out,
                                               campval_numbers_error *err);

/**
 * Build a number set from a file, read in 64 KiB chunks (the file is never held in memory
 * whole). As campval_numbers_parse, plus CAMPVAL_IO (with the reason in err->message) when the
 * file cannot be opened or read, or is not a regular file (a FIFO or a device could be read
 * forever).
 *
 * @code
 *   campval_numbers *dnc; campval_numbers_error e;
 *   if (campval_numbers_load("/etc/campaigns/dnc.txt", NULL, &dnc, &e) != CAMPVAL_OK)
 *       die("dnc.txt:%zu: %s", e.line, e.message);
 *   if (campval_numbers_contains(dnc, "+14155550123", 12)) skip_contact();
 *   campval_numbers_free(dnc);
 * @endcode
 */
CAMPVAL_API campval_code campval_numbers_load(const char *path, const campval_allocator *a,
                                              campval_numbers **out, campval_numbers_error *err);

/** Distinct numbers in the set (0 for NULL). */
CAMPVAL_API size_t campval_numbers_count(const campval_numbers *s);

/** Bytes the set holds (0 for NULL). */
CAMPVAL_API size_t campval_numbers_memory(const campval_numbers *s);

/**
 * 1 when `e164` (len bytes, written as a list line would be: "+14155550123" or
 * "+1 415-555-0123") is in the set, otherwise 0; also 0 when s or e164 is NULL or the text is
 * not such a number (check the number's format separately). A binary search; allocates nothing;
 * thread-safe.
 */
CAMPVAL_API int campval_numbers_contains(const campval_numbers *s, const char *e164, size_t len);

/** Free a set. NULL is a no-op. Not while other threads still use it. */
CAMPVAL_API void campval_numbers_free(campval_numbers *s);

#ifdef __cplusplus
}
#endif

#endif /* CAMPVAL_H */
