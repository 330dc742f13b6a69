/*
 * Tests for src/ecma_regex.c: `pattern` (TRANSLATE mode, then PCRE2) and `format: "regex"`
 * (CHECK mode) share one grammar, so they give every pattern of the test suites the same
 * verdict. The only differences allowed are the valid ECMA-262 constructs that `pattern` cannot
 * run faithfully on PCRE2, each named below.
 */
#include <criterion/criterion.h>

#include <stdbool.h>
#include <string.h>

#include "ecma_regex.h"
#include "format.h"
#include "regex.h"

#include "regex_case.h"

#include "regex_cases.inc"

typedef struct format_case {
    int fmt;
    const char *data;
    size_t len;
    int valid;
    const char *what;
} format_case;

static const format_case format_cases[] = {
#include "format_cases.inc"
};

/* Valid ECMA-262 that `pattern` refuses rather than run with another meaning. */
static const char *const not_translated[] = {
    "(?<n>a)\\k<n>", /* backreferences: PCRE2's capture-reset rules differ */
    "(?<=a+)b",      /* variable-width lookbehind: PCRE2 has none */
};

static bool is_not_translated(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof not_translated / sizeof *not_translated; i++)
        if (strlen(not_translated[i]) == n && memcmp(not_translated[i], p, n) == 0)
            return true;
    return false;
}

static bool compiles(const char *p, size_t n)
{
    campval__regex *re = NULL;
    campval_code rc = campval__regex_compile(p, n, NULL, &re, NULL, NULL, 0);
    campval__regex_free(re, NULL);
    return rc == CAMPVAL_OK;
}

static void expect_same_verdict(const char *p, size_t n, const char *what)
{
    bool checked = campval__ecma_is_valid(p, n);
    bool format = campval__format_check(CAMPVAL__FMT_REGEX, p, n) == 1;
    cr_expect_eq(format, checked, "%s: format and CHECK mode", what);
    if (is_not_translated(p, n)) {
        cr_expect(checked, "%s: valid ECMA-262", what);
        cr_expect_not(compiles(p, n), "%s: refused as a pattern", what);
        return;
    }
    cr_expect_eq(compiles(p, n), checked, "%s: pattern %s, format %s", what,
                 compiles(p, n) ? "compiles" : "refused", checked ? "valid" : "invalid");
}

Test(same_grammar, suite_pattern_cases)
{
    for (size_t i = 0; i < sizeof regex_cases / sizeof *regex_cases; i++)
        expect_same_verdict(regex_cases[i].pattern, regex_cases[i].pattern_len,
                            regex_cases[i].desc);
    for (size_t i = 0; i < sizeof regex_object_cases / sizeof *regex_object_cases; i++)
        for (unsigned k = 0; k < regex_object_cases[i].npatterns; k++)
            expect_same_verdict(regex_object_cases[i].pattern[k],
                                regex_object_cases[i].pattern_len[k], regex_object_cases[i].desc);
}

Test(same_grammar, suite_format_regex_cases)
{
    size_t seen = 0;
    for (size_t i = 0; i < sizeof format_cases / sizeof *format_cases; i++) {
        const format_case *c = &format_cases[i];
        if (c->fmt != CAMPVAL__FMT_REGEX)
            continue;
        seen++;
        cr_expect_eq(campval__ecma_is_valid(c->data, c->len), (bool)c->valid, "%s", c->what);
        expect_same_verdict(c->data, c->len, c->what);
    }
    cr_expect_gt(seen, 10);
}

/* CHECK mode accepts valid ECMA-262 that is not translated; still checks it. */
Test(check_mode, backreferences_and_modifiers)
{
    static const struct {
        const char *p;
        bool valid;
    } cases[] = {
        {"(a)\\1", true},         {"\\1(a)", true},          {"(a)\\2", false},
        {"(a)\\1+", true},        {"[\\1]", false},          {"(?<x>a)\\k<x>", true},
        {"\\k<x>(?<x>a)", true},  {"(?<x>a)\\k<y>", false},  {"\\k<x>", false},
        {"(?i:a)", true},         {"(?i-ms:a)", true},       {"(?ii:a)", false},
        {"(?i)a", false},         {"(?-:a)", false},         {"(?x:a)", false},
        {"\\&\\%\\-", true},      {"\\a", false},            {"\\z", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(campval__ecma_is_valid(cases[i].p, strlen(cases[i].p)), cases[i].valid,
                     "%s", cases[i].p);
}

/* Leaves the stack below the caller full of 0x01 bytes, as a previous call might have. */
static __attribute__((noinline)) void paint_stack(void)
{
    volatile unsigned char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = 1;
}

/* \b and \B are assertions in both modes and never take a quantifier, whatever the stack held
 * (fuzz_formats found "\b*" accepted or refused by turns when a field was read uninitialised). */
Test(check_mode, assertions_are_never_quantified)
{
    static const char *const cases[] = {"\\b*", "\\B+", "a\\b{2}", "\\b?", "^*", "$+"};
    for (int mode = CAMPVAL__ECMA_CHECK; mode <= CAMPVAL__ECMA_TRANSLATE; mode++)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            campval__ecma_result r;
            paint_stack();
            cr_expect_not(campval__ecma_parse(cases[i], strlen(cases[i]),
                                              (campval__ecma_mode)mode, NULL,
                                              CAMPVAL__ECMA_NOT_FOUND, &r),
                          "%s (mode %d)", cases[i], mode);
        }
}

/* A backslash before a NUL byte is no escape (strchr would find the terminator). */
Test(check_mode, backslash_nul_is_invalid)
{
    static const char pat[] = {'a', '\\', '\0', 'b'};
    cr_expect_not(campval__ecma_is_valid(pat, sizeof pat));
}

Test(translate_mode, refuses_what_it_cannot_run)
{
    static const char *const cases[] = {"(a)\\1", "(?<x>a)\\k<x>", "(?i:a)"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        campval__ecma_result r;
        cr_expect_not(campval__ecma_parse(cases[i], strlen(cases[i]), CAMPVAL__ECMA_TRANSLATE,
                                          NULL, CAMPVAL__ECMA_NOT_FOUND, &r),
                      "%s", cases[i]);
        cr_expect_not_null(r.err);
    }
}
