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

#endif /* CAMPVAL_TESTUTIL_H */
