/*
 * Strict RFC 8259 scanner.
 *
 * jsmn tokenizes but does not validate (it takes `tru`, `01`, raw control characters, `[1,,2]`,
 * several roots, and stops silently at a NUL), so this pass decides what is JSON, with the exact
 * offset of the first offending byte. It runs before jsmn, which then only ever sees valid
 * documents. A pushdown automaton with an explicit, bounded stack: input depth cannot recurse.
 */
#include "lex.h"
#include "utf8.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum state {
    S_VALUE,          /* a value must come (after ':' or ',' in an array) */
    S_VALUE_OR_CLOSE, /* after '[' */
    S_KEY,            /* a member name must come (after ',' in an object) */
    S_KEY_OR_CLOSE,   /* after '{' */
    S_COLON,          /* after a member name */
    S_AFTER           /* after a value */
};

enum { NEST_ARRAY = 0, NEST_OBJECT = 1 };

/* Byte classes inside strings: 0 plain, 1 quote, 2 backslash, 3 control, 4 non-ASCII. */
static const uint8_t str_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

/* The first byte in s[i..i+4) that is not a hex digit (for the error offset). */
static size_t bad_hex_at(const unsigned char *s, size_t i, size_t len)
{
    for (size_t k = 0; k < 4 && i + k < len; k++)
        if (campval__hex_value(s[i + k]) < 0)
            return i + k;
    return i + 4 > len ? len : i;
}

/* First index at or after i whose byte is not plain string content (a quote, a backslash, a
 * control character or a non-ASCII byte), or len. */
static size_t skip_plain(const unsigned char *s, size_t i, size_t len)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  space = _mm_set1_epi8(0x20);
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* Signed compare: bytes >= 0x80 are negative, so "< 0x20" flags them too. */
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                                   _mm_cmplt_epi8(v, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < len && str_class[s[i]] == 0)
        i++;
    return i;
}

typedef struct scan {
    const unsigned char *s;
    size_t len;
    size_t pos;
    campval_code code;
    size_t offset;
} scan;

static bool fail(scan *sc, campval_code code, size_t offset)
{
    sc->code = code;
    sc->offset = offset;
    return false;
}

/* Scans a string whose opening quote is at sc->pos; leaves pos after the closing quote.
 * Inlined into its two callers: most strings are short and the call itself was a fifth of
 * the cost. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline bool scan_string(scan *sc, uint8_t *flag)
{
    const unsigned char *s = sc->s;
    size_t len = sc->len;
    size_t i = sc->pos + 1;
    uint8_t f = 0;
    for (;;) {
        /* Plain ASCII is the common case: skip it 16 bytes at a time, then byte by byte. */
        i = skip_plain(s, i, len);
        if (i >= len)
            return fail(sc, CAMPVAL_JSON_TRUNCATED, len);
        if (CAMPVAL__LIKELY(s[i] == '"')) { /* the usual end of the scan */
            sc->pos = i + 1;
            *flag = f;
            return true;
        }
        switch (str_class[s[i]]) {
        case 2: {
            f |= CAMPVAL__F_ESCAPED;
            if (i + 1 >= len)
                return fail(sc, CAMPVAL_JSON_TRUNCATED, len);
            unsigned char e = s[i + 1];
            if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                e == 't') {
                i += 2;
                break;
            }
            if (e != 'u') /* a NUL is reported where it is, like every other NUL */
                return fail(sc, e == 0 ? CAMPVAL_JSON_NUL_BYTE : CAMPVAL_JSON_BAD_ESCAPE,
                            e == 0 ? i + 1 : i);
            long cp = campval__hex4(s + i + 2, len - (i + 2));
            if (cp < 0)
                return fail(sc, CAMPVAL_JSON_BAD_ESCAPE, bad_hex_at(s, i + 2, len));
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(sc, CAMPVAL_JSON_LONE_SURROGATE, i);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* A high surrogate must be followed at once by a low one. */
                size_t j = i + 6;
                long lo = -1;
                if (j + 1 < len && s[j] == '\\' && s[j + 1] == 'u')
                    lo = campval__hex4(s + j + 2, len - (j + 2));
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(sc, CAMPVAL_JSON_LONE_SURROGATE, i);
                i = j + 6;
                f |= CAMPVAL__F_NONASCII;
            } else {
                if (cp >= 0x80)
                    f |= CAMPVAL__F_NONASCII;
                i += 6;
            }
            break;
        }
        case 3:
            return fail(sc, s[i] == 0 ? CAMPVAL_JSON_NUL_BYTE : CAMPVAL_JSON_CONTROL_CHAR, i);
        default: {
            /* Two-byte sequences (accented Latin letters) inline; the rest through the full
             * check. */
            if (s[i] >= 0xC2 && s[i] < 0xE0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
                f |= CAMPVAL__F_NONASCII;
                i += 2;
                break;
            }
            size_t n = campval__utf8_seq(s + i, len - i);
            if (n == 0)
                return fail(sc, CAMPVAL_JSON_BAD_UTF8, i);
            f |= CAMPVAL__F_NONASCII;
            i += n;
            break;
        }
        }
    }
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Characters that would continue a number or literal if the grammar allowed them. */
static bool is_word(unsigned char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '.' || c == '+' ||
           c == '-' || c == '_';
}

static bool scan_number(scan *sc)
{
    const unsigned char *s = sc->s;
    size_t len = sc->len, i = sc->pos;
    if (s[i] == '-')
        i++;
    if (i >= len || !is_digit(s[i]))
        return fail(sc, CAMPVAL_JSON_BAD_NUMBER, i);
    if (s[i] == '0') {
        i++;
    } else {
        while (i < len && is_digit(s[i]))
            i++;
    }
    if (i < len && s[i] == '.') {
        i++;
        if (i >= len || !is_digit(s[i]))
            return fail(sc, CAMPVAL_JSON_BAD_NUMBER, i);
        while (i < len && is_digit(s[i]))
            i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || !is_digit(s[i]))
            return fail(sc, CAMPVAL_JSON_BAD_NUMBER, i);
        while (i < len && is_digit(s[i]))
            i++;
    }
    if (i < len && is_word(s[i]))
        return fail(sc, CAMPVAL_JSON_BAD_NUMBER, i);
    sc->pos = i;
    return true;
}

static bool scan_literal(scan *sc)
{
    static const char *const words[] = {"true", "false", "null"};
    const unsigned char *s = sc->s;
    size_t i = sc->pos;
    const char *w = s[i] == 't' ? words[0] : s[i] == 'f' ? words[1] : words[2];
    size_t n = strlen(w);
    if (sc->len - i < n || memcmp(s + i, w, n) != 0 || (i + n < sc->len && is_word(s[i + n])))
        return fail(sc, CAMPVAL_JSON_BAD_LITERAL, i);
    sc->pos = i + n;
    return true;
}

/* The code for a byte that cannot start what the grammar expects here. */
static campval_code stray(const scan *sc, size_t i, campval_code expected)
{
    unsigned char c = sc->s[i];
    if (c == 0)
        return CAMPVAL_JSON_NUL_BYTE;
    if (c == '/' && i + 1 < sc->len && (sc->s[i + 1] == '/' || sc->s[i + 1] == '*'))
        return CAMPVAL_JSON_COMMENT;
    if (c >= 0x80 && campval__utf8_seq(sc->s + i, sc->len - i) == 0)
        return CAMPVAL_JSON_BAD_UTF8;
    return expected;
}

static void lex_scalar(const char *text, size_t len, uint32_t max_depth, uint32_t max_tokens,
                       uint8_t *nest, uint32_t *open, uint8_t *flags, uint32_t *next,
                       campval__lex_result *out)
{
    scan sc = {(const unsigned char *)text, len, 0, CAMPVAL_OK, 0};
    const unsigned char *s = sc.s;
    enum state st = S_VALUE;
    uint32_t depth = 0, ntok = 0;
    size_t comma = 0; /* offset of the last ',' (for trailing-comma errors) */
    bool after_comma = false;

    out->tokens = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        fail(&sc, CAMPVAL_JSON_BOM, 0);
        goto done;
    }
    for (;;) {
        /* White space is at most ' ': one compare skips the loop for minified input. */
        while (sc.pos < len && s[sc.pos] <= ' ' &&
               (s[sc.pos] == ' ' || s[sc.pos] == '\n' || s[sc.pos] == '\r' || s[sc.pos] == '\t'))
            sc.pos++;
        if (sc.pos >= len) {
            if (st == S_AFTER && depth == 0)
                break;
            fail(&sc, ntok == 0 ? CAMPVAL_JSON_EMPTY : CAMPVAL_JSON_TRUNCATED, len);
            goto done;
        }
        size_t at = sc.pos;
        unsigned char c = s[at];
        switch (st) {
        case S_VALUE:
        case S_VALUE_OR_CLOSE:
            if ((c == ']' || c == '}') && st == S_VALUE_OR_CLOSE)
                goto close; /* close reports a '}' here as a mismatched bracket */
            if (ntok >= max_tokens) {
                fail(&sc, CAMPVAL_LIMIT_TOKENS, at);
                goto done;
            }
            flags[ntok] = 0;
            switch (c) {
            case '{':
            case '[':
                if (depth >= max_depth) {
                    fail(&sc, CAMPVAL_LIMIT_DEPTH, at);
                    goto done;
                }
                open[depth] = ntok;
                nest[depth++] = c == '{' ? NEST_OBJECT : NEST_ARRAY;
                st = c == '{' ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
                sc.pos++;
                ntok++;
                after_comma = false;
                continue;
            case '"':
                if (!scan_string(&sc, &flags[ntok]))
                    goto done;
                break;
            case 't':
            case 'f':
            case 'n':
                if (!scan_literal(&sc))
                    goto done;
                break;
            case '-':
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                if (!scan_number(&sc))
                    goto done;
                break;
            case '+':
            case '.':
            case 'N':
            case 'I':
                fail(&sc, CAMPVAL_JSON_BAD_NUMBER, at);
                goto done;
            case ']':
            case '}':
                fail(&sc, after_comma ? CAMPVAL_JSON_TRAILING_COMMA : CAMPVAL_JSON_MISSING_VALUE,
                     after_comma ? comma : at);
                goto done;
            case ',':
                fail(&sc, CAMPVAL_JSON_MISSING_VALUE, at);
                goto done;
            default:
                fail(&sc, stray(&sc, at, CAMPVAL_JSON_UNEXPECTED_CHAR), at);
                goto done;
            }
            next[ntok] = ntok + 1;
            ntok++;
            /* A member value ends its member name's subtree too. */
            if (depth > 0 && nest[depth - 1] == NEST_OBJECT)
                next[ntok - 2] = ntok;
            st = S_AFTER;
            /* The usual next byte, a comma inside a container, without another round. */
            if (sc.pos < len && s[sc.pos] == ',' && depth > 0) {
                comma = sc.pos++;
                after_comma = true;
                st = nest[depth - 1] == NEST_OBJECT ? S_KEY : S_VALUE;
            }
            continue;
        case S_KEY:
        case S_KEY_OR_CLOSE:
            if ((c == '}' || c == ']') && st == S_KEY_OR_CLOSE)
                goto close;
            if (c == '"') {
                if (ntok >= max_tokens) {
                    fail(&sc, CAMPVAL_LIMIT_TOKENS, at);
                    goto done;
                }
                flags[ntok] = 0;
                if (!scan_string(&sc, &flags[ntok]))
                    goto done;
                flags[ntok] |= CAMPVAL__F_KEY;
                ntok++;
                st = S_COLON;
                if (sc.pos < len && s[sc.pos] == ':') { /* the usual next byte */
                    sc.pos++;
                    st = S_VALUE;
                    after_comma = false;
                }
                continue;
            }
            if (c == '}' && after_comma)
                fail(&sc, CAMPVAL_JSON_TRAILING_COMMA, comma);
            else
                fail(&sc, stray(&sc, at, CAMPVAL_JSON_EXPECTED_KEY), at);
            goto done;
        case S_COLON:
            if (c == ':') {
                sc.pos++;
                st = S_VALUE;
                after_comma = false;
                continue;
            }
            fail(&sc, stray(&sc, at, CAMPVAL_JSON_EXPECTED_COLON), at);
            goto done;
        case S_AFTER:
            if (depth == 0) {
                fail(&sc, stray(&sc, at, CAMPVAL_JSON_TRAILING_DATA), at);
                goto done;
            }
            if (c == ',') {
                comma = at;
                after_comma = true;
                st = nest[depth - 1] == NEST_OBJECT ? S_KEY : S_VALUE;
                sc.pos++;
                continue;
            }
            if (c == ']' || c == '}')
                goto close;
            fail(&sc, stray(&sc, at, CAMPVAL_JSON_EXPECTED_COMMA), at);
            goto done;
        }
    close:
        if ((c == '}') != (nest[depth - 1] == NEST_OBJECT)) {
            fail(&sc, CAMPVAL_JSON_MISMATCHED_BRACKET, sc.pos);
            goto done;
        }
        depth--;
        next[open[depth]] = ntok;
        if (depth > 0 && nest[depth - 1] == NEST_OBJECT)
            next[open[depth] - 1] = ntok;
        sc.pos++;
        st = S_AFTER;
        after_comma = false;
    }
done:
    out->code = sc.code;
    out->offset = sc.offset;
    out->tokens = ntok;
}

/* ---- the vector path ------------------------------------------------------------------------
 * lex_simd.c lists where tokens start; this second stage runs the grammar over those positions
 * only. White space and plain string bytes are never looked at again. Strings with escapes or
 * bytes >= 0x80, numbers and literals go through the scalar scanners above. Any doubt (an error,
 * a limit) returns false and the scalar lexer runs from the start: errors cost a second pass,
 * still linear, and their codes and offsets are the scalar lexer's by construction. */

#if defined(__x86_64__) || defined(_M_X64)
typedef void (*index_fn)(campval__lex_index *);

/* The entries of the current window: a cursor kept in registers, the window refilled when
 * it runs out. */
typedef struct cursor {
    const uint32_t *at, *end;
} cursor;

/* The next entry, refilling the window; false at the end of the input or on a bad byte. */
static inline bool peek(campval__lex_index *ix, index_fn fill, cursor *cu, uint32_t *at)
{
    while (cu->at == cu->end) {
        if (ix->bad || ix->pos >= ix->len)
            return false;
        fill(ix);
        cu->at = ix->idx;
        cu->end = ix->idx + ix->n;
    }
    *at = *cu->at;
    return true;
}

/* A number or literal must end at white space, a structural character or the end: anything
 * else after it ("1#", "true\"") is an error the scalar lexer words. */
static inline bool ends_clean(const scan *sc)
{
    if (sc->pos >= sc->len)
        return true;
    unsigned char c = sc->s[sc->pos];
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == ']' || c == '}' ||
           c == ':';
}

/* A string at sc->pos (the entry just taken): plain unless the next entry is a backslash or a
 * byte >= 0x80 inside it, in which case the scalar scanner checks it and the entries it covers
 * are dropped. */
static inline bool fast_string(scan *sc, campval__lex_index *ix, index_fn fill, cursor *cu,
                               uint8_t *flag)
{
    uint32_t nx;
    if (CAMPVAL__LIKELY(cu->at < cu->end) && sc->s[*cu->at] != '\\' && sc->s[*cu->at] < 0x80) {
        *flag = 0; /* the usual case, without a refill */
        sc->pos++;
        return true;
    }
    if (!peek(ix, fill, cu, &nx) || (sc->s[nx] != '\\' && sc->s[nx] < 0x80)) {
        if (ix->bad)
            return false;
        *flag = 0;
        sc->pos++;
        return true;
    }
    if (!scan_string(sc, flag))
        return false;
    while (peek(ix, fill, cu, &nx) && nx < sc->pos)
        cu->at++;
    return !ix->bad;
}

#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline bool lex_fast(index_fn fill, const char *text, size_t len, uint32_t max_depth,
                     uint32_t max_tokens, uint8_t *nest, uint32_t *open, uint8_t *flags,
                     uint32_t *next, campval__lex_result *out)
{
    campval__lex_index ix;
    ix.s = (const unsigned char *)text;
    ix.len = len;
    ix.pos = 0;
    ix.escaped = ix.in_string = ix.scalar = 0;
    ix.bad = false;
    ix.n = 0;
    scan sc = {(const unsigned char *)text, len, 0, CAMPVAL_OK, 0};
    const unsigned char *s = sc.s;
    enum state st = S_VALUE;
    uint32_t depth = 0, ntok = 0;
    uint32_t at;
    cursor cu = {ix.idx, ix.idx};

    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return false;
    while (peek(&ix, fill, &cu, &at)) {
        if (at < sc.pos) /* inside what a scanner consumed: never so for valid JSON */
            return false;
        cu.at++;
        sc.pos = at;
        unsigned char c = s[at];
        switch (st) {
        case S_VALUE:
        case S_VALUE_OR_CLOSE:
            if ((c == ']' || c == '}') && st == S_VALUE_OR_CLOSE)
                goto close;
            if (ntok >= max_tokens)
                return false;
            switch (c) {
            case '{':
            case '[':
                if (depth >= max_depth)
                    return false;
                flags[ntok] = 0;
                open[depth] = ntok;
                nest[depth++] = c == '{' ? NEST_OBJECT : NEST_ARRAY;
                st = c == '{' ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
                sc.pos++;
                ntok++;
                continue;
            case '"':
                if (!fast_string(&sc, &ix, fill, &cu, &flags[ntok]))
                    return false;
                break;
            case 't':
            case 'f':
            case 'n':
                if (!scan_literal(&sc) || !ends_clean(&sc))
                    return false;
                flags[ntok] = 0;
                break;
            case '-':
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                if (!scan_number(&sc) || !ends_clean(&sc))
                    return false;
                flags[ntok] = 0;
                break;
            default:
                return false;
            }
            next[ntok] = ntok + 1;
            ntok++;
            if (depth > 0 && nest[depth - 1] == NEST_OBJECT)
                next[ntok - 2] = ntok;
            st = S_AFTER;
            continue;
        case S_KEY:
        case S_KEY_OR_CLOSE:
            if (c == '}' && st == S_KEY_OR_CLOSE)
                goto close;
            if (c != '"' || ntok >= max_tokens || !fast_string(&sc, &ix, fill, &cu, &flags[ntok]))
                return false;
            flags[ntok] |= CAMPVAL__F_KEY;
            ntok++;
            st = S_COLON;
            continue;
        case S_COLON:
            if (c != ':')
                return false;
            sc.pos++;
            st = S_VALUE;
            continue;
        case S_AFTER:
            if (depth == 0)
                return false;
            if (c == ',') {
                st = nest[depth - 1] == NEST_OBJECT ? S_KEY : S_VALUE;
                sc.pos++;
                continue;
            }
            if (c != ']' && c != '}')
                return false;
            goto close;
        }
    close:
        if ((c == '}') != (nest[depth - 1] == NEST_OBJECT))
            return false;
        depth--;
        next[open[depth]] = ntok;
        if (depth > 0 && nest[depth - 1] == NEST_OBJECT)
            next[open[depth] - 1] = ntok;
        sc.pos++;
        st = S_AFTER;
    }
    if (ix.bad || ix.in_string || st != S_AFTER || depth != 0) /* "abc: unterminated */
        return false;
    out->code = CAMPVAL_OK;
    out->offset = 0;
    out->tokens = ntok;
    return true;
}
#endif

static int forced = CAMPVAL__LEX_AUTO;

static bool available(int impl)
{
#if defined(__x86_64__) || defined(_M_X64)
    return impl != CAMPVAL__LEX_AVX2 || campval__lex_has_avx2();
#else
    return impl == CAMPVAL__LEX_AUTO || impl == CAMPVAL__LEX_SCALAR;
#endif
}

bool campval__lex_force(int impl)
{
    if (impl < CAMPVAL__LEX_AUTO || impl > CAMPVAL__LEX_AVX2 || !available(impl))
        return false;
    forced = impl;
    return true;
}

bool campval__lex_vector(int impl, const char *text, size_t len, uint32_t max_depth,
                         uint32_t max_tokens, uint8_t *nest, uint32_t *open, uint8_t *flags,
                         uint32_t *next, campval__lex_result *out)
{
#if defined(__x86_64__) || defined(_M_X64)
    if (impl == CAMPVAL__LEX_AUTO)
        impl = campval__lex_has_avx2() ? CAMPVAL__LEX_AVX2 : CAMPVAL__LEX_SSE2;
    if ((impl != CAMPVAL__LEX_SSE2 && impl != CAMPVAL__LEX_AVX2) || !available(impl) ||
        len > CAMPVAL_MAX_INPUT)
        return false;
    if (impl == CAMPVAL__LEX_AVX2) /* two copies of the second stage, each with a direct call */
        return lex_fast(campval__lex_index_avx2, text, len, max_depth, max_tokens, nest, open,
                        flags, next, out);
    return lex_fast(campval__lex_index_sse2, text, len, max_depth, max_tokens, nest, open, flags,
                    next, out);
#else
    CAMPVAL__UNUSED(impl), CAMPVAL__UNUSED(text), CAMPVAL__UNUSED(len);
    CAMPVAL__UNUSED(max_depth), CAMPVAL__UNUSED(max_tokens), CAMPVAL__UNUSED(nest);
    CAMPVAL__UNUSED(open), CAMPVAL__UNUSED(flags), CAMPVAL__UNUSED(next), CAMPVAL__UNUSED(out);
    return false;
#endif
}

void campval__lex(const char *text, size_t len, uint32_t max_depth, uint32_t max_tokens,
                  uint8_t *nest, uint32_t *open, uint8_t *flags, uint32_t *next,
                  campval__lex_result *out)
{
    /* AUTO is the scalar lexer for now: on the campaign payloads (about 11 bytes a token, short
     * strings) the vector path measured 1.5x slower, its first stage alone costing 60% of the
     * scalar lexer (bench/README.md). It stays tested and fuzzed, and can be forced. */
    if ((forced == CAMPVAL__LEX_SSE2 || forced == CAMPVAL__LEX_AVX2) &&
        campval__lex_vector(forced, text, len, max_depth, max_tokens, nest, open, flags, next, out))
        return;
    lex_scalar(text, len, max_depth, max_tokens, nest, open, flags, next, out);
}
