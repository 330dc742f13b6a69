/*
 * Tests for the strict JSON stage (src/lex.c, src/tokenize.c, src/json.c) through the public API
 * only: campval_validate with CAMPVAL_SYNTAX_ONLY and no schema, and again with the compiled
 * schema `{}`, which must agree on every syntax verdict.
 *
 * Cases come from the RFC 8259 grammar and the RFC 3629 UTF-8 table, not from the
 * implementation. Offset conventions (from src/lex.c): a bad number points at its first
 * offending byte (`01` at the 1, `1.e3` at the e, `+1` at the +), a trailing comma at the comma,
 * a bad literal at its first letter, a bad escape at the backslash except bad \u hex digits (at
 * the first non-hex byte), an unpaired surrogate at the backslash of its \u, invalid UTF-8 at the
 * lead byte of the sequence, a missing value / expected key / unexpected byte at that byte,
 * truncation at the end of input, a depth or token limit at the value that exceeds it, a
 * duplicate name at its opening quote. With CAMPVAL_ALLOW_BOM offsets still count the BOM.
 *
 * Every input is copied into a heap block of exactly its length (no terminator), so that the
 * sanitizers catch any read past `len`.
 */
#include <criterion/criterion.h>

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"

/* ---- fixtures ------------------------------------------------------------------------------ */

static campval_workspace *ws;
static campval_schema *empty_schema; /* `{}`: accepts every JSON value */
/* The input of the last validation stays alive: pointers and messages are rendered from it. */
static char *last_input;

static campval_schema *compile(const char *rules)
{
    campval_schema *s = NULL;
    campval_compile_error e;
    campval_code rc = campval_schema_compile(rules, strlen(rules), NULL, &s, &e);
    cr_assert_eq(rc, CAMPVAL_OK, "compile %s: %s (%s) at %s", rules, campval_code_name(rc),
                 e.message, e.location);
    cr_assert_not_null(s);
    return s;
}

static void setup(void)
{
    cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
    empty_schema = compile("{}");
}

static void teardown(void)
{
    campval_workspace_destroy(ws);
    campval_schema_free(empty_schema);
    free(last_input);
    last_input = NULL;
    ws = NULL;
    empty_schema = NULL;
}

TestSuite(json, .init = setup, .fini = teardown);
TestSuite(limits, .init = setup, .fini = teardown);
TestSuite(dups, .init = setup, .fini = teardown);
TestSuite(pointer, .init = setup, .fini = teardown);
TestSuite(api);

/* ---- helpers ------------------------------------------------------------------------------- */

/* A private copy of exactly n bytes: reading past it is a heap overflow the sanitizers see. */
static char *exact_copy(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    cr_assert_not_null(p);
    if (n)
        memcpy(p, s, n);
    return p;
}

static campval_code run_in(campval_workspace *w, const campval_schema *schema, const char *s,
                           size_t n, uint32_t flags, campval_result *res)
{
    free(last_input);
    last_input = exact_copy(s, n);
    return campval_validate(schema, w, last_input, n, flags, res);
}

/* Show bytes of a case readably in failure messages. */
static const char *show(const char *s, size_t n)
{
    static char buf[200];
    size_t o = 0;
    for (size_t i = 0; i < n && o + 8 < sizeof buf; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '\\')
            buf[o++] = (char)c;
        else
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02X", c);
    }
    if (n > 0 && o + 8 >= sizeof buf)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "...");
    buf[o] = 0;
    return buf;
}

/*
 * Expect rejection with `code` at `offset` both without a schema (syntax only) and with `{}`.
 * The first error is the syntax error and it is the only one (the lexer stops there).
 */
static void reject_n(const char *s, size_t n, uint32_t flags, campval_code code, size_t offset)
{
    const campval_schema *schemas[2] = {NULL, empty_schema};
    for (int i = 0; i < 2; i++) {
        campval_result res;
        uint32_t f = flags | (i == 0 ? CAMPVAL_SYNTAX_ONLY : 0u);
        campval_code rc = run_in(ws, schemas[i], s, n, f, &res);
        cr_assert_eq(rc, code, "[%s] %s: expected %s, got %s", i ? "{}" : "syntax", show(s, n),
                     campval_code_name(code), campval_code_name(rc));
        cr_assert_eq(res.valid, 0, "%s", show(s, n));
        cr_assert_eq(res.error_count, 1, "%s: %zu errors", show(s, n), res.error_count);
        cr_assert_eq(res.errors[0].code, code, "%s", show(s, n));
        cr_assert_eq(res.errors[0].offset, offset, "[%s] %s (%s): expected offset %zu, got %zu",
                     i ? "{}" : "syntax", show(s, n), campval_code_name(code), offset,
                     res.errors[0].offset);
        if (code != CAMPVAL_JSON_DUPLICATE_KEY) /* a duplicate names its member token */
            cr_assert_eq(res.errors[0].token, -1, "%s", show(s, n));
        cr_assert_str_eq(res.errors[0].keyword, "", "%s", show(s, n));
    }
}

static void reject(const char *s, campval_code code, size_t offset)
{
    reject_n(s, strlen(s), 0, code, offset);
}

static void accept_n(const char *s, size_t n, uint32_t flags)
{
    const campval_schema *schemas[2] = {NULL, empty_schema};
    for (int i = 0; i < 2; i++) {
        campval_result res;
        uint32_t f = flags | (i == 0 ? CAMPVAL_SYNTAX_ONLY : 0u);
        campval_code rc = run_in(ws, schemas[i], s, n, f, &res);
        cr_assert_eq(rc, CAMPVAL_OK, "[%s] %s: expected OK, got %s at %zu", i ? "{}" : "syntax",
                     show(s, n), campval_code_name(rc),
                     res.error_count ? res.errors[0].offset : (size_t)0);
        cr_assert_eq(res.valid, 1, "%s", show(s, n));
        cr_assert_eq(res.error_count, 0, "%s", show(s, n));
        cr_assert_eq(res.errors_dropped, 0, "%s", show(s, n));
    }
}

static void accept(const char *s)
{
    accept_n(s, strlen(s), 0);
}

/* Rejection with the line and column of the error as well. */
static void reject_at(const char *s, campval_code code, size_t offset, uint32_t line,
                      uint32_t column)
{
    reject(s, code, offset);
    campval_result res;
    run_in(ws, NULL, s, strlen(s), CAMPVAL_SYNTAX_ONLY, &res);
    cr_assert_eq(res.errors[0].line, line, "%s: line %u, expected %u", show(s, strlen(s)),
                 res.errors[0].line, line);
    cr_assert_eq(res.errors[0].column, column, "%s: column %u, expected %u", show(s, strlen(s)),
                 res.errors[0].column, column);
}

/* Byte string literal with its length (for inputs holding NUL bytes). */
#define B(lit) (lit), (sizeof(lit) - 1)

/* ---- numbers (RFC 8259 section 6) ---------------------------------------------------------- */

Test(json, number_leading_zero)
{
    reject("01", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("-01", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("00", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("[0123]", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("-00.5", CAMPVAL_JSON_BAD_NUMBER, 2);
}

Test(json, number_sign_and_point)
{
    reject("+1", CAMPVAL_JSON_BAD_NUMBER, 0);
    reject("[+1]", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject(".5", CAMPVAL_JSON_BAD_NUMBER, 0);
    reject("[.5]", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("1.", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("[1.]", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("1.e3", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("-.5", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("1..2", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("1.2.3", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("--1", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("-", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("[-]", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("- 1", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("-a", CAMPVAL_JSON_BAD_NUMBER, 1);
}

Test(json, number_exponent)
{
    reject("1e", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("1E", CAMPVAL_JSON_BAD_NUMBER, 2);
    reject("1e+", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("1e-", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("[1e]", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("1.5e", CAMPVAL_JSON_BAD_NUMBER, 4);
    reject("1e+-2", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("1e2.5", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("1e2e3", CAMPVAL_JSON_BAD_NUMBER, 3);
    reject("[1e5x]", CAMPVAL_JSON_BAD_NUMBER, 4);
}

Test(json, number_not_json)
{
    reject("0x1F", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("NaN", CAMPVAL_JSON_BAD_NUMBER, 0);
    reject("[NaN]", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("Infinity", CAMPVAL_JSON_BAD_NUMBER, 0);
    reject("-Infinity", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("{\"a\":-Infinity}", CAMPVAL_JSON_BAD_NUMBER, 6);
    reject("1_000", CAMPVAL_JSON_BAD_NUMBER, 1);
    reject("12abc", CAMPVAL_JSON_BAD_NUMBER, 2);
}

Test(json, number_valid)
{
    accept("0");
    accept("-0");
    accept("-0.0");
    accept("0e0");
    accept("0E+0");
    accept("0.000001");
    accept("-1.5e-10");
    accept("123456789");
    accept("1E400");
    accept("1e400");
    accept("-1e-400");
    accept("[0,-0,1,-1,0.5,1e1,1E-1,1e+1,1.25e+308]");
    accept("{\"n\":0}");
    accept("[0]");
    accept("[-0]");
}

Test(json, number_huge)
{
    char digits[301];
    memset(digits, '9', 300);
    digits[0] = '1';
    digits[300] = 0;
    accept(digits);
    char neg[302];
    neg[0] = '-';
    memcpy(neg + 1, digits, 301);
    accept(neg);
    char fraction[305] = "0.";
    memset(fraction + 2, '1', 300);
    fraction[302] = 0;
    accept(fraction);
}

/* A number of a million digits scans in one pass (no timing assertion; the suite's timeout
 * would notice a quadratic scan). */
Test(json, number_one_megabyte)
{
    size_t n = 1u << 20;
    char *s = malloc(n);
    cr_assert_not_null(s);
    memset(s, '7', n);
    s[0] = '1';
    accept_n(s, n, 0);
    /* with a fraction and exponent */
    s[n / 2] = '.';
    s[n - 3] = 'e';
    s[n - 2] = '-';
    accept_n(s, n, 0);
    /* a bad byte at the very end */
    s[n - 1] = 'x';
    reject_n(s, n, 0, CAMPVAL_JSON_BAD_NUMBER, n - 1);
    free(s);
}

/* ---- literals ------------------------------------------------------------------------------ */

Test(json, literal_truncated)
{
    reject("tru", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("nul", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("fals", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("t", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("[tru]", CAMPVAL_JSON_BAD_LITERAL, 1);
    reject("{\"a\":nul}", CAMPVAL_JSON_BAD_LITERAL, 5);
    reject("[1,fals]", CAMPVAL_JSON_BAD_LITERAL, 3);
}

Test(json, literal_extended_or_wrong_case)
{
    reject("truex", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("nulll", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("false0", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("[true_]", CAMPVAL_JSON_BAD_LITERAL, 1);
    reject("trUe", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("nan", CAMPVAL_JSON_BAD_LITERAL, 0);
    reject("True", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
    reject("NULL", CAMPVAL_JSON_BAD_NUMBER, 0); /* lex.c reads a leading 'N' as NaN */
    reject("undefined", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
}

Test(json, literal_valid)
{
    accept("true");
    accept("false");
    accept("null");
    accept("[true,false,null]");
    accept("{\"t\":true,\"f\":false,\"n\":null}");
    accept("[true]");
}

/* ---- strings: escapes ---------------------------------------------------------------------- */

Test(json, escape_invalid)
{
    reject("\"\\x\"", CAMPVAL_JSON_BAD_ESCAPE, 1);
    reject("\"ab\\'\"", CAMPVAL_JSON_BAD_ESCAPE, 3);
    reject("\"\\a\"", CAMPVAL_JSON_BAD_ESCAPE, 1);
    reject("\"\\U0041\"", CAMPVAL_JSON_BAD_ESCAPE, 1);
    reject("\"\\u12G4\"", CAMPVAL_JSON_BAD_ESCAPE, 5);
    reject("\"\\u12\"", CAMPVAL_JSON_BAD_ESCAPE, 5);
    reject("\"\\uXYZW\"", CAMPVAL_JSON_BAD_ESCAPE, 3);
    reject("[\"\\u00\"]", CAMPVAL_JSON_BAD_ESCAPE, 6);
    reject("{\"\\q\":1}", CAMPVAL_JSON_BAD_ESCAPE, 2);
    /* an escape cut by the end of input is truncation */
    reject("\"\\", CAMPVAL_JSON_TRUNCATED, 2);
    reject("\"\\u12", CAMPVAL_JSON_BAD_ESCAPE, 5);
}

Test(json, escape_all_valid)
{
    accept("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"");
    accept("\"\\u0000\\u001F\\u0020\\u007f\\u00E9\\u20AC\\uFFFF\\uFFFE\\uabcd\"");
    accept("{\"\\n\":\"\\t\"}");
    accept("\"\\u0000\""); /* an escaped NUL is a valid string, unlike a raw one */
}

Test(json, surrogate_pairs)
{
    accept("\"\\uD83D\\uDE00\"");
    accept("\"\\ud83d\\ude00\"");
    accept("\"\\uD800\\uDC00\\uDBFF\\uDFFF\"");
    accept("[\"x\\uD834\\uDD1Ey\"]");
    reject("\"\\uD800\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("\"\\uDC00\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("\"\\uDFFF\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("\"\\uD800\\u0041\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("\"\\uD800x\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("\"\\uD800\\uD800\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("\"\\uD800\\n\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("\"ab\\uDBFF\"", CAMPVAL_JSON_LONE_SURROGATE, 3);
    /* low then high is two lone surrogates: the first is reported */
    reject("\"\\uDC00\\uD800\"", CAMPVAL_JSON_LONE_SURROGATE, 1);
    reject("{\"k\\uDE00\":1}", CAMPVAL_JSON_LONE_SURROGATE, 3);
}

/* ---- strings: raw control characters and NUL bytes ----------------------------------------- */

Test(json, control_characters)
{
    reject("\"a\tb\"", CAMPVAL_JSON_CONTROL_CHAR, 2);
    reject("\"a\nb\"", CAMPVAL_JSON_CONTROL_CHAR, 2);
    reject("\"\r\"", CAMPVAL_JSON_CONTROL_CHAR, 1);
    reject("\"\x1F\"", CAMPVAL_JSON_CONTROL_CHAR, 1);
    reject("\"\x01\"", CAMPVAL_JSON_CONTROL_CHAR, 1);
    reject("{\"k\x08\":1}", CAMPVAL_JSON_CONTROL_CHAR, 3);
    accept("\"\x7F\""); /* DEL is not a control character for RFC 8259 */
    accept("\" \"");
}

Test(json, nul_bytes)
{
    reject_n(B("\"a\0b\""), 0, CAMPVAL_JSON_NUL_BYTE, 2);
    reject_n(B("\0"), 0, CAMPVAL_JSON_NUL_BYTE, 0);
    reject_n(B("1\0"), 0, CAMPVAL_JSON_NUL_BYTE, 1);
    reject_n(B("{}\0"), 0, CAMPVAL_JSON_NUL_BYTE, 2);
    reject_n(B("1 \0"), 0, CAMPVAL_JSON_NUL_BYTE, 2);
    reject_n(B("[1,\0 2]"), 0, CAMPVAL_JSON_NUL_BYTE, 3);
    reject_n(B("[1\0]"), 0, CAMPVAL_JSON_NUL_BYTE, 2);
    reject_n(B("{\"a\"\0:1}"), 0, CAMPVAL_JSON_NUL_BYTE, 4);
    reject_n(B("{\"a\":\0}"), 0, CAMPVAL_JSON_NUL_BYTE, 5);
    reject_n(B("{\0}"), 0, CAMPVAL_JSON_NUL_BYTE, 1);
    reject_n(B("\0{}"), 0, CAMPVAL_JSON_NUL_BYTE, 0);
    reject_n(B("[\"ok\",\0\"x\"]"), 0, CAMPVAL_JSON_NUL_BYTE, 6);
    /* jsmn would stop at the first NUL and see a complete `{}` here */
    reject_n(B("{}\0garbage"), 0, CAMPVAL_JSON_NUL_BYTE, 2);
    reject_n(B("{\"a\":1}\0{\"b\":2}"), 0, CAMPVAL_JSON_NUL_BYTE, 7);
}

/* A NUL right after a backslash is reported at the NUL (offset 2), like every other NUL. */
Test(json, nul_after_backslash)
{
    reject_n(B("\"\\\0\""), 0, CAMPVAL_JSON_NUL_BYTE, 2);
}

Test(json, nul_after_backslash_current_code)
{
    /* The code is right whatever the offset convention. */
    campval_result res;
    cr_assert_eq(run_in(ws, NULL, B("\"\\\0\""), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_NUL_BYTE);
}

/* ---- UTF-8 (RFC 3629 section 4) ------------------------------------------------------------ */

Test(json, utf8_valid_all_lengths)
{
    /* boundaries of each length: U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000,
     * U+10FFFF */
    accept("\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
           "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"");
    accept("\"L\xC3\xA9" "a J\xC3\xBCrgen \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    accept("{\"\xC3\xA9t\xC3\xA9\":\"\xE6\x97\xA5\xE6\x9C\xAC\"}");
    accept("\"\xEF\xBB\xBF\""); /* U+FEFF inside a string is an ordinary character */
}

Test(json, utf8_overlong)
{
    reject("\"\xC0\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xC1\xBF\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xE0\x80\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xE0\x9F\xBF\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xF0\x80\x80\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xF0\x8F\xBF\xBF\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"ok\xC0\xAF\"", CAMPVAL_JSON_BAD_UTF8, 3);
}

Test(json, utf8_surrogates_and_range)
{
    reject("\"\xED\xA0\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xED\xBF\xBF\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xED\xA0\xBD\xED\xB8\x80\"", CAMPVAL_JSON_BAD_UTF8, 1); /* CESU-8 pair */
    reject("\"\xF4\x90\x80\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xF5\x80\x80\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xF7\xBF\xBF\xBF\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xF8\x88\x80\x80\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xFC\x84\x80\x80\x80\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xFE\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xFF\"", CAMPVAL_JSON_BAD_UTF8, 1);
}

Test(json, utf8_truncated_and_stray)
{
    /* cut before the closing quote */
    reject("\"\xC3\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xE2\x82\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xF0\x9F\x98\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xE2\x82x\"", CAMPVAL_JSON_BAD_UTF8, 1);
    /* cut by the end of input */
    reject("\"\xC3", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"ab\xE2\x82", CAMPVAL_JSON_BAD_UTF8, 3);
    reject("\"\xF0\x9F\x98", CAMPVAL_JSON_BAD_UTF8, 1);
    /* continuation bytes with no lead */
    reject("\"\x80\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xBF\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xC3\xA9\xA9\"", CAMPVAL_JSON_BAD_UTF8, 3);
    /* lead followed by a non-continuation */
    reject("\"\xC3(\"", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("\"\xF0\x9F\x98(\"", CAMPVAL_JSON_BAD_UTF8, 1);
}

Test(json, utf8_outside_strings)
{
    reject("\x80", CAMPVAL_JSON_BAD_UTF8, 0);
    reject("\xFF", CAMPVAL_JSON_BAD_UTF8, 0);
    reject("[\xFF]", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("1\xFF", CAMPVAL_JSON_BAD_UTF8, 1);
    reject("[1]\xC0\x80", CAMPVAL_JSON_BAD_UTF8, 3);
    reject("{\"a\"\xFF:1}", CAMPVAL_JSON_BAD_UTF8, 4);
    reject("{\"a\":1\xBF}", CAMPVAL_JSON_BAD_UTF8, 6);
    reject("\xEF\xBB", CAMPVAL_JSON_BAD_UTF8, 0); /* half a BOM */
    reject("[\xC3", CAMPVAL_JSON_BAD_UTF8, 1);
    /* valid UTF-8 that is not JSON syntax */
    reject("[\xC3\xA9]", CAMPVAL_JSON_UNEXPECTED_CHAR, 1);
    reject("{\xC3\xA9:1}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    reject("1\xC2\xA0", CAMPVAL_JSON_TRAILING_DATA, 1);      /* NO-BREAK SPACE is not white space */
    reject("[1,\xE2\x80\x83 2]", CAMPVAL_JSON_UNEXPECTED_CHAR, 3); /* EM SPACE */
}

/* ---- structure ----------------------------------------------------------------------------- */

Test(json, trailing_commas)
{
    reject("[1,]", CAMPVAL_JSON_TRAILING_COMMA, 2);
    reject("[1, ]", CAMPVAL_JSON_TRAILING_COMMA, 2);
    reject("[[1,2],]", CAMPVAL_JSON_TRAILING_COMMA, 6);
    reject("{\"a\":1,}", CAMPVAL_JSON_TRAILING_COMMA, 6);
    reject("{\"a\":1 , }", CAMPVAL_JSON_TRAILING_COMMA, 7);
    reject("{\"a\":{},}", CAMPVAL_JSON_TRAILING_COMMA, 7);
    reject("[{\"a\":[1,]}]", CAMPVAL_JSON_TRAILING_COMMA, 8);
}

Test(json, empty_members)
{
    reject("[1,,2]", CAMPVAL_JSON_MISSING_VALUE, 3);
    reject("[,1]", CAMPVAL_JSON_MISSING_VALUE, 1);
    reject("[,]", CAMPVAL_JSON_MISSING_VALUE, 1);
    reject(",", CAMPVAL_JSON_MISSING_VALUE, 0);
    reject("{\"a\":1,,\"b\":2}", CAMPVAL_JSON_EXPECTED_KEY, 7);
    reject("{,\"a\":1}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    reject("{,}", CAMPVAL_JSON_EXPECTED_KEY, 1);
}

Test(json, members)
{
    reject("{\"a\" 1}", CAMPVAL_JSON_EXPECTED_COLON, 5);
    reject("{\"a\"}", CAMPVAL_JSON_EXPECTED_COLON, 4);
    reject("{\"a\",\"b\"}", CAMPVAL_JSON_EXPECTED_COLON, 4);
    reject("{\"a\"=1}", CAMPVAL_JSON_EXPECTED_COLON, 4);
    reject("{\"a\"::1}", CAMPVAL_JSON_UNEXPECTED_CHAR, 5);
    reject("{\"a\":}", CAMPVAL_JSON_MISSING_VALUE, 5);
    reject("{\"a\":,\"b\":1}", CAMPVAL_JSON_MISSING_VALUE, 5);
    reject("{1:2}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    reject("{a:1}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    reject("{'a':1}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    reject("{null:1}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    reject("{[]:1}", CAMPVAL_JSON_EXPECTED_KEY, 1);
    reject("{\"a\":1,2:3}", CAMPVAL_JSON_EXPECTED_KEY, 7);
    reject("[\"a\" \"b\"]", CAMPVAL_JSON_EXPECTED_COMMA, 5);
    reject("{\"a\":1 \"b\":2}", CAMPVAL_JSON_EXPECTED_COMMA, 7);
    reject("[1 2]", CAMPVAL_JSON_EXPECTED_COMMA, 3);
    reject("[1:2]", CAMPVAL_JSON_EXPECTED_COMMA, 2);
    reject("{\"a\":1:2}", CAMPVAL_JSON_EXPECTED_COMMA, 6);
}

Test(json, second_top_level_value)
{
    reject("1 2", CAMPVAL_JSON_TRAILING_DATA, 2);
    reject("{} {}", CAMPVAL_JSON_TRAILING_DATA, 3);
    reject("{}{}", CAMPVAL_JSON_TRAILING_DATA, 2);
    reject("[]x", CAMPVAL_JSON_TRAILING_DATA, 2);
    reject("[][]", CAMPVAL_JSON_TRAILING_DATA, 2);
    reject("true false", CAMPVAL_JSON_TRAILING_DATA, 5);
    reject("\"a\"\"b\"", CAMPVAL_JSON_TRAILING_DATA, 3);
    reject("null,", CAMPVAL_JSON_TRAILING_DATA, 4);
    reject("{\"a\":1}}", CAMPVAL_JSON_TRAILING_DATA, 7);
    reject("[1]]", CAMPVAL_JSON_TRAILING_DATA, 3);
    reject("{}\n\n;", CAMPVAL_JSON_TRAILING_DATA, 4);
}

Test(json, mismatched_brackets)
{
    reject("[1}", CAMPVAL_JSON_MISMATCHED_BRACKET, 2);
    reject("{\"a\":1]", CAMPVAL_JSON_MISMATCHED_BRACKET, 6);
    reject("[[1]}", CAMPVAL_JSON_MISMATCHED_BRACKET, 4);
    reject("{\"a\":[1}}", CAMPVAL_JSON_MISMATCHED_BRACKET, 7);
    reject("[{}}", CAMPVAL_JSON_MISMATCHED_BRACKET, 3);
}

/* An empty container closed by the wrong bracket is a mismatched bracket, like `[1}`. */
Test(json, mismatched_brackets_empty)
{
    reject("[}", CAMPVAL_JSON_MISMATCHED_BRACKET, 1);
    reject("{]", CAMPVAL_JSON_MISMATCHED_BRACKET, 1);
    reject("[[}]", CAMPVAL_JSON_MISMATCHED_BRACKET, 2);
}

Test(json, stray_closers)
{
    reject("]", CAMPVAL_JSON_MISSING_VALUE, 0);
    reject("}", CAMPVAL_JSON_MISSING_VALUE, 0);
    reject(":", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
    reject("[1,]]", CAMPVAL_JSON_TRAILING_COMMA, 2);
}

Test(json, unclosed)
{
    reject("[", CAMPVAL_JSON_TRUNCATED, 1);
    reject("{", CAMPVAL_JSON_TRUNCATED, 1);
    reject("[1", CAMPVAL_JSON_TRUNCATED, 2);
    reject("[1,", CAMPVAL_JSON_TRUNCATED, 3);
    reject("[1, ", CAMPVAL_JSON_TRUNCATED, 4);
    reject("{\"a\"", CAMPVAL_JSON_TRUNCATED, 4);
    reject("{\"a\":", CAMPVAL_JSON_TRUNCATED, 5);
    reject("{\"a\":1", CAMPVAL_JSON_TRUNCATED, 6);
    reject("{\"a\":1,", CAMPVAL_JSON_TRUNCATED, 7);
    reject("[[[[]]]", CAMPVAL_JSON_TRUNCATED, 7);
    reject("\"abc", CAMPVAL_JSON_TRUNCATED, 4);
    reject("{\"ab", CAMPVAL_JSON_TRUNCATED, 4);
    reject("[\"a\\\"]", CAMPVAL_JSON_TRUNCATED, 6); /* the quote is escaped */
}

Test(json, comments)
{
    reject("// c\n1", CAMPVAL_JSON_COMMENT, 0);
    reject("/* c */ 1", CAMPVAL_JSON_COMMENT, 0);
    reject("1 // c", CAMPVAL_JSON_COMMENT, 2);
    reject("1 /* c */", CAMPVAL_JSON_COMMENT, 2);
    reject("[1 // c\n]", CAMPVAL_JSON_COMMENT, 3);
    reject("[1, /* c */ 2]", CAMPVAL_JSON_COMMENT, 4);
    reject("{/*c*/\"a\":1}", CAMPVAL_JSON_COMMENT, 1);
    reject("{\"a\"/*c*/:1}", CAMPVAL_JSON_COMMENT, 4);
    reject("{\"a\":/*c*/1}", CAMPVAL_JSON_COMMENT, 5);
    reject("# c\n1", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
    reject("/", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
    accept("\"// not a comment /* */\"");
}

Test(json, byte_order_mark)
{
    reject("\xEF\xBB\xBF{}", CAMPVAL_JSON_BOM, 0);
    reject("\xEF\xBB\xBF", CAMPVAL_JSON_BOM, 0);
    reject(" \xEF\xBB\xBF{}", CAMPVAL_JSON_UNEXPECTED_CHAR, 1); /* not at the start */
    reject("{}\xEF\xBB\xBF", CAMPVAL_JSON_TRAILING_DATA, 2);
    /* opted in: skipped, and offsets still count from the caller's first byte */
    accept_n(B("\xEF\xBB\xBF{}"), CAMPVAL_ALLOW_BOM);
    accept_n(B("\xEF\xBB\xBF 1 "), CAMPVAL_ALLOW_BOM);
    accept_n(B("{}"), CAMPVAL_ALLOW_BOM);
    reject_n(B("\xEF\xBB\xBF[1,]"), CAMPVAL_ALLOW_BOM, CAMPVAL_JSON_TRAILING_COMMA, 5);
    reject_n(B("\xEF\xBB\xBF"), CAMPVAL_ALLOW_BOM, CAMPVAL_JSON_EMPTY, 3);
    reject_n(B("\xEF\xBB\xBF\xEF\xBB\xBF{}"), CAMPVAL_ALLOW_BOM, CAMPVAL_JSON_BOM, 3);
    reject_n(B("\xEF\xBB\xBF\n\"\x01\""), CAMPVAL_ALLOW_BOM, CAMPVAL_JSON_CONTROL_CHAR, 5);

    campval_result res;
    run_in(ws, NULL, B("\xEF\xBB\xBF\n[1,\n]"), CAMPVAL_SYNTAX_ONLY | CAMPVAL_ALLOW_BOM, &res);
    cr_assert_eq(res.errors[0].code, CAMPVAL_JSON_TRAILING_COMMA);
    cr_assert_eq(res.errors[0].offset, 6);
    cr_assert_eq(res.errors[0].line, 2);
    cr_assert_eq(res.errors[0].column, 3);
}

/* With an allowed BOM, duplicate and rule errors count from the caller's first byte too. */
Test(json, byte_order_mark_offsets_after_parsing)
{
    campval_result res;
    cr_assert_eq(run_in(ws, NULL, B("\xEF\xBB\xBF{\"a\":1,\"a\":2}"),
                        CAMPVAL_SYNTAX_ONLY | CAMPVAL_ALLOW_BOM, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.errors[0].offset, 10);
    char ptr[16];
    campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr);
    cr_assert_str_eq(ptr, "/a");
    campval_schema *s = compile("{\"properties\":{\"a\":{\"properties\":{\"b\":{\"type\":"
                                "\"string\"}}}}}");
    cr_assert_eq(run_in(ws, s, B("\xEF\xBB\xBF{\"a\":{\"b\":1}}"), CAMPVAL_ALLOW_BOM, &res),
                 CAMPVAL_TYPE);
    cr_assert_eq(res.errors[0].offset, 13);
    cr_assert_eq(res.errors[0].column, 14);
    campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr);
    cr_assert_str_eq(ptr, "/a/b");
    campval_schema_free(s);
}

Test(json, empty_input)
{
    reject("", CAMPVAL_JSON_EMPTY, 0);
    reject(" ", CAMPVAL_JSON_EMPTY, 1);
    reject(" \t\r\n ", CAMPVAL_JSON_EMPTY, 5);
    reject("\n\n", CAMPVAL_JSON_EMPTY, 2);
    /* vertical tab and form feed are not JSON white space */
    reject("\v", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
    reject("\f1", CAMPVAL_JSON_UNEXPECTED_CHAR, 0);
    /* NULL with length 0 is an empty document, not a usage error */
    campval_result res;
    cr_assert_eq(campval_validate(NULL, ws, NULL, 0, CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_JSON_EMPTY);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].offset, 0);
}

Test(json, line_and_column)
{
    reject_at("{\n  \"a\": 1,\n  \"b\": tru\n}", CAMPVAL_JSON_BAD_LITERAL, 19, 3, 8);
    reject_at("[\n  1,\n  2,\n]", CAMPVAL_JSON_TRAILING_COMMA, 10, 3, 4);
    reject_at("[1,\r\n 2,\r\n]", CAMPVAL_JSON_TRAILING_COMMA, 7, 2, 3);
    reject_at("{\n\"x\":\n\n\"\t\"}", CAMPVAL_JSON_CONTROL_CHAR, 9, 4, 2);
    /* columns count bytes, not characters */
    reject_at("[\"\xC3\xA9\xC3\xA9\", 01]", CAMPVAL_JSON_BAD_NUMBER, 10, 1, 11);
    reject_at("\n\n\n", CAMPVAL_JSON_EMPTY, 3, 4, 1);
    reject_at("[\n", CAMPVAL_JSON_TRUNCATED, 2, 2, 1);
}

/* ---- accepted documents -------------------------------------------------------------------- */

Test(json, top_level_scalars)
{
    accept("1");
    accept("-0");
    accept("\"x\"");
    accept("\"\"");
    accept("null");
    accept("true");
    accept("false");
    accept(" 1 ");
    accept("\n\t\r 1.5e3\r\n");
    accept("  \"x\"\n");
    accept(" null");
    accept("true ");
    accept("\t-0\t");
}

Test(json, containers)
{
    accept("{}");
    accept("[]");
    accept(" { } ");
    accept("[ ]");
    accept("[[]]");
    accept("[{}]");
    accept("{\"\":{}}");
    accept("{\"a\":[],\"b\":{},\"c\":[{}]}");
    accept("[1,\"two\",[3],{\"four\":4},true,false,null]");
    accept("{ \"a\" : 1 , \"b\" :\n2 }");
}

Test(json, token_count)
{
    campval_result res;
    cr_assert_eq(run_in(ws, NULL, B("[1,2]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(res.token_count, 3);
    cr_assert_eq(run_in(ws, NULL, B("{\"a\":1,\"b\":[true]}"), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_OK);
    cr_assert_eq(res.token_count, 6);
    cr_assert_eq(run_in(ws, NULL, B(" 7 "), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(res.token_count, 1);
}

Test(json, long_strings)
{
    size_t n = 300000;
    char *s = malloc(n);
    cr_assert_not_null(s);
    s[0] = '"';
    for (size_t i = 1; i < n - 1; i++)
        s[i] = (char)('a' + i % 26);
    s[n - 1] = '"';
    accept_n(s, n, 0);
    /* escapes and multi-byte sequences all the way through */
    static const char unit[] = "\\u00e9\xC3\xA9\\n\xF0\x9F\x98\x80\\uD83D\\uDE00x";
    size_t ul = sizeof unit - 1, o = 1;
    while (o + ul < n - 1) {
        memcpy(s + o, unit, ul);
        o += ul;
    }
    memset(s + o, 'z', n - 1 - o);
    accept_n(s, n, 0);
    /* one bad byte near the end */
    s[n - 3] = '\x01';
    reject_n(s, n, 0, CAMPVAL_JSON_CONTROL_CHAR, n - 3);
    free(s);
}

Test(json, many_values_and_members)
{
    /* 20000 array elements and an object with 5000 members */
    size_t cap = 200000, o = 0;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    s[o++] = '[';
    for (int i = 0; i < 20000; i++)
        o += (size_t)snprintf(s + o, cap - o, i ? ",%d" : "%d", i);
    s[o++] = ']';
    accept_n(s, o, 0);
    o = 0;
    s[o++] = '{';
    for (int i = 0; i < 5000; i++)
        o += (size_t)snprintf(s + o, cap - o, i ? ",\"k%d\":%d" : "\"k%d\":%d", i, i);
    s[o++] = '}';
    accept_n(s, o, 0);
    campval_result res;
    run_in(ws, NULL, s, o, CAMPVAL_SYNTAX_ONLY, &res);
    cr_assert_eq(res.token_count, 10001);
    free(s);
}

/* ---- limits -------------------------------------------------------------------------------- */

static char *nested(size_t depth, char open, char close, size_t *len)
{
    char *s = malloc(2 * depth + 1);
    cr_assert_not_null(s);
    memset(s, open, depth);
    memset(s + depth, close, depth);
    *len = 2 * depth;
    return s;
}

Test(limits, depth_default)
{
    size_t n;
    char *s = nested(CAMPVAL_DEFAULT_MAX_DEPTH, '[', ']', &n);
    accept_n(s, n, 0);
    free(s);
    s = nested(CAMPVAL_DEFAULT_MAX_DEPTH + 1, '[', ']', &n);
    reject_n(s, n, 0, CAMPVAL_LIMIT_DEPTH, CAMPVAL_DEFAULT_MAX_DEPTH);
    free(s);
    /* an unclosed prefix hits the limit first, too */
    s = nested(1000, '[', ']', &n);
    reject_n(s, 1000, 0, CAMPVAL_LIMIT_DEPTH, CAMPVAL_DEFAULT_MAX_DEPTH);
    free(s);
}

Test(limits, depth_objects)
{
    /* {"a":{"a":...1...}} : each level is 5 bytes of prefix */
    size_t depth = CAMPVAL_DEFAULT_MAX_DEPTH;
    for (int extra = 0; extra < 2; extra++) {
        size_t d = depth + (size_t)extra, o = 0;
        char *s = malloc(d * 6 + 2);
        cr_assert_not_null(s);
        for (size_t i = 0; i < d; i++) {
            memcpy(s + o, "{\"a\":", 5);
            o += 5;
        }
        s[o++] = '1';
        memset(s + o, '}', d);
        o += d;
        if (extra == 0)
            accept_n(s, o, 0);
        else
            reject_n(s, o, 0, CAMPVAL_LIMIT_DEPTH, 5 * depth);
        free(s);
    }
}

Test(limits, depth_custom)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_depth = 3;
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    campval_result res;
    cr_assert_eq(run_in(w, NULL, B("[{\"a\":[1]}]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, empty_schema, B("[{\"a\":[1]}]"), 0, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, NULL, B("[{\"a\":[[1]]}]"), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_LIMIT_DEPTH);
    cr_assert_eq(res.errors[0].offset, 7);
    /* depth is nesting, not the number of containers */
    cr_assert_eq(run_in(w, NULL, B("[[],[],[[]],{},{\"a\":[]}]"), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_OK);
    campval_workspace_destroy(w);
}

Test(limits, depth_ceiling)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_depth = CAMPVAL_MAX_DEPTH_CEILING;
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    size_t n;
    char *s = nested(CAMPVAL_MAX_DEPTH_CEILING, '[', ']', &n);
    campval_result res;
    cr_assert_eq(run_in(w, NULL, s, n, CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, empty_schema, s, n, 0, &res), CAMPVAL_OK);
    free(s);
    s = nested(CAMPVAL_MAX_DEPTH_CEILING + 1, '[', ']', &n);
    cr_assert_eq(run_in(w, NULL, s, n, CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_LIMIT_DEPTH);
    cr_assert_eq(res.errors[0].offset, CAMPVAL_MAX_DEPTH_CEILING);
    free(s);
    campval_workspace_destroy(w);

    lim.max_depth = CAMPVAL_MAX_DEPTH_CEILING + 1;
    cr_assert_eq(campval_workspace_size(&lim), 0);
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_BAD_ARGUMENT);
    cr_assert_null(w);
    lim.max_depth = 0;
    cr_assert_eq(campval_workspace_size(&lim), 0);
}

/* A recursive schema follows the document all the way down at the default depth. */
Test(limits, depth_default_recursive_rules)
{
    size_t n;
    char *s = nested(CAMPVAL_DEFAULT_MAX_DEPTH, '[', ']', &n);
    campval_schema *rec = compile("{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}");
    campval_result res;
    cr_assert_eq(run_in(ws, rec, s, n, 0, &res), CAMPVAL_OK);
    campval_schema_free(rec);
    free(s);
}

/*
 * A document the workspace accepts (max_depth raised up to the ceiling, as the header allows)
 * validates against a simply recursive schema: the engine's recursion cap follows max_depth.
 */
Test(limits, depth_ceiling_recursive_rules)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_depth = CAMPVAL_MAX_DEPTH_CEILING;
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    size_t n;
    char *s = nested(CAMPVAL_MAX_DEPTH_CEILING, '[', ']', &n);
    campval_schema *rec = compile("{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}");
    campval_result res;
    campval_code rc = run_in(w, rec, s, n, 0, &res);
    cr_assert_eq(rc, CAMPVAL_OK, "%s at %zu", campval_code_name(rc),
                 res.error_count ? res.errors[0].offset : (size_t)0);
    campval_schema_free(rec);
    free(s);
    campval_workspace_destroy(w);
}

Test(limits, tokens)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 3;
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    campval_result res;
    cr_assert_eq(run_in(w, NULL, B("[1,2]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, empty_schema, B("[1,2]"), 0, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, NULL, B("{\"a\":1}"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, NULL, B("[1,2,3]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_LIMIT_TOKENS);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].offset, 5);
    cr_assert_eq(run_in(w, empty_schema, B("[1,2,3]"), 0, &res), CAMPVAL_LIMIT_TOKENS);
    /* a member name is a token */
    cr_assert_eq(run_in(w, NULL, B("{\"a\":1,\"b\":2}"), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_LIMIT_TOKENS);
    cr_assert_eq(res.errors[0].offset, 7);
    /* a syntax error before the limit is reported as such */
    cr_assert_eq(run_in(w, NULL, B("[1,]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_JSON_TRAILING_COMMA);
    campval_workspace_destroy(w);

    lim.max_tokens = 1;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    cr_assert_eq(run_in(w, NULL, B(" 42 "), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, NULL, B("[]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, NULL, B("[0]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_LIMIT_TOKENS);
    cr_assert_eq(res.errors[0].offset, 1);
    campval_workspace_destroy(w);

    lim.max_tokens = 0;
    cr_assert_eq(campval_workspace_size(&lim), 0);
}

Test(limits, input_length)
{
    /* The length is refused before any byte is read: the buffer is one byte long. */
    char *tiny = malloc(1);
    cr_assert_not_null(tiny);
    tiny[0] = '{';
    campval_result res;
    campval_code rc = campval_validate(NULL, ws, tiny, CAMPVAL_MAX_INPUT + 1, CAMPVAL_SYNTAX_ONLY,
                                       &res);
    cr_assert_eq(rc, CAMPVAL_LIMIT_INPUT);
    cr_assert_eq(res.valid, 0);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].code, CAMPVAL_LIMIT_INPUT);
    cr_assert_eq(res.errors[0].offset, 0);
    rc = campval_validate(empty_schema, ws, tiny, SIZE_MAX, 0, &res);
    cr_assert_eq(rc, CAMPVAL_LIMIT_INPUT);
    cr_assert_eq(res.errors[0].line, 1);
    cr_assert_eq(res.errors[0].column, 1);
    char out[64];
    campval_error_pointer(ws, &res.errors[0], out, sizeof out);
    cr_assert_str_eq(out, "");
    free(tiny);
}

Test(limits, max_errors)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_errors = 2;
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    campval_result res;
    /* five repeated names: two recorded, three counted */
    const char *doc = "{\"a\":1,\"a\":2,\"b\":1,\"b\":2,\"c\":1,\"c\":2,\"d\":1,\"d\":2,\"e\":0,\"e\":0}";
    cr_assert_eq(run_in(w, NULL, doc, strlen(doc), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.error_count, 2);
    cr_assert_eq(res.errors_dropped, 3);
    cr_assert_eq(res.errors[0].offset, 7);
    cr_assert_eq(res.errors[1].offset, 19);
    /* rule violations: one per item */
    campval_schema *s = compile("{\"items\":{\"type\":\"string\"}}");
    cr_assert_eq(run_in(w, s, B("[1,2,3,4]"), 0, &res), CAMPVAL_TYPE);
    cr_assert_eq(res.error_count, 2);
    cr_assert_eq(res.errors_dropped, 2);
    cr_assert_eq(res.errors[0].offset, 1);
    cr_assert_eq(res.errors[1].offset, 3);
    /* first-error mode records one and drops nothing */
    cr_assert_eq(run_in(w, s, B("[1,2,3,4]"), CAMPVAL_FIRST_ERROR, &res), CAMPVAL_TYPE);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors_dropped, 0);
    /* the workspace is reset for the next document */
    cr_assert_eq(run_in(w, s, B("[\"x\"]"), 0, &res), CAMPVAL_OK);
    cr_assert_eq(res.error_count, 0);
    cr_assert_eq(res.errors_dropped, 0);
    campval_schema_free(s);
    campval_workspace_destroy(w);

    lim.max_errors = 0;
    cr_assert_eq(campval_workspace_size(&lim), 0);
}

/*
 * BUG (src/validate.c string_bytes): max_string is documented as the "bytes of one unescaped
 * string a pattern may need", but the check compares the RAW (escaped) length: a string of 30
 * escaped characters (`\u00e9` x 30: 180 raw bytes, 60 bytes unescaped) fails with
 * CAMPVAL_LIMIT_STRING under max_string 100. Encoders that escape all non-ASCII (Python's
 * json.dumps default) hit this 3x earlier than the limit says. Expected OK; actual LIMIT_STRING.
 */
Test(limits, max_string_counts_unescaped_bytes)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_string = 100;
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    campval_schema *s = compile("{\"pattern\":\"^\\u00e9+$\"}");
    char doc[256] = "\"";
    for (int i = 0; i < 30; i++)
        strcat(doc, "\\u00e9");
    strcat(doc, "\"");
    campval_result res;
    campval_code rc = run_in(w, s, doc, strlen(doc), 0, &res);
    cr_assert_eq(rc, CAMPVAL_OK, "%s", campval_code_name(rc));
    campval_schema_free(s);
    campval_workspace_destroy(w);
}

Test(limits, max_string)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_string = 100;
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &w), CAMPVAL_OK);
    campval_schema *s = compile("{\"items\":{\"pattern\":\"^a+$\"}}");
    char doc[1200];
    size_t o = 0;
    doc[o++] = '[';
    doc[o++] = '"';
    memset(doc + o, 'a', 300); /* unescaped strings are matched in place: no limit */
    o += 300;
    memcpy(doc + o, "\",\"", 3);
    o += 3;
    for (int i = 0; i < 120; i++) { /* 720 bytes escaped, 120 unescaped: over 100 */
        memcpy(doc + o, "\\u0061", 6);
        o += 6;
    }
    memcpy(doc + o, "\"]", 2);
    o += 2;
    campval_result res;
    cr_assert_eq(run_in(w, s, doc, o, 0, &res), CAMPVAL_LIMIT_STRING);
    cr_assert_eq(res.errors[0].offset, 304);
    char ptr[16];
    campval_error_pointer(w, &res.errors[0], ptr, sizeof ptr);
    cr_assert_str_eq(ptr, "/1");
    /* within the limit */
    o = 0;
    doc[o++] = '"';
    for (int i = 0; i < 16; i++) {
        memcpy(doc + o, "\\u0061", 6);
        o += 6;
    }
    doc[o++] = '"';
    campval_schema *one = compile("{\"pattern\":\"^a+$\"}");
    cr_assert_eq(run_in(w, one, doc, o, 0, &res), CAMPVAL_OK);
    campval_schema_free(one);
    campval_schema_free(s);
    campval_workspace_destroy(w);
}

Test(limits, workspace_memory)
{
    size_t need = campval_workspace_size(NULL);
    cr_assert_gt(need, 0);
    campval_limits lim;
    campval_limits_default(&lim);
    cr_assert_eq(campval_workspace_size(&lim), need);

    lim.max_tokens = 64;
    lim.max_string = 256;
    need = campval_workspace_size(&lim);
    cr_assert_gt(need, 0);
    /* malloc memory is aligned for any object */
    char *mem = malloc(need + 64);
    cr_assert_not_null(mem);
    campval_workspace *w = (campval_workspace *)(void *)mem; /* must be cleared on failure */
    cr_assert_eq(campval_workspace_init(mem, need - 1, &lim, &w), CAMPVAL_WORKSPACE_TOO_SMALL);
    cr_assert_null(w);
    cr_assert_eq(campval_workspace_init(mem, 0, &lim, &w), CAMPVAL_WORKSPACE_TOO_SMALL);
    cr_assert_eq(campval_workspace_init(mem + 1, need, &lim, &w), CAMPVAL_BAD_ARGUMENT);
    cr_assert_null(w);
    cr_assert_eq(campval_workspace_init(mem + alignof(max_align_t) / 2, need, &lim, &w),
                 CAMPVAL_BAD_ARGUMENT);
    campval_limits bad = lim;
    bad.max_errors = 0;
    cr_assert_eq(campval_workspace_init(mem, need, &bad, &w), CAMPVAL_BAD_ARGUMENT);

    cr_assert_eq(campval_workspace_init(mem, need, &lim, &w), CAMPVAL_OK);
    cr_assert_not_null(w);
    campval_result res;
    cr_assert_eq(run_in(w, empty_schema, B("{\"a\":[1,2,{\"b\":null}]}"), 0, &res), CAMPVAL_OK);
    cr_assert_eq(run_in(w, NULL, B("[1,,2]"), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_MISSING_VALUE);
    cr_assert_eq(res.errors[0].offset, 3);
    /* destroy on caller memory is a no-op (it was not allocated by campval) */
    campval_workspace_destroy(w);
    cr_assert_eq(run_in(w, NULL, B("[]"), CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_OK);
    free(mem);
}

/* ---- duplicate member names ---------------------------------------------------------------- */

static void dup_at(const char *s, size_t offset)
{
    reject(s, CAMPVAL_JSON_DUPLICATE_KEY, offset);
    /* allowed on request */
    accept_n(s, strlen(s), CAMPVAL_ALLOW_DUPLICATE_KEYS);
}

static void no_dup(const char *s)
{
    accept(s);
}

Test(dups, simple)
{
    dup_at("{\"a\":1,\"a\":2}", 7);
    dup_at("{\"a\":1, \"b\":2, \"a\":3}", 15);
    dup_at("{\"\":1,\"\":2}", 6);
    dup_at("[0,{\"x\":[],\"x\":{}}]", 11);
    no_dup("{\"a\":1,\"b\":2}");
    no_dup("{\"a\":1,\"A\":2}");
    no_dup("{\"a\":1,\"ab\":2,\"ba\":3,\"b\":4}");
    no_dup("[{\"a\":1},{\"a\":2}]");
    no_dup("{\"a\":{\"a\":{\"a\":1}}}");
}

Test(dups, escaped_names_compare_unescaped)
{
    dup_at("{\"a\":1,\"\\u0061\":2}", 7);
    dup_at("{\"\\u0061\":1,\"a\":2}", 12);
    dup_at("{\"\\u0061\":1,\"\\u0061\":2}", 12);
    dup_at("{\"/\":1,\"\\/\":2}", 7);
    dup_at("{\"\xC3\xA9\":1,\"\\u00e9\":2}", 8);
    dup_at("{\"\xC3\xA9\":1,\"\\u00E9\":2}", 8);
    dup_at("{\"\xF0\x9F\x98\x80\":1,\"\\ud83d\\ude00\":2}", 10);
    dup_at("{\"a\\nb\":1,\"a\\u000ab\":2}", 10);
    dup_at("{\"\\u0000\":1,\"\\u0000\":2}", 12);
    no_dup("{\"a\\u0000\":1,\"a\":2}");        /* an escaped NUL is part of the name */
    no_dup("{\"\\u0000a\":1,\"\\u0000b\":2}");
    no_dup("{\"\\u0041\":1,\"a\":2}");
    no_dup("{\"\\\\u0061\":1,\"a\":2}"); /* backslash-u-0061, six characters */
}

Test(dups, nested_and_reported_at_the_repeat)
{
    dup_at("{\"x\":{\"a\":1,\"a\":2}}", 12);
    dup_at("{\"x\":1,\"y\":{\"z\":[{\"k\":0,\"k\":0}]},\"w\":2}", 24);
    campval_result res;
    cr_assert_eq(run_in(ws, NULL, B("{\"x\":{\"a\":1,\"a\":2}}"), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    char ptr[64];
    cr_assert_eq(campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr), 4);
    cr_assert_str_eq(ptr, "/x/a");
    char msg[128];
    campval_error_message(ws, &res.errors[0], msg, sizeof msg);
    cr_assert(strstr(msg, "\"a\"") != NULL, "message: %s", msg);
}

Test(dups, three_occurrences_and_several_objects)
{
    campval_result res;
    const char *s = "{\"a\":1,\"a\":2,\"a\":3}";
    cr_assert_eq(run_in(ws, NULL, s, strlen(s), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.error_count, 2);
    cr_assert_eq(res.errors[0].offset, 7);
    cr_assert_eq(res.errors[1].offset, 13);
    cr_assert_eq(run_in(ws, NULL, s, strlen(s), CAMPVAL_SYNTAX_ONLY | CAMPVAL_FIRST_ERROR, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].offset, 7);

    /* errors from different objects come in document order */
    s = "[{\"b\":1,\"b\":2},{\"c\":{\"d\":0,\"d\":0},\"c\":1}]";
    cr_assert_eq(run_in(ws, NULL, s, strlen(s), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.error_count, 3);
    cr_assert_eq(res.errors[0].offset, 8);
    cr_assert_eq(res.errors[1].offset, 27);
    cr_assert_eq(res.errors[2].offset, 34);
    /* with a schema, duplicates stop validation before the rules run */
    campval_schema *str = compile("{\"type\":\"string\"}");
    cr_assert_eq(run_in(ws, str, s, strlen(s), 0, &res), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.error_count, 3);
    campval_schema_free(str);
}

/* Objects with more than 16 members take the hashed path. */
static size_t big_object(char *s, size_t cap, int members, const char *first, const char *last,
                         size_t *last_offset)
{
    size_t o = 0;
    s[o++] = '{';
    o += (size_t)snprintf(s + o, cap - o, "%s", first);
    for (int i = 0; i < members; i++)
        o += (size_t)snprintf(s + o, cap - o, ",\"k%d\":%d", i, i);
    s[o++] = ',';
    *last_offset = o;
    o += (size_t)snprintf(s + o, cap - o, "%s", last);
    s[o++] = '}';
    return o;
}

Test(dups, hashed_path)
{
    char s[8192];
    size_t at, n;
    campval_result res;
    int sizes[] = {15, 16, 17, 40, 300};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        n = big_object(s, sizeof s, sizes[i], "\"dup\":1", "\"dup\":2", &at);
        reject_n(s, n, 0, CAMPVAL_JSON_DUPLICATE_KEY, at);
        accept_n(s, n, CAMPVAL_ALLOW_DUPLICATE_KEYS);
        /* same name spelt with escapes */
        n = big_object(s, sizeof s, sizes[i], "\"dup\":1", "\"\\u0064u\\u0070\":2", &at);
        reject_n(s, n, 0, CAMPVAL_JSON_DUPLICATE_KEY, at);
        n = big_object(s, sizeof s, sizes[i], "\"\\u00e9\":1", "\"\xC3\xA9\":2", &at);
        reject_n(s, n, 0, CAMPVAL_JSON_DUPLICATE_KEY, at);
        /* a repeat of a middle member */
        n = big_object(s, sizeof s, sizes[i], "\"dup\":1", "\"k3\":2", &at);
        reject_n(s, n, 0, CAMPVAL_JSON_DUPLICATE_KEY, at);
        /* no repeat */
        n = big_object(s, sizeof s, sizes[i], "\"dup\":1", "\"pud\":2", &at);
        accept_n(s, n, 0);
        n = big_object(s, sizeof s, sizes[i], "\"k\":1", "\"K\":2", &at);
        accept_n(s, n, 0);
    }
    /* three occurrences far apart in a big object */
    size_t o = 0;
    s[o++] = '{';
    size_t offs[3];
    int k = 0;
    for (int i = 0; i < 60; i++) {
        if (i)
            s[o++] = ',';
        if (i == 0 || i == 30 || i == 59) {
            offs[k++] = o;
            o += (size_t)snprintf(s + o, sizeof s - o, "\"same\":%d", i);
        } else {
            o += (size_t)snprintf(s + o, sizeof s - o, "\"m%d\":%d", i, i);
        }
    }
    s[o++] = '}';
    cr_assert_eq(run_in(ws, NULL, s, o, CAMPVAL_SYNTAX_ONLY, &res), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.error_count, 2);
    cr_assert_eq(res.errors[0].offset, offs[1]);
    cr_assert_eq(res.errors[1].offset, offs[2]);
}

Test(dups, allowed_last_occurrence_is_validated)
{
    campval_schema *s = compile("{\"properties\":{\"a\":{\"type\":\"string\"}}}");
    campval_result res;
    const char *good = "{\"a\":1,\"a\":\"x\"}";
    const char *bad = "{\"a\":\"x\",\"a\":1}";
    cr_assert_eq(run_in(ws, s, good, strlen(good), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res), CAMPVAL_OK);
    cr_assert_eq(res.valid, 1);
    cr_assert_eq(run_in(ws, s, bad, strlen(bad), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res), CAMPVAL_TYPE);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].offset, 13);
    char ptr[32];
    campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr);
    cr_assert_str_eq(ptr, "/a");
    /* not allowed: the duplicate is the error, whatever the values */
    cr_assert_eq(run_in(ws, s, good, strlen(good), 0, &res), CAMPVAL_JSON_DUPLICATE_KEY);
    /* escaped spellings, three occurrences */
    const char *three = "{\"a\":\"x\",\"\\u0061\":2,\"a\":\"y\"}";
    cr_assert_eq(run_in(ws, s, three, strlen(three), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res),
                 CAMPVAL_OK);
    const char *three_bad = "{\"a\":1,\"\\u0061\":\"x\",\"a\":null}";
    cr_assert_eq(run_in(ws, s, three_bad, strlen(three_bad), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res),
                 CAMPVAL_TYPE);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].offset, 24);
    campval_schema_free(s);
}

Test(dups, allowed_last_occurrence_hashed)
{
    campval_schema *s = compile("{\"properties\":{\"dup\":{\"type\":\"string\"}}}");
    char buf[4096];
    size_t at, n;
    campval_result res;
    n = big_object(buf, sizeof buf, 40, "\"dup\":1", "\"dup\":\"x\"", &at);
    cr_assert_eq(run_in(ws, s, buf, n, CAMPVAL_ALLOW_DUPLICATE_KEYS, &res), CAMPVAL_OK);
    n = big_object(buf, sizeof buf, 40, "\"dup\":\"x\"", "\"dup\":1", &at);
    cr_assert_eq(run_in(ws, s, buf, n, CAMPVAL_ALLOW_DUPLICATE_KEYS, &res), CAMPVAL_TYPE);
    cr_assert_eq(res.errors[0].offset, at + 6);
    campval_schema_free(s);
}

/* With duplicates allowed the object has the members JSON.parse would give it. */
Test(dups, allowed_counts_members_once)
{
    campval_result res;
    const char *d = "{\"a\":1,\"a\":2}";
    campval_schema *maxp = compile("{\"maxProperties\":1}");
    cr_assert_eq(run_in(ws, maxp, d, strlen(d), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res), CAMPVAL_OK);
    campval_schema_free(maxp);
    campval_schema *closed = compile("{\"properties\":{\"a\":{\"const\":2}},"
                                     "\"additionalProperties\":false}");
    cr_assert_eq(run_in(ws, closed, d, strlen(d), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res), CAMPVAL_OK);
    campval_schema_free(closed);
    campval_schema *uneval = compile("{\"properties\":{\"a\":{\"const\":2}},"
                                     "\"unevaluatedProperties\":false}");
    cr_assert_eq(run_in(ws, uneval, d, strlen(d), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res), CAMPVAL_OK);
    campval_schema_free(uneval);
    campval_schema *constant = compile("{\"const\":{\"a\":2}}");
    cr_assert_eq(run_in(ws, constant, d, strlen(d), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res),
                 CAMPVAL_OK);
    campval_schema_free(constant);
    campval_schema *uniq = compile("{\"uniqueItems\":true}");
    const char *arr = "[{\"a\":1,\"a\":2},{\"a\":2}]";
    cr_assert_eq(run_in(ws, uniq, arr, strlen(arr), CAMPVAL_ALLOW_DUPLICATE_KEYS, &res),
                 CAMPVAL_UNIQUE_ITEMS);
    campval_schema_free(uniq);
}

/* Strict UTF-8 check (RFC 3629) for rendered text. */
static bool valid_utf8(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3
                 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
        if (k == 0 || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
            return false;
        i += k;
    }
    return true;
}

Test(dups, message_quotes_the_name)
{
    campval_result res;
    const char *d = "{\"caf\u00e9\":1,\"caf\xC3\xA9\":2}";
    cr_assert_eq(run_in(ws, NULL, d, strlen(d), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    char msg[256];
    campval_error_message(ws, &res.errors[0], msg, sizeof msg);
    cr_assert(strstr(msg, "\"caf\xC3\xA9\"") != NULL, "message: %s", msg);
}

/*
 * BUG (src/message.c): the message for a duplicate name longer than 64 bytes cuts the raw name
 * at byte 64 (token_text(..., 64)) and quote() only trims to whole UTF-8 sequences when the
 * text exceeds its own 80-byte limit, so a character straddling byte 64 leaves a lone lead byte:
 * here 63 'a' then U+00E9 gives "...aaa\xC3\"". The header promises the message is valid UTF-8.
 * Expected: valid UTF-8 (the cut falls before the 'é'); actual: a lone 0xC3.
 */
Test(dups, message_for_long_name_is_utf8)
{
    char name[80];
    memset(name, 'a', 63);
    memcpy(name + 63, "\xC3\xA9", 3);
    char doc[256];
    snprintf(doc, sizeof doc, "{\"%s\":1,\"%s\":2}", name, name);
    campval_result res;
    cr_assert_eq(run_in(ws, NULL, doc, strlen(doc), CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    char msg[256];
    size_t n = campval_error_message(ws, &res.errors[0], msg, sizeof msg);
    cr_assert(valid_utf8(msg, n), "message is not UTF-8: %s", msg);
}

/* ---- JSON Pointers of errors --------------------------------------------------------------- */

static void pointer_is(const campval_schema *s, const char *doc, campval_code code,
                       const char *want)
{
    campval_result res;
    campval_code rc = run_in(ws, s, doc, strlen(doc), 0, &res);
    cr_assert_eq(rc, code, "%s: %s", doc, campval_code_name(rc));
    cr_assert_geq(res.error_count, 1);
    char buf[1024];
    size_t n = campval_error_pointer(ws, &res.errors[0], buf, sizeof buf);
    cr_assert_str_eq(buf, want, "%s", doc);
    cr_assert_eq(n, strlen(want));
}

Test(pointer, escaping)
{
    campval_schema *s = compile(
        "{\"properties\":{\"a/b\":{\"properties\":{\"m~n\":{\"items\":"
        "{\"properties\":{\"x\":{\"type\":\"string\"}}}}}}}}");
    pointer_is(s, "{\"a/b\":{\"m~n\":[0,{\"x\":true}]}}", CAMPVAL_TYPE, "/a~1b/m~0n/1/x");
    /* the same names written with escapes */
    pointer_is(s, "{\"a\\/b\":{\"m\\u007en\":[0,{\"\\u0078\":true}]}}", CAMPVAL_TYPE,
               "/a~1b/m~0n/1/x");
    pointer_is(s, "{\"a\\u002fb\":{\"m~n\":[0,{\"x\":1}]}}", CAMPVAL_TYPE, "/a~1b/m~0n/1/x");
    campval_schema_free(s);

    campval_schema *t = compile("{\"additionalProperties\":{\"type\":\"null\"}}");
    pointer_is(t, "{\"~01/\":0}", CAMPVAL_TYPE, "/~001~1");
    pointer_is(t, "{\"\":0}", CAMPVAL_TYPE, "/");
    pointer_is(t, "{\"\xC3\xA9\\u00e9\\\"q\\\\\":0}", CAMPVAL_TYPE, "/\xC3\xA9\xC3\xA9\"q\\");
    pointer_is(t, "{\"\\ud83d\\ude00 \\n\":0}", CAMPVAL_TYPE, "/\xF0\x9F\x98\x80 \n");
    campval_schema_free(t);
}

Test(pointer, array_indices_and_root)
{
    campval_schema *s = compile("{\"items\":{\"items\":{\"type\":\"integer\"}}}");
    pointer_is(s, "[[1,2],[3,4,5,6,7,8,9,10,11,12,13,\"x\"]]", CAMPVAL_TYPE, "/1/11");
    pointer_is(s, "[[],[],[{}]]", CAMPVAL_TYPE, "/2/0");
    campval_schema_free(s);
    campval_schema *root = compile("{\"type\":\"object\"}");
    pointer_is(root, "[]", CAMPVAL_TYPE, "");
    pointer_is(root, " 1 ", CAMPVAL_TYPE, "");
    campval_schema_free(root);
    /* elements that are containers are skipped whole when counting */
    campval_schema *third = compile("{\"prefixItems\":[true,true,{\"type\":\"string\"}]}");
    pointer_is(third, "[{\"a\":[1,[2]]},[[[]]],5]", CAMPVAL_TYPE, "/2");
    campval_schema_free(third);
}

Test(pointer, long_escaped_name)
{
    /* a name of 600 escaped characters (an escaped surrogate pair among them) */
    char doc[8192];
    char want[4096];
    size_t o = 0, w = 0;
    o += (size_t)snprintf(doc + o, sizeof doc - o, "{\"");
    want[w++] = '/';
    for (int i = 0; i < 600; i++) {
        if (i % 7 == 3) {
            o += (size_t)snprintf(doc + o, sizeof doc - o, "\\ud83d\\ude00");
            memcpy(want + w, "\xF0\x9F\x98\x80", 4);
            w += 4;
        } else if (i % 5 == 0) {
            o += (size_t)snprintf(doc + o, sizeof doc - o, "\\/");
            memcpy(want + w, "~1", 2);
            w += 2;
        } else {
            o += (size_t)snprintf(doc + o, sizeof doc - o, "\\u00%02x", 'a' + i % 26);
            want[w++] = (char)('a' + i % 26);
        }
    }
    o += (size_t)snprintf(doc + o, sizeof doc - o, "\":0}");
    want[w] = 0;
    campval_schema *t = compile("{\"additionalProperties\":{\"type\":\"null\"}}");
    pointer_is(t, doc, CAMPVAL_TYPE, want);
    /* snprintf semantics: the full length is returned, the buffer cut and terminated */
    campval_result res;
    run_in(ws, t, doc, strlen(doc), 0, &res);
    char small[8];
    size_t n = campval_error_pointer(ws, &res.errors[0], small, sizeof small);
    cr_assert_eq(n, w);
    /* cut to fit, never inside a UTF-8 sequence (util.c keeps sequences whole) */
    size_t got = strlen(small);
    cr_assert_leq(got, sizeof small - 1);
    cr_assert_geq(got, sizeof small - 4);
    cr_assert_eq(memcmp(small, want, got), 0);
    cr_assert_eq(campval_error_pointer(ws, &res.errors[0], NULL, 0), w);
    campval_schema_free(t);
}

Test(pointer, syntax_errors_have_no_pointer)
{
    campval_result res;
    run_in(ws, NULL, B("{\"a\":[1,]}"), CAMPVAL_SYNTAX_ONLY, &res);
    char buf[16] = "junk";
    cr_assert_eq(campval_error_pointer(ws, &res.errors[0], buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "");
    char msg[128];
    cr_assert_gt(campval_error_message(ws, &res.errors[0], msg, sizeof msg), 0);
    cr_assert_str_eq(msg, campval_strerror(CAMPVAL_JSON_TRAILING_COMMA));
}

/* ---- NULL and bad arguments to every public function --------------------------------------- */

Test(api, null_arguments)
{
    /* codes as text */
    cr_assert_str_eq(campval_code_name(CAMPVAL_JSON_BAD_NUMBER), "JSON_BAD_NUMBER");
    cr_assert_str_eq(campval_code_name((campval_code)9999), "UNKNOWN");
    cr_assert_not_null(campval_strerror((campval_code)9999));
    cr_assert_not_null(campval_strerror((campval_code)-1));
    cr_assert_eq(campval_code_class(CAMPVAL_JSON_EMPTY), CAMPVAL_CLASS_SYNTAX);
    cr_assert_eq(campval_code_class(CAMPVAL_LIMIT_DEPTH), CAMPVAL_CLASS_LIMIT);
    cr_assert_eq(campval_code_class(CAMPVAL_TYPE), CAMPVAL_CLASS_VIOLATION);
    cr_assert_not_null(campval_version());
    (void)campval_code_class((campval_code)9999); /* any class, but no crash */
    for (int c = 0; c < 600; c++) {
        cr_assert_not_null(campval_strerror((campval_code)c));
        cr_assert_not_null(campval_code_name((campval_code)c));
    }

    /* compile */
    campval_schema *s = (campval_schema *)(void *)&s;
    campval_compile_error e;
    cr_assert_eq(campval_schema_compile(NULL, 2, NULL, &s, &e), CAMPVAL_NULL_ARGUMENT);
    cr_assert_null(s);
    cr_assert_eq(campval_schema_compile("{}", 2, NULL, NULL, &e), CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(campval_schema_compile("{}", 2, NULL, NULL, NULL), CAMPVAL_NULL_ARGUMENT);
    campval_code rc = campval_schema_compile(NULL, 0, NULL, &s, NULL);
    cr_assert_eq(campval_code_class(rc), CAMPVAL_CLASS_RULES, "%s", campval_code_name(rc));
    cr_assert_null(s);
    cr_assert_eq(campval_schema_compile("{}", 2, NULL, &s, NULL), CAMPVAL_OK);
    campval_schema_free(s);
    cr_assert_eq(campval_schema_builtin(NULL, NULL, &s, &e), CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(campval_schema_builtin("campaign_create", NULL, NULL, &e),
                 CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(campval_schema_builtin("no such rules", NULL, &s, NULL),
                 CAMPVAL_RULES_UNKNOWN_BUILTIN);
    cr_assert_null(s);
    cr_assert_gt(campval_builtin_count(), 0);
    cr_assert_not_null(campval_builtin_name(0, NULL));
    cr_assert_null(campval_builtin_name(campval_builtin_count(), NULL));
    cr_assert_null(campval_builtin_name(SIZE_MAX, NULL));
    cr_assert_eq(campval_schema_warning_count(NULL), 0);
    cr_assert_null(campval_schema_warning(NULL, 0));
    cr_assert_eq(campval_schema_memory(NULL), 0);
    campval_schema_free(NULL);

    /* workspace */
    campval_limits_default(NULL);
    cr_assert_gt(campval_workspace_size(NULL), 0);
    campval_workspace *w = (campval_workspace *)(void *)&w;
    cr_assert_eq(campval_workspace_init(NULL, 1 << 20, NULL, &w), CAMPVAL_NULL_ARGUMENT);
    cr_assert_null(w);
    static _Alignas(max_align_t) char mem[64];
    cr_assert_eq(campval_workspace_init(mem, sizeof mem, NULL, NULL), CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(campval_workspace_create(NULL, NULL, NULL), CAMPVAL_NULL_ARGUMENT);
    campval_workspace_destroy(NULL);

    /* validate */
    cr_assert_eq(campval_workspace_create(NULL, NULL, &w), CAMPVAL_OK);
    cr_assert_eq(campval_schema_compile("{}", 2, NULL, &s, NULL), CAMPVAL_OK);
    campval_result res;
    memset(&res, 0xAB, sizeof res);
    cr_assert_eq(campval_validate(s, NULL, "1", 1, 0, &res), CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(res.error_count, 0);
    cr_assert_eq(res.valid, 0);
    cr_assert_eq(campval_validate(s, w, "1", 1, 0, NULL), CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(campval_validate(s, w, NULL, 1, 0, &res), CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(res.error_count, 0);
    cr_assert_eq(campval_validate(NULL, w, "1", 1, 0, &res), CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(res.error_count, 0);
    cr_assert_eq(campval_validate(NULL, NULL, NULL, 0, 0, NULL), CAMPVAL_NULL_ARGUMENT);
    /* a pointer that is not a workspace / schema */
    static _Alignas(max_align_t) char junk[4096];
    cr_assert_eq(campval_validate(s, (campval_workspace *)(void *)junk, "1", 1, 0, &res),
                 CAMPVAL_BAD_ARGUMENT);
    cr_assert_eq(campval_validate((const campval_schema *)(void *)junk, w, "1", 1, 0, &res),
                 CAMPVAL_BAD_ARGUMENT);
    cr_assert_eq(campval_validate(s, w, "1", 1, 0, &res), CAMPVAL_OK);

    /* output helpers */
    char buf[64];
    cr_assert_eq(campval_error_pointer(NULL, NULL, buf, sizeof buf), 0);
    cr_assert_str_eq(buf, "");
    cr_assert_eq(campval_error_pointer(NULL, NULL, NULL, 0), 0);
    cr_assert_gt(campval_error_message(NULL, NULL, buf, sizeof buf), 0);
    cr_assert_gt(campval_error_message(NULL, NULL, NULL, 0), 0);
    campval_error err = {CAMPVAL_TYPE, 0, 1, 1, 5, "", "", 0, -1, CAMPVAL_SEVERITY_ERROR};
    cr_assert_eq(campval_error_pointer(w, &err, buf, sizeof buf), 0); /* token out of range */
    cr_assert_gt(campval_error_message(w, &err, buf, sizeof buf), 0);
    cr_assert_eq(campval_error_pointer(w, NULL, buf, sizeof buf), 0);
    cr_assert_eq(campval_write_result(NULL, &res, CAMPVAL_OUTPUT_TEXT, "f", NULL, NULL),
                 CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(campval_write_result(w, NULL, CAMPVAL_OUTPUT_TEXT, "f", NULL, NULL),
                 CAMPVAL_NULL_ARGUMENT);
    campval_schema_free(s);
    campval_workspace_destroy(w);
}

static int count_writer(void *ctx, const char *data, size_t n)
{
    (void)data;
    *(size_t *)ctx += n;
    return 0;
}

static int failing_writer(void *ctx, const char *data, size_t n)
{
    (void)ctx;
    (void)data;
    (void)n;
    return -1;
}

Test(api, write_result_arguments)
{
    campval_workspace *w;
    cr_assert_eq(campval_workspace_create(NULL, NULL, &w), CAMPVAL_OK);
    campval_result res;
    campval_validate(NULL, w, "[1,]", 4, CAMPVAL_SYNTAX_ONLY, &res);
    size_t total = 0;
    cr_assert_eq(campval_write_result(w, &res, CAMPVAL_OUTPUT_TEXT, NULL, NULL, &total),
                 CAMPVAL_NULL_ARGUMENT);
    cr_assert_eq(campval_write_result(w, &res, CAMPVAL_OUTPUT_JSON, NULL, count_writer, &total),
                 CAMPVAL_OK);
    cr_assert_gt(total, 0);
    cr_assert_eq(campval_write_result(w, &res, (campval_output)42, NULL, count_writer, &total),
                 CAMPVAL_BAD_ARGUMENT);
    cr_assert_eq(campval_write_result(w, &res, CAMPVAL_OUTPUT_TEXT, "x", failing_writer, NULL),
                 CAMPVAL_IO);
    campval_workspace_destroy(w);
}
