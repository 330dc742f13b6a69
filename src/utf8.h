/*
 * utf8.h — the byte helpers every stage shares: hex digits, \uXXXX, UTF-8 encoding, strict
 * UTF-8 decoding and cutting at a character boundary. One copy, static inline, no state.
 * (fuzz/fuzz_json.c keeps its own decoder on purpose: a differential oracle shares no code.)
 */
#ifndef CAMPVAL_UTF8_H
#define CAMPVAL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/** Value of an ASCII hex digit (either case), or -1. */
static inline int campval__hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/** Four hex digits at s (avail bytes readable) as a value, or -1 when they are not there. */
static inline long campval__hex4(const unsigned char *s, size_t avail)
{
    if (avail < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = campval__hex_value(s[i]);
        if (h < 0)
            return -1;
        v = (v << 4) | h;
    }
    return v;
}

/** Write cp (at most U+10FFFF) as 1 to 4 UTF-8 bytes at out; returns the count. */
static inline size_t campval__utf8_encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/**
 * Length of the well-formed UTF-8 sequence at s (avail >= 1 bytes readable), or 0: strict, as
 * RFC 3629 table 3.7 (no overlongs, no surrogates, nothing above U+10FFFF, no truncation).
 */
static inline size_t campval__utf8_seq(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0; /* continuation byte or overlong 2-byte lead */
    if (c < 0xE0)
        return avail >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0xF0) {
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* UTF-16 surrogates */
        return avail >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c < 0xF5) {
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
        return avail >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
                       (s[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

/** Decode the sequence at s into *cp; returns its length, or 0 (cp untouched) when ill-formed. */
static inline size_t campval__utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
    size_t n = campval__utf8_seq(s, avail);
    static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    if (n == 0)
        return 0;
    uint32_t v = s[0] & lead_mask[n];
    for (size_t k = 1; k < n; k++)
        v = (v << 6) | (s[k] & 0x3Fu);
    *cp = v;
    return n;
}

/** Bytes a sequence starting with lead byte c claims (1 for ASCII and stray bytes). */
static inline size_t campval__utf8_lead_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/** The largest k <= max that does not split a sequence of s: back off continuation bytes. */
static inline size_t campval__utf8_cut(const unsigned char *s, size_t max)
{
    size_t k = max;
    while (k > 0 && (s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

#endif /* CAMPVAL_UTF8_H */
