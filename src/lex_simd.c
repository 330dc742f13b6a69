/*
 * The lexer's first stage, vectorised (after simdjson's stage 1: Langdale and Lemire, "Parsing
 * gigabytes of JSON per second", 2019). Each 64-byte block becomes bit masks, one bit a byte:
 * quotes, backslashes, control characters, bytes >= 0x80, white space and the six structural
 * characters. Bit arithmetic on those finds which bytes are escaped, which lie inside strings,
 * and where each token starts; the positions go to a small buffer that lex.c's second stage
 * walks. Anything that is never valid where it stands (a control character that is not white
 * space between tokens, any control character in a string, a byte >= 0x80 or a backslash outside
 * a string) sets `bad`, and the scalar lexer decides the verdict and the offset.
 *
 * Only the classification differs between SSE2 and AVX2; the bit logic is shared.
 */
#include "lex.h"

#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

typedef struct masks {
    uint64_t quote, bslash, ctrl, high, ws, op;
} masks;

/* Bytes escaped by a backslash: the byte after each odd-length run of backslashes (simdjson's
 * find_escaped_branchless). *prev carries "the last byte of the block escapes the next one". */
static inline uint64_t escaped_of(uint64_t bs, uint64_t *prev)
{
    const uint64_t even = 0x5555555555555555ull;
    bs &= ~*prev;
    uint64_t follows = bs << 1 | *prev;
    uint64_t odd_starts = bs & ~even & ~follows;
    uint64_t seq_even;
    *prev = __builtin_add_overflow(odd_starts, bs, &seq_even);
    return (even ^ (seq_even << 1)) & follows;
}

/* Bit i = xor of bits 0..i: turns opening/closing quotes into "inside a string". */
static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* One block's masks to index entries at base: structural characters and the starts of
 * strings, numbers and literals outside strings, plus backslashes and bytes >= 0x80 inside
 * strings (the second stage checks those strings byte by byte). False when the block holds a
 * byte that is never valid where it is. */
static inline bool emit(campval__lex_index *ix, uint32_t base, const masks *m)
{
    uint64_t quote = m->quote & ~escaped_of(m->bslash, &ix->escaped);
    uint64_t in_str = prefix_xor(quote) ^ ix->in_string; /* opening quotes in, closing out */
    ix->in_string = (uint64_t)((int64_t)in_str >> 63);
    uint64_t out = ~in_str;
    if ((m->ctrl & (in_str | ~m->ws)) | ((m->high | m->bslash) & out))
        return false;
    uint64_t other = out & ~(m->op | m->ws | quote); /* bytes of numbers and literals */
    uint64_t starts = other & ~(other << 1 | ix->scalar);
    ix->scalar = other >> 63;
    uint64_t bits = (m->op & out) | (quote & in_str) | starts | ((m->bslash | m->high) & in_str);
    uint32_t *idx = ix->idx + ix->n;
    while (bits) {
        *idx++ = base + (uint32_t)__builtin_ctzll(bits);
        bits &= bits - 1;
    }
    ix->n = (uint32_t)(idx - ix->idx);
    return true;
}

/* The last, partial block: padded with spaces, which are white space wherever they land. */
static const unsigned char *tail_block(const campval__lex_index *ix, unsigned char pad[64])
{
    size_t rest = ix->len - ix->pos;
    memset(pad, ' ', 64);
    memcpy(pad, ix->s + ix->pos, rest);
    return pad;
}

static inline uint64_t bits16(__m128i v, int at)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(v) << at;
}

static void classify_sse2(const unsigned char *p, masks *m)
{
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                  lower = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'),
                  close = _mm_set1_epi8('}'), colon = _mm_set1_epi8(':'),
                  comma = _mm_set1_epi8(',');
    *m = (masks){0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 64; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + k));
        __m128i folded = _mm_or_si128(v, lower); /* '[' -> '{', ']' -> '}' */
        uint64_t high = bits16(v, k);
        m->high |= high;
        m->quote |= bits16(_mm_cmpeq_epi8(v, quote), k);
        m->bslash |= bits16(_mm_cmpeq_epi8(v, bslash), k);
        /* Signed compare: bytes >= 0x80 are below 0x20 too, and are taken out again. */
        m->ctrl |= bits16(_mm_cmplt_epi8(v, lower), k) & ~high;
        m->ws |= bits16(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))),
                        k);
        m->op |= bits16(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, colon), _mm_cmpeq_epi8(v, comma))),
            k);
    }
}

void campval__lex_index_sse2(campval__lex_index *ix)
{
    unsigned char pad[64];
    ix->n = 0;
    for (int b = 0; b < CAMPVAL__LEX_WINDOW && ix->pos < ix->len; b++, ix->pos += 64) {
        const unsigned char *p = ix->len - ix->pos >= 64 ? ix->s + ix->pos : tail_block(ix, pad);
        masks m;
        classify_sse2(p, &m);
        if (!emit(ix, (uint32_t)ix->pos, &m)) {
            ix->bad = true;
            return;
        }
    }
}

#if defined(__GNUC__)
#define AVX2 __attribute__((target("avx2")))

AVX2 static inline uint64_t bits32(__m256i v, int at)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(v) << at;
}

AVX2 static void classify_avx2(const unsigned char *p, masks *m)
{
    const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\'),
                  space = _mm256_set1_epi8(' '), tab = _mm256_set1_epi8('\t'),
                  lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r'),
                  lower = _mm256_set1_epi8(0x20), open = _mm256_set1_epi8('{'),
                  close = _mm256_set1_epi8('}'), colon = _mm256_set1_epi8(':'),
                  comma = _mm256_set1_epi8(',');
    *m = (masks){0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 64; k += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + k));
        __m256i folded = _mm256_or_si256(v, lower);
        uint64_t high = bits32(v, k);
        m->high |= high;
        m->quote |= bits32(_mm256_cmpeq_epi8(v, quote), k);
        m->bslash |= bits32(_mm256_cmpeq_epi8(v, bslash), k);
        m->ctrl |= bits32(_mm256_cmpgt_epi8(lower, v), k) & ~high;
        m->ws |= bits32(_mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, space),
                                                        _mm256_cmpeq_epi8(v, tab)),
                                        _mm256_or_si256(_mm256_cmpeq_epi8(v, lf),
                                                        _mm256_cmpeq_epi8(v, cr))),
                        k);
        m->op |= bits32(_mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(folded, open),
                                                        _mm256_cmpeq_epi8(folded, close)),
                                        _mm256_or_si256(_mm256_cmpeq_epi8(v, colon),
                                                        _mm256_cmpeq_epi8(v, comma))),
                        k);
    }
}

AVX2 void campval__lex_index_avx2(campval__lex_index *ix)
{
    unsigned char pad[64];
    ix->n = 0;
    for (int b = 0; b < CAMPVAL__LEX_WINDOW && ix->pos < ix->len; b++, ix->pos += 64) {
        const unsigned char *p = ix->len - ix->pos >= 64 ? ix->s + ix->pos : tail_block(ix, pad);
        masks m;
        classify_avx2(p, &m);
        if (!emit(ix, (uint32_t)ix->pos, &m)) {
            ix->bad = true;
            return;
        }
    }
}

bool campval__lex_has_avx2(void) { return __builtin_cpu_supports("avx2"); }
#else
void campval__lex_index_avx2(campval__lex_index *ix) { campval__lex_index_sse2(ix); }
bool campval__lex_has_avx2(void) { return false; }
#endif

#else
typedef int campval__lex_simd_unused; /* ISO C: no empty translation unit */
#endif /* x86-64 */
