/* JSON string values: unescaping, comparing and hashing without a buffer. */
#ifndef CAMPVAL_JSTRING_H
#define CAMPVAL_JSTRING_H

#include "hash.h"
#include "internal.h"

/* A string's raw content (between the quotes, already validated) and whether it has escapes. */
typedef struct campval__str {
    const char *raw;
    size_t len;
    bool escaped;
} campval__str;

/* Unescape into out (at least s.len bytes); returns the unescaped length. */
size_t campval__str_unescape(campval__str s, char *out);
/* Bytes the unescaped string takes (without writing it). */
size_t campval__str_unescaped_len(campval__str s);
/* The longest prefix of raw string content s, at most `max` raw bytes, that ends between whole
 * escapes and whole UTF-8 sequences: safe to unescape and to show. */
size_t campval__str_safe_cut(campval__str s, size_t max);
/* Equality after unescaping. */
bool campval__str_equal(campval__str a, campval__str b);
/* Equality of a raw string with plain (unescaped) bytes. */
bool campval__str_equal_plain(campval__str a, const char *plain, size_t n);
/* Hash of the unescaped bytes (equal strings hash equal whatever their escapes). */
uint64_t campval__str_hash(campval__str s);
/* SipHash of the unescaped bytes under `key`: for tables that input fills. */
uint64_t campval__str_hash_keyed(campval__str s, const campval__hkey *key);
/* Unicode code points after unescaping (a surrogate pair counts once). */
size_t campval__str_codepoints(campval__str s, bool nonascii);

/* FNV-1a style mixing shared by the hash functions. */
static inline uint64_t campval__hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}
#define CAMPVAL__HASH_SEED 0xcbf29ce484222325ull

#endif /* CAMPVAL_JSTRING_H */
