/*
 * Tests for src/message.c through the public API: compile small rules, validate an instance and
 * compare campval_error_message's text. Numbers must read as the exact JSON number: whole up to
 * 100 bytes, otherwise cut visibly ("...") in the middle of the significand with the exponent
 * and the digit count kept. Values from the rules and the instance that are too long are cut
 * with "...", never silently.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "campval.h"

static campval_workspace *ws;
static campval_schema *schema;
static char msg[4096];

static void teardown(void)
{
    campval_schema_free(schema);
    campval_workspace_destroy(ws);
    schema = NULL;
    ws = NULL;
}

TestSuite(message, .fini = teardown);

/* s repeated n times, on the heap. */
static char *rep(const char *s, size_t n)
{
    size_t k = strlen(s);
    char *out = malloc(k * n + 1);
    cr_assert_not_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * k, s, k);
    out[k * n] = '\0';
    return out;
}

static char *cat(const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *out = malloc(na + nb + nc + 1);
    cr_assert_not_null(out);
    memcpy(out, a, na);
    memcpy(out + na, b, nb);
    memcpy(out + na + nb, c, nc + 1);
    return out;
}

/* The message of the single error `instance` gets under `rules`. */
static const char *message(const char *rules, const char *instance, campval_code want)
{
    campval_compile_error cerr;
    campval_result res;
    if (!ws)
        cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
    campval_schema_free(schema);
    schema = NULL;
    campval_code rc = campval_schema_compile(rules, strlen(rules), NULL, &schema, &cerr);
    cr_assert_eq(rc, CAMPVAL_OK, "compile: %s", cerr.message);
    rc = campval_validate(schema, ws, instance, strlen(instance), 0, &res);
    cr_assert_eq(rc, want, "validate gave %s", campval_code_name(rc));
    cr_assert_eq(res.error_count, 1);
    size_t n = campval_error_message(ws, &res.errors[0], msg, sizeof msg);
    cr_assert_lt(n, sizeof msg);
    cr_assert_eq(n, strlen(msg));
    return msg;
}

#define EXPECT(rules, instance, code, text)                                                    \
    cr_assert_str_eq(message(rules, instance, code), text)

Test(message, small_bounds_unchanged)
{
    EXPECT("{\"minimum\": 1}", "0", CAMPVAL_MINIMUM, "must be >= 1, found 0");
    EXPECT("{\"maximum\": 10.50}", "11", CAMPVAL_MAXIMUM, "must be <= 10.5, found 11");
    EXPECT("{\"exclusiveMinimum\": 0}", "-0.0", CAMPVAL_EXCLUSIVE_MINIMUM,
           "must be > 0, found -0.0");
    EXPECT("{\"multipleOf\": 0.01}", "1.005", CAMPVAL_MULTIPLE_OF,
           "must be a multiple of 0.01, found 1.005");
    EXPECT("{\"minItems\": 2}", "[1]", CAMPVAL_MIN_ITEMS, "must have at least 2 items, found 1");
    EXPECT("{\"enum\": [1, 2.5, \"a\"]}", "3", CAMPVAL_ENUM,
           "must be one of 1, 2.5, \"a\", found 3");
}

/* 80 digits: the bound is shown whole, exponent included (it used to lose "e+79"). */
Test(message, maximum_80_digits)
{
    char *d80 = rep("1234567890", 8);
    char *rules = cat("{\"maximum\": ", d80, "}");
    char *inst = cat("9", d80, "");
    /* the trailing 0 is not a significant digit */
    char *want = cat("must be <= 1.234567890123456789012345678901234567890123456789012345678901"
                     "234567890123456789e+79, found ",
                     inst, "");
    EXPECT(rules, inst, CAMPVAL_MAXIMUM, want);
    free(d80), free(rules), free(inst), free(want);
}

/* An 80-digit const is shown whole (it used to be cut at 60 bytes without "..."). */
Test(message, const_80_digits)
{
    char *d80 = rep("1234567890", 8);
    char *rules = cat("{\"const\": ", d80, "}");
    char *want = cat("must be ", d80, ", found 5");
    EXPECT(rules, "5", CAMPVAL_CONST, want);
    free(rules), free(want);

    rules = cat("{\"enum\": [0, ", d80, "]}");
    want = cat("must be one of 0, ", d80, ", found 5");
    EXPECT(rules, "5", CAMPVAL_ENUM, want);
    free(d80), free(rules), free(want);
}

/* 400 digits do not fit: the significand is cut in the middle, exponent and count kept. */
Test(message, minimum_400_digits)
{
    char *d400 = rep("9", 400);
    char *rules = cat("{\"minimum\": ", d400, "}");
    EXPECT(rules, "5", CAMPVAL_MINIMUM,
           "must be >= 9.9999999999999999999...99999999999999999999e+399 (400 digits), found 5");
    free(rules);

    rules = cat("{\"exclusiveMaximum\": -0.", d400, "}");
    EXPECT(rules, "0", CAMPVAL_EXCLUSIVE_MAXIMUM,
           "must be < -9.9999999999999999999...99999999999999999999e-1 (400 digits), found 0");
    free(rules);

    rules = cat("{\"const\": ", d400, "}");
    EXPECT(rules, "5", CAMPVAL_CONST,
           "must be 9.9999999999999999999...99999999999999999999e+399 (400 digits), found 5");
    free(d400), free(rules);
}

Test(message, exponent_forms)
{
    EXPECT("{\"maximum\": 1e400}", "2E400", CAMPVAL_MAXIMUM, "must be <= 1e+400, found 2E400");
    EXPECT("{\"minimum\": -2.5E-300}", "-1", CAMPVAL_MINIMUM, "must be >= -2.5e-300, found -1");
    EXPECT("{\"exclusiveMaximum\": 1E-400}", "1e-399", CAMPVAL_EXCLUSIVE_MAXIMUM,
           "must be < 1e-400, found 1e-399");
    EXPECT("{\"const\": 1e400}", "1", CAMPVAL_CONST, "must be 1e400, found 1");
}

/* An exponent beyond +-2^62 is shown from its source text, cut at both ends. */
Test(message, clamped_exponent)
{
    char *e107 = rep("9", 107);
    char *rules = cat("{\"minimum\": 1e", e107, "}");
    EXPECT(rules, "5", CAMPVAL_MINIMUM,
           "must be >= 1e9999999999...9999999999 (exponent of 107 digits), found 5");
    free(e107), free(rules);
}

Test(message, multiple_of_long_decimal)
{
    EXPECT("{\"multipleOf\": 0.123456789012345678}", "1", CAMPVAL_MULTIPLE_OF,
           "must be a multiple of 0.123456789012345678, found 1");
    EXPECT("{\"multipleOf\": 0.000000000000000000000000000000001234567890123456789}", "1",
           CAMPVAL_MULTIPLE_OF, "must be a multiple of 1.234567890123456789e-33, found 1");
    EXPECT("{\"multipleOf\": 12345678901234567890}", "1e400", CAMPVAL_MULTIPLE_OF,
           "must be a multiple of 12345678901234567890, found 1e400");
}

/* Instance numbers: whole up to 100 bytes as sent, longer ones cut like bounds. */
Test(message, instance_numbers)
{
    char *d80 = rep("1234567890", 8);
    char *want = cat("must be <= 0, found ", d80, "");
    EXPECT("{\"maximum\": 0}", d80, CAMPVAL_MAXIMUM, want);
    free(d80), free(want);

    char *d401 = rep("9", 400);
    char *inst = cat("1", d401, "e-5");
    EXPECT("{\"maximum\": 0}", inst, CAMPVAL_MAXIMUM,
           "must be <= 0, found 1.9999999999999999999...99999999999999999999e+395 (401 digits)");
    EXPECT("{\"type\": \"string\"}", inst, CAMPVAL_TYPE,
           "expected string, found number "
           "1.9999999999999999999...99999999999999999999e+395 (401 digits)");
    free(d401), free(inst);
}

/* Long strings, objects and arrays from the rules are cut visibly, between characters. */
Test(message, long_rules_values)
{
    char *e50 = rep("\xc3\xa9", 50); /* 50 x U+00E9, 100 bytes */
    char *x100 = rep("x", 100);
    char *a = cat("{\"enum\": [\"", e50, "\", {\"a\": \"");
    char *rules = cat(a, x100, "\"}]}");
    char *e39 = rep("\xc3\xa9", 39);
    char *x73 = rep("x", 73);
    char *w1 = cat("must be one of \"", e39, "\"..., {\"a\": \"");
    char *want = cat(w1, x73, "..., found 5");
    EXPECT(rules, "5", CAMPVAL_ENUM, want);
    free(e50), free(x100), free(a), free(rules), free(e39), free(x73), free(w1), free(want);

    /* an escape is never split */
    char *q = rep("q", 77);
    rules = cat("{\"const\": \"", q, "\\u00e9\"}");
    want = cat("must be \"", q, "\"..., found 5");
    EXPECT(rules, "5", CAMPVAL_CONST, want);
    free(q), free(rules), free(want);
}

/* Member names longer than the 64 bytes kept for suggestions are still shown whole (up to 80
 * characters), and beyond that cut with "...". */
Test(message, long_member_names)
{
    char *n70 = rep("n", 70);
    char *inst = cat("{\"", n70, "\": 1}");
    char *want = cat("unknown member \"", n70, "\" (not allowed here)");
    EXPECT("{\"additionalProperties\": false}", inst, CAMPVAL_ADDITIONAL_PROPERTY, want);
    free(n70), free(inst), free(want);

    char *n200 = rep("n", 200), *n80 = rep("n", 80);
    inst = cat("{\"", n200, "\": 1}");
    want = cat("unknown member \"", n80, "\"... (not allowed here)");
    EXPECT("{\"additionalProperties\": false}", inst, CAMPVAL_ADDITIONAL_PROPERTY, want);
    free(inst), free(want);

    /* escapes make the raw name longer than what is kept: the cut still shows */
    char *esc = rep("\\u0041", 40); /* 240 raw bytes, "A" x 40 unescaped */
    inst = cat("{\"", esc, "\": 1}");
    char *a21 = rep("A", 21); /* the 21 whole escapes in the first 128 raw bytes */
    want = cat("unknown member \"", a21, "\"... (not allowed here)");
    EXPECT("{\"additionalProperties\": false}", inst, CAMPVAL_ADDITIONAL_PROPERTY, want);
    free(n200), free(n80), free(inst), free(want), free(esc), free(a21);
}
