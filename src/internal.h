/* Internal declarations shared by campval's stages. Not installed. */
#ifndef CAMPVAL_INTERNAL_H
#define CAMPVAL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "campval.h"
#include "hash.h"

#define CAMPVAL__UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define CAMPVAL__LIKELY(x) __builtin_expect(!!(x), 1)
#define CAMPVAL__NOINLINE __attribute__((noinline))
#else
#define CAMPVAL__LIKELY(x) (x)
#define CAMPVAL__NOINLINE
#endif

/* ---- tokens ----------------------------------------------------------------------------------
 * Same layout as jsmntok_t with JSMN_PARENT_LINKS (tokenize.c checks it at compile time), so that
 * only tokenize.c needs jsmn.h. For strings, start/end exclude the quotes. A member name is a
 * string token whose single child is the member value. */
enum { CAMPVAL__T_UNDEFINED = 0, CAMPVAL__T_OBJECT = 1, CAMPVAL__T_ARRAY = 2, CAMPVAL__T_STRING = 3,
       CAMPVAL__T_PRIMITIVE = 4 };

typedef struct campval__tok {
    int type;
    int start;
    int end;
    int size;
    int parent;
} campval__tok;

/* Per-token flags set by the lexer (strings) and the duplicate check. */
enum {
    CAMPVAL__F_ESCAPED = 1u << 0,  /* string contains a backslash escape */
    CAMPVAL__F_NONASCII = 1u << 1, /* string contains bytes >= 0x80 */
    CAMPVAL__F_SHADOWED = 1u << 2, /* member name repeated later in its object (allowed dups) */
    CAMPVAL__F_KEY = 1u << 3       /* token is a member name */
};

/* A parsed document: what every stage after the lexer reads. */
typedef struct campval__doc {
    const char *text; /* document bytes (after an allowed BOM) */
    size_t len;
    size_t base;      /* offset of text within the caller's buffer (3 after a skipped BOM) */
    const campval__tok *tok;
    const uint8_t *flags;
    const uint32_t *next; /* next[i]: index of the first token after i's subtree */
    uint32_t count;
} campval__doc;

/* ---- allocation ------------------------------------------------------------------------------ */
void *campval__malloc(const campval_allocator *a, size_t size);
void *campval__realloc(const campval_allocator *a, void *p, size_t old_size, size_t new_size);
void campval__free(const campval_allocator *a, void *p, size_t size);

/* ---- workspace ------------------------------------------------------------------------------- */
struct campval__regex_ctx;

struct campval_workspace {
    uint32_t magic;
    campval_limits lim;
    campval__tok *tok;
    uint8_t *flags;
    uint32_t *next;
    uint32_t *stack;      /* 2 * max_depth + 4 entries: the lexer's open containers */
    uint32_t *slots;      /* hash slots for duplicate names, uniqueItems and deep equality */
    uint32_t slot_count;  /* at least 2 * max_tokens */
    uint64_t slots_gen;   /* bumped by every writer of the slots: what a reader cached there is
                             still there only while it has not changed */
    uint8_t *nest;        /* lexer container bits, one per depth level */
    campval_error *errors;
    char *strbuf;         /* max_string bytes for unescaped strings */
    struct campval__regex_ctx *regex;
    void *eval;           /* evaluation frames for the rule engine */
    size_t eval_size;
    /* State of the last validation, for rendering errors. */
    campval__doc doc;
    const campval_schema *schema;
    size_t error_count;
    size_t errors_dropped;
    size_t found[2];      /* findings by severity, recorded or dropped */
    uint8_t severity;     /* campval_severity of what is recorded next (the engine sets it) */
    uint32_t validate_flags;
    /* campval_workspace_set_preflight: the settings, and their region list split up. */
    campval_preflight pf;
    char pf_regions[2 * 64];
    uint32_t pf_region_count; /* 0: the rules' lists */
    /* The contacts' numbers sorted in the slots by the preflight checks, for this validation:
     * valid while validations and slots_gen are what they were when it was made. */
    uint64_t validations;
    struct {
        const void *keys;
        size_t n;
        int64_t arr;
        uint64_t validation, gen;
    } pf_sorted;
    bool stop;            /* first-error mode reached its error */
    uint64_t budget;      /* work units left for this validation (see campval__spend) */
    uint64_t budget_total; /* what it started with */
    campval__hkey key;    /* SipHash key of the tables input fills; random per workspace */
    /* Set by campval_workspace_create. */
    campval_allocator alloc;
    size_t alloc_size;
    bool owned;
};

#define CAMPVAL__WS_MAGIC 0x43565753u /* "CVWS" */

/*
 * The work budget. Each validation may spend CAMPVAL_WORK_FIXED + CAMPVAL_WORK_PER_BYTE * len
 * units: one per evaluation step, per member or item a keyword walks, per token hashed or
 * compared, per hash probe, and PCRE2's match-limit units for patterns. Running out is
 * CAMPVAL_LIMIT_EVALUATION, so the cost of any document is linear in its size, whatever the
 * rules and whatever the bytes.
 */
static inline bool campval__spend(campval_workspace *ws, uint64_t units)
{
    if (ws->budget < units) {
        ws->budget = 0;
        return false;
    }
    ws->budget -= units;
    return true;
}

/* ---- codes ------------------------------------------------------------------------------------ */
/* Keyword names used in errors: static strings. */
extern const char campval__empty[];

/* ---- line/column ------------------------------------------------------------------------------ */
void campval__line_col(const char *text, size_t len, size_t offset, uint32_t *line, uint32_t *col);

/* Levenshtein distance for "did you mean"; SIZE_MAX when either string is over 64 bytes. */
size_t campval__edit_distance(const char *a, size_t an, const char *b, size_t bn);

/* ---- small text builder with snprintf semantics ----------------------------------------------- */
typedef struct campval__sb {
    char *buf;
    size_t size; /* capacity including NUL */
    size_t len;  /* length the full text needs */
} campval__sb;

void campval__sb_init(campval__sb *sb, char *buf, size_t size);
void campval__sb_put(campval__sb *sb, const char *s, size_t n);
void campval__sb_puts(campval__sb *sb, const char *s);
void campval__sb_printf(campval__sb *sb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
size_t campval__sb_finish(campval__sb *sb);

#endif /* CAMPVAL_INTERNAL_H */
