/*
 * format_idna.c — the hostname format: RFC 1123 labels, and A-labels ("xn--") decoded with
 * Punycode (RFC 3492) and checked as IDNA2008 requires (RFC 5891, 5892, 5893). The email format
 * uses it for domains. Like every checker: no allocation, no recursion, linear time.
 */
#include <stddef.h>
#include "format_internal.h"

#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Host names: RFC 1123 labels, and A-labels ("xn--") checked as IDNA2008 requires (RFC 5891
 * section 5.4: the Punycode must decode to a valid U-label and encode back to the same text).
 * ------------------------------------------------------------------------------------------- */

typedef struct cp_range {
    uint32_t lo, hi;
} cp_range;

typedef struct cp_class_range {
    uint32_t lo, hi;
    unsigned char cls;
} cp_class_range;

enum { JOIN_NONE, JOIN_C, JOIN_D, JOIN_L, JOIN_R, JOIN_T };
enum { BIDI_L, BIDI_R, BIDI_AL, BIDI_AN, BIDI_EN, BIDI_ES, BIDI_CS, BIDI_ET, BIDI_ON, BIDI_BN, BIDI_NSM };

#include "idna_tables.inc"

#define IN_TABLE(table, cp) in_ranges((table), COUNT_OF(table), (cp))
#define CLASS_OF(table, cp, dflt) class_of((table), COUNT_OF(table), (cp), (dflt))

/* Index of the range holding cp in a sorted table whose rows start with lo and hi, or -1. */
static ptrdiff_t range_index(const void *rows, size_t stride, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const cp_range *r = (const cp_range *)(const void *)((const char *)rows + mid * stride);
        if (cp < r->lo)
            hi = mid;
        else if (cp > r->hi)
            lo = mid + 1;
        else
            return (ptrdiff_t)mid;
    }
    return -1;
}

static int in_ranges(const cp_range *r, size_t n, uint32_t cp)
{
    return range_index(r, sizeof *r, n, cp) >= 0;
}

static int class_of(const cp_class_range *r, size_t n, uint32_t cp, int dflt)
{
    /* cp_class_range starts with the same two fields as cp_range */
    ptrdiff_t i = range_index(r, sizeof *r, n, cp);
    return i < 0 ? dflt : r[i].cls;
}

#define LABEL_MAX 63
#define HOSTNAME_MAX 253

/* RFC 3492 parameters. */
enum { PC_BASE = 36, PC_TMIN = 1, PC_TMAX = 26, PC_SKEW = 38, PC_DAMP = 700 };

static uint32_t punycode_adapt(uint32_t delta, uint32_t points, int first)
{
    uint32_t k = 0;
    delta = first ? delta / PC_DAMP : delta / 2;
    delta += delta / points;
    while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
        delta /= PC_BASE - PC_TMIN;
        k += PC_BASE;
    }
    return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

static uint32_t punycode_threshold(uint32_t k, uint32_t bias)
{
    return k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
}

static int punycode_digit(unsigned c)
{
    c = to_lower(c);
    if (c >= 'a' && c <= 'z')
        return (int)(c - 'a');
    if (is_digit(c))
        return (int)(c - '0') + 26;
    return -1;
}

/*
 * Decodes `in[0..len)` (the part after "xn--", any case) into at most `cap` code points.
 * Returns the count, or -1 for anything RFC 3492 rejects (and for overflow or surrogates).
 */
static int punycode_decode(const uchar *in, size_t len, uint32_t *out, size_t cap)
{
    size_t basic = 0, n_out = 0, pos = 0;
    for (size_t j = 0; j < len; j++)
        if (in[j] == '-')
            basic = j;
    if (basic > 0 || (len > 0 && in[0] == '-')) {
        if (basic > cap)
            return -1;
        for (size_t j = 0; j < basic; j++)
            out[n_out++] = to_lower(in[j]);
        pos = basic + 1;
    }
    uint32_t n = 128, i = 0, bias = 72;
    while (pos < len) {
        uint32_t old_i = i, w = 1;
        for (uint32_t k = PC_BASE;; k += PC_BASE) {
            if (pos >= len)
                return -1;
            int digit = punycode_digit(in[pos++]);
            if (digit < 0 || (uint32_t)digit > (UINT32_MAX - i) / w)
                return -1;
            i += (uint32_t)digit * w;
            uint32_t t = punycode_threshold(k, bias);
            if ((uint32_t)digit < t)
                break;
            if (w > UINT32_MAX / (PC_BASE - t))
                return -1;
            w *= PC_BASE - t;
        }
        uint32_t points = (uint32_t)n_out + 1;
        bias = punycode_adapt(i - old_i, points, old_i == 0);
        if (i / points > 0x10FFFF - n)
            return -1;
        n += i / points;
        i %= points;
        if ((n >= 0xD800 && n <= 0xDFFF) || n_out >= cap)
            return -1;
        memmove(out + i + 1, out + i, (n_out - i) * sizeof *out);
        out[i++] = n;
        n_out++;
    }
    return (int)n_out;
}

/*
 * Encodes code points back to Punycode in `out` (capacity `cap`); returns the length or -1 when
 * it does not fit. Used only for the round trip, so the input is a decoded, short label.
 */
static int punycode_encode(const uint32_t *cp, size_t count, char *out, size_t cap)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t o = 0, basic = 0;
    for (size_t j = 0; j < count; j++) {
        if (cp[j] < 0x80) {
            if (o >= cap)
                return -1;
            out[o++] = (char)cp[j];
            basic++;
        }
    }
    if (basic > 0) {
        if (o >= cap)
            return -1;
        out[o++] = '-';
    }
    uint32_t n = 128, delta = 0, bias = 72;
    size_t h = basic;
    while (h < count) {
        uint32_t m = UINT32_MAX;
        for (size_t j = 0; j < count; j++)
            if (cp[j] >= n && cp[j] < m)
                m = cp[j];
        /* count <= LABEL_MAX and code points <= 0x10FFFF, so delta stays far below 2^32. */
        delta += (m - n) * (uint32_t)(h + 1);
        n = m;
        for (size_t j = 0; j < count; j++) {
            if (cp[j] < n)
                delta++;
            if (cp[j] != n)
                continue;
            uint32_t q = delta;
            for (uint32_t k = PC_BASE;; k += PC_BASE) {
                uint32_t t = punycode_threshold(k, bias);
                if (q < t)
                    break;
                if (o >= cap)
                    return -1;
                out[o++] = digits[t + (q - t) % (PC_BASE - t)];
                q = (q - t) / (PC_BASE - t);
            }
            if (o >= cap)
                return -1;
            out[o++] = digits[q];
            bias = punycode_adapt(delta, (uint32_t)(h + 1), h == basic);
            delta = 0;
            h++;
        }
        delta++;
        n++;
    }
    return (int)o;
}

static int is_alabel(const uchar *label, size_t len)
{
    return len >= 4 && to_lower(label[0]) == 'x' && to_lower(label[1]) == 'n' && label[2] == '-' &&
           label[3] == '-';
}

/*
 * The code points of one label: an A-label decoded (and proven canonical by re-encoding), any
 * other label as its lower-cased ASCII. Returns the count, or -1 for a bad A-label.
 */
static int label_code_points(const uchar *label, size_t len, uint32_t out[LABEL_MAX])
{
    if (!is_alabel(label, len)) {
        for (size_t j = 0; j < len; j++)
            out[j] = to_lower(label[j]);
        return (int)len;
    }
    int n = punycode_decode(label + 4, len - 4, out, LABEL_MAX);
    if (n <= 0)
        return -1;
    char again[LABEL_MAX];
    int m = punycode_encode(out, (size_t)n, again, sizeof again);
    if (m != (int)(len - 4))
        return -1;
    for (int j = 0; j < m; j++)
        if ((unsigned char)again[j] != to_lower(label[4 + j]))
            return -1;
    return n;
}

static int is_contexto(uint32_t c)
{
    return c == 0xB7 || c == 0x375 || c == 0x5F3 || c == 0x5F4 || c == 0x30FB ||
           (c >= 0x660 && c <= 0x669) || (c >= 0x6F0 && c <= 0x6F9);
}

/* RFC 5892 appendix A.1 and A.2: ZERO WIDTH NON-JOINER and JOINER. */
static int contextj_ok(const uint32_t *cp, size_t n, size_t at)
{
    if (at > 0 && IN_TABLE(idna_virama, cp[at - 1]))
        return 1;
    if (cp[at] == 0x200D)
        return 0;
    /* (Joining_Type:{L,D})(Joining_Type:T)* ZWNJ (Joining_Type:T)*(Joining_Type:{R,D}) */
    int before = 0, after = 0;
    for (size_t j = at; j-- > 0;) {
        int jt = CLASS_OF(idna_joining, cp[j], JOIN_NONE);
        if (jt != JOIN_T) {
            before = jt == JOIN_L || jt == JOIN_D;
            break;
        }
    }
    for (size_t j = at + 1; j < n; j++) {
        int jt = CLASS_OF(idna_joining, cp[j], JOIN_NONE);
        if (jt != JOIN_T) {
            after = jt == JOIN_R || jt == JOIN_D;
            break;
        }
    }
    return before && after;
}

/* RFC 5892 appendix A.3 to A.9. */
static int contexto_ok(const uint32_t *cp, size_t n, size_t at)
{
    uint32_t c = cp[at];
    if (c == 0xB7) /* MIDDLE DOT only inside "l·l" (Catalan) */
        return at > 0 && at + 1 < n && cp[at - 1] == 'l' && cp[at + 1] == 'l';
    if (c == 0x375) /* GREEK KERAIA */
        return at + 1 < n && IN_TABLE(idna_script_greek, cp[at + 1]);
    if (c == 0x5F3 || c == 0x5F4) /* HEBREW GERESH, GERSHAYIM */
        return at > 0 && IN_TABLE(idna_script_hebrew, cp[at - 1]);
    if (c == 0x30FB) { /* KATAKANA MIDDLE DOT */
        for (size_t j = 0; j < n; j++)
            if (IN_TABLE(idna_script_hiragana, cp[j]) || IN_TABLE(idna_script_katakana, cp[j]) ||
                IN_TABLE(idna_script_han, cp[j]))
                return 1;
        return 0;
    }
    /* Arabic-Indic and Extended Arabic-Indic digits look alike, so they must not mix. */
    uint32_t other_lo = (c >= 0x660 && c <= 0x669) ? 0x6F0 : 0x660;
    for (size_t j = 0; j < n; j++)
        if (cp[j] >= other_lo && cp[j] <= other_lo + 9)
            return 0;
    return 1;
}

/*
 * RFC 5891 section 5.4 checks on a decoded A-label, except the Bidi rule, which needs the
 * whole name. Sets *rtl when the label holds right-to-left characters.
 */
static int ulabel_ok(const uint32_t *cp, size_t n, int *rtl)
{
    int non_ascii = 0;
    for (size_t j = 0; j < n; j++) {
        uint32_t c = cp[j];
        if (!IN_TABLE(idna_pvalid, c) && c != 0x200C && c != 0x200D && !is_contexto(c))
            return 0;
        non_ascii |= c >= 0x80;
    }
    /* From here on every code point is allowed, the condition the other tables are made for. */
    if (!non_ascii || cp[0] == '-' || cp[n - 1] == '-' || (n >= 4 && cp[2] == '-' && cp[3] == '-'))
        return 0;
    if (IN_TABLE(idna_mark, cp[0]))
        return 0;
    for (size_t j = 0; j < n; j++) {
        if (cp[j] == 0x200C || cp[j] == 0x200D) {
            if (!contextj_ok(cp, n, j))
                return 0;
        } else if (is_contexto(cp[j]) && !contexto_ok(cp, n, j)) {
            return 0;
        }
        int b = CLASS_OF(idna_bidi, cp[j], BIDI_L);
        *rtl |= b == BIDI_R || b == BIDI_AL || b == BIDI_AN;
    }
    return 1;
}

/* RFC 5893 section 2, applied to every label once any label of the name is right-to-left. */
static int bidi_rule_ok(const uint32_t *cp, size_t n)
{
    int first = CLASS_OF(idna_bidi, cp[0], BIDI_L);
    if (first != BIDI_L && first != BIDI_R && first != BIDI_AL)
        return 0;
    int rtl = first != BIDI_L, ending = BIDI_NSM, seen_en = 0, seen_an = 0;
    for (size_t j = 0; j < n; j++) {
        int b = CLASS_OF(idna_bidi, cp[j], BIDI_L);
        if (rtl ? b == BIDI_L : (b == BIDI_R || b == BIDI_AL || b == BIDI_AN))
            return 0; /* rules 2 and 5 */
        seen_en |= b == BIDI_EN;
        seen_an |= b == BIDI_AN;
        if (b != BIDI_NSM)
            ending = b;
    }
    if (rtl)
        return !(seen_en && seen_an) &&
               (ending == BIDI_R || ending == BIDI_AL || ending == BIDI_EN || ending == BIDI_AN);
    return ending == BIDI_L || ending == BIDI_EN;
}

/* Letters, digits and inner hyphens, 1 to 63 of them. */
static int ldh_label_ok(const uchar *label, size_t len)
{
    if (len == 0 || len > LABEL_MAX || label[0] == '-' || label[len - 1] == '-')
        return 0;
    for (size_t j = 0; j < len; j++)
        if (!is_alnum(label[j]) && label[j] != '-')
            return 0;
    return 1;
}

/* End of the label that starts at `start`: the next dot, or the end of the name. */
static size_t label_end(const uchar *s, size_t len, size_t start)
{
    const uchar *dot = memchr(s + start, '.', len - start);
    return dot ? (size_t)(dot - s) : len;
}

int campval__format_hostname(const uchar *s, size_t len)
{
    uint32_t cp[LABEL_MAX];
    int rtl = 0;
    if (len == 0 || len > HOSTNAME_MAX)
        return 0;
    for (size_t start = 0; start <= len;) {
        size_t end = label_end(s, len, start);
        const uchar *label = s + start;
        if (!ldh_label_ok(label, end - start))
            return 0;
        if (is_alabel(label, end - start)) {
            int n = label_code_points(label, end - start, cp);
            if (n < 0 || !ulabel_ok(cp, (size_t)n, &rtl))
                return 0;
        }
        start = end + 1;
    }
    if (!rtl)
        return 1;
    for (size_t start = 0; start <= len;) {
        size_t end = label_end(s, len, start);
        int n = label_code_points(s + start, end - start, cp);
        if (n <= 0 || !bidi_rule_ok(cp, (size_t)n))
            return 0;
        start = end + 1;
    }
    return 1;
}
