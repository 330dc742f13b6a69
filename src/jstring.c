/*
 * String values are compared and hashed as their unescaped bytes ("a" equals "\u0061"), without a
 * buffer: a small reader yields the unescaped bytes of one escape at a time.
 */
#include "jstring.h"
#include "utf8.h"

#include <string.h>

typedef struct reader {
    const unsigned char *p;
    const unsigned char *end;
    unsigned char pend[4]; /* bytes of the current escape not yet returned */
    int npend, ipend;
} reader;

/* Decodes the escape at p (validated by the lexer) into o; returns the raw bytes consumed. */
static size_t decode_escape(const unsigned char *p, unsigned char *o, int *n)
{
    switch (p[1]) {
    case 'b': o[0] = '\b'; break;
    case 'f': o[0] = '\f'; break;
    case 'n': o[0] = '\n'; break;
    case 'r': o[0] = '\r'; break;
    case 't': o[0] = '\t'; break;
    case 'u': {
        unsigned long cp = (unsigned long)campval__hex4(p + 2, 4);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned long lo = (unsigned long)campval__hex4(p + 8, 4);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            *n = (int)campval__utf8_encode((uint32_t)cp, o);
            return 12;
        }
        *n = (int)campval__utf8_encode((uint32_t)cp, o);
        return 6;
    }
    default: o[0] = p[1]; break; /* " \ / */
    }
    *n = 1;
    return 2;
}

static int reader_next(reader *r)
{
    if (r->ipend < r->npend)
        return r->pend[r->ipend++];
    if (r->p >= r->end)
        return -1;
    if (*r->p != '\\')
        return *r->p++;
    r->p += decode_escape(r->p, r->pend, &r->npend);
    r->ipend = 1;
    return r->pend[0];
}

static void reader_init(reader *r, campval__str s)
{
    r->p = (const unsigned char *)s.raw;
    r->end = r->p + s.len;
    r->npend = r->ipend = 0;
}

size_t campval__str_unescape(campval__str s, char *out)
{
    if (!s.escaped) {
        memcpy(out, s.raw, s.len);
        return s.len;
    }
    const unsigned char *p = (const unsigned char *)s.raw, *end = p + s.len;
    unsigned char *o = (unsigned char *)out;
    while (p < end) {
        const unsigned char *bs = memchr(p, '\\', (size_t)(end - p));
        size_t plain = (size_t)((bs ? bs : end) - p);
        memcpy(o, p, plain);
        o += plain;
        p += plain;
        if (!bs)
            break;
        int n;
        p += decode_escape(p, o, &n);
        o += n;
    }
    return (size_t)(o - (unsigned char *)out);
}

size_t campval__str_unescaped_len(campval__str s)
{
    if (!s.escaped)
        return s.len;
    size_t n = 0;
    reader r;
    reader_init(&r, s);
    while (reader_next(&r) >= 0)
        n++;
    return n;
}

size_t campval__str_safe_cut(campval__str s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s.raw;
    size_t i = 0;
    while (i < s.len) {
        size_t unit = 1;
        if (p[i] == '\\') {
            unit = 2;
            if (p[i + 1] == 'u') {
                unsigned long cp = (unsigned long)campval__hex4(p + i + 2, 4);
                unit = cp >= 0xD800 && cp <= 0xDBFF ? 12 : 6;
            }
        } else {
            unit = campval__utf8_lead_len(p[i]);
        }
        if (i + unit > max)
            break;
        i += unit;
    }
    return i;
}

bool campval__str_equal(campval__str a, campval__str b)
{
    if (!a.escaped && !b.escaped)
        return a.len == b.len && memcmp(a.raw, b.raw, a.len) == 0;
    reader ra, rb;
    reader_init(&ra, a);
    reader_init(&rb, b);
    for (;;) {
        int x = reader_next(&ra), y = reader_next(&rb);
        if (x != y)
            return false;
        if (x < 0)
            return true;
    }
}

bool campval__str_equal_plain(campval__str a, const char *plain, size_t n)
{
    if (!a.escaped)
        return a.len == n && memcmp(a.raw, plain, n) == 0;
    if (a.len < n) /* escapes only make the raw form longer */
        return false;
    reader r;
    reader_init(&r, a);
    for (size_t i = 0; i < n; i++)
        if (reader_next(&r) != (unsigned char)plain[i])
            return false;
    return reader_next(&r) < 0;
}

uint64_t campval__str_hash(campval__str s)
{
    if (!s.escaped)
        return campval__hash_bytes(CAMPVAL__HASH_SEED, s.raw, s.len);
    uint64_t h = CAMPVAL__HASH_SEED;
    reader r;
    reader_init(&r, s);
    for (int c; (c = reader_next(&r)) >= 0;)
        h = (h ^ (unsigned)c) * 0x100000001b3ull;
    return h;
}

uint64_t campval__str_hash_keyed(campval__str s, const campval__hkey *key)
{
    if (!s.escaped)
        return campval__siphash(key, s.raw, s.len);
    campval__sip st;
    campval__sip_init(&st, key);
    unsigned char chunk[64];
    size_t n = 0;
    reader r;
    reader_init(&r, s);
    for (int c; (c = reader_next(&r)) >= 0;) {
        chunk[n++] = (unsigned char)c;
        if (n == sizeof chunk) {
            campval__sip_update(&st, chunk, n);
            n = 0;
        }
    }
    campval__sip_update(&st, chunk, n);
    return campval__sip_final(&st);
}

size_t campval__str_codepoints(campval__str s, bool nonascii)
{
    if (!s.escaped && !nonascii)
        return s.len;
    size_t n = 0;
    reader r;
    reader_init(&r, s);
    for (int c; (c = reader_next(&r)) >= 0;)
        n += (c & 0xC0) != 0x80; /* count every byte that is not a continuation */
    return n;
}
