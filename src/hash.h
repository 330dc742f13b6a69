/*
 * Keyed hashing for the tables that input fills: duplicate member names, uniqueItems and the
 * member tables of deep equality. SipHash-2-4 (Aumasson and Bernstein) under a random key per
 * workspace, so that nobody who cannot read the key can choose names that collide: a fixed
 * seed let 20,971 colliding names (1 MB) cost 3.6 s of probing.
 *
 * Incremental, so that escaped strings hash as their unescaped bytes without a buffer.
 */
#ifndef CAMPVAL_HASH_H
#define CAMPVAL_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct campval__hkey {
    uint64_t k0, k1;
} campval__hkey;

typedef struct campval__sip {
    uint64_t v0, v1, v2, v3;
    uint64_t tail;  /* bytes not yet in a whole 8-byte word, little-endian */
    uint64_t total; /* bytes fed so far */
} campval__sip;

void campval__sip_init(campval__sip *s, const campval__hkey *key);
void campval__sip_update(campval__sip *s, const void *data, size_t n);
uint64_t campval__sip_final(const campval__sip *s);
/* One call: SipHash-2-4 of n bytes. */
uint64_t campval__siphash(const campval__hkey *key, const void *data, size_t n);

/* A fresh key from the kernel's random source (getrandom), falling back to mixing clock,
 * address and a counter where that is unavailable; never fails. */
void campval__hkey_random(campval__hkey *key);

/* Index in [0, n) for a 64-bit hash, without a division and without needing n a power of
 * two (Lemire's multiply-shift reduction, on the high 32 bits). */
static inline uint32_t campval__hash_reduce(uint64_t h, uint32_t n)
{
    return (uint32_t)(((h >> 32) * (uint64_t)n) >> 32);
}

#endif /* CAMPVAL_HASH_H */
