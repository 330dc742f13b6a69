/* Helpers shared by campval's test programs. */
#ifndef CAMPVAL_TESTUTIL_H
#define CAMPVAL_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

typedef struct text {
    char *p;
    size_t n;
} text;

/* A whole file, NUL-terminated (p is NULL when it cannot be read). */
static inline text slurp(const char *path)
{
    text t = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return t;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    t.p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (t.p && fread(t.p, 1, (size_t)n, f) == (size_t)n) {
        t.n = (size_t)n;
        t.p[n] = '\0';
    } else {
        free(t.p);
        t.p = NULL;
    }
    fclose(f);
    return t;
}

/* An allocator (campval_allocator's malloc/realloc/free with this as ctx) that counts what is
 * live and fails its fail_at-th call (0: never), for leak and failure-path tests. */
typedef struct counting_alloc {
    size_t live_bytes;
    size_t calls;
    size_t fail_at;
} counting_alloc;

static inline void *ca_malloc(void *ctx, size_t n)
{
    counting_alloc *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        c->live_bytes += n;
    return p;
}

static inline void *ca_realloc(void *ctx, void *p, size_t old, size_t n)
{
    counting_alloc *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    void *q = realloc(p, n);
    if (q)
        c->live_bytes += n - old;
    return q;
}

static inline void ca_free(void *ctx, void *p, size_t n)
{
    counting_alloc *c = ctx;
    c->live_bytes -= n;
    free(p);
}

#endif /* CAMPVAL_TESTUTIL_H */
