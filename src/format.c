/*
 * format.c — the `format` checkers.
 *
 * Each checker reads `s[0..len)` front to back with explicit bounds, keeps its state in a few
 * locals (or a small fixed array where a grammar nests), and answers 1 or 0. Nothing here
 * allocates or recurses, so a payload string cannot make validation slow or deep.
 */
#include "format.h"
#include "ecma_regex.h"
#include "format_internal.h"
#include "tzdb.h"
#include "uri.h"

#include <stdint.h>
#include <string.h>

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

/* Host names, IDNA and Punycode: src/format_idna.c. */
static int check_hostname(const uchar *s, size_t len) { return campval__format_hostname(s, len); }

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
 * RFC 3986 URI and URI-reference: the grammar is src/uri.c's.
 * ------------------------------------------------------------------------------------------- */

static int check_uri(const uchar *s, size_t len)
{
    return campval__uri_check((const char *)s, len, true);
}

static int check_uri_reference(const uchar *s, size_t len)
{
    return campval__uri_check((const char *)s, len, false);
}

/* ---------------------------------------------------------------------------------------------
 * UUID and JSON Pointers.
 * ------------------------------------------------------------------------------------------- */

/* 1 for the ASCII hex digits: one load per character of a UUID, no branch. */
static const uchar hex_digit[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1};

static inline unsigned hex_run(const uchar *s, size_t n)
{
    unsigned ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= hex_digit[s[i]];
    return ok;
}

/* 8-4-4-4-12 hex digits (RFC 4122's hyphenated form), either case. */
static int check_uuid(const uchar *s, size_t len)
{
    if (len != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        return 0;
    return (int)(hex_run(s, 8) & hex_run(s + 9, 4) & hex_run(s + 14, 4) & hex_run(s + 19, 4) &
                 hex_run(s + 24, 12));
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

static int digits_only(const uchar *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

/* Whether the 8 bytes at s are all ASCII digits, tested together: each byte's high nibble is 3,
 * and stays 3 when 6 is added (so the low one is at most 9; no carry crosses a byte once every
 * high nibble is 3). */
static int digits8(const uchar *s)
{
    const uint64_t high = 0xF0F0F0F0F0F0F0F0u, three = 0x3030303030303030u;
    uint64_t x;
    memcpy(&x, s, sizeof x);
    return (x & high) == three && ((x + 0x0606060606060606u) & high) == three;
}

/* ITU-T E.164 in its "+" form: country code first, so no leading zero; 15 digits at most. */
static int check_e164(const uchar *s, size_t len)
{
    if (len < 3 || len > 16 || s[0] != '+' || s[1] == '0')
        return 0;
    if (len >= 9) /* bytes 1..8 and len-8..len-1, overlapping: all of them */
        return digits8(s + 1) && digits8(s + len - 8);
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

static int check_iana_timezone(const uchar *s, size_t len)
{
    return campval__tz_lookup((const char *)s, len) >= 0;
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
