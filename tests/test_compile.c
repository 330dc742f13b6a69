/*
 * test_compile.c — the rules compiler: asserted unknown formats, and hostile rules that must
 * compile in linear time (or fail with the right code).
 *
 * The hostile cases use 100,000 links, names, anchors or values (tests/gen-hostile-rules.py
 * writes the same shapes for timing by hand). There are no timing assertions, but the sizes are
 * chosen so that a quadratic step shows: each of these took from 5 s to minutes before the
 * compiler was made linear, and takes a second at most now.
 */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"
#include "utf8.h"

#define BIG 100000

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
        va_end(ap);
        cr_assert_geq(k, 0);
        if ((size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        b->cap = b->cap ? b->cap * 2 + (size_t)k : 4096 + (size_t)k;
        b->p = realloc(b->p, b->cap);
        cr_assert_not_null(b->p);
    }
}

static campval_code compile_flags(const char *rules, size_t len, uint32_t flags,
                                  campval_schema **s, campval_compile_error *err)
{
    campval_compile_options o = {0};
    o.flags = flags;
    return campval_schema_compile(rules, len, &o, s, err);
}

/* Compile rules that must compile; the schema is returned. */
static campval_schema *must_compile(const buf *b)
{
    campval_schema *s = NULL;
    campval_compile_error err;
    campval_code rc = campval_schema_compile(b->p, b->n, NULL, &s, &err);
    cr_assert_eq(rc, CAMPVAL_OK, "compile: %s: %s at %s", campval_code_name(rc), err.message,
                 err.location);
    return s;
}

/* Validate payload; returns 1 valid, 0 invalid (first error code in *code). */
static int check(const campval_schema *s, const char *payload, size_t len, campval_code *code)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 1u << 20;
    campval_workspace *ws;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    campval_result r;
    campval_code rc = campval_validate(s, ws, payload, len, CAMPVAL_FIRST_ERROR, &r);
    if (code)
        *code = r.error_count ? r.errors[0].code : rc;
    int valid = r.valid;
    campval_workspace_destroy(ws);
    return valid;
}

static int check_str(const campval_schema *s, const char *payload)
{
    return check(s, payload, strlen(payload), NULL);
}

/* ---- asserted unknown formats --------------------------------------------------------------- */

Test(format, asserted_unknown_format_is_a_compile_error)
{
    const char *rules = "{\"x-assert-formats\": true, \"format\": \"e.164\"}";
    campval_schema *s = NULL;
    campval_compile_error err;
    campval_code rc = campval_schema_compile(rules, strlen(rules), NULL, &s, &err);
    cr_assert_eq(rc, CAMPVAL_RULES_UNKNOWN_FORMAT, "got %s", campval_code_name(rc));
    cr_assert_null(s);
    cr_expect_eq(err.code, CAMPVAL_RULES_UNKNOWN_FORMAT);
    cr_expect_str_eq(err.location, "/format");
    cr_expect_eq(err.offset, strlen("{\"x-assert-formats\": true, \"format\": "));
    cr_expect_eq(err.line, 1);
    cr_expect_neq(strstr(err.message, "unknown format \"e.164\""), NULL, "%s", err.message);
    cr_expect_neq(strstr(err.message, "did you mean \"e164\"?"), NULL, "%s", err.message);
}

Test(format, nested_location_and_suggestion)
{
    const char *rules = "{\"x-assert-formats\": true,\n \"properties\": {\"a\": {\"items\": "
                        "{\"format\": \"emial\"}}}}";
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &s, &err),
                 CAMPVAL_RULES_UNKNOWN_FORMAT);
    cr_expect_str_eq(err.location, "/properties/a/items/format");
    cr_expect_eq(err.line, 2);
    cr_expect_neq(strstr(err.message, "did you mean \"email\"?"), NULL, "%s", err.message);
}

Test(format, no_suggestion_when_nothing_is_close)
{
    const char *rules = "{\"x-assert-formats\": true, \"format\": \"credit-card-number\"}";
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &s, &err),
                 CAMPVAL_RULES_UNKNOWN_FORMAT);
    cr_expect_neq(strstr(err.message, "\"credit-card-number\""), NULL, "%s", err.message);
    cr_expect_eq(strstr(err.message, "did you mean"), NULL, "%s", err.message);
}

Test(format, asserted_by_the_compile_flag)
{
    const char *rules = "{\"format\": \"e.164\"}";
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(compile_flags(rules, strlen(rules), CAMPVAL_ASSERT_FORMATS, &s, &err),
                 CAMPVAL_RULES_UNKNOWN_FORMAT);
    cr_expect_str_eq(err.location, "/format");
}

static int meta_loader(void *ctx, const char *uri, const char **text, size_t *len)
{
    (void)ctx;
    static const char meta[] =
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
        " \"$id\": \"https://example.com/format-assertion-meta\","
        " \"$vocabulary\": {\"https://json-schema.org/draft/2020-12/vocab/core\": true,"
        " \"https://json-schema.org/draft/2020-12/vocab/validation\": true,"
        " \"https://json-schema.org/draft/2020-12/vocab/format-assertion\": true}}";
    if (strcmp(uri, "https://example.com/format-assertion-meta") != 0)
        return -1;
    *text = meta;
    *len = sizeof meta - 1;
    return 0;
}

Test(format, asserted_by_the_format_assertion_vocabulary)
{
    campval_compile_options o = {0};
    o.loader = meta_loader;
    const char *bad = "{\"$schema\": \"https://example.com/format-assertion-meta\","
                      " \"format\": \"ipv5\"}";
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(bad, strlen(bad), &o, &s, &err),
                 CAMPVAL_RULES_UNKNOWN_FORMAT, "%s", err.message);
    cr_expect_str_eq(err.location, "/format");
    cr_expect_neq(strstr(err.message, "did you mean \"ipv4\"?"), NULL, "%s", err.message);
    /* A known format under the same vocabulary is asserted. */
    const char *good = "{\"$schema\": \"https://example.com/format-assertion-meta\","
                       " \"format\": \"ipv4\"}";
    cr_assert_eq(campval_schema_compile(good, strlen(good), &o, &s, &err), CAMPVAL_OK, "%s",
                 err.message);
    cr_expect_eq(check_str(s, "\"127.0.0.1\""), 1);
    cr_expect_eq(check_str(s, "\"127.0.0.256\""), 0);
    campval_schema_free(s);
}

Test(format, annotated_unknown_format_still_compiles)
{
    static const char *const rules[] = {
        "{\"format\": \"e.164\"}",
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"format\": \"unknown\"}",
        "{\"x-assert-formats\": false, \"format\": \"iri-template\"}",
    };
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        campval_schema *s = NULL;
        campval_compile_error err;
        cr_assert_eq(campval_schema_compile(rules[i], strlen(rules[i]), NULL, &s, &err),
                     CAMPVAL_OK, "%s: %s", rules[i], err.message);
        cr_expect_eq(check_str(s, "\"anything at all\""), 1, "%s", rules[i]);
        cr_expect_eq(check_str(s, "12"), 1, "%s", rules[i]);
        campval_schema_free(s);
    }
}

Test(format, escaped_format_name_is_looked_up_unescaped)
{
    /* "\u0065164" is "e164": it was once treated as unknown, so never checked. */
    const char *rules = "{\"x-assert-formats\": true, \"format\": \"\\u0065164\"}";
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &s, &err), CAMPVAL_OK, "%s",
                 err.message);
    cr_expect_eq(check_str(s, "\"+14155550123\""), 1);
    cr_expect_eq(check_str(s, "\"not a number\""), 0);
    campval_schema_free(s);
}

/* ---- reference cycles ------------------------------------------------------------------------ */

Test(cycles, small_ref_cycle_is_an_error)
{
    const char *rules = "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": "
                        "\"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}";
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &s, &err),
                 CAMPVAL_RULES_BAD_REF);
    cr_expect_neq(strstr(err.message, "reference cycle through"), NULL, "%s", err.message);
    cr_expect_neq(strstr(err.message, "never reaches a value"), NULL, "%s", err.message);
}

/* ---- hostile rules, 100,000 of each ------------------------------------------------------------ */

static buf ref_chain(unsigned n, bool cycle)
{
    buf b = {0};
    put(&b, "{\"$defs\":{");
    for (unsigned i = 0; i + 1 < n; i++)
        put(&b, "\"a%u\":{\"$ref\":\"#/$defs/a%u\"},", i, i + 1);
    if (cycle)
        put(&b, "\"a%u\":{\"$ref\":\"#/$defs/a0\"}", n - 1);
    else
        put(&b, "\"a%u\":{\"type\":\"string\"}", n - 1);
    put(&b, "},\"$ref\":\"#/$defs/a0\"}");
    return b;
}

Test(hostile, ref_chain)
{
    buf b = ref_chain(BIG, false);
    campval_schema *s = must_compile(&b);
    /* The chain is followed once at compile time: validating takes one step, not 100,000. */
    cr_expect_eq(check_str(s, "\"x\""), 1);
    cr_expect_eq(check_str(s, "1"), 0);
    campval_schema_free(s);
    free(b.p);
    /* A shorter chain, short enough to validate through, resolves to its last link. */
    b = ref_chain(1000, false);
    s = must_compile(&b);
    cr_expect_eq(check_str(s, "\"x\""), 1);
    cr_expect_eq(check_str(s, "1"), 0);
    campval_schema_free(s);
    free(b.p);
}

Test(hostile, ref_cycle_of_100000_links_is_an_error)
{
    buf b = ref_chain(BIG, true);
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(b.p, b.n, NULL, &s, &err), CAMPVAL_RULES_BAD_REF, "%s",
                 err.message);
    cr_expect_neq(strstr(err.message, "reference cycle through"), NULL, "%s", err.message);
    free(b.p);
}

Test(hostile, properties_and_required)
{
    buf b = {0};
    put(&b, "{\"type\":\"object\",\"properties\":{");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s\"p%u\":{\"type\":\"string\"}", i ? "," : "", i);
    put(&b, "},\"required\":[");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s\"p%u\"", i ? "," : "", i);
    put(&b, "]}");
    campval_schema *s = must_compile(&b);
    buf p = {0};
    put(&p, "{");
    for (unsigned i = 0; i < BIG; i++)
        put(&p, "%s\"p%u\":\"v\"", i ? "," : "", i);
    put(&p, "}");
    cr_expect_eq(check(s, p.p, p.n, NULL), 1, "every required member present");
    /* Drop the last member: required must find p99999 missing. */
    char *last = strstr(p.p, ",\"p99999\"");
    cr_assert_not_null(last);
    strcpy(last, "}");
    campval_code code;
    cr_expect_eq(check(s, p.p, strlen(p.p), &code), 0);
    cr_expect_eq(code, CAMPVAL_REQUIRED, "got %s", campval_code_name(code));
    campval_schema_free(s);
    free(b.p);
    free(p.p);
}

Test(hostile, anchors_and_ids_each_referenced)
{
    buf b = {0};
    put(&b, "{\"$defs\":{");
    for (unsigned i = 0; i < BIG; i++) {
        if (i % 2 == 0)
            put(&b, "%s\"d%u\":{\"$anchor\":\"a%u\",\"type\":\"string\"}", i ? "," : "", i, i);
        else
            put(&b, ",\"d%u\":{\"$id\":\"https://example.com/d%u\",\"type\":\"integer\"}", i, i);
    }
    put(&b, "},\"anyOf\":[");
    for (unsigned i = 0; i < BIG; i++) {
        if (i % 2 == 0)
            put(&b, "%s{\"$ref\":\"#a%u\"}", i ? "," : "", i);
        else
            put(&b, ",{\"$ref\":\"https://example.com/d%u\"}", i);
    }
    put(&b, "]}");
    campval_schema *s = must_compile(&b);
    cr_expect_eq(check_str(s, "\"x\""), 1);
    cr_expect_eq(check_str(s, "7"), 1);
    cr_expect_eq(check_str(s, "true"), 0);
    campval_schema_free(s);
    free(b.p);
}

Test(hostile, duplicate_anchor_still_an_error)
{
    buf b = {0};
    put(&b, "{\"$defs\":{");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s\"d%u\":{\"$anchor\":\"a%u\"}", i ? "," : "", i, i);
    put(&b, ",\"again\":{\"$anchor\":\"a%u\"}}}", BIG - 1);
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(b.p, b.n, NULL, &s, &err), CAMPVAL_RULES_BAD_REF);
    cr_expect_neq(strstr(err.message, "duplicate anchor \"a99999\""), NULL, "%s", err.message);
    free(b.p);
}

Test(hostile, dynamic_anchors)
{
    buf b = {0};
    put(&b, "{\"$defs\":{");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s\"d%u\":{\"$dynamicAnchor\":\"a%u\",\"type\":\"string\"}", i ? "," : "", i,
            i);
    put(&b, "},\"anyOf\":[");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s{\"$dynamicRef\":\"#a%u\"}", i ? "," : "", i);
    put(&b, "]}");
    /* Compiled only: validating 100,000 $dynamicRefs is validation's business. */
    campval_schema_free(must_compile(&b));
    free(b.p);
}

Test(hostile, references_into_a_long_array)
{
    /* Pointers ending in array indices: each used to walk the siblings before it. */
    buf b = {0};
    put(&b, "{\"x-list\":[");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s{\"const\":%u}", i ? "," : "", i);
    put(&b, "],\"anyOf\":[");
    for (unsigned i = 0; i < BIG; i += 7)
        put(&b, "%s{\"$ref\":\"#/x-list/%u\"}", i ? "," : "", i);
    put(&b, ",{\"$ref\":\"#/x-list/%u\"}]}", BIG - 1);
    campval_schema *s = must_compile(&b);
    cr_expect_eq(check_str(s, "0"), 1);
    cr_expect_eq(check_str(s, "69993"), 1);
    cr_expect_eq(check_str(s, "99999"), 1);
    cr_expect_eq(check_str(s, "69994"), 0);
    cr_expect_eq(check_str(s, "100000"), 0);
    campval_schema_free(s);
    free(b.p);
}

Test(hostile, escaped_names_in_a_large_object)
{
    /* Over 16 members: names are hashed; the target's name is written with JSON escapes. */
    buf b = {0};
    put(&b, "{\"$defs\":{");
    for (unsigned i = 0; i < 40; i++)
        put(&b, "\"d%u\":{\"const\":%u},", i, i);
    put(&b, "\"x\\/y~\\u007a\":{\"const\":\"hit\"}},\"$ref\":\"#/$defs/x~1y~0z\"}");
    campval_schema *s = must_compile(&b);
    cr_expect_eq(check_str(s, "\"hit\""), 1);
    cr_expect_eq(check_str(s, "3"), 0);
    campval_schema_free(s);
    free(b.p);
    b = (buf){0};
    put(&b, "{\"$defs\":{");
    for (unsigned i = 0; i < 40; i++)
        put(&b, "\"d%u\":{},", i);
    put(&b, "\"last\":{}},\"$ref\":\"#/$defs/d40\"}");
    campval_compile_error err;
    cr_expect_eq(campval_schema_compile(b.p, b.n, NULL, &s, &err), CAMPVAL_RULES_BAD_REF);
    free(b.p);
}

Test(hostile, enum_of_100000)
{
    buf b = {0};
    put(&b, "{\"enum\":[");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s\"value-%u\"", i ? "," : "", i);
    put(&b, "]}");
    campval_schema *s = must_compile(&b);
    cr_expect_eq(check_str(s, "\"value-99999\""), 1);
    campval_code code;
    cr_expect_eq(check(s, "\"value-100000\"", 14, &code), 0);
    cr_expect_eq(code, CAMPVAL_ENUM, "got %s", campval_code_name(code));
    campval_schema_free(s);
    free(b.p);
}

Test(hostile, allof_of_100000)
{
    buf b = {0};
    put(&b, "{\"allOf\":[");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s{\"type\":\"string\"}", i ? "," : "");
    put(&b, "]}");
    campval_schema *s = must_compile(&b);
    cr_expect_eq(check_str(s, "\"x\""), 1);
    cr_expect_eq(check_str(s, "1"), 0);
    campval_schema_free(s);
    free(b.p);
}

static buf nested_items(unsigned depth)
{
    buf b = {0};
    for (unsigned i = 0; i < depth; i++)
        put(&b, "{\"items\":");
    put(&b, "{\"type\":\"string\"}");
    for (unsigned i = 0; i < depth; i++)
        put(&b, "}");
    return b;
}

Test(hostile, nesting_to_the_depth_limit)
{
    /* 511 levels of items plus the innermost schema: JSON depth 512, the rules limit. */
    buf b = nested_items(511);
    campval_schema *s = must_compile(&b);
    cr_expect_eq(check_str(s, "\"x\""), 1);
    campval_schema_free(s);
    free(b.p);
    b = nested_items(512);
    campval_compile_error err;
    cr_expect_eq(campval_schema_compile(b.p, b.n, NULL, &s, &err), CAMPVAL_RULES_TOO_COMPLEX);
    cr_expect_neq(strstr(err.message, "nested too deeply"), NULL, "%s", err.message);
    free(b.p);
}

Test(hostile, pattern_properties)
{
    /* Each pattern is compiled (and JIT-compiled) by PCRE2, some 30 µs: 20,000 keeps the test
     * short and still shows a quadratic step. */
    buf b = {0};
    put(&b, "{\"type\":\"object\",\"patternProperties\":{");
    for (unsigned i = 0; i < 20000; i++)
        put(&b, "%s\"^p%u-[a-z]+$\":{\"type\":\"string\"}", i ? "," : "", i);
    put(&b, "}}");
    campval_schema *s = must_compile(&b);
    cr_expect_eq(check_str(s, "{\"p19999-abc\":\"x\"}"), 1);
    cr_expect_eq(check_str(s, "{\"p19999-abc\":1}"), 0);
    campval_schema_free(s);
    free(b.p);
}

Test(hostile, long_paths_repeated_hit_the_location_bound)
{
    /* 250 levels of properties/abcdefghij (a 5.5 KB path), then 100,000 properties: their
     * keyword locations would take 100,000 * 4 KiB. Bounded: RULES_TOO_COMPLEX. */
    buf b = {0};
    for (unsigned i = 0; i < 250; i++)
        put(&b, "{\"properties\":{\"abcdefghij\":");
    put(&b, "{\"properties\":{");
    for (unsigned i = 0; i < BIG; i++)
        put(&b, "%s\"p%u\":{\"type\":\"string\"}", i ? "," : "", i);
    put(&b, "}}");
    for (unsigned i = 0; i < 250; i++)
        put(&b, "}}");
    campval_schema *s = NULL;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(b.p, b.n, NULL, &s, &err), CAMPVAL_RULES_TOO_COMPLEX,
                 "%s", err.message);
    cr_expect_neq(strstr(err.message, "keyword locations"), NULL, "%s", err.message);
    free(b.p);
    /* The same path above one property is fine. */
    b = (buf){0};
    for (unsigned i = 0; i < 250; i++)
        put(&b, "{\"properties\":{\"abcdefghij\":");
    put(&b, "{\"properties\":{\"p0\":{\"type\":\"string\"}}}");
    for (unsigned i = 0; i < 250; i++)
        put(&b, "}}");
    campval_schema_free(must_compile(&b));
    free(b.p);
}

/* CAMPVAL_WARN_UNKNOWN names the unknown keyword, shortened to 200 bytes: never inside a UTF-8
 * sequence (fuzz_rules found a warning ending in half a character), for sequences of 2, 3 and
 * 4 bytes at every offset around the cut, in the keyword and in its location. */
Test(compile, unknown_keyword_warning_is_utf8)
{
    static const char *const chars[] = {"\xc2\xa7", "\xe2\x80\x99", "\xf0\x9f\x93\x9e"};
    campval_compile_options opt = {0};
    opt.flags = CAMPVAL_WARN_UNKNOWN;
    for (size_t c = 0; c < 3; c++) {
        for (size_t pad = 190; pad < 262; pad++) {
            char rules[1024];
            int n = snprintf(rules, sizeof rules, "{\"properties\":{\"%.*s%s\":{\"x-%.*s%s\":1}}}",
                             (int)pad, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                             chars[c], (int)(pad - 2), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                             "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                             "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                             "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                             chars[c]);
            cr_assert(n > 0 && (size_t)n < sizeof rules);
            campval_schema *s = NULL;
            cr_assert_eq(campval_schema_compile(rules, (size_t)n, &opt, &s, NULL), CAMPVAL_OK,
                         "%s", rules);
            cr_assert_eq(campval_schema_warning_count(s), 1, "%s", rules);
            const unsigned char *w = (const unsigned char *)campval_schema_warning(s, 0);
            size_t len = strlen((const char *)w);
            for (size_t i = 0; i < len;) {
                size_t k = campval__utf8_seq(w + i, len - i);
                cr_assert(k > 0, "char %zu %s, pad %zu: not UTF-8 at byte %zu of %s", c,
                          chars[c], pad, i, (const char *)w);
                i += k;
            }
            cr_assert(strstr((const char *)w, "unknown keyword \"x-bbb") != NULL, "%s", w);
            campval_schema_free(s);
        }
    }
}
