/*
 * The evaluator through the public API, one group of keywords at a time: for each keyword, the
 * error's code, keyword name, keyword location and instance pointer. Also the workspace limits
 * that reach the engine (PCRE2 limits) and the public lookup of built-in rules.
 */
#include <criterion/criterion.h>
#include <stdio.h>
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
