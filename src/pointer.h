/* RFC 6901 JSON Pointers: rendering a token's location, resolving a pointer to a token. */
#ifndef CAMPVAL_POINTER_H
#define CAMPVAL_POINTER_H

#include "internal.h"

/*
 * Append the pointer of token t to sb ("" for the root). A member name token renders as the
 * member it names. Walks parent links; time is proportional to depth times the siblings before
 * each array element on the path.
 */
void campval__pointer_render(const campval__doc *doc, uint32_t t, campval__sb *sb);

/*
 * Resolve pointer p[0..n) (already percent-decoded, "" or starting with '/') from token `from`.
 * Returns the token index, or -1 when the pointer does not lead anywhere.
 */
int64_t campval__pointer_resolve(const campval__doc *doc, uint32_t from, const char *p, size_t n);

#endif /* CAMPVAL_POINTER_H */
