/*
 * Helpers shared by the fuzz targets. Header-only so that each target stays one translation unit
 * (plus replay.c when libFuzzer is not in use). The checks here are written independently of
 * campval's own code on purpose: an oracle that calls the code it checks proves nothing.
 */
#ifndef CAMPVAL_FUZZ_H
#define CAMPVAL_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant failed: say which, then abort() so libFuzzer keeps the input as a crash. */
#define FUZZ_CHECK(cond, ...)                                                                       \
    do {                                                                                            \
        if (!(cond)) {                                                                              \
            fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond);            \
            fprintf(stderr, __VA_ARGS__);                                                           \
            fputc('\n', stderr);                                                                    \
            abort();                                                                                \
        }                                                                                           \
    } while (0)

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Returns the
 * length of the longest valid prefix, so `fuzz_utf8_prefix(s, n) == n` means "valid". */
static inline size_t fuzz_utf8_prefix(const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return i;
        }
        if (n - i < len)
            return i;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return n;
}

static inline bool fuzz_utf8_valid(const void *s, size_t n) { return fuzz_utf8_prefix(s, n) == n; }

/* strnlen, which C11 lacks. */
static inline size_t fuzz_strnlen(const char *s, size_t cap)
{
    const char *z = memchr(s, '\0', cap);
    return z ? (size_t)(z - s) : cap;
}

/* A growable byte buffer; also a campval_writer sink. Never freed: one per process. */
typedef struct fuzz_buf {
    char *p;
    size_t len, cap;
} fuzz_buf;

/* Room for n more bytes. */
static inline void fuzz_buf_reserve(fuzz_buf *b, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n)
            cap *= 2;
        char *q = realloc(b->p, cap);
        FUZZ_CHECK(q != NULL, "out of memory in the harness");
        b->p = q;
        b->cap = cap;
    }
}

static inline void fuzz_buf_put(fuzz_buf *b, const void *s, size_t n)
{
    fuzz_buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
}

static inline void fuzz_buf_putc(fuzz_buf *b, char c) { fuzz_buf_put(b, &c, 1); }

static inline int fuzz_buf_writer(void *ctx, const char *data, size_t n)
{
    fuzz_buf_put(ctx, data, n);
    return 0;
}

/* A workspace with default limits, made once per process. */
static inline campval_workspace *fuzz_workspace(campval_workspace **slot)
{
    if (!*slot)
        FUZZ_CHECK(campval_workspace_create(NULL, NULL, slot) == CAMPVAL_OK, "workspace");
    return *slot;
}

/* Codes campval_validate may return for any input: OK, syntax, violation or limit. */
static inline bool fuzz_validate_code_ok(campval_code rc)
{
    campval_class k = campval_code_class(rc);
    return k == CAMPVAL_CLASS_OK || k == CAMPVAL_CLASS_SYNTAX || k == CAMPVAL_CLASS_VIOLATION ||
           k == CAMPVAL_CLASS_LIMIT;
}

/*
 * What every result must satisfy whatever the rules: the return code is the first error's (the
 * first finding of severity error: warnings, from "x-severity" subschemas such as the built-in
 * rules' policy checks, never decide it), findings are in document order, offsets lie inside the
 * input and line/column agree with the offset ('\n' ends a line, columns count bytes from 1).
 */
static inline void fuzz_check_result(const char *json, size_t len, uint32_t flags,
                                     campval_code rc, const campval_result *res)
{
    FUZZ_CHECK(fuzz_validate_code_ok(rc), "unexpected return code %d (%s)", (int)rc,
               campval_code_name(rc));
    size_t errors = res->found[CAMPVAL_SEVERITY_ERROR];
    FUZZ_CHECK(res->valid == (rc == CAMPVAL_OK), "valid %d, rc %d", res->valid, (int)rc);
    FUZZ_CHECK((rc == CAMPVAL_OK) == (errors == 0), "rc %d with %zu errors", (int)rc, errors);
    FUZZ_CHECK(res->error_count + res->errors_dropped == errors + res->found[CAMPVAL_SEVERITY_WARNING],
               "%zu findings recorded and %zu dropped, but %zu errors and %zu warnings counted",
               res->error_count, res->errors_dropped, errors,
               res->found[CAMPVAL_SEVERITY_WARNING]);
    FUZZ_CHECK(res->code == rc, "result code %d, returned %d", (int)res->code, (int)rc);
    /* A limit (or internal failure) that stopped the run is what counts, wherever it is listed;
     * otherwise the first error in document order. Warnings never decide the code, and an error
     * is always listed when there is one (a warning never takes the last entry). */
    campval_class cls = campval_code_class(rc);
    const campval_error *first = NULL;
    for (size_t i = 0; i < res->error_count && !first; i++)
        if (res->errors[i].severity == CAMPVAL_SEVERITY_ERROR)
            first = &res->errors[i];
    FUZZ_CHECK((first != NULL) == (errors > 0), "%zu errors counted, first listed %p", errors,
               (const void *)first);
    if (cls == CAMPVAL_CLASS_LIMIT || cls == CAMPVAL_CLASS_INTERNAL) {
        bool listed = res->errors_dropped > 0;
        for (size_t i = 0; i < res->error_count; i++)
            listed |= res->errors[i].code == rc && res->errors[i].severity == CAMPVAL_SEVERITY_ERROR;
        FUZZ_CHECK(listed, "rc %d is not among the errors", (int)rc);
    } else if (first) {
        FUZZ_CHECK(first->code == rc, "rc %d, first error %d", (int)rc, (int)first->code);
    }
    /* The work budget is a hard bound: linear in the input, whatever the rules. */
    FUZZ_CHECK(res->work <= CAMPVAL_WORK_FIXED + (uint64_t)CAMPVAL_WORK_PER_BYTE * len,
               "work %llu over the budget for %zu bytes", (unsigned long long)res->work, len);
    if (flags & CAMPVAL_FIRST_ERROR)
        FUZZ_CHECK(errors <= 1, "first-error mode found %zu errors", errors);
    size_t line = 1, bol = 0, pos = 0;
    for (size_t i = 0; i < res->error_count; i++) {
        const campval_error *e = &res->errors[i];
        FUZZ_CHECK(e->offset <= len, "error %zu at offset %zu, input has %zu bytes", i, e->offset,
                   len);
        FUZZ_CHECK(fuzz_validate_code_ok(e->code) && e->code != CAMPVAL_OK, "error code %d",
                   (int)e->code);
        FUZZ_CHECK(e->keyword && e->keyword_location, "NULL keyword or keyword location");
        FUZZ_CHECK(e->severity == CAMPVAL_SEVERITY_ERROR || e->severity == CAMPVAL_SEVERITY_WARNING,
                   "severity %d", (int)e->severity);
        FUZZ_CHECK(e->token >= -1 && (e->token < 0 || (size_t)e->token < res->token_count),
                   "error token %d of %zu", (int)e->token, res->token_count);
        if (i > 0)
            FUZZ_CHECK(res->errors[i - 1].offset <= e->offset, "errors out of order");
        for (; pos < e->offset; pos++)
            if (json[pos] == '\n')
                line++, bol = pos + 1;
        FUZZ_CHECK(e->line == line && e->column == e->offset - bol + 1,
                   "offset %zu is %zu:%zu, error says %u:%u", e->offset, line,
                   e->offset - bol + 1, e->line, e->column);
    }
}

#endif /* CAMPVAL_FUZZ_H */
