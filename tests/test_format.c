/*
 * test_format.c — the `format` checkers against the JSON Schema Test Suite and campval's cases.
 *
 * Every value is copied into a heap block of exactly its length before it is checked, so an
 * address-sanitized build catches any read past the end (checkers never see a terminator).
 */
#include <criterion/criterion.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

typedef struct format_case {
    int fmt;
    const char *data;
    size_t len;
    int valid;
    const char *what;
} format_case;

static const format_case suite_cases[] = {
#include "format_cases.inc"
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
/* A case from a string literal, NUL bytes inside included, the terminator left out. */
#define CASE(fmt, lit, valid) {CAMPVAL__FMT_##fmt, lit, sizeof(lit) - 1, valid, #fmt ": " #lit}

static int check_exact(int fmt, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    cr_assert_not_null(copy);
    if (len > 0)
        memcpy(copy, data, len);
    int got = campval__format_check(fmt, copy, len);
    free(copy);
    return got;
}

static void run_cases(const format_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int got = check_exact(cases[i].fmt, cases[i].data, cases[i].len);
        cr_expect_eq(got, cases[i].valid, "%s [%s]: expected %s", cases[i].what,
                     campval__format_name(cases[i].fmt), cases[i].valid ? "valid" : "invalid");
    }
}

/* ---------------------------------------------------------------------------------------------
 * The official suite.
 * ------------------------------------------------------------------------------------------- */

Test(format_suite, every_case)
{
    run_cases(suite_cases, COUNT_OF(suite_cases));
}

Test(format_suite, covers_every_standard_format)
{
    size_t per_format[CAMPVAL__FMT_COUNT] = {0};
    for (size_t i = 0; i < COUNT_OF(suite_cases); i++)
        per_format[suite_cases[i].fmt]++;
    for (int f = 0; f < CAMPVAL__FMT_COUNT; f++)
        if (!campval__format_is_own(f))
            cr_expect_gt(per_format[f], 0, "no suite case for %s", campval__format_name(f));
}

/* ---------------------------------------------------------------------------------------------
 * campval's own formats.
 * ------------------------------------------------------------------------------------------- */

static const format_case e164_cases[] = {
    CASE(E164, "+14155550123", 1),
    CASE(E164, "+442071838750", 1),
    CASE(E164, "+12", 1),                /* shortest: two digits */
    CASE(E164, "+123456789012345", 1),   /* longest: fifteen digits */
    CASE(E164, "+1234567890123456", 0),  /* sixteen digits */
    CASE(E164, "+1", 0),
    CASE(E164, "+", 0),
    CASE(E164, "", 0),
    CASE(E164, "+04155550123", 0),       /* country codes never start with 0 */
    CASE(E164, "14155550123", 0),
    CASE(E164, "++14155550123", 0),
    CASE(E164, "+1 415 555 0123", 0),
    CASE(E164, "+1-415-555-0123", 0),
    CASE(E164, "+1(415)5550123", 0),
    CASE(E164, " +14155550123", 0),
    CASE(E164, "+14155550123 ", 0),
    CASE(E164, "+14155550123\n", 0),
    CASE(E164, "+14155550123\0", 0),
    CASE(E164, "+1415\0" "5550123", 0),
    CASE(E164, "+\xef\xbc\x91\xef\xbc\x94\xef\xbc\x91\xef\xbc\x95", 0), /* full-width +１４１５ */
    CASE(E164, "+\xd9\xa4\xd9\xa1\xd9\xa5", 0),                         /* Arabic-Indic +٤١٥ */
    CASE(E164, "+1415555012a", 0),
    CASE(E164, "+14155550123x", 0),
};

static const format_case time_of_day_cases[] = {
    CASE(TIME_OF_DAY, "00:00", 1),
    CASE(TIME_OF_DAY, "09:00", 1),
    CASE(TIME_OF_DAY, "12:30", 1),
    CASE(TIME_OF_DAY, "23:59", 1),
    CASE(TIME_OF_DAY, "6pm", 1),
    CASE(TIME_OF_DAY, "6:30pm", 1),
    CASE(TIME_OF_DAY, "12am", 1),
    CASE(TIME_OF_DAY, "1am", 1),
    CASE(TIME_OF_DAY, "10:05AM", 1),
    CASE(TIME_OF_DAY, "11:59PM", 1),
    CASE(TIME_OF_DAY, "12:59pm", 1),
    CASE(TIME_OF_DAY, "24:00", 0),
    CASE(TIME_OF_DAY, "23:60", 0),
    CASE(TIME_OF_DAY, "9:00", 0),    /* 24-hour needs two digits */
    CASE(TIME_OF_DAY, "7:00", 0),
    CASE(TIME_OF_DAY, "13pm", 0),
    CASE(TIME_OF_DAY, "0am", 0),
    CASE(TIME_OF_DAY, "00pm", 0),
    CASE(TIME_OF_DAY, "06pm", 0),
    CASE(TIME_OF_DAY, "6 pm", 0),
    CASE(TIME_OF_DAY, "6Pm", 0),
    CASE(TIME_OF_DAY, "6pM", 0),
    CASE(TIME_OF_DAY, "6p", 0),
    CASE(TIME_OF_DAY, "6", 0),
    CASE(TIME_OF_DAY, "12", 0),
    CASE(TIME_OF_DAY, "6:60pm", 0),
    CASE(TIME_OF_DAY, "6:5pm", 0),
    CASE(TIME_OF_DAY, "6:pm", 0),
    CASE(TIME_OF_DAY, "6pm ", 0),
    CASE(TIME_OF_DAY, "09:00\n", 0),
    CASE(TIME_OF_DAY, "09:00:00", 0),
    CASE(TIME_OF_DAY, "9:00 am", 0),
    CASE(TIME_OF_DAY, "6pm\0", 0),
    CASE(TIME_OF_DAY, "0\0:00", 0),
    CASE(TIME_OF_DAY, "", 0),
    CASE(TIME_OF_DAY, "\xef\xbc\x96pm", 0), /* full-width ６pm */
};

static const format_case iana_timezone_cases[] = {
    CASE(IANA_TIMEZONE, "America/New_York", 1),
    CASE(IANA_TIMEZONE, "America/Argentina/Buenos_Aires", 1),
    CASE(IANA_TIMEZONE, "Asia/Kolkata", 1),
    CASE(IANA_TIMEZONE, "Europe/Kyiv", 1),
    CASE(IANA_TIMEZONE, "Europe/Kiev", 1), /* link to the renamed zone */
    CASE(IANA_TIMEZONE, "US/Eastern", 1),
    CASE(IANA_TIMEZONE, "UTC", 1),
    CASE(IANA_TIMEZONE, "Etc/GMT+5", 1),
    CASE(IANA_TIMEZONE, "Etc/GMT-14", 1),
    CASE(IANA_TIMEZONE, "America/New_Yrok", 0),
    CASE(IANA_TIMEZONE, "america/new_york", 0),
    CASE(IANA_TIMEZONE, "AMERICA/NEW_YORK", 0),
    CASE(IANA_TIMEZONE, "America/New_York ", 0),
    CASE(IANA_TIMEZONE, "America/New_York\n", 0),
    CASE(IANA_TIMEZONE, "America/New_York\0", 0),
    CASE(IANA_TIMEZONE, "America/New_Yor", 0),
    CASE(IANA_TIMEZONE, "America/", 0),
    CASE(IANA_TIMEZONE, "America", 0),
    CASE(IANA_TIMEZONE, "/", 0),
    CASE(IANA_TIMEZONE, "Etc/GMT+15", 0),
    CASE(IANA_TIMEZONE, "", 0),
};

Test(format_own, e164)
{
    run_cases(e164_cases, COUNT_OF(e164_cases));
}

Test(format_own, time_of_day)
{
    run_cases(time_of_day_cases, COUNT_OF(time_of_day_cases));
}

Test(format_own, iana_timezone)
{
    run_cases(iana_timezone_cases, COUNT_OF(iana_timezone_cases));
}

static const char *const tz_names[] = {
#include "tz_names.inc"
};

/* The table is what the binary search assumes (strictly increasing bytes), and every entry in
 * it, but no proper prefix of it, is found. */
Test(format_own, iana_timezone_table)
{
    cr_assert_gt(COUNT_OF(tz_names), 500);
    for (size_t i = 0; i < COUNT_OF(tz_names); i++) {
        size_t len = strlen(tz_names[i]);
        if (i > 0)
            cr_expect_lt(strcmp(tz_names[i - 1], tz_names[i]), 0, "%s out of order", tz_names[i]);
        cr_expect(check_exact(CAMPVAL__FMT_IANA_TIMEZONE, tz_names[i], len), "%s", tz_names[i]);
        int prefix_listed = 0;
        for (size_t j = 0; j < COUNT_OF(tz_names); j++)
            if (strlen(tz_names[j]) == len - 1 && strncmp(tz_names[j], tz_names[i], len - 1) == 0)
                prefix_listed = 1;
        cr_expect_eq(check_exact(CAMPVAL__FMT_IANA_TIMEZONE, tz_names[i], len - 1), prefix_listed,
                     "prefix of %s", tz_names[i]);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Edge cases the suite does not cover.
 * ------------------------------------------------------------------------------------------- */

static const format_case edge_cases[] = {
    /* Empty strings: only the two grammars with an empty production accept them. */
    CASE(DATE_TIME, "", 0),
    CASE(DATE, "", 0),
    CASE(TIME, "", 0),
    CASE(DURATION, "", 0),
    CASE(EMAIL, "", 0),
    CASE(HOSTNAME, "", 0),
    CASE(IPV4, "", 0),
    CASE(IPV6, "", 0),
    CASE(URI, "", 0),
    CASE(URI_REFERENCE, "", 1),
    CASE(UUID, "", 0),
    CASE(JSON_POINTER, "", 1),
    CASE(RELATIVE_JSON_POINTER, "", 0),
    CASE(REGEX, "", 1),

    /* An embedded NUL ends nothing: the bytes after it count. */
    CASE(DATE_TIME, "1963-06-19T08:30:06Z\0", 0),
    CASE(DATE_TIME, "1963-06-19T08:30\0:06Z", 0),
    CASE(TIME, "08:30:06Z\0", 0),
    CASE(DURATION, "P1D\0", 0),
    CASE(EMAIL, "joe@example.com\0", 0),
    CASE(EMAIL, "joe\0@example.com", 0),
    CASE(EMAIL, "\"jo\0e\"@example.com", 0),
    CASE(HOSTNAME, "example.com\0", 0),
    CASE(HOSTNAME, "exa\0mple.com", 0),
    CASE(IPV6, "::1\0", 0),
    CASE(URI, "http://example.com/\0", 0),
    CASE(URI_REFERENCE, "/a\0b", 0),
    CASE(UUID, "2eb8aa08-aa98-11ea-b4aa-73b441d1638\0", 0),
    CASE(RELATIVE_JSON_POINTER, "0\0", 0),
    CASE(JSON_POINTER, "/\0", 1),
    CASE(REGEX, "a\0b", 1), /* a NUL is an ordinary pattern character in ECMA-262 */

    /* Non-ASCII digits are not digits. */
    CASE(DATE, "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x90-01-01", 0),
    CASE(TIME, "\xef\xbc\x90\xef\xbc\x98:30:06Z", 0),
    CASE(DURATION, "P\xef\xbc\x91" "D", 0),
    CASE(IPV4, "1\xd9\xa2.0.0.1", 0),
    CASE(RELATIVE_JSON_POINTER, "\xef\xbc\x91/a", 0),

    /* Trailing newlines. */
    CASE(TIME, "08:30:06Z\n", 0),
    CASE(EMAIL, "joe@example.com\n", 0),
    CASE(IPV6, "::1\n", 0),
    CASE(URI, "http://example.com/\n", 0),
    CASE(REGEX, "a\n", 1),

    /* Dates and times. */
    CASE(DATE_TIME, "2016-12-31T23:59:60Z", 1),
    CASE(DATE_TIME, "2017-01-01T00:59:60+01:00", 1),
    CASE(DATE_TIME, "2016-12-31T23:59:60.5z", 1),
    CASE(DATE_TIME, "2016-12-31 23:59:59Z", 0),
    CASE(DATE_TIME, "2016-12-31T23:59:59.Z", 0),
    CASE(DATE, "2000-02-29", 1),
    CASE(DATE, "1900-02-29", 0),
    CASE(TIME, "00:29:60-23:31", 0),
    CASE(DURATION, "p1d", 0),
    CASE(DURATION, "P1DT", 0),
    CASE(DURATION, "PTT1H", 0),
    CASE(DURATION, "P1W", 1),
    CASE(DURATION, "P1W1D", 0),
    CASE(DURATION, "P1Y2M3DT4H5M6S", 1),
    CASE(DURATION, "PT1H2M3S4S", 0),

    /* Host names and their A-labels. */
    CASE(HOSTNAME, "a", 1),
    CASE(HOSTNAME, "A.B-C.D", 1),
    CASE(HOSTNAME, "ab--cd.example", 1),
    CASE(HOSTNAME, "xn--bcher-kva.example", 1),  /* bücher */
    CASE(HOSTNAME, "XN--BCHER-KVA.example", 1),  /* A-labels compare without case */
    CASE(HOSTNAME, "xn--bcher-kv.example", 0),   /* truncated Punycode */
    CASE(HOSTNAME, "xn--bcher-.example", 0),
    CASE(HOSTNAME, "xn--.example", 0),
    CASE(HOSTNAME, "xn--abc-.example", 0),       /* decodes to ASCII: not an A-label */
    CASE(HOSTNAME, "xn--abc", 0),                /* decodes to C1 controls */
    CASE(HOSTNAME, "xn--zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", 0), /* surrogates */
    CASE(HOSTNAME, "xn--CA-Hia", 1),             /* "caß" */
    CASE(HOSTNAME, "xn--7ca", 1),                /* "ç" */
    CASE(HOSTNAME, "xn---7ca", 0),               /* also "ç", but not as Punycode writes it */
    CASE(HOSTNAME, "xn--a-5fa.xn--a-6fa", 1),    /* "ça", "aç" */
    CASE(HOSTNAME, "xn--a-5fa.xn--a-5fa-", 0),
    CASE(HOSTNAME, "xn--4dbc5h.example", 1),     /* right-to-left label, LTR label after it */
    CASE(HOSTNAME, "xn--4dbc5h.1example", 0),    /* RFC 5893 rule 1 holds for every label then */
    CASE(HOSTNAME, "1example.com", 1),
    CASE(HOSTNAME, "example.com.", 0),
    CASE(HOSTNAME, "a..b", 0),

    /* Mail addresses. */
    CASE(EMAIL, "a@b", 1),
    CASE(EMAIL, "\"\"@example.com", 1),
    CASE(EMAIL, "\"a\\\"b\"@example.com", 1),
    CASE(EMAIL, "\"a\\", 0),
    CASE(EMAIL, "\"a\"b@example.com", 0),
    CASE(EMAIL, "joe@[ipv6:1::2]", 1),
    CASE(EMAIL, "joe@[1.2.3.4", 0),
    CASE(EMAIL, "joe@[X-tag:abc]", 0),
    CASE(EMAIL, "joe@xn--bcher-kva.example", 1),
    CASE(EMAIL, "joe@-example.com", 0),
    CASE(EMAIL, "joe@example.com@example.com", 0),
    CASE(EMAIL, "1234567890123456789012345678901234567890123456789012345678901234@x.com", 1),
    CASE(EMAIL, "12345678901234567890123456789012345678901234567890123456789012345@x.com", 0),

    /* Addresses. */
    CASE(IPV4, "087.10.0.1", 0),
    CASE(IPV4, "0.0.0.00", 0),
    CASE(IPV4, "1.2.3.1234", 0),
    CASE(IPV6, "1::3:4:5:6:7:8", 1),
    CASE(IPV6, "1:2:3:4:5:6:7::", 1),
    CASE(IPV6, "1:2:3:4:5:6:7:8::", 0),
    CASE(IPV6, "::1.2.3.4", 1),
    CASE(IPV6, "::1.2.3.4:5", 0),
    CASE(IPV6, "1.2.3.4::", 0),
    CASE(IPV6, ":::", 0),
    CASE(IPV6, "::1:", 0),

    /* URIs. */
    CASE(URI, "http://[v1.fe]/", 1),
    CASE(URI, "http://[v1.]/", 0),
    CASE(URI, "http://[v.fe]/", 0),
    CASE(URI, "http://[v1.%41]/", 0),
    CASE(URI, "http://[::1]:8080/", 1),
    CASE(URI, "http://[::1]x/", 0),
    CASE(URI, "http://[::1/", 0),
    CASE(URI, "http://a:/", 1),
    CASE(URI, "http://u:p@a/", 1),
    CASE(URI, "http://example.com/a%2Fb?x#y/z?", 1),
    CASE(URI, "http://example.com/#a#b", 0),
    CASE(URI, "a+b-c.d:x", 1),
    CASE(URI, "http://example.com/%", 0),
    CASE(URI_REFERENCE, "a/b:c", 1),
    CASE(URI_REFERENCE, "?#", 1),
    CASE(URI_REFERENCE, "//[", 0),

    /* UUIDs and pointers. */
    CASE(UUID, "2EB8AA08-AA98-11EA-B4AA-73B441D1638G", 0),
    CASE(UUID, "2eb8aa08-aa98-11ea-b4aa-73b441d16380 ", 0),
    CASE(JSON_POINTER, "~0", 0),
    CASE(JSON_POINTER, "/~", 0),
    CASE(JSON_POINTER, "/a~1b~0c", 1),
    CASE(RELATIVE_JSON_POINTER, "99999999999999999999999/a", 1),
    CASE(RELATIVE_JSON_POINTER, "0#/", 0),
    CASE(RELATIVE_JSON_POINTER, "0a", 0),

    /* ECMA-262 with the u flag: what the regex checker has to get right. */
    CASE(REGEX, "^[a-z0-9_-]{3,16}$", 1),
    CASE(REGEX, "^\\+[1-9][0-9]{1,14}$", 1),
    CASE(REGEX, "a{2,1}", 0),
    CASE(REGEX, "a{1,2}", 1),
    CASE(REGEX, "a{01,1}", 1),
    CASE(REGEX, "a{99999999999999999999,1}", 0),
    CASE(REGEX, "a{2,}?", 1),
    CASE(REGEX, "a{,2}", 0),
    CASE(REGEX, "a{", 0),
    CASE(REGEX, "{", 0),
    CASE(REGEX, "}", 0),
    CASE(REGEX, "]", 0),
    CASE(REGEX, "[]]", 0),
    CASE(REGEX, "a**", 0),
    CASE(REGEX, "a*?", 1),
    CASE(REGEX, "a*??", 0),
    CASE(REGEX, "a|*", 0),
    CASE(REGEX, "^*", 0),
    CASE(REGEX, "\\b+", 0),
    CASE(REGEX, "(?=a)*", 0),
    CASE(REGEX, "(?<=a)?", 0),
    CASE(REGEX, "(?:a)*", 1),
    CASE(REGEX, "()*", 1),
    CASE(REGEX, "(", 0),
    CASE(REGEX, ")", 0),
    CASE(REGEX, "(a))", 0),
    CASE(REGEX, "((a)", 0),
    CASE(REGEX, "[", 0),
    CASE(REGEX, "[a", 0),
    CASE(REGEX, "[a-", 0),
    CASE(REGEX, "[a-]", 1),
    CASE(REGEX, "[-a]", 1),
    CASE(REGEX, "[a-b-c]", 1),
    CASE(REGEX, "[z-a]", 0),
    CASE(REGEX, "[\\d-z]", 0),
    CASE(REGEX, "[a-\\d]", 0),
    CASE(REGEX, "[\\d-]", 1),
    CASE(REGEX, "[\\-]", 1),
    CASE(REGEX, "\\-", 1),  /* Annex B identity escape, read as `pattern` reads it */
    CASE(REGEX, "\\&\\%\\'\\:", 1),
    CASE(REGEX, "\\a", 0),
    CASE(REGEX, "[\\b]", 1),
    CASE(REGEX, "[\\B]", 0),
    CASE(REGEX, "[\\1]", 0),
    CASE(REGEX, "[(]", 1),
    CASE(REGEX, "[\\u{1F600}-\\u{1F64F}]", 1),
    CASE(REGEX, "[\\uD83D\\uDE00-\\uD83D\\uDE4F]", 1),
    CASE(REGEX, "[\xf0\x9f\x98\x80-\xf0\x9f\x99\x8f]", 1),
    CASE(REGEX, "[\xf0\x9f\x99\x8f-\xf0\x9f\x98\x80]", 0),
    CASE(REGEX, "\\u{110000}", 0),
    CASE(REGEX, "\\u{}", 0),
    CASE(REGEX, "\\u12", 0),
    CASE(REGEX, "\\x4", 0),
    CASE(REGEX, "\\x41", 1),
    CASE(REGEX, "\\c", 0),
    CASE(REGEX, "\\c1", 0),
    CASE(REGEX, "\\cz", 1),
    CASE(REGEX, "\\0", 1),
    CASE(REGEX, "\\00", 0),
    CASE(REGEX, "\\", 0),
    CASE(REGEX, "\\/", 1),
    CASE(REGEX, "\\e", 0),
    CASE(REGEX, "\\1(a)", 1),
    CASE(REGEX, "(a)\\1", 1),
    CASE(REGEX, "(a)\\2", 0),
    CASE(REGEX, "\\k<x>(?<x>a)", 1),
    CASE(REGEX, "(?<x>a)\\k<y>", 0),
    CASE(REGEX, "(?<x>a)\\k", 0),
    CASE(REGEX, "(?<x>a)(?<x>b)", 0),
    CASE(REGEX, "(?<$x_1>a)", 1),
    CASE(REGEX, "(?<1x>a)", 0),
    CASE(REGEX, "(?<>a)", 0),
    CASE(REGEX, "(?<x", 0),
    CASE(REGEX, "(?i:a)", 1),
    CASE(REGEX, "(?-i:a)", 1),
    CASE(REGEX, "(?i-ms:a)", 1),
    CASE(REGEX, "(?ii:a)", 0),
    CASE(REGEX, "(?i-i:a)", 0),
    CASE(REGEX, "(?-:a)", 0),
    CASE(REGEX, "(?x:a)", 0),
    CASE(REGEX, "(?", 0),
    CASE(REGEX, "\\p{L}", 1),
    CASE(REGEX, "\\P{Lu}", 1),
    CASE(REGEX, "\\p{Letter}", 1),
    CASE(REGEX, "\\p{Emoji_Presentation}", 1),
    CASE(REGEX, "\\p{gc=Nd}", 1),
    CASE(REGEX, "\\p{Script=Greek}", 1),
    CASE(REGEX, "\\p{scx=Latn}", 1),
    CASE(REGEX, "[\\p{L}\\p{N}]", 1),
    CASE(REGEX, "\\p{Lettr}", 0),
    CASE(REGEX, "\\p{gc=Greek}", 0),
    CASE(REGEX, "\\p{Block=Basic_Latin}", 0),
    CASE(REGEX, "\\p{L", 0),
    CASE(REGEX, "\\pL", 0),
    CASE(REGEX, "\xc3\xa9+", 1),
};

Test(format_edge, cases)
{
    run_cases(edge_cases, COUNT_OF(edge_cases));
}

/* Long inputs finish, and nesting past the fixed limit is refused rather than overflowing. */
Test(format_edge, long_inputs)
{
    enum { N = 1 << 20 };
    char *buf = malloc(N);
    cr_assert_not_null(buf);

    memset(buf, '(', N);
    cr_expect_not(check_exact(CAMPVAL__FMT_REGEX, buf, N));
    for (size_t i = 0; i + 1 < N; i += 2)
        memcpy(buf + i, "()", 2);
    cr_expect(check_exact(CAMPVAL__FMT_REGEX, buf, N));
    memset(buf, 'a', N);
    cr_expect(check_exact(CAMPVAL__FMT_REGEX, buf, N));
    for (size_t i = 0; i + 5 < N; i += 5)
        memcpy(buf + i, "(?<a>", 5); /* many names: duplicates of the first */
    cr_expect_not(check_exact(CAMPVAL__FMT_REGEX, buf, N));

    memset(buf, '/', N);
    cr_expect(check_exact(CAMPVAL__FMT_JSON_POINTER, buf, N));
    cr_expect(check_exact(CAMPVAL__FMT_URI_REFERENCE, buf, N));
    memcpy(buf, "http:", 5);
    cr_expect(check_exact(CAMPVAL__FMT_URI, buf, N));
    memset(buf, 'a', N);
    cr_expect_not(check_exact(CAMPVAL__FMT_HOSTNAME, buf, N));
    cr_expect_not(check_exact(CAMPVAL__FMT_EMAIL, buf, N));
    cr_expect_not(check_exact(CAMPVAL__FMT_IANA_TIMEZONE, buf, N));
    memset(buf, '1', N);
    buf[0] = 'P';
    buf[N - 1] = 'D';
    cr_expect(check_exact(CAMPVAL__FMT_DURATION, buf, N));
    free(buf);
}

Test(format_edge, nesting_limit)
{
    /* the limit `pattern` compiles under (CAMPVAL_REGEX_MAX_NEST, 200 by default) */
    char buf[2 * 300];
    for (size_t depth = 150; depth <= 300; depth += 50) {
        memset(buf, '(', depth);
        memset(buf + depth, ')', depth);
        cr_expect_eq(check_exact(CAMPVAL__FMT_REGEX, buf, 2 * depth), depth <= 200, "depth %zu", depth);
    }
}

/* Hostname length limits: labels of 63, names of 253 octets. */
Test(format_edge, hostname_lengths)
{
    char name[300];
    size_t len = 0;
    while (len + 64 <= 253) {
        memset(name + len, 'a', 63);
        name[len + 63] = '.';
        len += 64;
    }
    memset(name + len, 'b', 253 - len);
    cr_expect(check_exact(CAMPVAL__FMT_HOSTNAME, name, 253));
    name[253] = 'b';
    cr_expect_not(check_exact(CAMPVAL__FMT_HOSTNAME, name, 254));
}

/* ---------------------------------------------------------------------------------------------
 * The lookup API.
 * ------------------------------------------------------------------------------------------- */

Test(format_api, names_round_trip)
{
    static const char *const expected[CAMPVAL__FMT_COUNT] = {
        "date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6", "uri",
        "uri-reference", "uuid", "json-pointer", "relative-json-pointer", "regex", "e164",
        "time-of-day", "iana-timezone",
    };
    for (int f = 0; f < CAMPVAL__FMT_COUNT; f++) {
        const char *name = campval__format_name(f);
        cr_assert_not_null(name);
        cr_expect_str_eq(name, expected[f]);
        cr_expect_eq(campval__format_lookup(name, strlen(name)), f);
        cr_expect_not_null(campval__format_describe(f));
        cr_expect_eq(campval__format_is_own(f),
                     f == CAMPVAL__FMT_E164 || f == CAMPVAL__FMT_TIME_OF_DAY ||
                         f == CAMPVAL__FMT_IANA_TIMEZONE);
    }
    cr_expect_str_eq(campval__format_describe(CAMPVAL__FMT_E164),
                     "an E.164 number (+ then 2 to 15 digits)");
    cr_expect_str_eq(campval__format_describe(CAMPVAL__FMT_DATE_TIME), "an RFC 3339 date-time");
}

Test(format_api, unknown)
{
    cr_expect_eq(campval__format_lookup("date-tim", 8), -1);
    cr_expect_eq(campval__format_lookup("date-time", 4), CAMPVAL__FMT_DATE);
    cr_expect_eq(campval__format_lookup("Date-Time", 9), -1);
    cr_expect_eq(campval__format_lookup("idn-hostname", 12), -1);
    cr_expect_eq(campval__format_lookup("date\0time", 9), -1);
    cr_expect_eq(campval__format_lookup("", 0), -1);
    cr_expect_eq(campval__format_lookup(NULL, 0), -1);
    cr_expect_null(campval__format_name(-1));
    cr_expect_null(campval__format_name(CAMPVAL__FMT_COUNT));
    cr_expect_null(campval__format_describe(CAMPVAL__FMT_COUNT));
    cr_expect_eq(campval__format_is_own(CAMPVAL__FMT_COUNT), 0);
    cr_expect_eq(campval__format_check(-1, "x", 1), 0);
    cr_expect_eq(campval__format_check(CAMPVAL__FMT_COUNT, "x", 1), 0);
}

Test(format_api, null_value)
{
    cr_expect_eq(campval__format_check(CAMPVAL__FMT_JSON_POINTER, NULL, 0), 1);
    cr_expect_eq(campval__format_check(CAMPVAL__FMT_E164, NULL, 0), 0);
    cr_expect_eq(campval__format_check(CAMPVAL__FMT_JSON_POINTER, NULL, 1), 0);
}

/* The e164 and uuid checkers test 8 bytes at once or use a table: each is compared here with a
 * character-by-character definition, on every length around the limits and with every position
 * changed to characters either side of the digit and hex ranges. */
static int ref_e164(const char *s, size_t n)
{
    if (n < 3 || n > 16 || s[0] != '+' || s[1] == '0')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int ref_uuid(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex)
            return 0;
    }
    return 1;
}

static const char probes[] = {'0', '9', '/', ':', '+', '-', ' ', 'a', 'f', 'g', 'A', 'F', 'G', '@',
                              '`', '\0', (char)0x80, (char)0xB0, (char)0xFF, '>', '?'};

Test(format_own, e164_matches_bytewise_definition)
{
    char buf[24];
    for (size_t n = 0; n <= 20; n++) {
        buf[0] = '+';
        for (size_t i = 1; i < n; i++)
            buf[i] = (char)('1' + (i % 9));
        cr_assert_eq(check_exact(CAMPVAL__FMT_E164, buf, n), ref_e164(buf, n), "length %zu", n);
        for (size_t i = 0; i < n; i++) {
            char keep = buf[i];
            for (size_t p = 0; p < sizeof probes; p++) {
                buf[i] = probes[p];
                cr_assert_eq(check_exact(CAMPVAL__FMT_E164, buf, n), ref_e164(buf, n),
                             "length %zu, byte %zu = 0x%02x", n, i, (unsigned char)probes[p]);
            }
            buf[i] = keep;
        }
    }
}

Test(format_own, uuid_matches_bytewise_definition)
{
    char buf[40];
    for (size_t n = 34; n <= 38; n++) {
        for (size_t i = 0; i < n; i++)
            buf[i] = i == 8 || i == 13 || i == 18 || i == 23 ? '-'
                                                              : "0123456789abcdefABCDEF"[i % 22];
        cr_assert_eq(check_exact(CAMPVAL__FMT_UUID, buf, n), ref_uuid(buf, n), "length %zu", n);
        for (size_t i = 0; i < n; i++) {
            char keep = buf[i];
            for (size_t p = 0; p < sizeof probes; p++) {
                buf[i] = probes[p];
                cr_assert_eq(check_exact(CAMPVAL__FMT_UUID, buf, n), ref_uuid(buf, n),
                             "length %zu, byte %zu = 0x%02x", n, i, (unsigned char)probes[p]);
            }
            buf[i] = keep;
        }
    }
}
