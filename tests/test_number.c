/*
 * Tests for src/number.c: exact decimal comparison, integer checks, multipleOf, conversions
 * and formatting. Expected values for big modular cases were computed with Python integers.
 */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

static campval__num num(const char *s)
{
    campval__num n;
    cr_assert_eq(campval__num_parse(s, strlen(s), &n), 0, "should parse: %s", s);
    return n;
}

static int cmp(const char *a, const char *b)
{
    campval__num x = num(a), y = num(b);
    return campval__num_cmp(&x, &y);
}

static int multiple(const char *x, const char *step)
{
    campval__num a = num(x), b = num(step);
    return campval__num_multiple_of(&a, &b);
}

static int is_int(const char *s)
{
    campval__num n = num(s);
    return campval__num_is_integer(&n);
}

static uint64_t hash(const char *s)
{
    campval__num n = num(s);
    return campval__num_hash(&n);
}

static void assert_format(const char *in, const char *want)
{
    char buf[128];
    campval__num n = num(in);
    size_t len = campval__num_format(&n, buf, sizeof buf);
    cr_assert_str_eq(buf, want, "format(%s)", in);
    cr_assert_eq(len, strlen(want), "format(%s) length", in);
}

/* A heap copy of prefix + count * fill + suffix, for the huge-input tests. */
static char *repeat(const char *prefix, char fill, size_t count, const char *suffix, size_t *len)
{
    size_t p = strlen(prefix), s = strlen(suffix);
    char *buf = malloc(p + count + s + 1);
    cr_assert_not_null(buf);
    memcpy(buf, prefix, p);
    memset(buf + p, fill, count);
    memcpy(buf + p + count, suffix, s + 1);
    *len = p + count + s;
    return buf;
}

#define MB ((size_t)1 << 20)

/* ---- parsing -------------------------------------------------------------------------------- */

Test(number, parse_accepts_json_numbers)
{
    static const char *const ok[] = {
        "0", "-0", "1", "-1", "10", "0.5", "-0.5", "1.25", "1e5", "1E5", "1e+5", "1e-5", "1E-05",
        "0e0", "-0.0e-0", "123456789012345678901234567890", "1.7976931348623157e308", "1e400",
        "1e-99999999999999999999999", "1E+0000000000000000000005", "9.99999999999999999e-1",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        campval__num n;
        cr_expect_eq(campval__num_parse(ok[i], strlen(ok[i]), &n), 0, "should accept %s", ok[i]);
    }
}

Test(number, parse_rejects_malformed)
{
    static const char *const bad[] = {
        "", "-", "+1", "01", "-01", "00", "0.", ".5", "-.5", "1.", "1.e5", "1e", "1e+", "1E-",
        " 1", "1 ", "0x10", "NaN", "Infinity", "-Infinity", "1e5.5", "1..2", "--1", "1e--5",
        "1e+-5", "1,5", "1_000", "1e5e5", "\xd9\xa1", "-e5", "e5", "1f", "0.5.", "1.5e",
        "+0", "- 1", "1-", "1.0-",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        campval__num n;
        cr_expect_eq(campval__num_parse(bad[i], strlen(bad[i]), &n), -1, "should reject '%s'",
                     bad[i]);
    }
}

Test(number, parse_reads_exactly_len_bytes)
{
    static const char unterminated[3] = {'1', '2', '3'}; /* no NUL: ASan catches overreads */
    campval__num n, m;
    uint64_t v;

    cr_assert_eq(campval__num_parse(unterminated, sizeof unterminated, &n), 0);
    cr_assert_eq(campval__num_to_u64(&n, &v), 0);
    cr_expect_eq(v, 123);
    cr_assert_eq(campval__num_parse("12345", 3, &n), 0);
    m = num("123");
    cr_expect_eq(campval__num_cmp(&n, &m), 0);
    cr_expect_eq(campval__num_parse("1e5", 2, &n), -1);
    cr_expect_eq(campval__num_parse("1.5", 2, &n), -1);
    cr_expect_eq(campval__num_parse("-5", 1, &n), -1);
    cr_expect_eq(campval__num_parse("1\0", 2, &n), -1);
    cr_expect_eq(campval__num_parse(NULL, 0, &n), -1);
    cr_expect_eq(campval__num_parse(NULL, 3, &n), -1);
    cr_expect_eq(campval__num_parse("1", 1, NULL), -1);
}

Test(number, parse_normalises_digits_and_point)
{
    campval__num n = num("0.00120");
    cr_expect_eq(n.sign, 1);
    cr_expect_eq(n.ndigits, 2);
    cr_expect_eq(n.point, -2);
    cr_expect_eq(strncmp(n.digits, "12", 2), 0);

    n = num("-120.50");
    cr_expect_eq(n.sign, -1);
    cr_expect_eq(n.ndigits, 4);
    cr_expect_eq(n.span, 5);
    cr_expect_eq(n.point, 3);

    n = num("1200e-2");
    cr_expect_eq(n.ndigits, 2);
    cr_expect_eq(n.point, 2);

    n = num("-0.000e99");
    cr_expect_eq(n.sign, 0);
    cr_expect_eq(n.ndigits, 0);
    cr_expect_null(n.digits);
}

/* ---- comparison ----------------------------------------------------------------------------- */

Test(number, cmp_examples_from_brief)
{
    cr_expect_eq(cmp("9.99999999999999999e-1", "1"), -1);
    cr_expect_eq(cmp("1", "9.99999999999999999e-1"), 1);
    cr_expect_eq(cmp("9007199254740993", "9007199254740992"), 1);
    cr_expect_eq(cmp("1e400", "1.7976931348623157e308"), 1);
    cr_expect_eq(cmp("-1e400", "-1.7976931348623157e308"), -1);
    cr_expect_eq(cmp("-0", "0"), 0);
    cr_expect_eq(cmp("1", "1.0"), 0);
    cr_expect_eq(cmp("1", "10e-1"), 0);
    cr_expect_eq(cmp("1", "0.1e1"), 0);
    cr_expect_eq(cmp("0.1", "0.1000000000000000055511151231257827"), -1);
}

Test(number, cmp_equal_across_notations)
{
    static const char *const one[] = {
        "1", "1.0", "10e-1", "0.1e1", "100e-2", "1E0", "1e+0", "1e-0", "0.01e2", "1.000000",
        "0.0000001e7", "1000000000000000000000000e-24", "1E+0000000000000000000000",
    };
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
        for (size_t j = 0; j < sizeof one / sizeof one[0]; j++)
            cr_expect_eq(cmp(one[i], one[j]), 0, "%s == %s", one[i], one[j]);
    }
    cr_expect_eq(cmp("1E+0000000000000000000005", "100000"), 0);
    cr_expect_eq(cmp("-12.5", "-1250e-2"), 0);
    cr_expect_eq(cmp("12", "1.2e1"), 0);
}

Test(number, cmp_zero_forms)
{
    static const char *const zero[] = {"0", "-0", "0.0", "-0.0", "0e0", "0E+99", "-0e-99",
                                       "0.000000e99999999999999999999999"};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
        campval__num n = num(zero[i]);
        cr_expect_eq(campval__num_sign(&n), 0, "sign(%s)", zero[i]);
        cr_expect_eq(cmp(zero[i], "0"), 0, "%s == 0", zero[i]);
        cr_expect_eq(cmp(zero[i], "1e-400"), -1);
        cr_expect_eq(cmp(zero[i], "-1e-400"), 1);
    }
}

Test(number, cmp_around_2_pow_53)
{
    cr_expect_eq(cmp("9007199254740991", "9007199254740992"), -1);
    cr_expect_eq(cmp("9007199254740992", "9007199254740993"), -1);
    cr_expect_eq(cmp("9007199254740993", "9007199254740993.5"), -1);
    cr_expect_eq(cmp("9007199254740993.5", "9.007199254740994e15"), -1);
    cr_expect_eq(cmp("9007199254740993", "9.007199254740993e15"), 0);
    cr_expect_eq(cmp("-9007199254740993", "-9007199254740992"), -1);
    cr_expect_eq(cmp("9007199254740992.0000000000000000000001", "9007199254740992"), 1);
}

Test(number, cmp_negative_numbers)
{
    cr_expect_eq(cmp("-2", "-1.5"), -1);
    cr_expect_eq(cmp("-1.5", "-1"), -1);
    cr_expect_eq(cmp("-1", "-0.5"), -1);
    cr_expect_eq(cmp("-0.5", "0"), -1);
    cr_expect_eq(cmp("-1e400", "-1"), -1);
    cr_expect_eq(cmp("-1e-400", "-1"), 1);
    cr_expect_eq(cmp("-1e-400", "0"), -1);
    cr_expect_eq(cmp("-1.23", "-1.234"), 1);
    cr_expect_eq(cmp("-1", "1"), -1);
}

Test(number, cmp_digit_prefixes)
{
    cr_expect_eq(cmp("1.23", "1.234"), -1);
    cr_expect_eq(cmp("1.234", "1.23"), 1);
    cr_expect_eq(cmp("123", "1234e-1"), -1);
    cr_expect_eq(cmp("99", "100"), -1);
    cr_expect_eq(cmp("0.09", "0.1"), -1);
    cr_expect_eq(cmp("10.5", "9.5"), 1);
}

/* optional/bignum.json and optional/float-overflow.json of the JSON Schema test suite */
Test(number, cmp_bignum_suite)
{
    cr_expect_eq(cmp("18446744073709551600", "18446744073709551615"), -1);
    cr_expect_eq(cmp("-18446744073709551600", "-18446744073709551615"), 1);
    cr_expect_eq(cmp("972783798187987123879878123.188781371",
                     "972783798187987123879878123.18878137"), 1);
    cr_expect_eq(cmp("-972783798187987123879878123.188781371",
                     "-972783798187987123879878123.18878137"), -1);
    cr_expect(is_int("12345678910111213141516171819202122232425262728293031"));
    cr_expect(is_int("-12345678910111213141516171819202122232425262728293031"));
    cr_expect_eq(cmp("98249283749234923498293171823948729348710298301928331",
                     "98249283749234923498293171823948729348710298301928330"), 1);
}

/* A strictly increasing list: every pair must compare by position, and hash apart or equal. */
Test(number, cmp_is_a_total_order)
{
    static const char *const sorted[] = {
        "-1e99999999999999999999999", "-1e400", "-1.7976931348623157e308", "-18446744073709551616",
        "-18446744073709551615", "-9007199254740993", "-9007199254740992", "-100", "-99.99",
        "-1.5", "-1", "-0.999999999999999999999", "-0.1", "-1e-400",
        "-1e-99999999999999999999999", "0", "1e-99999999999999999999999", "1e-400", "0.0001",
        "0.00751", "0.1", "0.1000000000000000055511151231257827", "0.5", "1", "1.0000000001",
        "1.5", "2", "9.99", "10", "19.99", "1e2", "9007199254740992", "9007199254740993",
        "18446744073709551615", "18446744073709551616", "1e308", "1.7976931348623157e308",
        "1e400", "1e99999999999999999999999",
    };
    size_t n = sizeof sorted / sizeof sorted[0];
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            int want = i < j ? -1 : i > j ? 1 : 0;
            cr_expect_eq(cmp(sorted[i], sorted[j]), want, "%s vs %s", sorted[i], sorted[j]);
        }
    }
}

Test(number, cmp_huge_exponents)
{
    /* clamped against ordinary numbers: always exact */
    cr_expect_eq(cmp("1e99999999999999999999999", "9e2305843009213693951"), 1);
    cr_expect_eq(cmp("1e-99999999999999999999999", "1e-2305843009213693951"), -1);
    cr_expect_eq(cmp("-1e99999999999999999999999", "-9e2305843009213693951"), -1);
    cr_expect_eq(cmp("1e99999999999999999999999", "1e-99999999999999999999999"), 1);
    cr_expect_eq(cmp("-1e-99999999999999999999999", "-1e-400"), 1);
    cr_expect_eq(cmp("0.5e-99999999999999999999999", "0"), 1);
    /* exact up to +-2^62 = 4611686018427387904 */
    cr_expect_eq(cmp("1e4611686018427387904", "1e4611686018427387903"), 1);
    cr_expect_eq(cmp("1e-4611686018427387904", "1e-4611686018427387903"), -1);
    cr_expect_eq(cmp("10e4611686018427387903", "1e4611686018427387904"), 0);
    /* both clamped: digits still decide when the exponent texts agree */
    cr_expect_eq(cmp("2e99999999999999999999999", "1e99999999999999999999999"), 1);
    cr_expect_eq(cmp("1.5e99999999999999999999999", "1.5e99999999999999999999999"), 0);
    /* documented limit: two clamped exponents of the same direction look equal */
    cr_expect_eq(cmp("1e99999999999999999999", "1e99999999999999999998"), 0);
    campval__num n = num("1e99999999999999999999");
    cr_expect_eq(n.clamped, 1);
    n = num("-1e-99999999999999999999");
    cr_expect_eq(n.clamped, -1);
    n = num("1e4611686018427387904");
    cr_expect_eq(n.clamped, 0);
    n = num("0e99999999999999999999");
    cr_expect_eq(n.clamped, 0);
}

/* ---- integers and signs --------------------------------------------------------------------- */

Test(number, is_integer)
{
    static const char *const yes[] = {
        "0", "-0", "0.0", "1", "1.0", "-1.0", "1e2", "1.25e2", "10e-1", "1e400", "-1e400",
        "1e99999999999999999999999", "12345678910111213141516171819202122232425262728293031",
        "1.5e1", "120e-1",
    };
    static const char *const no[] = {
        "1.5", "-1.5", "1e-1", "0.1", "1.255e2", "1e-400", "1e-99999999999999999999999",
        "9007199254740992.5", "121e-1", "1.0000000000000000000000001",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_expect_eq(is_int(yes[i]), 1, "%s is an integer", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_expect_eq(is_int(no[i]), 0, "%s is not an integer", no[i]);
}

Test(number, sign)
{
    campval__num n = num("-0.001");
    cr_expect_eq(campval__num_sign(&n), -1);
    n = num("1e-400");
    cr_expect_eq(campval__num_sign(&n), 1);
    n = num("-0");
    cr_expect_eq(campval__num_sign(&n), 0);
    n = num("-1e99999999999999999999999");
    cr_expect_eq(campval__num_sign(&n), -1);
}

/* ---- multipleOf ----------------------------------------------------------------------------- */

Test(number, multiple_of_brief_examples)
{
    cr_expect_eq(multiple("1e308", "0.5"), 1);
    cr_expect_eq(multiple("1e308", "0.123456789"), 0);
    cr_expect_eq(multiple("0.0075", "0.0001"), 1);
    cr_expect_eq(multiple("0.00751", "0.0001"), 0);
    cr_expect_eq(multiple("19.99", "0.01"), 1);
    cr_expect_eq(multiple("4.5", "1.5"), 1);
    cr_expect_eq(multiple("35", "1.5"), 0);
    cr_expect_eq(multiple("1e400", "3"), 0);
    cr_expect_eq(multiple("-12.6", "4.2"), 1);
}

/* multipleOf.json and optional/float-overflow.json */
Test(number, multiple_of_suite)
{
    cr_expect_eq(multiple("10", "2"), 1);
    cr_expect_eq(multiple("7", "2"), 0);
    cr_expect_eq(multiple("0", "1.5"), 1);
    cr_expect_eq(multiple("4.5", "1.5"), 1);
    cr_expect_eq(multiple("-4.5", "1.5"), 1);
    cr_expect_eq(multiple("35", "1.5"), 0);
    cr_expect_eq(multiple("0.0075", "0.0001"), 1);
    cr_expect_eq(multiple("0.00751", "0.0001"), 0);
    cr_expect_eq(multiple("1e308", "0.123456789"), 0);
    cr_expect_eq(multiple("12391239123", "1e-8"), 1);
    cr_expect_eq(multiple("1e308", "0.5"), 1);
}

Test(number, multiple_of_more)
{
    cr_expect_eq(multiple("-0", "0.3"), 1);
    cr_expect_eq(multiple("0.3", "0.1"), 1);
    cr_expect_eq(multiple("0.30000000000000004", "0.1"), 0);
    cr_expect_eq(multiple("1.0", "1"), 1);
    cr_expect_eq(multiple("1.5", "1"), 0);
    cr_expect_eq(multiple("2", "4"), 0);
    cr_expect_eq(multiple("1e400", "7"), 0);                  /* 10^400 mod 7 = 4 */
    cr_expect_eq(multiple("1e400", "2"), 1);
    cr_expect_eq(multiple("1e400", "1.6e-3"), 1);             /* 10^404 / 16 */
    cr_expect_eq(multiple("1e400", "1024"), 1);
    cr_expect_eq(multiple("1e5", "64"), 0);                   /* 2^5 * 5^5: too few twos */
    cr_expect_eq(multiple("1e6", "64"), 1);
    cr_expect_eq(multiple("1.23e60", "0.123"), 1);
    cr_expect_eq(multiple("123456789e61", "0.123456789"), 1);
    cr_expect_eq(multiple("123456788e61", "0.123456789"), 0);
    cr_expect_eq(multiple("0.1", "1e-99"), 1);
    cr_expect_eq(multiple("1e-99", "0.1"), 0);
    cr_expect_eq(multiple("5e-324", "1e-324"), 1);
    cr_expect_eq(multiple("100000000000000000000000000000", "3"), 0);
}

Test(number, multiple_of_large_steps)
{
    /* largest prime below 2^64; products computed with Python */
    cr_expect_eq(multiple("1821900649710739492898338177857170473", "18446744073709551557"), 1);
    cr_expect_eq(multiple("1821900649710739492898338177857170474", "18446744073709551557"), 0);
    cr_expect_eq(multiple("123456789012345678901234567890", "18446744073709551557"), 0);
    cr_expect_eq(multiple("1821900649710739492898338177857170473e-5", "1844674407370955155.7e-4"),
                 1);
    cr_expect_eq(multiple("18446744073709551615", "18446744073709551615"), 1);
    cr_expect_eq(multiple("36893488147419103230", "18446744073709551615"), 1);
    cr_expect_eq(multiple("18446744073709551616", "18446744073709551615"), 0);
    cr_expect_eq(multiple("1e1000", "18446744073709551615"), 0); /* 10^1000 mod it != 0 */
    cr_expect_eq(multiple("18446744073709551615e5", "18446744073709551615"), 1);
}

Test(number, multiple_of_huge_exponents)
{
    cr_expect_eq(multiple("1e99999999999999999999999", "0.5"), 1);
    cr_expect_eq(multiple("1e99999999999999999999999", "3"), 0);
    cr_expect_eq(multiple("1e99999999999999999999999", "1.6e-3"), 1);
    cr_expect_eq(multiple("3e99999999999999999999999", "3"), 1);
    cr_expect_eq(multiple("-21e99999999999999999999999", "7e10"), 1);
    cr_expect_eq(multiple("1e-99999999999999999999999", "0.5"), 0);
    cr_expect_eq(multiple("1e-99999999999999999999999", "1e-400"), 0);
    cr_expect_eq(multiple("1e4611686018427387904", "3"), 0);
    cr_expect_eq(multiple("1e4611686018427387904", "1e1000"), 1);
    cr_expect_eq(multiple("5e1000", "1e1000"), 1);
    cr_expect_eq(multiple("5e999", "1e1000"), 0);
}

Test(number, multiple_of_unsupported_steps)
{
    static const char *const bad[] = {
        "0", "-0", "-1", "-0.5", "18446744073709551616", "0.123456789012345678901",
        "1e99999999999999999999999", "1e-99999999999999999999999", "1e1152921504606846976",
    };
    static const char *const good[] = {
        "1", "0.0001", "1e-8", "1e300", "18446744073709551615", "100000000000000000000000000000",
        "0.1844674407370955161500000", "1e1152921504606846975", "1e-1152921504606846976",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        campval__num s = num(bad[i]);
        cr_expect_eq(campval__num_step_supported(&s), 0, "%s unsupported", bad[i]);
        cr_expect_eq(multiple("10", bad[i]), -1, "10 / %s", bad[i]);
        cr_expect_eq(multiple("0", bad[i]), -1, "0 / %s", bad[i]);
    }
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        campval__num s = num(good[i]);
        cr_expect_eq(campval__num_step_supported(&s), 1, "%s supported", good[i]);
    }
}

/* ---- hashing -------------------------------------------------------------------------------- */

Test(number, hash_equal_across_notations)
{
    cr_expect_eq(hash("1"), hash("1.0"));
    cr_expect_eq(hash("1"), hash("10e-1"));
    cr_expect_eq(hash("1"), hash("0.1e1"));
    cr_expect_eq(hash("0"), hash("-0"));
    cr_expect_eq(hash("0"), hash("0.0e55"));
    cr_expect_eq(hash("-12.5"), hash("-1250e-2"));
    cr_expect_eq(hash("120.50"), hash("1.205E+2"));
    cr_expect_eq(hash("1e400"), hash("10000e396"));
    cr_expect_eq(hash("1e99999999999999999999"), hash("1e99999999999999999998")); /* clamped */

    cr_expect_neq(hash("1"), hash("-1"));
    cr_expect_neq(hash("1"), hash("2"));
    cr_expect_neq(hash("1"), hash("10"));
    cr_expect_neq(hash("1"), hash("0"));
    cr_expect_neq(hash("12"), hash("1.2"));
    cr_expect_neq(hash("9007199254740992"), hash("9007199254740993"));
}

/* ---- conversions ---------------------------------------------------------------------------- */

static int u64_of(const char *s, uint64_t *v)
{
    campval__num n = num(s);
    return campval__num_to_u64(&n, v);
}

static int i64_of(const char *s, int64_t *v)
{
    campval__num n = num(s);
    return campval__num_to_i64(&n, v);
}

Test(number, to_u64_boundaries)
{
    uint64_t v = 42;

    cr_expect_eq(u64_of("18446744073709551615", &v), 0);
    cr_expect_eq(v, UINT64_MAX);
    cr_expect_eq(u64_of("1.8446744073709551615e19", &v), 0);
    cr_expect_eq(v, UINT64_MAX);
    cr_expect_eq(u64_of("2.0", &v), 0);
    cr_expect_eq(v, 2);
    cr_expect_eq(u64_of("-0", &v), 0);
    cr_expect_eq(v, 0);
    cr_expect_eq(u64_of("1e19", &v), 0);
    cr_expect_eq(v, UINT64_C(10000000000000000000));
    cr_expect_eq(u64_of("1200e-2", &v), 0);
    cr_expect_eq(v, 12);

    v = 42;
    cr_expect_eq(u64_of("18446744073709551616", &v), -1);
    cr_expect_eq(u64_of("18446744073709551620", &v), -1);
    cr_expect_eq(u64_of("1.8446744073709551616e19", &v), -1);
    cr_expect_eq(u64_of("2.5", &v), -1);
    cr_expect_eq(u64_of("-1", &v), -1);
    cr_expect_eq(u64_of("1e30", &v), -1);
    cr_expect_eq(u64_of("1e20", &v), -1);
    cr_expect_eq(u64_of("1e-1", &v), -1);
    cr_expect_eq(u64_of("1e99999999999999999999", &v), -1);
    cr_expect_eq(v, 42, "not written on failure");
}

Test(number, to_i64_boundaries)
{
    int64_t v = 42;

    cr_expect_eq(i64_of("9223372036854775807", &v), 0);
    cr_expect_eq(v, INT64_MAX);
    cr_expect_eq(i64_of("-9223372036854775808", &v), 0);
    cr_expect_eq(v, INT64_MIN);
    cr_expect_eq(i64_of("-5.0", &v), 0);
    cr_expect_eq(v, -5);
    cr_expect_eq(i64_of("-0", &v), 0);
    cr_expect_eq(v, 0);
    cr_expect_eq(i64_of("1e18", &v), 0);
    cr_expect_eq(v, INT64_C(1000000000000000000));

    v = 42;
    cr_expect_eq(i64_of("9223372036854775808", &v), -1);
    cr_expect_eq(i64_of("-9223372036854775809", &v), -1);
    cr_expect_eq(i64_of("-1.5", &v), -1);
    cr_expect_eq(i64_of("1e19", &v), -1);
    cr_expect_eq(i64_of("-1e400", &v), -1);
    cr_expect_eq(v, 42, "not written on failure");
}

static double dbl(const char *s)
{
    campval__num n = num(s);
    return campval__num_to_double(&n);
}

Test(number, to_double)
{
    cr_expect_eq(dbl("1.5"), 1.5);
    cr_expect_eq(dbl("-0.25"), -0.25);
    cr_expect_eq(dbl("0.1"), 0.1);
    cr_expect_eq(dbl("0"), 0.0);
    cr_expect_eq(dbl("-0"), 0.0);
    cr_expect_eq(dbl("1.7976931348623157e308"), DBL_MAX);
    cr_expect_eq(dbl("1e400"), HUGE_VAL);
    cr_expect_eq(dbl("-1e400"), -HUGE_VAL);
    cr_expect_eq(dbl("1.8e308"), HUGE_VAL);
    cr_expect_eq(dbl("1e99999999999999999999999"), HUGE_VAL);
    cr_expect_eq(dbl("1e-400"), 0.0);
    cr_expect_eq(dbl("-1e-99999999999999999999999"), 0.0);
    cr_expect(signbit(dbl("-1e-400")));
    cr_expect_eq(dbl("4.9406564584124654e-324"), 4.9406564584124654e-324);
    cr_expect_eq(dbl("9007199254740993"), 9007199254740992.0); /* tie: to even */
    cr_expect_eq(dbl("12345678901234567890123"), 12345678901234567890123.0);
}

/* A digit just past the 780 kept for strtod must still break the tie at 2^53 + 1. */
Test(number, to_double_rounds_long_inputs)
{
    size_t len;
    char *s = repeat("9007199254740993.", '0', 2000, "1", &len);
    campval__num n;

    cr_assert_eq(campval__num_parse(s, len, &n), 0);
    cr_expect_eq(campval__num_to_double(&n), 9007199254740994.0);
    free(s);
}

/* ---- formatting ----------------------------------------------------------------------------- */

Test(number, format_shapes)
{
    assert_format("0", "0");
    assert_format("-0.0e5", "0");
    assert_format("1.0", "1");
    assert_format("10e-1", "1");
    assert_format("-12.60", "-12.6");
    assert_format("123.4500", "123.45");
    assert_format("0.0001", "0.0001");
    assert_format("0.01", "0.01");
    assert_format("1e-6", "0.000001");
    assert_format("1e-7", "1e-7");
    assert_format("-1.5e-7", "-1.5e-7");
    assert_format("100", "100");
    assert_format("1e20", "100000000000000000000");
    assert_format("1e21", "1e+21");
    assert_format("1e400", "1e+400");
    assert_format("-1e400", "-1e+400");
    assert_format("1.7976931348623157e308", "1.7976931348623157e+308");
    assert_format("12345678901234567890123", "1.2345678901234567890123e+22");
    assert_format("9007199254740993", "9007199254740993");
    assert_format("1e-4611686018427387904", "1e-4611686018427387904");
    assert_format("1E+0000000000000000000005", "100000");
    /* clamped: the source text, since the normalised exponent would not be exact */
    assert_format("1e99999999999999999999999", "1e99999999999999999999999");
    assert_format("-2.50E-99999999999999999999999", "-2.50E-99999999999999999999999");
}

Test(number, format_round_trips)
{
    static const char *const in[] = {
        "0.1000000000000000055511151231257827", "-972783798187987123879878123.188781371", "1e-5",
        "123e-20", "0.5e-7", "31.4159e-1", "1e308", "-4.2", "18446744073709551616", "1e21",
    };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char buf[128];
        campval__num a = num(in[i]), b;
        size_t len = campval__num_format(&a, buf, sizeof buf);
        cr_assert_lt(len, sizeof buf);
        cr_assert_eq(campval__num_parse(buf, len, &b), 0, "reparse %s", buf);
        cr_expect_eq(campval__num_cmp(&a, &b), 0, "%s -> %s", in[i], buf);
    }
}

Test(number, format_truncates_like_snprintf)
{
    char buf[8];
    campval__num n = num("-123.4567");

    memset(buf, 'x', sizeof buf);
    cr_expect_eq(campval__num_format(&n, buf, 5), 9);
    cr_expect_str_eq(buf, "-123");
    cr_expect_eq(buf[5], 'x');
    cr_expect_eq(campval__num_format(&n, buf, 1), 9);
    cr_expect_str_eq(buf, "");
    cr_expect_eq(campval__num_format(&n, NULL, 0), 9);
    n = num("1e400");
    cr_expect_eq(campval__num_format(&n, buf, sizeof buf), 6);
    cr_expect_str_eq(buf, "1e+400");
}

/* ---- huge inputs: linear time, no allocation, no overflow ----------------------------------- */

Test(number, huge_integer_megabyte)
{
    size_t la, lb;
    char *a = repeat("3", '3', MB - 1, "", &la);              /* 333...3, 2^20 digits */
    char *b = repeat("3", '3', MB - 2, "4", &lb);
    campval__num x, y, step;
    char small[16];

    cr_assert_eq(campval__num_parse(a, la, &x), 0);
    cr_assert_eq(campval__num_parse(b, lb, &y), 0);
    cr_expect_eq(campval__num_cmp(&x, &x), 0);
    cr_expect_eq(campval__num_cmp(&x, &y), -1);
    cr_expect_eq(campval__num_cmp(&y, &x), 1);
    cr_expect_eq(campval__num_is_integer(&x), 1);
    cr_expect_eq(campval__num_to_double(&x), HUGE_VAL);
    cr_expect_eq(campval__num_format(&x, small, sizeof small), MB + 10); /* 3.33...e+1048575 */
    cr_expect_str_eq(small, "3.3333333333333"); /* 15 bytes and a NUL */
    cr_expect_eq(cmp("1e1048575", "1e1048576"), -1);
    step = num("3");
    cr_expect_eq(campval__num_multiple_of(&x, &step), 1);
    step = num("11");
    cr_expect_eq(campval__num_multiple_of(&x, &step), 1); /* even number of 3s */
    step = num("9");
    cr_expect_eq(campval__num_multiple_of(&x, &step), 0); /* digit sum 3 * 2^20 */
    step = num("0.7");
    cr_expect_eq(campval__num_multiple_of(&x, &step), 0);
    free(a);
    free(b);
}

Test(number, huge_integer_equal_in_other_notation)
{
    size_t la, lb;
    char *a = repeat("7", '0', MB, "", &la);                  /* 7 * 10^(2^20) */
    char *b = repeat("0.7", '0', MB, "e1048577", &lb);         /* 0.7000... * 10^(2^20+1) */
    campval__num x, y, z;

    cr_assert_eq(campval__num_parse(a, la, &x), 0);
    cr_assert_eq(campval__num_parse(b, lb, &y), 0);
    z = num("7e1048576");
    cr_expect_eq(campval__num_cmp(&x, &y), 0);
    cr_expect_eq(campval__num_cmp(&x, &z), 0);
    cr_expect_eq(campval__num_hash(&x), campval__num_hash(&y));
    cr_expect_eq(campval__num_hash(&x), campval__num_hash(&z));
    cr_expect_eq(x.ndigits, 1);
    free(a);
    free(b);
}

Test(number, huge_fraction_and_exponent_texts)
{
    size_t len;
    campval__num x, y;
    char *s = repeat("0.", '0', MB, "1", &len);                /* 10^-(2^20+1) */

    cr_assert_eq(campval__num_parse(s, len, &x), 0);
    y = num("1e-1048577");
    cr_expect_eq(campval__num_cmp(&x, &y), 0);
    cr_expect_eq(campval__num_is_integer(&x), 0);
    free(s);

    s = repeat("1E+", '0', MB, "5", &len);
    cr_assert_eq(campval__num_parse(s, len, &x), 0);
    y = num("100000");
    cr_expect_eq(campval__num_cmp(&x, &y), 0);
    cr_expect_eq(x.clamped, 0);
    free(s);

    s = repeat("-1e-", '9', MB, "", &len);
    cr_assert_eq(campval__num_parse(s, len, &x), 0);
    cr_expect_eq(x.clamped, -1);
    y = num("-1e-400");
    cr_expect_eq(campval__num_cmp(&x, &y), 1);
    cr_expect_eq(campval__num_sign(&x), -1);
    free(s);

    s = repeat("1.", '5', MB, "e", &len);                      /* truncated exponent */
    cr_expect_eq(campval__num_parse(s, len, &x), -1);
    free(s);
}

/* ---- campval__num_show ---------------------------------------------------------------------- */

static void assert_show(const char *in, const char *want)
{
    char buf[160];
    campval__num n = num(in);
    size_t len = campval__num_show(&n, 100, buf, sizeof buf);
    cr_assert_str_eq(buf, want, "show(%s)", in);
    cr_assert_eq(len, strlen(want), "show(%s) length", in);
}

Test(number, show_is_format_when_short)
{
    assert_show("1.0", "1");
    assert_show("-2.5E-300", "-2.5e-300");
    assert_show("1e400", "1e+400");
    assert_show("12345678901234567890123456789012345678901234567890123456789012345678901234567891",
                "1.2345678901234567890123456789012345678901234567890123456789012345678901234567891e+79");
}

Test(number, show_cuts_the_middle_and_keeps_the_exponent)
{
    size_t len;
    char *s = repeat("-1", '2', 398, "3e-9", &len);
    assert_show(s, "-1.2222222222222222222...22222222222222222223e+390 (400 digits)");
    free(s);
    s = repeat("0.", '0', 1000, "15", &len);
    assert_show(s, "1.5e-1001");
    free(s);
}

/* The longest shapes still fit in 100 bytes: 2^60 - 1 digits are impossible to build, so the
 * widest exponent is checked with a clamped text and the widest count by arithmetic below. */
Test(number, show_stays_within_max)
{
    size_t len;
    char buf[160];
    campval__num n;
    char *s = repeat("-9.", '9', 200, "e-4611686018427387000", &len);
    cr_assert_eq(campval__num_parse(s, len, &n), 0);
    size_t k = campval__num_show(&n, 100, buf, sizeof buf);
    cr_assert_leq(k, 100, "%s", buf);
    cr_assert_str_eq(buf, "-9.9999999999999999999...99999999999999999999e-4611686018427387000 "
                          "(201 digits)");
    free(s);
    s = repeat("-1234567890123456789012345.5e-", '7', 5000, "", &len);
    cr_assert_eq(campval__num_parse(s, len, &n), 0);
    k = campval__num_show(&n, 100, buf, sizeof buf);
    cr_assert_str_eq(buf, "-123456789...89012345.5e-7777777777...7777777777 (exponent of 5000 digits)");
    cr_assert_leq(k, 100);
    /* sign, 20 + 20 digits, ".", "...", "e-", 19 exponent digits, " (", 19 digits, " digits)" */
    cr_assert_leq(1 + 40 + 1 + 3 + 2 + 19 + 2 + 19 + 8, 100);
    free(s);
}
