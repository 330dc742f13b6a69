/* Rule compiling: JSON Schema documents to the tables in schema.h. */
#ifndef CAMPVAL_COMPILE_H
#define CAMPVAL_COMPILE_H

#include "internal.h"

/* Built-in documents (rules/ and meta-schemas), generated at build time. */
typedef struct campval__builtin {
    const char *name;        /* "campaign_create", or NULL for meta-schemas */
    const char *uri;         /* the document's $id */
    const char *description; /* one line */
    const char *text;
    size_t len;
} campval__builtin;

extern const campval__builtin campval__builtins[];
extern const size_t campval__builtin_total;

#endif /* CAMPVAL_COMPILE_H */
