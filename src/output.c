/*
 * Output formats: compiler-style text, one-line JSON (the JSON Schema "basic" shape plus
 * campval's fields) and RFC 9457 problem+json. JSON output escapes everything and replaces
 * bytes that are not UTF-8, so it is valid whatever came in. Nothing is allocated: each piece is
 * rendered into a stack buffer and written out.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "lex.h"

#define PIECE 8192

typedef struct out {
    campval_writer write;
    void *ctx;
    bool failed;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (!o->failed && n > 0 && o->write(o->ctx, s, n) != 0)
        o->failed = true;
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

/* A JSON string literal of s[0..n). */
static void json_string(out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    puts_(o, "\"");
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        size_t seq = c >= 0x80 ? campval__utf8_seq(p + i, n - i) : 0;
        if (seq > 1) {
            i += seq;
            continue;
        }
        put(o, s + run, i - run);
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            put(o, e, 2);
        } else if (c == '\n') {
            puts_(o, "\\n");
        } else if (c == '\t') {
            puts_(o, "\\t");
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(o, e, 6);
        } else {
            puts_(o, "\\ufffd"); /* not UTF-8 */
        }
        i++;
        run = i;
    }
    put(o, s + run, n - run);
    puts_(o, "\"");
}

static void json_cstr(out *o, const char *s) { json_string(o, s, strlen(s)); }

static void number(out *o, unsigned long long v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%llu", v);
    put(o, b, (size_t)n);
}

static size_t render(size_t (*fn)(const campval_workspace *, const campval_error *, char *, size_t),
                     const campval_workspace *ws, const campval_error *e, char *buf)
{
    size_t n = fn(ws, e, buf, PIECE);
    return n < PIECE ? n : strlen(buf);
}

static void write_text(out *o, const campval_workspace *ws, const campval_result *res,
                       const char *name)
{
    char msg[PIECE], ptr[PIECE], head[64];
    if (res->valid && res->error_count == 0 && res->errors_dropped == 0) {
        puts_(o, name);
        puts_(o, ": valid\n");
        return;
    }
    for (size_t i = 0; i < res->error_count; i++) {
        const campval_error *e = &res->errors[i];
        size_t mn = render(campval_error_message, ws, e, msg);
        size_t pn = render(campval_error_pointer, ws, e, ptr);
        puts_(o, name);
        int hn = snprintf(head, sizeof head, ":%u:%u: %s: ", e->line, e->column,
                          campval_severity_name(e->severity));
        put(o, head, (size_t)hn);
        put(o, msg, mn);
        if (*e->keyword) {
            puts_(o, " [");
            puts_(o, e->keyword);
            puts_(o, "]");
        }
        if (e->token >= 0) {
            puts_(o, " at ");
            put(o, pn ? ptr : "/", pn ? pn : 1);
            if (pn == 0)
                puts_(o, " (root)");
        }
        puts_(o, "\n");
    }
    if (res->errors_dropped) {
        char more[160];
        size_t w = res->found[CAMPVAL_SEVERITY_WARNING];
        for (size_t i = 0; i < res->error_count; i++)
            w -= w > 0 && res->errors[i].severity == CAMPVAL_SEVERITY_WARNING;
        size_t e = res->errors_dropped > w ? res->errors_dropped - w : 0;
        int n = w == 0 ? snprintf(more, sizeof more, "%s: %zu more error%s not shown\n", name, e,
                                  e == 1 ? "" : "s")
                       : snprintf(more, sizeof more,
                                  "%s: %zu more error%s and %zu warning%s not shown\n", name, e,
                                  e == 1 ? "" : "s", w, w == 1 ? "" : "s");
        put(o, more, (size_t)n);
    }
    if (res->valid) {
        char tail[96];
        size_t w = res->found[CAMPVAL_SEVERITY_WARNING];
        int n = snprintf(tail, sizeof tail, ": valid, %zu warning%s\n", w, w == 1 ? "" : "s");
        puts_(o, name);
        put(o, tail, (size_t)n);
    }
}

static void write_json(out *o, const campval_workspace *ws, const campval_result *res,
                       const char *name)
{
    char msg[PIECE], ptr[PIECE];
    puts_(o, "{\"file\":");
    json_cstr(o, name);
    puts_(o, res->valid ? ",\"valid\":true,\"errors\":[" : ",\"valid\":false,\"errors\":[");
    for (size_t i = 0; i < res->error_count; i++) {
        const campval_error *e = &res->errors[i];
        size_t mn = render(campval_error_message, ws, e, msg);
        size_t pn = render(campval_error_pointer, ws, e, ptr);
        puts_(o, i ? ",{\"code\":" : "{\"code\":");
        json_cstr(o, campval_code_name(e->code));
        puts_(o, ",\"severity\":");
        json_cstr(o, campval_severity_name(e->severity));
        puts_(o, ",\"instanceLocation\":");
        json_string(o, ptr, pn);
        puts_(o, ",\"keywordLocation\":");
        json_cstr(o, e->keyword_location);
        puts_(o, ",\"keyword\":");
        json_cstr(o, e->keyword);
        puts_(o, ",\"offset\":");
        number(o, e->offset);
        puts_(o, ",\"line\":");
        number(o, e->line);
        puts_(o, ",\"column\":");
        number(o, e->column);
        puts_(o, ",\"error\":");
        json_string(o, msg, mn);
        puts_(o, "}");
    }
    puts_(o, "],\"errorsDropped\":");
    number(o, res->errors_dropped);
    puts_(o, ",\"errorCount\":");
    number(o, res->found[CAMPVAL_SEVERITY_ERROR]);
    puts_(o, ",\"warningCount\":");
    number(o, res->found[CAMPVAL_SEVERITY_WARNING]);
    puts_(o, "}\n");
}

/* The RFC 9457 problem for each outcome; campval_http_status gives the same status. */
typedef struct problem {
    const char *type;
    const char *title;
    int status;
} problem;

static const problem problem_ok = {"about:blank", "OK", 200};
static const problem problem_malformed = {"https://campval.dev/problems/malformed-json",
                                          "Request body is not valid JSON", 400};
static const problem problem_too_large = {"https://campval.dev/problems/payload-too-large",
                                          "Request body is too large or too deeply nested to "
                                          "validate", 413};
static const problem problem_limit = {"https://campval.dev/problems/validation-limit",
                                      "Validation of the request body was stopped at a limit",
                                      422};
static const problem problem_invalid = {"https://campval.dev/problems/invalid-payload",
                                        "Request body does not match the rules", 422};
static const problem problem_internal = {"about:blank", "Internal Server Error", 500};

static const problem *problem_of(campval_code code)
{
    switch (campval_code_class(code)) {
    case CAMPVAL_CLASS_OK: return &problem_ok;
    case CAMPVAL_CLASS_SYNTAX: return &problem_malformed;
    case CAMPVAL_CLASS_VIOLATION: return &problem_invalid;
    case CAMPVAL_CLASS_LIMIT:
        /* the document's own size, count and depth are checked while parsing, before any rule;
         * the other limits stop the rules on well-formed JSON */
        return code == CAMPVAL_LIMIT_INPUT || code == CAMPVAL_LIMIT_TOKENS ||
                       code == CAMPVAL_LIMIT_DEPTH
                   ? &problem_too_large
                   : &problem_limit;
    default: return &problem_internal;
    }
}

int campval_http_status(campval_code code) { return problem_of(code)->status; }

/* The findings of one severity as a problem member: [{"pointer", "detail", "code", "offset"}]. */
static void problem_list(out *o, const campval_workspace *ws, const campval_result *res,
                         campval_severity severity)
{
    char msg[PIECE], ptr[PIECE];
    bool first = true;
    puts_(o, "[");
    for (size_t i = 0; i < res->error_count; i++) {
        const campval_error *e = &res->errors[i];
        if (e->severity != severity)
            continue;
        size_t mn = render(campval_error_message, ws, e, msg);
        size_t pn = render(campval_error_pointer, ws, e, ptr);
        puts_(o, first ? "{\"pointer\":" : ",{\"pointer\":");
        first = false;
        json_string(o, ptr, pn);
        puts_(o, ",\"detail\":");
        json_string(o, msg, mn);
        puts_(o, ",\"code\":");
        json_cstr(o, campval_code_name(e->code));
        puts_(o, ",\"offset\":");
        number(o, e->offset);
        puts_(o, "}");
    }
    puts_(o, "]");
}

static void write_problem(out *o, const campval_workspace *ws, const campval_result *res)
{
    char detail[256], head[32];
    /* a result filled in by hand may lack the code: then its first error decides */
    campval_code code = res->code != CAMPVAL_OK || res->valid || res->error_count == 0
                            ? res->code
                            : res->errors[0].code;
    const problem *p = problem_of(code);
    puts_(o, "{\"type\":");
    json_cstr(o, p->type);
    puts_(o, ",\"title\":");
    json_cstr(o, p->title);
    int hn = snprintf(head, sizeof head, ",\"status\":%d", p->status);
    put(o, head, (size_t)hn);
    if (p == &problem_ok) {
        if (res->found[CAMPVAL_SEVERITY_WARNING] > 0) {
            puts_(o, ",\"warnings\":");
            problem_list(o, ws, res, CAMPVAL_SEVERITY_WARNING);
        }
        puts_(o, "}\n");
        return;
    }
    size_t total = res->found[CAMPVAL_SEVERITY_ERROR];
    size_t warnings = res->found[CAMPVAL_SEVERITY_WARNING];
    if (total == 0 && warnings == 0) /* a result filled in by hand */
        total = res->error_count + res->errors_dropped;
    int dn = p == &problem_too_large || p == &problem_limit || p == &problem_internal
                 ? snprintf(detail, sizeof detail, "%s (%zu error%s found in the request body)",
                            campval_strerror(code), total, total == 1 ? "" : "s")
             /* a caller that refuses warnings too (a gateway's campval_fail_on warning) sets
              * the result invalid with the first warning's code: say what was found */
             : total == 0 && warnings > 0
                 ? snprintf(detail, sizeof detail, "%zu warning%s found in the request body",
                            warnings, warnings == 1 ? "" : "s")
                 : snprintf(detail, sizeof detail, "%zu error%s found in the request body", total,
                            total == 1 ? "" : "s");
    puts_(o, ",\"detail\":");
    json_string(o, detail, (size_t)dn);
    puts_(o, ",\"errors\":");
    problem_list(o, ws, res, CAMPVAL_SEVERITY_ERROR);
    if (res->found[CAMPVAL_SEVERITY_WARNING] > 0) {
        puts_(o, ",\"warnings\":");
        problem_list(o, ws, res, CAMPVAL_SEVERITY_WARNING);
    }
    puts_(o, "}\n");
}

campval_code campval_write_result(const campval_workspace *ws, const campval_result *res,
                                  campval_output format, const char *name, campval_writer write,
                                  void *ctx)
{
    if (!ws || !res || !write)
        return CAMPVAL_NULL_ARGUMENT;
    out o = {write, ctx, false};
    if (!name)
        name = "-";
    switch (format) {
    case CAMPVAL_OUTPUT_TEXT: write_text(&o, ws, res, name); break;
    case CAMPVAL_OUTPUT_JSON: write_json(&o, ws, res, name); break;
    case CAMPVAL_OUTPUT_PROBLEM: write_problem(&o, ws, res); break;
    default: return CAMPVAL_BAD_ARGUMENT;
    }
    return o.failed ? CAMPVAL_IO : CAMPVAL_OK;
}
