/*
 * The evaluator through the public API, one group of keywords at a time: for each keyword, the
 * error's code, keyword name, keyword location and instance pointer. Also the workspace limits
 * that reach the engine (PCRE2 limits) and the public lookup of built-in rules.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"
#include "keywords.h"
#include "schema.h"

typedef struct kcase {
    const char *rules;
    const char *doc;
    campval_code code;
    const char *keyword;
    const char *location;
    const char *pointer;
} kcase;

static void check(const kcase *k)
{
    campval_schema *s;
    campval_compile_error err;
    campval_code rc = campval_schema_compile(k->rules, strlen(k->rules), NULL, &s, &err);
    cr_assert_eq(rc, CAMPVAL_OK, "%s: %s", k->rules, err.message);
    campval_workspace *ws;
    cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
    campval_result res;
    rc = campval_validate(s, ws, k->doc, strlen(k->doc), 0, &res);
    cr_assert_eq(rc, k->code, "%s on %s: %s, wanted %s", k->rules, k->doc, campval_code_name(rc),
                 campval_code_name(k->code));
    cr_assert_geq(res.error_count, 1, "%s on %s", k->rules, k->doc);
    const campval_error *e = &res.errors[0];
    cr_assert_eq(e->code, k->code, "%s: first error %s", k->rules, campval_code_name(e->code));
    cr_assert_str_eq(e->keyword, k->keyword, "%s", k->rules);
    cr_assert_str_eq(e->keyword_location, k->location, "%s", k->rules);
    char ptr[256], msg[512];
    campval_error_pointer(ws, e, ptr, sizeof ptr);
    cr_assert_str_eq(ptr, k->pointer, "%s", k->rules);
    cr_assert_gt(campval_error_message(ws, e, msg, sizeof msg), 0, "%s: a message", k->rules);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
}

#define RUN(cases)                                                                                 \
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)                                 \
    check(&(cases)[i])

Test(engine, type_enum_const)
{
    static const kcase c[] = {
        {"{\"type\":\"string\"}", "1", CAMPVAL_TYPE, "type", "#/type", ""},
        {"{\"properties\":{\"a\":{\"enum\":[1,2]}}}", "{\"a\":3}", CAMPVAL_ENUM, "enum",
         "#/properties/a/enum", "/a"},
        {"{\"const\":\"x\"}", "\"y\"", CAMPVAL_CONST, "const", "#/const", ""},
    };
    RUN(c);
}

Test(engine, objects)
{
    static const kcase c[] = {
        {"{\"required\":[\"a\"]}", "{}", CAMPVAL_REQUIRED, "required", "#/required", ""},
        {"{\"additionalProperties\":false}", "{\"b\":1}", CAMPVAL_ADDITIONAL_PROPERTY,
         "additionalProperties", "#/additionalProperties", "/b"},
        {"{\"propertyNames\":{\"maxLength\":1}}", "{\"bb\":1}", CAMPVAL_MAX_LENGTH, "maxLength",
         "#/propertyNames/maxLength", "/bb"},
        {"{\"dependentRequired\":{\"a\":[\"b\"]}}", "{\"a\":1}", CAMPVAL_DEPENDENT_REQUIRED,
         "dependentRequired", "#/dependentRequired", ""},
        {"{\"minProperties\":2}", "{\"a\":1}", CAMPVAL_MIN_PROPERTIES, "minProperties",
         "#/minProperties", ""},
        {"{\"maxProperties\":0}", "{\"a\":1}", CAMPVAL_MAX_PROPERTIES, "maxProperties",
         "#/maxProperties", ""},
        {"{\"patternProperties\":{\"^x\":{\"type\":\"null\"}}}", "{\"xy\":1}", CAMPVAL_TYPE, "type",
         "#/patternProperties/^x/type", "/xy"},
        {"{\"unevaluatedProperties\":false}", "{\"a\":1}", CAMPVAL_UNEVALUATED_PROPERTY,
         "unevaluatedProperties", "#/unevaluatedProperties", "/a"},
    };
    RUN(c);
}

Test(engine, arrays)
{
    static const kcase c[] = {
        {"{\"minItems\":1}", "[]", CAMPVAL_MIN_ITEMS, "minItems", "#/minItems", ""},
        {"{\"maxItems\":0}", "[1]", CAMPVAL_MAX_ITEMS, "maxItems", "#/maxItems", ""},
        {"{\"uniqueItems\":true}", "[1,1]", CAMPVAL_UNIQUE_ITEMS, "uniqueItems", "#/uniqueItems",
         ""},
        {"{\"contains\":{\"const\":1}}", "[2]", CAMPVAL_CONTAINS, "contains", "#/contains", ""},
        /* minContains and maxContains report at "contains", the keyword they qualify */
        {"{\"contains\":{\"const\":1},\"minContains\":2}", "[1]", CAMPVAL_MIN_CONTAINS,
         "minContains", "#/contains", ""},
        {"{\"contains\":{\"const\":1},\"maxContains\":1}", "[1,1]", CAMPVAL_MAX_CONTAINS,
         "maxContains", "#/contains", ""},
        {"{\"items\":{\"type\":\"string\"}}", "[\"a\",1]", CAMPVAL_TYPE, "type",
         "#/items/type", "/1"},
        {"{\"prefixItems\":[{\"type\":\"string\"}]}", "[1]", CAMPVAL_TYPE, "type",
         "#/prefixItems/0/type", "/0"},
        {"{\"unevaluatedItems\":false}", "[1]", CAMPVAL_UNEVALUATED_ITEM, "unevaluatedItems",
         "#/unevaluatedItems", "/0"},
    };
    RUN(c);
}

Test(engine, strings)
{
    static const kcase c[] = {
        {"{\"minLength\":2}", "\"a\"", CAMPVAL_MIN_LENGTH, "minLength", "#/minLength", ""},
        {"{\"maxLength\":1}", "\"ab\"", CAMPVAL_MAX_LENGTH, "maxLength", "#/maxLength", ""},
        {"{\"pattern\":\"^a\"}", "\"b\"", CAMPVAL_PATTERN, "pattern", "#/pattern", ""},
    };
    RUN(c);
}

Test(engine, numbers)
{
    static const kcase c[] = {
        {"{\"minimum\":2}", "1", CAMPVAL_MINIMUM, "minimum", "#/minimum", ""},
        {"{\"maximum\":2}", "3", CAMPVAL_MAXIMUM, "maximum", "#/maximum", ""},
        {"{\"exclusiveMinimum\":2}", "2", CAMPVAL_EXCLUSIVE_MINIMUM, "exclusiveMinimum",
         "#/exclusiveMinimum", ""},
        {"{\"exclusiveMaximum\":2}", "2", CAMPVAL_EXCLUSIVE_MAXIMUM, "exclusiveMaximum",
         "#/exclusiveMaximum", ""},
        {"{\"multipleOf\":2}", "3", CAMPVAL_MULTIPLE_OF, "multipleOf", "#/multipleOf", ""},
    };
    RUN(c);
}

Test(engine, applicators)
{
    static const kcase c[] = {
        {"{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"string\"}]}", "1", CAMPVAL_ANY_OF, "anyOf",
         "#/anyOf", ""},
        {"{\"oneOf\":[{\"type\":\"number\"},{\"minimum\":0}]}", "1", CAMPVAL_ONE_OF, "oneOf",
         "#/oneOf", ""},
        {"{\"not\":{\"type\":\"number\"}}", "1", CAMPVAL_NOT, "not", "#/not", ""},
        {"{\"allOf\":[{\"type\":\"string\"}]}", "1", CAMPVAL_TYPE, "type", "#/allOf/0/type", ""},
        {"{\"if\":{\"type\":\"number\"},\"then\":{\"minimum\":5}}", "1", CAMPVAL_MINIMUM,
         "minimum", "#/then/minimum", ""},
        {"{\"if\":{\"type\":\"number\"},\"else\":{\"const\":0}}", "\"a\"", CAMPVAL_CONST, "const",
         "#/else/const", ""},
        {"{\"dependentSchemas\":{\"a\":{\"required\":[\"b\"]}}}", "{\"a\":1}", CAMPVAL_REQUIRED,
         "required", "#/dependentSchemas/a/required", ""},
        {"{\"properties\":{\"a\":false}}", "{\"a\":1}", CAMPVAL_FALSE_SCHEMA, "false",
         "#/properties/a", "/a"},
        {"{\"$defs\":{\"s\":{\"type\":\"string\"}},\"$ref\":\"#/$defs/s\"}", "1", CAMPVAL_TYPE,
         "type", "#/$defs/s/type", ""},
    };
    RUN(c);
}

/* The PCRE2 limits of campval_limits reach the matcher. */
Test(engine, regex_limits)
{
    campval_limits lim;
    campval_limits_default(&lim);
    cr_assert_eq(lim.regex_match_limit, CAMPVAL_DEFAULT_REGEX_MATCH_LIMIT);
    cr_assert_eq(lim.regex_depth_limit, CAMPVAL_DEFAULT_REGEX_DEPTH_LIMIT);
    cr_assert_eq(lim.regex_heap_limit_kib, CAMPVAL_DEFAULT_REGEX_HEAP_LIMIT_KIB);
    cr_assert_eq(lim.max_depth, CAMPVAL_DEFAULT_MAX_DEPTH);
    lim.regex_heap_limit_kib = CAMPVAL_DEFAULT_REGEX_HEAP_LIMIT_KIB + 1;
    cr_assert_eq(campval_workspace_size(&lim), 0);

    const char *rules = "{\"pattern\":\"^(a+)+$\"}"; /* backtracks: 2^n ways to fail */
    campval_schema *s;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &s, NULL), CAMPVAL_OK);
    char doc[64];
    doc[0] = '"';
    memset(doc + 1, 'a', 12);
    memcpy(doc + 13, "b\"", 3);
    campval_result res;
    campval_workspace *ws;
    campval_limits_default(&lim);
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    cr_assert_eq(campval_validate(s, ws, doc, strlen(doc), 0, &res), CAMPVAL_PATTERN);
    campval_workspace_destroy(ws);
    lim.regex_match_limit = 10;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    cr_assert_eq(campval_validate(s, ws, doc, strlen(doc), 0, &res), CAMPVAL_LIMIT_REGEX);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
}

Test(engine, builtin_find)
{
    cr_assert_eq(campval_builtin_find(NULL), -1);
    cr_assert_eq(campval_builtin_find("no such rules"), -1);
    cr_assert_eq(campval_builtin_find("campaign_creat"), -1);
    for (size_t i = 0; i < campval_builtin_count(); i++) {
        const char *name = campval_builtin_name(i, NULL);
        cr_assert_eq(campval_builtin_find(name), (long)i, "%s", name);
        char sub[300];
        snprintf(sub, sizeof sub, "%s#/properties", name);
        cr_assert_eq(campval_builtin_find(sub), (long)i, "%s", sub);
    }
}

/* Every row of the keyword table (src/keywords.h): in strcmp order (the lookup is a binary
 * search), found by the compile-time lookup under its own name (plain and escaped), unique, and
 * reporting a code unless it is an applicator, an aggregated part or an annotation. */
Test(keyword_table, rows)
{
    for (int i = 0; i < KW_COUNT_; i++) {
        const campval__kwinfo *k = &campval__kw_table[i];
        cr_assert_not_null(k->name, "row %d", i);
        cr_assert_eq(strlen(k->name), k->len, "%s", k->name);
        cr_assert_eq(campval__kw_lookup(k->name, k->len), k, "%s not found", k->name);
        char esc[64];
        snprintf(esc, sizeof esc, "\\u%04x%s", (unsigned char)k->name[0], k->name + 1);
        campval__str es = {esc, strlen(esc), true};
        cr_assert_eq(campval__kw_find(es), k, "%s escaped not found", k->name);
        cr_assert_null(campval__kw_lookup(k->name, k->len - 1), "%s prefix found", k->name);
        if (i > 0)
            cr_assert_lt(strcmp(campval__kw_table[i - 1].name, k->name), 0,
                         "%s after %s: rows out of order or repeated", k->name,
                         campval__kw_table[i - 1].name);
        for (int j = 0; j < i; j++)
            cr_assert_neq(strcmp(campval__kw_table[j].name, k->name), 0, "%s twice", k->name);
        bool applicator = k->shape != SH_NONE || k->op == OP_REF || k->op == OP_DYNAMIC_REF ||
                          k->op == OP_ITEMS || k->op == OP_OBJECT || k->op == OP_IF;
        bool annotation = k->op == OP_NONE_;
        cr_assert(k->code != CAMPVAL_OK || applicator || annotation, "%s has no code", k->name);
        cr_assert(k->code == CAMPVAL_OK || (k->msg != MS_NONE && k->msg < MS_COUNT_),
                  "%s reports a code but names no message renderer", k->name);
        cr_assert(k->dialects != 0, "%s is a keyword in no dialect", k->name);
    }
    cr_assert_null(campval__kw_lookup("", 0));
    cr_assert_null(campval__kw_lookup("zzz", 3));
    cr_assert_null(campval__kw_lookup("$", 1));
    cr_assert_null(campval__kw_lookup("Type", 4));
}

/* ---- member names matched where the previous one left off ---------------------------------
 * kw_object tries the name after the one the previous member matched before it scans the names
 * (a few) or asks their hash table (many). Which path finds a name must never change what is
 * reported: the same members in any order, against the same properties in any order, give the
 * same errors (pointers, keyword locations, codes), and the counts are those expected. */

/* Every error of one validation as "code pointer keyword-location" lines, sorted when asked. */
static void errors_of(const char *rules, const char *doc, uint32_t flags, bool sorted, char *out,
                      size_t cap)
{
    campval_schema *s;
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &s, &err), CAMPVAL_OK, "%s: %s",
                 rules, err.message);
    campval_workspace *ws;
    cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
    campval_result res;
    campval_validate(s, ws, doc, strlen(doc), flags, &res);
    char lines[64][200];
    size_t n = res.error_count < 64 ? res.error_count : 64;
    for (size_t i = 0; i < n; i++) {
        char ptr[128];
        campval_error_pointer(ws, &res.errors[i], ptr, sizeof ptr);
        snprintf(lines[i], sizeof lines[i], "%s %s %s\n", campval_code_name(res.errors[i].code),
                 ptr, res.errors[i].keyword_location);
    }
    if (sorted)
        qsort(lines, n, sizeof lines[0], (int (*)(const void *, const void *))strcmp);
    size_t len = (size_t)snprintf(out, cap, "%zu errors\n", (size_t)res.error_count);
    for (size_t i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s", lines[i]);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
}

/* Rules with properties p0..p(n-1) (even: integer, odd: string) listed in the order of perm,
 * every one of them required, nothing else allowed. */
static void props_rules(char *out, size_t cap, int n, const int *perm)
{
    size_t len = (size_t)snprintf(out, cap, "{\"additionalProperties\":false,\"properties\":{");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s\"p%d\":{\"type\":\"%s\"}", i ? "," : "",
                                perm[i], perm[i] % 2 ? "string" : "integer");
    len += (size_t)snprintf(out + len, cap - len, "},\"required\":[");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s\"p%d\"", i ? "," : "", i);
    snprintf(out + len, cap - len, "]}");
}

/* A document with members p<perm[i]> for i < m, each holding a value of the right type unless
 * its bit in wrong is set; an unknown member x<i> after the i-th when extras and i % 3 == 2. */
static void props_doc(char *out, size_t cap, int m, const int *perm, unsigned wrong, bool extras)
{
    size_t len = (size_t)snprintf(out, cap, "{");
    for (int i = 0; i < m; i++) {
        int p = perm[i];
        bool ok = !((wrong >> p) & 1);
        const char *v = (p % 2 == 0) == ok ? "7" : "\"s\"";
        len += (size_t)snprintf(out + len, cap - len, "%s\"p%d\":%s", i ? "," : "", p, v);
        if (extras && i % 3 == 2)
            len += (size_t)snprintf(out + len, cap - len, ",\"x%d\":null", i);
    }
    snprintf(out + len, cap - len, "}");
}

static void shuffle(int *a, int n, unsigned *seed)
{
    for (int i = n - 1; i > 0; i--) {
        *seed = *seed * 1103515245u + 12345u;
        int j = (int)((*seed >> 16) % (unsigned)(i + 1));
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static void check_orders(int n)
{
    int in_order[16], rev[16], perm[16], rperm[16];
    for (int i = 0; i < n; i++) {
        in_order[i] = i;
        rev[i] = n - 1 - i;
    }
    static char rules_a[2048], rules_b[2048], doc[2048], ref[8192], got[8192], plain[8192];
    props_rules(rules_a, sizeof rules_a, n, in_order);
    props_rules(rules_b, sizeof rules_b, n, rev);
    unsigned seed = 19;
    for (int round = 0; round < 60; round++) {
        /* members: all, or all but the last few (missing: REQUIRED) */
        int m = round % 4 == 3 ? n - 1 - round % 3 : n;
        unsigned wrong = round % 5 == 0 ? 0 : (seed >> 3) & ((1u << n) - 1);
        bool extras = round % 2 == 1;
        for (int i = 0; i < n; i++)
            perm[i] = i;
        props_doc(doc, sizeof doc, m, perm, wrong, extras);
        errors_of(rules_a, doc, 0, true, ref, sizeof ref);
        /* the expected count: wrong values among the members present, missing ones, extras */
        int want = 0;
        for (int i = 0; i < m; i++)
            want += (wrong >> i) & 1;
        want += n - m;
        for (int i = 0; i < m; i++)
            want += extras && i % 3 == 2;
        char head[32];
        snprintf(head, sizeof head, "%d errors\n", want);
        cr_assert(strncmp(ref, head, strlen(head)) == 0, "%s on %s:\n%s", rules_a, doc, ref);
        /* the same members in schema order, reversed and shuffled, against both rules */
        for (int order = 0; order < 3; order++) {
            for (int i = 0; i < n; i++)
                perm[i] = order == 0 ? i : order == 1 ? n - 1 - i : i;
            if (order == 2)
                shuffle(perm, n, &seed);
            /* keep the same members: the first m of the in-order list */
            int k = 0;
            for (int i = 0; i < n; i++)
                if (perm[i] < m)
                    rperm[k++] = perm[i];
            props_doc(doc, sizeof doc, m, rperm, wrong, extras);
            errors_of(rules_a, doc, 0, true, got, sizeof got);
            cr_assert_str_eq(got, ref, "%s on %s", rules_a, doc);
            errors_of(rules_b, doc, 0, true, got, sizeof got);
            cr_assert_str_eq(got, ref, "%s on %s", rules_b, doc);
            /* unsorted (in the order they are reported): the same whatever the order of
             * the properties in the rules */
            errors_of(rules_a, doc, 0, false, plain, sizeof plain);
            errors_of(rules_b, doc, 0, false, got, sizeof got);
            cr_assert_str_eq(got, plain, "%s / %s on %s", rules_a, rules_b, doc);
        }
        seed = seed * 1103515245u + 12345u;
    }
}

Test(engine_names, few_names_any_order) { check_orders(5); }   /* scanned: at most 8 names */
Test(engine_names, many_names_any_order) { check_orders(12); } /* the hash table */

/* Escaped member names take the hash table whatever the count; repeated names (allowed by
 * CAMPVAL_ALLOW_DUPLICATE_KEYS, the last one counts) are skipped where shadowed. */
Test(engine_names, escaped_and_repeated)
{
    static const char rules5[] =
        "{\"additionalProperties\":false,\"required\":[\"p0\",\"p1\",\"p2\"],\"properties\":{"
        "\"p0\":{\"type\":\"integer\"},\"p1\":{\"type\":\"string\"},\"p2\":{\"type\":\"integer\"},"
        "\"p3\":{\"type\":\"string\"},\"p4\":{\"type\":\"integer\"}}}";
    static const struct {
        const char *doc;
        uint32_t flags;
        const char *want;
    } cases[] = {
        {"{\"p0\":1,\"p1\":\"a\",\"p2\":2}", 0, "0 errors\n"},
        {"{\"p2\":2,\"p1\":\"a\",\"p0\":1}", 0, "0 errors\n"},
        {"{\"\\u0070\\u0030\":1,\"p1\":\"a\",\"p\\u0032\":2}", 0, "0 errors\n"},
        {"{\"\\u0070\\u0030\":\"x\",\"p1\":\"a\",\"p\\u0032\":2}", 0,
         "1 errors\nTYPE /p0 #/properties/p0/type\n"},
        {"{\"p0\":1,\"p1\":\"a\",\"p\\u0033\":2,\"p2\":2}", 0,
         "1 errors\nTYPE /p3 #/properties/p3/type\n"},
        {"{\"p0\":1,\"p1\":\"a\",\"p5\":2}", 0,
         "2 errors\nREQUIRED  #/required\nADDITIONAL_PROPERTY /p5 #/additionalProperties\n"},
        {"{\"p0\":\"x\",\"p1\":\"a\",\"p0\":1,\"p2\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS,
         "0 errors\n"},
        {"{\"p0\":1,\"p1\":\"a\",\"p0\":\"x\",\"p2\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS,
         "1 errors\nTYPE /p0 #/properties/p0/type\n"},
        {"{\"p0\":1,\"p0\":1,\"p1\":\"a\",\"p1\":\"b\",\"p2\":2,\"p2\":3}",
         CAMPVAL_ALLOW_DUPLICATE_KEYS, "0 errors\n"},
        {"{\"p1\":\"a\",\"p1\":\"b\",\"p2\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS,
         "1 errors\nREQUIRED  #/required\n"},
    };
    char got[4096];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        errors_of(rules5, cases[i].doc, cases[i].flags, false, got, sizeof got);
        cr_assert_str_eq(got, cases[i].want, "%s", cases[i].doc);
    }
}

/* A node whose first keyword is `type` skips it when the type matches (eval_node); integers
 * written as numbers, and failures, still go through the keyword. */
Test(engine, type_first_keyword)
{
    static const char rules[] = "{\"type\":\"integer\",\"minimum\":3,\"maximum\":10}";
    static const struct {
        const char *doc;
        const char *want;
    } cases[] = {
        {"5", "0 errors\n"},
        {"5.0", "0 errors\n"},
        {"1", "1 errors\nMINIMUM  #/minimum\n"},
        {"1.0", "1 errors\nMINIMUM  #/minimum\n"},
        {"11", "1 errors\nMAXIMUM  #/maximum\n"},
        {"5.5", "1 errors\nTYPE  #/type\n"},
        {"2.5", "2 errors\nTYPE  #/type\nMINIMUM  #/minimum\n"},
        {"\"5\"", "1 errors\nTYPE  #/type\n"},
        {"null", "1 errors\nTYPE  #/type\n"},
    };
    char got[4096];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        errors_of(rules, cases[i].doc, 0, false, got, sizeof got);
        cr_assert_str_eq(got, cases[i].want, "%s", cases[i].doc);
    }
}

/* An object keyword that is only additionalProperties (a map) walks its members without name
 * lookups (map_members); with one property that never occurs the same rules take kw_object's
 * full walk. Both must report the same, annotate the same for unevaluatedProperties, and skip
 * the same shadowed members. */
Test(engine_names, map_fast_path_matches_full_walk)
{
    static const char *const fast[] = {
        "{\"additionalProperties\":{\"type\":\"string\"}}",
        "{\"additionalProperties\":{\"type\":\"string\",\"maxLength\":2}}",
        ("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},"
         "\"unevaluatedProperties\":false}"),
        "{\"additionalProperties\":true,\"unevaluatedProperties\":false}",
        "{\"$defs\":{\"s\":{\"type\":\"string\"}},\"additionalProperties\":{\"$ref\":\"#/$defs/s\"}}",
        "{\"additionalProperties\":{\"type\":\"integer\"}}",
        "{\"additionalProperties\":{\"type\":\"string\",\"x-severity\":\"warning\"}}",
        "{\"additionalProperties\":{\"type\":[\"string\",\"null\"]},\"required\":[\"a\"]}",
    };
    static const char *const slow[] = {
        "{\"properties\":{\"never here\":true},\"additionalProperties\":{\"type\":\"string\"}}",
        ("{\"properties\":{\"never here\":true},\"additionalProperties\":{\"type\":\"string\","
         "\"maxLength\":2}}"),
        ("{\"type\":\"object\",\"properties\":{\"never here\":true},\"additionalProperties\":"
         "{\"type\":\"string\"},\"unevaluatedProperties\":false}"),
        ("{\"properties\":{\"never here\":true},\"additionalProperties\":true,"
         "\"unevaluatedProperties\":false}"),
        ("{\"$defs\":{\"s\":{\"type\":\"string\"}},\"properties\":{\"never here\":true},"
         "\"additionalProperties\":{\"$ref\":\"#/$defs/s\"}}"),
        "{\"properties\":{\"never here\":true},\"additionalProperties\":{\"type\":\"integer\"}}",
        ("{\"properties\":{\"never here\":true},\"additionalProperties\":{\"type\":\"string\","
         "\"x-severity\":\"warning\"}}"),
        ("{\"properties\":{\"never here\":true},\"additionalProperties\":{\"type\":[\"string\","
         "\"null\"]},\"required\":[\"a\"]}"),
    };
    static const struct {
        const char *doc;
        uint32_t flags;
    } docs[] = {
        {"{}", 0},
        {"{\"a\":\"x\",\"b\":\"yy\",\"c\":\"zzz\"}", 0},
        {"{\"a\":1,\"b\":\"y\",\"c\":null,\"d\":[],\"e\":{}}", 0},
        {"{\"a\":1,\"a\":\"x\"}", CAMPVAL_ALLOW_DUPLICATE_KEYS},
        {"{\"a\":\"x\",\"a\":1,\"b\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS},
        {"{\"a\":1,\"b\":2,\"c\":3}", CAMPVAL_FIRST_ERROR},
        {"[1]", 0},
        {"{\"a\":1.0,\"b\":2.5,\"c\":-3}", 0},
        {"{\"\\u0061\":\"x\",\"b\":null}", 0},
        {"{\"b\":\"x\"}", 0},
    };
    char want[4096], got[4096];
    for (size_t r = 0; r < sizeof fast / sizeof fast[0]; r++)
        for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
            errors_of(slow[r], docs[i].doc, docs[i].flags, false, want, sizeof want);
            errors_of(fast[r], docs[i].doc, docs[i].flags, false, got, sizeof got);
            cr_assert_str_eq(got, want, "%s on %s", fast[r], docs[i].doc);
        }
    errors_of(fast[0], docs[2].doc, 0, false, got, sizeof got);
    cr_assert(strncmp(got, "4 errors\n", 9) == 0, "%s", got);
    errors_of(fast[4], docs[2].doc, 0, false, got, sizeof got); /* through the $ref alias */
    cr_assert(strncmp(got, "4 errors\n", 9) == 0, "%s", got);
    errors_of(fast[5], docs[7].doc, 0, false, got, sizeof got); /* 2.5 is no integer */
    cr_assert(strncmp(got, "1 errors\n", 9) == 0, "%s", got);
}

/* `required` is skipped when the member walk saw every name it lists (names[].required and
 * required_distinct); otherwise its list is walked and reports each entry missing, in order.
 * A name listed twice counts once; a member written twice (duplicates allowed) or escaped
 * counts once; a member that is a property but not required does not count. */
Test(engine_names, required_counted_in_walk)
{
    static const char rules[] =
        "{\"required\":[\"a\",\"b\",\"a\"],\"properties\":{\"a\":{},\"c\":{}},"
        "\"dependentRequired\":{\"c\":[\"d\"]}}";
    static const char rules_many[] =
        "{\"required\":[\"n0\",\"n1\",\"n2\",\"n3\",\"n4\",\"n5\",\"n6\",\"n7\",\"n8\",\"n9\"]}";
    static const struct {
        const char *rules;
        const char *doc;
        uint32_t flags;
        const char *want;
    } cases[] = {
        {rules, "{\"a\":1,\"b\":2}", 0, "0 errors\n"},
        {rules, "{\"b\":2,\"a\":1}", 0, "0 errors\n"},
        {rules, "{\"\\u0061\":1,\"\\u0062\":2}", 0, "0 errors\n"},
        {rules, "{\"a\":1}", 0, "1 errors\nREQUIRED  #/required\n"},
        {rules, "{\"b\":1}", 0, "2 errors\nREQUIRED  #/required\nREQUIRED  #/required\n"},
        {rules, "{\"a\":1,\"c\":2}", 0,
         "2 errors\nREQUIRED  #/required\nDEPENDENT_REQUIRED  #/dependentRequired\n"},
        {rules, "{\"a\":1,\"a\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS,
         "1 errors\nREQUIRED  #/required\n"},
        {rules, "{\"a\":1,\"\\u0061\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS,
         "1 errors\nREQUIRED  #/required\n"},
        {rules, "{\"a\":1,\"b\":1,\"b\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS, "0 errors\n"},
        {rules, "{}", 0, "3 errors\nREQUIRED  #/required\nREQUIRED  #/required\nREQUIRED  #/required\n"},
        {rules_many, "{\"n9\":0,\"n8\":0,\"n7\":0,\"n6\":0,\"n5\":0,\"n4\":0,\"n3\":0,\"n2\":0,"
                     "\"n1\":0,\"n0\":0}", 0, "0 errors\n"},
        {rules_many, "{\"n9\":0,\"n8\":0,\"n7\":0,\"n6\":0,\"n5\":0,\"n4\":0,\"n3\":0,\"n2\":0,"
                     "\"n1\":0,\"x\":0,\"n1\":1}", CAMPVAL_ALLOW_DUPLICATE_KEYS,
         "1 errors\nREQUIRED  #/required\n"},
    };
    char got[4096];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        errors_of(cases[i].rules, cases[i].doc, cases[i].flags, false, got, sizeof got);
        cr_assert_str_eq(got, cases[i].want, "%s on %s", cases[i].rules, cases[i].doc);
    }
}

/* items alone walks its array with the subschema resolved once (kw_items' first loop); with a
 * contains that always passes (minContains 0) the same rules take the general loop. Both must
 * report the same, in the same order, and annotate the same for unevaluatedItems. */
Test(engine, items_fast_path_matches_general_loop)
{
    static const char *const items[] = {
        "{\"type\":\"string\"}",
        "{\"type\":\"string\",\"maxLength\":2}",
        "true",
        "false",
        "{\"$ref\":\"#/$defs/s\"}",
        "{\"type\":[\"string\",\"null\"]}",
        "{\"type\":\"integer\"}",
        "{\"items\":{\"type\":\"integer\"}}",
    };
    static const struct {
        const char *doc;
        uint32_t flags;
    } docs[] = {
        {"[]", 0},
        {"[\"a\",\"bb\",\"ccc\"]", 0},
        {"[1,\"x\",null,[],{},2.0,3.5]", 0},
        {"[[1,\"a\"],[2.5],\"s\"]", 0},
        {"[1,2,3]", CAMPVAL_FIRST_ERROR},
        {"{\"a\":1}", 0},
    };
    static const char *const shapes[][2] = {
        {"{\"$defs\":{\"s\":{\"type\":\"string\"}},\"items\":%s}",
         "{\"$defs\":{\"s\":{\"type\":\"string\"}},\"items\":%s,\"contains\":true,"
         "\"minContains\":0}"},
        {"{\"$defs\":{\"s\":{\"type\":\"string\"}},\"items\":%s,\"unevaluatedItems\":false}",
         "{\"$defs\":{\"s\":{\"type\":\"string\"}},\"items\":%s,\"contains\":true,"
         "\"minContains\":0,\"unevaluatedItems\":false}"},
    };
    char fast[512], slow[512], want[4096], got[4096];
    for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++)
        for (size_t r = 0; r < sizeof items / sizeof items[0]; r++) {
            snprintf(fast, sizeof fast, shapes[sh][0], items[r]);
            snprintf(slow, sizeof slow, shapes[sh][1], items[r]);
            for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
                errors_of(slow, docs[i].doc, docs[i].flags, false, want, sizeof want);
                errors_of(fast, docs[i].doc, docs[i].flags, false, got, sizeof got);
                cr_assert_str_eq(got, want, "%s on %s", fast, docs[i].doc);
            }
        }
    errors_of("{\"items\":{\"type\":\"string\"}}", docs[2].doc, 0, false, got, sizeof got);
    cr_assert(strncmp(got, "6 errors\n", 9) == 0, "%s", got);
}
