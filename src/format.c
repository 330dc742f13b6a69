/*
 * format.c — the `format` checkers.
 *
 * Each checker reads `s[0..len)` front to back with explicit bounds, keeps its state in a few
 * locals (or a small fixed array where a grammar nests), and answers 1 or 0. Nothing here
 * allocates or recurses, so a payload string cannot make validation slow or deep.
 */
#include "format.h"
#include "ecma_regex.h"

#include <stdint.h>
#include <string.h>

typedef unsigned char uchar;

/* ---------------------------------------------------------------------------------------------
 * Character classes. Only ASCII counts everywhere: a Bengali or full-width digit is no digit.
 * ------------------------------------------------------------------------------------------- */

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(unsigned c) { return is_alpha(c) || is_digit(c); }
static int is_hex(unsigned c) { return is_digit(c) || ((c | 0x20u) >= 'a' && (c | 0x20u) <= 'f'); }
static unsigned to_lower(unsigned c) { return (c >= 'A' && c <= 'Z') ? c | 0x20u : c; }

/* Value of exactly `n` ASCII digits at s[*pos], advancing past them; -1 when they are not there. */
static long read_digits(const uchar *s, size_t len, size_t *pos, int n)
{
    long v = 0;
    if (len - *pos < (size_t)n)
        return -1;
    for (int i = 0; i < n; i++) {
        unsigned c = s[*pos + (size_t)i];
        if (!is_digit(c))
            return -1;
        v = v * 10 + (long)(c - '0');
    }
    *pos += (size_t)n;
    return v;
}

static int expect(const uchar *s, size_t len, size_t *pos, unsigned c)
{
    if (*pos >= len || s[*pos] != c)
        return 0;
    (*pos)++;
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * RFC 3339 date-time, full-date, full-time (section 5.6 and 5.7).
 * ------------------------------------------------------------------------------------------- */

static int days_in_month(long year, long month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        return 29;
    return days[month - 1];
}

static int full_date(const uchar *s, size_t len, size_t *pos)
{
    long year = read_digits(s, len, pos, 4);
    if (year < 0 || !expect(s, len, pos, '-'))
        return 0;
    long month = read_digits(s, len, pos, 2);
    if (month < 1 || month > 12 || !expect(s, len, pos, '-'))
        return 0;
    long day = read_digits(s, len, pos, 2);
    return day >= 1 && day <= days_in_month(year, month);
}

/*
 * partial-time time-offset. A leap second (:60) is only real at 23:59:60 UTC, so the local
 * time is shifted by the offset before that test, as the JSON Schema suite expects.
 */
static int full_time(const uchar *s, size_t len, size_t *pos)
{
    long hour = read_digits(s, len, pos, 2);
    if (hour < 0 || hour > 23 || !expect(s, len, pos, ':'))
        return 0;
    long minute = read_digits(s, len, pos, 2);
    if (minute < 0 || minute > 59 || !expect(s, len, pos, ':'))
        return 0;
    long second = read_digits(s, len, pos, 2);
    if (second < 0 || second > 60)
        return 0;
    if (*pos < len && s[*pos] == '.') {
        size_t start = ++*pos;
        while (*pos < len && is_digit(s[*pos]))
            (*pos)++;
        if (*pos == start)
            return 0;
    }
    if (*pos >= len)
        return 0; /* RFC 3339 time needs an offset */
    long offset = 0; /* minutes east of UTC */
    unsigned c = s[*pos];
    if (c == 'Z' || c == 'z') {
        (*pos)++;
    } else if (c == '+' || c == '-') {
        (*pos)++;
        long oh = read_digits(s, len, pos, 2);
        if (oh < 0 || oh > 23 || !expect(s, len, pos, ':'))
            return 0;
        long om = read_digits(s, len, pos, 2);
        if (om < 0 || om > 59)
            return 0;
        offset = (c == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
        return 0;
    }
    if (second == 60) {
        long utc = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440;
        if (utc != 23 * 60 + 59)
            return 0;
    }
    return 1;
}

static int check_date(const uchar *s, size_t len)
{
    size_t pos = 0;
    return full_date(s, len, &pos) && pos == len;
}

static int check_time(const uchar *s, size_t len)
{
    size_t pos = 0;
    return full_time(s, len, &pos) && pos == len;
}

static int check_date_time(const uchar *s, size_t len)
{
    size_t pos = 0;
    if (!full_date(s, len, &pos) || pos >= len || (s[pos] != 'T' && s[pos] != 't'))
        return 0;
    pos++;
    return full_time(s, len, &pos) && pos == len;
}

/*
 * RFC 3339 appendix A. The ABNF only allows runs of adjacent units (Y M D, H M S), so "P1Y2D"
 * and "PT1H2S" are invalid; weeks stand alone. Designators are upper case as in ISO 8601.
 */
static int check_duration(const uchar *s, size_t len)
{
    if (len < 3 || s[0] != 'P')
        return 0;
    const char *units = "YMD";
    int in_time = 0, last = -1, elements = 0;
    size_t i = 1;
    while (i < len) {
        if (s[i] == 'T' && !in_time) {
            in_time = 1;
            units = "HMS";
            last = -1;
            elements = 0;
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && is_digit(s[i]))
            i++;
        if (i == start || i == len)
            return 0;
        unsigned unit = s[i++];
        if (unit == 'W' && !in_time)
            return last < 0 && elements == 0 && i == len;
        const char *hit = unit ? strchr(units, (int)unit) : NULL;
        if (hit == NULL)
            return 0;
        int idx = (int)(hit - units);
        if (last >= 0 && idx != last + 1)
            return 0;
        last = idx;
        elements++;
    }
    return elements > 0;
}

/* ---------------------------------------------------------------------------------------------
 * IP addresses.
 * ------------------------------------------------------------------------------------------- */

/* Dotted quad, no leading zeros: "010" is octal to inet_aton and decimal to others. */
static int check_ipv4(const uchar *s, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0 && !expect(s, len, &i, '.'))
            return 0;
        size_t start = i;
        unsigned v = 0;
        while (i < len && is_digit(s[i]) && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        size_t n = i - start;
        if (n == 0 || v > 255 || (n > 1 && s[start] == '0'))
            return 0;
    }
    return i == len;
}

/* RFC 4291 section 2.2 text forms, with an optional trailing dotted quad; no zone id. */
static int check_ipv6(const uchar *s, size_t len)
{
    size_t i = 0;
    int groups = 0, elided = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        elided = 1;
        i = 2;
        if (i == len)
            return 1;
    }
    for (;;) {
        size_t start = i;
        int dot = 0;
        for (; i < len && (is_hex(s[i]) || s[i] == '.'); i++)
            dot |= s[i] == '.';
        if (dot) {
            /* The dotted quad must end the address and stands for two groups. */
            if (i != len || !check_ipv4(s + start, len - start))
                return 0;
            groups += 2;
            break;
        }
        if (i == start || i - start > 4)
            return 0;
        groups++;
        if (i == len)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < len && s[i] == ':') {
            if (elided)
                return 0;
            elided = 1;
            i++;
            if (i == len)
                break;
        } else if (i == len) {
            return 0;
        }
    }
    return elided ? groups <= 7 : groups == 8;
}

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

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define IN_TABLE(table, cp) in_ranges((table), COUNT_OF(table), (cp))
#define CLASS_OF(table, cp, dflt) class_of((table), COUNT_OF(table), (cp), (dflt))

static int in_ranges(const cp_range *r, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

static int class_of(const cp_class_range *r, size_t n, uint32_t cp, int dflt)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return r[mid].cls;
    }
    return dflt;
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

static int check_hostname(const uchar *s, size_t len)
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

/* ---------------------------------------------------------------------------------------------
 * RFC 5321 section 4.1.2 Mailbox: Local-part "@" ( Domain / address-literal ).
 * ------------------------------------------------------------------------------------------- */

static int is_atext(unsigned c)
{
    return is_alnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", (int)c) != NULL);
}

#define EMAIL_LOCAL_MAX 64

static int check_email(const uchar *s, size_t len)
{
    size_t i = 0;
    if (len > 0 && s[0] == '"') {
        /* Quoted-string: printable ASCII, with backslash quoting " and \ (and any other). */
        for (i = 1;; i++) {
            if (i >= len || s[i] < 32 || s[i] > 126)
                return 0;
            if (s[i] == '"')
                break;
            if (s[i] == '\\' && (++i >= len || s[i] < 32 || s[i] > 126))
                return 0;
        }
        i++;
    } else {
        /* Dot-string: atoms joined by single dots. */
        for (;;) {
            size_t start = i;
            while (i < len && is_atext(s[i]))
                i++;
            if (i == start)
                return 0;
            if (i >= len || s[i] != '.')
                break;
            i++;
        }
    }
    if (i > EMAIL_LOCAL_MAX || i >= len || s[i] != '@')
        return 0;
    const uchar *domain = s + i + 1;
    size_t dlen = len - i - 1;
    if (dlen >= 2 && domain[0] == '[' && domain[dlen - 1] == ']') {
        const uchar *lit = domain + 1;
        size_t llen = dlen - 2;
        /* "IPv6" is the only Standardized-tag registered for General-address-literal. */
        if (llen >= 5 && to_lower(lit[0]) == 'i' && to_lower(lit[1]) == 'p' &&
            to_lower(lit[2]) == 'v' && lit[3] == '6' && lit[4] == ':')
            return check_ipv6(lit + 5, llen - 5);
        return check_ipv4(lit, llen);
    }
    return check_hostname(domain, dlen);
}

/* ---------------------------------------------------------------------------------------------
 * RFC 3986 URI and URI-reference (section 3 and 4.1).
 * ------------------------------------------------------------------------------------------- */

static int is_unreserved(unsigned c)
{
    return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int is_sub_delim(unsigned c)
{
    return c != 0 && strchr("!$&'()*+,;=", (int)c) != NULL;
}

/* s[from..to) is made of unreserved, sub-delims, pct-encoded and the characters in `extra`. */
static int uri_chars_ok(const uchar *s, size_t from, size_t to, const char *extra)
{
    for (size_t i = from; i < to; i++) {
        unsigned c = s[i];
        if (c == '%') {
            if (to - i < 3 || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
                return 0;
            i += 2;
        } else if (!is_unreserved(c) && !is_sub_delim(c) && (c == 0 || !strchr(extra, (int)c))) {
            return 0;
        }
    }
    return 1;
}

static int digits_only(const uchar *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

static size_t find_any(const uchar *s, size_t from, size_t to, const char *set)
{
    while (from < to && (s[from] == 0 || !strchr(set, s[from])))
        from++;
    return from;
}

/* IP-literal = "[" ( IPv6address / IPvFuture ) "]", given without the brackets. */
static int ip_literal_ok(const uchar *s, size_t len)
{
    if (len > 0 && (s[0] == 'v' || s[0] == 'V')) {
        size_t i = 1;
        while (i < len && is_hex(s[i]))
            i++;
        if (i == 1 || i >= len || s[i] != '.' || i + 1 == len)
            return 0;
        return uri_chars_ok(s, i + 1, len, ":") && memchr(s + i + 1, '%', len - i - 1) == NULL;
    }
    return check_ipv6(s, len);
}

/* authority = [ userinfo "@" ] host [ ":" port ], over s[from..to). */
static int authority_ok(const uchar *s, size_t from, size_t to)
{
    size_t host = from;
    const uchar *at = memchr(s + from, '@', to - from);
    if (at != NULL) {
        host = (size_t)(at - s) + 1;
        if (!uri_chars_ok(s, from, host - 1, ":"))
            return 0;
    }
    size_t host_end;
    if (host < to && s[host] == '[') {
        const uchar *close = memchr(s + host, ']', to - host);
        if (close == NULL)
            return 0;
        host_end = (size_t)(close - s) + 1;
        if (!ip_literal_ok(s + host + 1, host_end - host - 2))
            return 0;
    } else {
        /* IPv4address is a special case of reg-name, so "999.1.1.1" is a (strange) name. */
        host_end = find_any(s, host, to, ":");
        if (!uri_chars_ok(s, host, host_end, ""))
            return 0;
    }
    if (host_end == to)
        return 1;
    return s[host_end] == ':' && digits_only(s, host_end + 1, to);
}

static int uri_reference_ok(const uchar *s, size_t len, int need_scheme)
{
    size_t i = 0;
    int has_scheme = 0;
    if (len > 0 && is_alpha(s[0])) {
        size_t j = 1;
        while (j < len && (is_alnum(s[j]) || s[j] == '+' || s[j] == '-' || s[j] == '.'))
            j++;
        if (j < len && s[j] == ':') {
            has_scheme = 1;
            i = j + 1;
        }
    }
    if (need_scheme && !has_scheme)
        return 0;
    size_t path_end = find_any(s, i, len, "?#");
    if (path_end - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        size_t auth_end = find_any(s, i + 2, path_end, "/");
        if (!authority_ok(s, i + 2, auth_end))
            return 0;
        i = auth_end;
    } else if (!has_scheme) {
        /* path-noscheme: a colon in the first segment would read as a scheme. */
        size_t seg_end = find_any(s, i, path_end, "/");
        if (memchr(s + i, ':', seg_end - i) != NULL)
            return 0;
    }
    if (!uri_chars_ok(s, i, path_end, ":@/"))
        return 0;
    i = path_end;
    if (i < len && s[i] == '?') {
        size_t query_end = find_any(s, i + 1, len, "#");
        if (!uri_chars_ok(s, i + 1, query_end, ":@/?"))
            return 0;
        i = query_end;
    }
    if (i < len && s[i] == '#')
        return uri_chars_ok(s, i + 1, len, ":@/?");
    return 1;
}

static int check_uri(const uchar *s, size_t len) { return uri_reference_ok(s, len, 1); }
static int check_uri_reference(const uchar *s, size_t len) { return uri_reference_ok(s, len, 0); }

/* ---------------------------------------------------------------------------------------------
 * UUID and JSON Pointers.
 * ------------------------------------------------------------------------------------------- */

static int check_uuid(const uchar *s, size_t len)
{
    if (len != 36)
        return 0;
    for (size_t i = 0; i < len; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i]))
            return 0;
    }
    return 1;
}

/* RFC 6901: "" or "/"-led tokens where "~" is only the start of "~0" or "~1". */
static int check_json_pointer(const uchar *s, size_t len)
{
    if (len == 0)
        return 1;
    if (s[0] != '/')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '~' && (++i >= len || (s[i] != '0' && s[i] != '1')))
            return 0;
    return 1;
}

/* draft-bhutton-relative-json-pointer: non-negative-integer ( "#" / json-pointer ). */
static int check_relative_json_pointer(const uchar *s, size_t len)
{
    size_t i = 0;
    if (len == 0 || !is_digit(s[0]))
        return 0;
    if (s[0] == '0')
        i = 1;
    else
        while (i < len && is_digit(s[i]))
            i++;
    if (i < len && s[i] == '#')
        return i + 1 == len;
    return check_json_pointer(s + i, len - i);
}

/* ---------------------------------------------------------------------------------------------
 * campval's own formats.
 * ------------------------------------------------------------------------------------------- */

/* ITU-T E.164 in its "+" form: country code first, so no leading zero; 15 digits at most. */
static int check_e164(const uchar *s, size_t len)
{
    if (len < 3 || len > 16 || s[0] != '+' || s[1] == '0')
        return 0;
    return digits_only(s, 1, len);
}

static int am_pm(const uchar *s, size_t len)
{
    if (len != 2)
        return 0;
    return ((s[0] == 'a' || s[0] == 'p') && s[1] == 'm') ||
           ((s[0] == 'A' || s[0] == 'P') && s[1] == 'M');
}

/* Calling windows: 24-hour "HH:mm", or 12-hour "H[:mm]am" / "H[:mm]pm" (either case). */
static int check_time_of_day(const uchar *s, size_t len)
{
    size_t pos = 0;
    if (len == 5) {
        long h = read_digits(s, len, &pos, 2);
        if (h >= 0 && h <= 23 && expect(s, len, &pos, ':')) {
            long m = read_digits(s, len, &pos, 2);
            return m >= 0 && m <= 59;
        }
    }
    /* The hour has no leading zero: "6pm", "10pm", never "06pm". */
    if (len == 0 || s[0] < '1' || s[0] > '9')
        return 0;
    pos = 1;
    if (pos < len && is_digit(s[pos])) {
        if (s[0] != '1' || s[pos] > '2')
            return 0;
        pos++;
    }
    if (pos < len && s[pos] == ':') {
        pos++;
        long m = read_digits(s, len, &pos, 2);
        if (m < 0 || m > 59)
            return 0;
    }
    return am_pm(s + pos, len - pos);
}

static const char *const tz_names[] = {
#include "tz_names.inc"
};

/* Byte order, like the C-locale sort that built the table. */
static int compare_name(const uchar *s, size_t len, const char *name)
{
    size_t nlen = strlen(name);
    int c = memcmp(s, name, len < nlen ? len : nlen);
    if (c != 0)
        return c;
    return len < nlen ? -1 : len > nlen;
}

static int check_iana_timezone(const uchar *s, size_t len)
{
    size_t lo = 0, hi = COUNT_OF(tz_names);
    if (len == 0)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_name(s, len, tz_names[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* ECMA-262 regular expressions: the grammar `pattern` compiles with (src/ecma_regex.c). */
static int check_regex(const uchar *s, size_t len)
{
    return campval__ecma_is_valid((const char *)s, len);
}

/* ---------------------------------------------------------------------------------------------
 * The table and the entry points.
 * ------------------------------------------------------------------------------------------- */

typedef int (*format_checker)(const uchar *s, size_t len);

static const format_checker checkers[CAMPVAL__FMT_COUNT] = {
    [CAMPVAL__FMT_DATE_TIME] = check_date_time,
    [CAMPVAL__FMT_DATE] = check_date,
    [CAMPVAL__FMT_TIME] = check_time,
    [CAMPVAL__FMT_DURATION] = check_duration,
    [CAMPVAL__FMT_EMAIL] = check_email,
    [CAMPVAL__FMT_HOSTNAME] = check_hostname,
    [CAMPVAL__FMT_IPV4] = check_ipv4,
    [CAMPVAL__FMT_IPV6] = check_ipv6,
    [CAMPVAL__FMT_URI] = check_uri,
    [CAMPVAL__FMT_URI_REFERENCE] = check_uri_reference,
    [CAMPVAL__FMT_UUID] = check_uuid,
    [CAMPVAL__FMT_JSON_POINTER] = check_json_pointer,
    [CAMPVAL__FMT_RELATIVE_JSON_POINTER] = check_relative_json_pointer,
    [CAMPVAL__FMT_REGEX] = check_regex,
    [CAMPVAL__FMT_E164] = check_e164,
    [CAMPVAL__FMT_TIME_OF_DAY] = check_time_of_day,
    [CAMPVAL__FMT_IANA_TIMEZONE] = check_iana_timezone,
};

#define FORMAT_NAME(id, name, own, text) name,
static const char *const format_names[CAMPVAL__FMT_COUNT] = {CAMPVAL__FORMAT_LIST(FORMAT_NAME)};
#undef FORMAT_NAME

#define FORMAT_OWN(id, name, own, text) own,
static const unsigned char own_formats[CAMPVAL__FMT_COUNT] = {CAMPVAL__FORMAT_LIST(FORMAT_OWN)};
#undef FORMAT_OWN

#define FORMAT_TEXT(id, name, own, text) text,
static const char *const descriptions[CAMPVAL__FMT_COUNT] = {CAMPVAL__FORMAT_LIST(FORMAT_TEXT)};
#undef FORMAT_TEXT

static int valid_id(int fmt) { return fmt >= 0 && fmt < CAMPVAL__FMT_COUNT; }

int campval__format_lookup(const char *name, size_t len)
{
    if (name == NULL)
        return -1;
    for (int f = 0; f < CAMPVAL__FMT_COUNT; f++)
        if (strlen(format_names[f]) == len && memcmp(format_names[f], name, len) == 0)
            return f;
    return -1;
}

const char *campval__format_name(int fmt) { return valid_id(fmt) ? format_names[fmt] : NULL; }

int campval__format_is_own(int fmt) { return valid_id(fmt) && own_formats[fmt]; }

const char *campval__format_describe(int fmt) { return valid_id(fmt) ? descriptions[fmt] : NULL; }

int campval__format_check(int fmt, const char *s, size_t len)
{
    if (!valid_id(fmt) || checkers[fmt] == NULL || (s == NULL && len > 0))
        return 0;
    if (s == NULL)
        s = "";
    return checkers[fmt]((const uchar *)s, len);
}
