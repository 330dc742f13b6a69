/*
 * Exact decimal numbers: see number.h for the representation and the clamping guarantee.
 */
#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* Longer texts cannot exist in any address space; the bound keeps digit counts and
 * position-derived exponents below 2^60, so point = lead + exponent never overflows int64. */
#define MAX_TEXT ((uint64_t)1 << 60)
/* Clamp for the exponent text; together with MAX_TEXT it leaves |point| < 2^62 + 2^60. */
#define EXP_CLAMP ((int64_t)1 << 62)
/* Steps must stay far from clamped exponents so a clamped x can never land on their side:
 * with |step point| <= 2^60, every clamped x is at least 2^61 powers of ten away. */
#define STEP_POINT_MAX ((int64_t)1 << 60)
/* Digits handed to strtod. Any midpoint between two doubles has at most 767 significant
 * digits, so keeping 780 and a sticky '1' for the dropped (non-zero) tail rounds correctly. */
#define DOUBLE_DIGITS 780
/* Beyond these points the value is certainly outside the double range (DBL_MAX < 10^309,
 * the smallest subnormal > 10^-324), so strtod is not needed. */
#define DOUBLE_POINT_MAX 400

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Saturating read of the exponent from *pos (just after 'e'); *clamped is set when its value
 * exceeded EXP_CLAMP. Keeps consuming digits after clamping so the whole text is checked. */
static int parse_exponent(const char *text, size_t len, size_t *pos, int64_t *exp, int *clamped)
{
    size_t i = *pos;
    int neg = 0, over = 0;
    int64_t v = 0;

    if (i < len && (text[i] == '+' || text[i] == '-')) {
        neg = text[i] == '-';
        i++;
    }
    if (i >= len || !is_digit(text[i]))
        return -1;
    for (; i < len && is_digit(text[i]); i++) {
        int64_t d = text[i] - '0';
        if (v > (EXP_CLAMP - d) / 10) {
            v = EXP_CLAMP;
            over = 1;
        } else {
            v = v * 10 + d;
        }
    }
    *pos = i;
    *exp = neg ? -v : v;
    *clamped = over ? (neg ? -1 : 1) : 0;
    return 0;
}

/* Locate the significant digits between [int_begin, int_end) and [frac_begin, frac_end).
 * The integer part is "0" or starts with 1-9, so only the fraction needs a forward scan. */
static void locate_digits(const char *text, size_t int_begin, size_t int_end, size_t frac_begin,
                          size_t frac_end, campval__num *out, int64_t *lead)
{
    const char *first = NULL;
    const char *last = NULL;
    size_t j;

    *lead = 0;
    if (text[int_begin] != '0') {
        first = text + int_begin;
        *lead = (int64_t)(int_end - int_begin);
    } else {
        for (j = frac_begin; j < frac_end; j++) {
            if (text[j] != '0') {
                first = text + j;
                *lead = -(int64_t)(j - frac_begin);
                break;
            }
        }
    }
    out->digits = first;
    out->span = 0;
    out->ndigits = 0;
    if (first == NULL)
        return;
    for (j = frac_end; j > frac_begin && last == NULL; j--) {
        if (text[j - 1] != '0')
            last = text + j - 1;
    }
    for (j = int_end; j > int_begin && last == NULL; j--) {
        if (text[j - 1] != '0')
            last = text + j - 1;
    }
    out->span = (size_t)(last - first) + 1;
    out->ndigits = out->span;
    if (first < text + int_end && last > text + int_end)
        out->ndigits--; /* the '.' at int_end lies inside the span */
}

int campval__num_parse(const char *text, size_t len, campval__num *out)
{
    size_t i = 0, int_begin, int_end, frac_begin, frac_end;
    int neg = 0, clamped = 0;
    int64_t exp = 0, lead;

    if (text == NULL || out == NULL || len == 0 || (uint64_t)len > MAX_TEXT)
        return -1;
    if (text[i] == '-') {
        neg = 1;
        i++;
    }
    int_begin = i;
    if (i >= len || !is_digit(text[i]))
        return -1;
    if (text[i] == '0')
        i++;
    else
        while (i < len && is_digit(text[i]))
            i++;
    int_end = frac_begin = frac_end = i;
    if (i < len && text[i] == '.') {
        frac_begin = ++i;
        if (i >= len || !is_digit(text[i]))
            return -1;
        while (i < len && is_digit(text[i]))
            i++;
        frac_end = i;
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        if (parse_exponent(text, len, &i, &exp, &clamped) != 0)
            return -1;
    }
    if (i != len)
        return -1;

    out->text = text;
    out->len = len;
    locate_digits(text, int_begin, int_end, frac_begin, frac_end, out, &lead);
    if (out->digits == NULL) {
        out->point = 0;
        out->sign = 0;
        out->clamped = 0; /* zero is zero whatever its exponent */
        return 0;
    }
    out->point = lead + exp;
    out->sign = neg ? -1 : 1;
    out->clamped = clamped;
    return 0;
}

/* Compare |a| and |b| for non-zero a, b: the point first, then the digits as a string.
 * Digits run out only at a non-zero last digit, so the longer of two equal prefixes is larger. */
static int cmp_magnitude(const campval__num *a, const campval__num *b)
{
    const char *p = a->digits, *pe = p + a->span;
    const char *q = b->digits, *qe = q + b->span;

    if (a->point != b->point)
        return a->point < b->point ? -1 : 1;
    for (;;) {
        if (p < pe && *p == '.')
            p++;
        if (q < qe && *q == '.')
            q++;
        if (p == pe || q == qe)
            break;
        if (*p != *q)
            return *p < *q ? -1 : 1;
        p++;
        q++;
    }
    if (p == pe && q == qe)
        return 0;
    return p == pe ? -1 : 1;
}

int campval__num_cmp(const campval__num *a, const campval__num *b)
{
    int mag;

    if (a->sign != b->sign)
        return a->sign < b->sign ? -1 : 1;
    if (a->sign == 0)
        return 0;
    mag = cmp_magnitude(a, b);
    return a->sign > 0 ? mag : -mag;
}

int campval__num_is_integer(const campval__num *a)
{
    return a->sign == 0 || a->point >= (int64_t)a->ndigits;
}

int campval__num_sign(const campval__num *a)
{
    return a->sign;
}

/* The significant digits as an integer, or -1 when they do not fit. */
static int significand_u64(const campval__num *a, uint64_t *out)
{
    const char *p = a->digits, *pe = p + a->span;
    uint64_t v = 0;

    if (a->ndigits > 20)
        return -1;
    for (; p < pe; p++) {
        uint64_t d;
        if (*p == '.')
            continue;
        d = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* The step's significand when campval__num_multiple_of can use the step, else -1. */
static int step_significand(const campval__num *step, uint64_t *s)
{
    if (step->sign <= 0 || step->clamped != 0 || step->point > STEP_POINT_MAX ||
        step->point < -STEP_POINT_MAX)
        return -1;
    return significand_u64(step, s);
}

int campval__num_step_supported(const campval__num *step)
{
    uint64_t s;

    return step_significand(step, &s) == 0;
}

/* (a + b) mod m for a, b < m, without overflow even when m is close to 2^64. */
static uint64_t addmod(uint64_t a, uint64_t b, uint64_t m)
{
    return a >= m - b ? a - (m - b) : a + b;
}

/* (10r + d) mod m for r < m, by doublings so that no product can overflow. */
static uint64_t times10_plus(uint64_t r, unsigned d, uint64_t m)
{
    uint64_t r2 = addmod(r, r, m);
    uint64_t r4 = addmod(r2, r2, m);
    uint64_t r8 = addmod(r4, r4, m);
    return addmod(addmod(r8, r2, m), d % m, m);
}

/*
 * Write x = D * 10^qx and step = S * 10^qs with integers D, S that do not end in 0.
 * If qx < qs, x / step = D / (S * 10^(qs-qx)) would need 10 | D: never.
 * Otherwise x / step is an integer iff S | D * 10^k with k = qx - qs. S < 2^64 has at most
 * 63 factors 2 and 27 factors 5, so for k >= 64 the answer no longer depends on k: capping k
 * at 64 replaces modular exponentiation and makes huge and clamped exponents exact.
 */
int campval__num_multiple_of(const campval__num *x, const campval__num *step)
{
    const char *p, *pe;
    uint64_t s, r = 0, k, i;
    int64_t qx, qs;

    if (step_significand(step, &s) != 0)
        return -1;
    if (x->sign == 0)
        return 1;
    qx = x->point - (int64_t)x->ndigits;
    qs = step->point - (int64_t)step->ndigits;
    if (qx < qs)
        return 0;
    if (s == 1)
        return 1;
    k = (uint64_t)qx - (uint64_t)qs; /* exact: the true difference is below 2^64 */
    for (p = x->digits, pe = p + x->span; p < pe; p++) {
        if (*p != '.')
            r = times10_plus(r, (unsigned)(*p - '0'), s);
    }
    for (i = 0; i < k && i < 64 && r != 0; i++)
        r = times10_plus(r, 0, s);
    return r == 0;
}

/* splitmix64's finaliser: spreads FNV's weak low bits over the whole word. */
static uint64_t mix64(uint64_t h)
{
    h ^= h >> 30;
    h *= UINT64_C(0xbf58476d1ce4e5b9);
    h ^= h >> 27;
    h *= UINT64_C(0x94d049bb133111eb);
    h ^= h >> 31;
    return h;
}

/* Hashes exactly what campval__num_cmp looks at (sign, point, digits), so equal means equal. */
uint64_t campval__num_hash(const campval__num *a)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (uint64_t)(a->sign + 1);
    const char *p, *pe;

    if (a->sign != 0) {
        for (p = a->digits, pe = p + a->span; p < pe; p++) {
            if (*p != '.')
                h = (h ^ (unsigned char)*p) * UINT64_C(0x100000001b3);
        }
        h ^= (uint64_t)a->point * UINT64_C(0x9e3779b97f4a7c15);
    }
    return mix64(h);
}

static int magnitude_u64(const campval__num *a, uint64_t *out)
{
    uint64_t v;
    int64_t k;

    if (a->sign == 0) {
        *out = 0;
        return 0;
    }
    if (!campval__num_is_integer(a) || a->point > 20 || significand_u64(a, &v) != 0)
        return -1;
    for (k = (int64_t)a->ndigits; k < a->point; k++) {
        if (v > UINT64_MAX / 10)
            return -1;
        v *= 10;
    }
    *out = v;
    return 0;
}

int campval__num_to_u64(const campval__num *a, uint64_t *out)
{
    uint64_t v;

    if (a->sign < 0 || magnitude_u64(a, &v) != 0)
        return -1;
    *out = v;
    return 0;
}

int campval__num_to_i64(const campval__num *a, int64_t *out)
{
    uint64_t v;

    if (magnitude_u64(a, &v) != 0)
        return -1;
    if (a->sign >= 0) {
        if (v > (uint64_t)INT64_MAX)
            return -1;
        *out = (int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX + 1)
            return -1;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    }
    return 0;
}

/* Decimal text of v into the end of tmp (at least 20 bytes); returns the first used index. */
static size_t u64_text(uint64_t v, char *tmp, size_t size)
{
    size_t i = size;

    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return i;
}

double campval__num_to_double(const campval__num *a)
{
    /* No '.' in the text: strtod's decimal point follows the locale, 'e' does not. */
    char buf[DOUBLE_DIGITS + 1 + 2 + 20 + 1];
    char tmp[20];
    const char *p, *pe;
    size_t m = 0, t;
    int64_t q;
    int saved;
    double v;

    if (a->sign == 0)
        return 0.0;
    if (a->point > DOUBLE_POINT_MAX)
        return a->sign > 0 ? HUGE_VAL : -HUGE_VAL;
    if (a->point < -DOUBLE_POINT_MAX)
        return a->sign > 0 ? 0.0 : -0.0;
    for (p = a->digits, pe = p + a->span; p < pe && m < DOUBLE_DIGITS; p++) {
        if (*p != '.')
            buf[m++] = *p;
    }
    if (a->ndigits > DOUBLE_DIGITS)
        buf[m++] = '1';
    q = a->point - (int64_t)m; /* value = digits-as-integer * 10^q */
    buf[m++] = 'e';
    if (q < 0) {
        buf[m++] = '-';
        q = -q;
    }
    t = u64_text((uint64_t)q, tmp, sizeof tmp);
    while (t < sizeof tmp)
        buf[m++] = tmp[t++];
    buf[m] = '\0';
    saved = errno;
    v = strtod(buf, NULL);
    errno = saved;
    return a->sign > 0 ? v : -v;
}

/* snprintf-style output: counts every byte, stores what fits before the final NUL. */
typedef struct sink {
    char *buf;
    size_t size;
    size_t pos;
} sink;

static void put(sink *s, char c)
{
    if (s->pos + 1 < s->size)
        s->buf[s->pos] = c;
    s->pos++;
}

static void put_str(sink *s, const char *str)
{
    for (; *str; str++)
        put(s, *str);
}

static void put_repeat(sink *s, char c, int64_t count)
{
    for (; count > 0; count--)
        put(s, c);
}

/* The significant digits, with a '.' after the first `dot_after` of them (0: no dot). */
static void put_digits(sink *s, const campval__num *a, size_t dot_after)
{
    const char *p, *pe;
    size_t n = 0;

    for (p = a->digits, pe = p + a->span; p < pe; p++) {
        if (*p == '.')
            continue;
        if (dot_after != 0 && n == dot_after)
            put(s, '.');
        put(s, *p);
        n++;
    }
}

static void put_exponent(sink *s, int64_t e)
{
    char tmp[20];
    size_t t;

    put(s, 'e');
    put(s, e < 0 ? '-' : '+');
    t = u64_text(e < 0 ? (uint64_t)-e : (uint64_t)e, tmp, sizeof tmp);
    while (t < sizeof tmp)
        put(s, tmp[t++]);
}

size_t campval__num_format(const campval__num *a, char *buf, size_t size)
{
    sink s = {buf, size, 0};
    int64_t n = a->point, k = (int64_t)a->ndigits;
    size_t i;

    if (a->sign == 0) {
        put(&s, '0');
    } else if (a->clamped != 0) {
        for (i = 0; i < a->len; i++) /* the normalised form would show the clamped exponent */
            put(&s, a->text[i]);
    } else {
        if (a->sign < 0)
            put(&s, '-');
        if (k <= n && n <= 21) {
            put_digits(&s, a, 0);
            put_repeat(&s, '0', n - k);
        } else if (0 < n && n <= 21) {
            put_digits(&s, a, (size_t)n);
        } else if (-6 < n && n <= 0) {
            put(&s, '0');
            put(&s, '.');
            put_repeat(&s, '0', -n);
            put_digits(&s, a, 0);
        } else {
            put_digits(&s, a, 1);
            put_exponent(&s, n - 1);
        }
    }
    if (size > 0)
        buf[s.pos < size ? s.pos : size - 1] = '\0';
    return s.pos;
}

/* Digits kept at each end of a significand (or exponent text) that campval__num_show cuts. */
#define SHOW_KEEP 20

/* The significant digits as d.ddd...ddd: the first and last SHOW_KEEP, the middle elided. */
static void put_cut_digits(sink *s, const campval__num *a)
{
    const char *p, *pe;
    size_t n = 0;

    for (p = a->digits, pe = p + a->span; p < pe; p++) {
        if (*p == '.')
            continue;
        if (n == 1)
            put(s, '.');
        if (n == SHOW_KEEP)
            put_str(s, "...");
        if (n < SHOW_KEEP || n >= a->ndigits - SHOW_KEEP)
            put(s, *p);
        n++;
    }
}

/* Source text, its middle elided when it is longer than the two ends of `keep` bytes. */
static void put_cut_text(sink *s, const char *t, size_t len, size_t keep)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (len > 2 * keep + 3 && i == keep) {
            put_str(s, "...");
            i = len - keep;
        }
        put(s, t[i]);
    }
}

/* " (<before>N<after>)" */
static void put_count(sink *s, const char *before, size_t n, const char *after)
{
    char tmp[20];
    size_t t = u64_text((uint64_t)n, tmp, sizeof tmp);

    put_str(s, " (");
    put_str(s, before);
    while (t < sizeof tmp)
        put(s, tmp[t++]);
    put_str(s, after);
    put(s, ')');
}

size_t campval__num_show(const campval__num *a, size_t max, char *buf, size_t size)
{
    sink s = {buf, size, 0};
    size_t i;

    if (campval__num_format(a, NULL, 0) <= max)
        return campval__num_format(a, buf, size);
    if (a->clamped != 0) {
        /* A clamped exponent has no exact normalised form: cut the source text instead, with
         * shorter ends so that the count still fits in 100 bytes. */
        const char *e;
        size_t elen;
        for (i = 0; a->text[i] != 'e' && a->text[i] != 'E'; i++)
            ;
        put_cut_text(&s, a->text, i, SHOW_KEEP / 2);
        put(&s, 'e');
        e = a->text + i + 1;
        elen = a->len - i - 1;
        if (*e == '+' || *e == '-') {
            put(&s, *e++);
            elen--;
        }
        put_cut_text(&s, e, elen, SHOW_KEEP / 2);
        if (elen > SHOW_KEEP + 3)
            put_count(&s, "exponent of ", elen, " digits");
    } else {
        /* long only when there are more than 2 * SHOW_KEEP digits: see campval__num_format */
        if (a->sign < 0)
            put(&s, '-');
        put_cut_digits(&s, a);
        put_exponent(&s, a->point - 1);
        put_count(&s, "", a->ndigits, " digits");
    }
    if (size > 0)
        buf[s.pos < size ? s.pos : size - 1] = '\0';
    return s.pos;
}
