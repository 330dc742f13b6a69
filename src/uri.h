/* URI references for $id, $ref and $schema. */
#ifndef CAMPVAL_URI_H
#define CAMPVAL_URI_H

#include "internal.h"

/* Resolve ref against base (RFC 3986 5.2) into buf; false when it does not fit. */
bool campval__uri_resolve(const char *base, const char *ref, char *buf, size_t size);
/* Length of uri without its fragment. */
size_t campval__uri_strip_fragment(const char *uri);
/* Decode %XX escapes of s[0..n) into out (at least n bytes); returns the decoded length. */
size_t campval__uri_percent_decode(const char *s, size_t n, char *out);

/*
 * RFC 3986 syntax of s[0..len) (need not be NUL-terminated; a NUL byte is invalid): a URI when
 * need_scheme, else a URI-reference. The formats uri and uri-reference call this.
 */
bool campval__uri_check(const char *s, size_t len, bool need_scheme);

#endif /* CAMPVAL_URI_H */
