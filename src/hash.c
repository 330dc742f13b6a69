#include "hash.h"

#include <string.h>
#include <time.h>

#if defined(__linux__)
#include <sys/random.h>
#endif

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline void round_(campval__sip *s)
{
    s->v0 += s->v1;
    s->v1 = ROTL(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = ROTL(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = ROTL(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = ROTL(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = ROTL(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = ROTL(s->v2, 32);
}

static inline void compress(campval__sip *s, uint64_t m)
{
    s->v3 ^= m;
    round_(s);
    round_(s);
    s->v0 ^= m;
}

void campval__sip_init(campval__sip *s, const campval__hkey *key)
{
    s->v0 = 0x736f6d6570736575ull ^ key->k0;
    s->v1 = 0x646f72616e646f6dull ^ key->k1;
    s->v2 = 0x6c7967656e657261ull ^ key->k0;
    s->v3 = 0x7465646279746573ull ^ key->k1;
    s->tail = 0;
    s->total = 0;
}

static inline uint64_t load_le64(const unsigned char *p)
{
    uint64_t m = 0;
    for (int i = 7; i >= 0; i--)
        m = (m << 8) | p[i];
    return m;
}

void campval__sip_update(campval__sip *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    unsigned fill = (unsigned)(s->total & 7);
    s->total += n;
    while (fill && n) { /* complete the pending word first */
        s->tail |= (uint64_t)*p++ << (8 * fill);
        n--;
        if (++fill == 8) {
            compress(s, s->tail);
            s->tail = 0;
            fill = 0;
        }
    }
    for (; n >= 8; n -= 8, p += 8)
        compress(s, load_le64(p));
    for (unsigned i = 0; i < n; i++)
        s->tail |= (uint64_t)p[i] << (8 * (fill + i));
}

uint64_t campval__sip_final(const campval__sip *st)
{
    campval__sip s = *st;
    compress(&s, s.tail | (s.total & 0xff) << 56);
    s.v2 ^= 0xff;
    round_(&s);
    round_(&s);
    round_(&s);
    round_(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint64_t campval__siphash(const campval__hkey *key, const void *data, size_t n)
{
    campval__sip s;
    campval__sip_init(&s, key);
    campval__sip_update(&s, data, n);
    return campval__sip_final(&s);
}

void campval__hkey_random(campval__hkey *key)
{
    unsigned char b[16];
#if defined(__linux__)
    if (getrandom(b, sizeof b, GRND_NONBLOCK) == (ssize_t)sizeof b) {
        key->k0 = load_le64(b);
        key->k1 = load_le64(b + 8);
        return;
    }
#endif
    /* Early boot or a sandbox without getrandom: not secret, but different per workspace and
     * per run, which is what keeps a precomputed collision set from working everywhere. */
    static _Atomic uint64_t counter;
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    campval__hkey k = {(uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30),
                       (uint64_t)(uintptr_t)key ^ (uint64_t)++counter};
    memset(b, 0, sizeof b);
    key->k0 = campval__siphash(&k, b, 8);
    key->k1 = campval__siphash(&k, b, 16);
}
