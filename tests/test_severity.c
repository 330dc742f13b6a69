/*
 * Severity: "x-severity": "warning" subschemas report warnings and never make a document
 * invalid; the result counts both kinds; CAMPVAL_NO_WARNINGS skips them; warnings never crowd
 * an error out of the list, never stop first-error mode, and vanish where nothing is recorded
 * (anyOf branches, not, if).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "campval.h"

static campval_schema *schema;
static campval_workspace *ws;
static campval_result res;

static void compile(const char *rules)
{
    campval_compile_error err;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &schema, &err), CAMPVAL_OK,
                 "%s: %s", rules, err.message);
}

static campval_code run(const char *doc, uint32_t flags)
{
    return campval_validate(schema, ws, doc, strlen(doc), flags, &res);
}

static void setup(void)
{
    schema = NULL;
    cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
}

static void teardown(void)
{
    campval_schema_free(schema);
    campval_workspace_destroy(ws);
}

TestSuite(severity, .init = setup, .fini = teardown);

/* The issue's own example: an empty contact list is legal, worth a warning, not a 422. */
static const char RULES[] =
    "{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{"
    "\"name\":{\"type\":\"string\"},"
    "\"contacts\":{\"type\":\"array\",\"x-severity\":\"warning\",\"minItems\":1,"
    "\"items\":{\"type\":\"string\"}}}}";

Test(severity, warning_only_is_valid)
{
    compile(RULES);
    cr_assert_eq(run("{\"name\":\"x\",\"contacts\":[]}", 0), CAMPVAL_OK);
    cr_assert(res.valid);
    cr_assert_eq(res.code, CAMPVAL_OK);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_ERROR], 0);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 1);
    cr_assert_eq(res.errors[0].code, CAMPVAL_MIN_ITEMS);
    cr_assert_eq(res.errors[0].severity, CAMPVAL_SEVERITY_WARNING);
    cr_assert_str_eq(campval_severity_name(res.errors[0].severity), "warning");
    char ptr[64];
    campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr);
    cr_assert_str_eq(ptr, "/contacts");
}

/* Everything beneath a warning subschema is a warning, here a type failure of an item. */
Test(severity, warning_covers_the_subtree)
{
    compile(RULES);
    cr_assert_eq(run("{\"name\":\"x\",\"contacts\":[1,\"a\",2]}", 0), CAMPVAL_OK);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 2);
    for (size_t i = 0; i < res.error_count; i++) {
        cr_assert_eq(res.errors[i].code, CAMPVAL_TYPE);
        cr_assert_eq(res.errors[i].severity, CAMPVAL_SEVERITY_WARNING);
    }
}

/* The return code is the first error's, even when a warning comes first in the document. */
Test(severity, errors_decide_the_code)
{
    compile(RULES);
    cr_assert_eq(run("{\"contacts\":[],\"name\":5}", 0), CAMPVAL_TYPE);
    cr_assert_not(res.valid);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_ERROR], 1);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 1);
    cr_assert_eq(res.errors[0].severity, CAMPVAL_SEVERITY_WARNING); /* document order */
    cr_assert_eq(res.errors[1].severity, CAMPVAL_SEVERITY_ERROR);
    cr_assert_str_eq(campval_severity_name(CAMPVAL_SEVERITY_ERROR), "error");
    cr_assert_str_eq(campval_severity_name((campval_severity)7), "unknown");
}

Test(severity, no_warnings_flag_skips_them)
{
    compile(RULES);
    cr_assert_eq(run("{\"name\":\"x\",\"contacts\":[1]}", CAMPVAL_NO_WARNINGS), CAMPVAL_OK);
    cr_assert_eq(res.error_count, 0);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 0);
    cr_assert_eq(run("{\"contacts\":[1]}", CAMPVAL_NO_WARNINGS), CAMPVAL_REQUIRED);
    cr_assert_eq(res.error_count, 1);
}

/* First-error mode stops at the first error, not at a warning. */
Test(severity, warnings_do_not_stop_first_error_mode)
{
    compile("{\"properties\":{\"a\":{\"x-severity\":\"warning\",\"type\":\"string\"},"
            "\"b\":{\"type\":\"string\"},\"c\":{\"type\":\"string\"}}}");
    cr_assert_eq(run("{\"a\":1,\"b\":2,\"c\":3}", CAMPVAL_FIRST_ERROR), CAMPVAL_TYPE);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 1);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_ERROR], 1);
    cr_assert_eq(res.error_count, 2);
}

/* A warning never takes the last free entry, so the error is always listed. */
Test(severity, warnings_leave_room_for_an_error)
{
    compile("{\"properties\":{\"w\":{\"x-severity\":\"warning\",\"items\":{\"type\":\"string\"}},"
            "\"e\":{\"type\":\"string\"}}}");
    campval_workspace_destroy(ws);
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_errors = 3;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    cr_assert_eq(run("{\"w\":[1,2,3,4,5],\"e\":0}", 0), CAMPVAL_TYPE);
    cr_assert_eq(res.error_count, 3);
    cr_assert_eq(res.errors_dropped, 3);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 5);
    cr_assert_eq(res.errors[2].severity, CAMPVAL_SEVERITY_ERROR);
    lim.max_errors = 1;
    campval_workspace_destroy(ws);
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    cr_assert_eq(run("{\"w\":[1],\"e\":0}", 0), CAMPVAL_TYPE);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].severity, CAMPVAL_SEVERITY_ERROR);
    cr_assert_eq(run("{\"w\":[1]}", 0), CAMPVAL_OK);
    cr_assert(res.valid);
    cr_assert_eq(res.error_count, 0);
    cr_assert_eq(res.errors_dropped, 1);
}

/* Where findings are not recorded, a warning subschema passes without being evaluated. */
Test(severity, branches_and_negation)
{
    compile("{\"anyOf\":[{\"x-severity\":\"warning\",\"type\":\"string\"},{\"type\":\"null\"}]}");
    cr_assert_eq(run("5", 0), CAMPVAL_OK); /* the warning branch passes */
    cr_assert_eq(res.error_count, 0);
    campval_schema_free(schema);
    compile("{\"not\":{\"x-severity\":\"warning\",\"type\":\"string\"}}");
    cr_assert_eq(run("5", 0), CAMPVAL_NOT);
    campval_schema_free(schema);
    /* an alternative that fails is explained, but not with warnings */
    compile("{\"oneOf\":[{\"type\":\"string\",\"properties\":{\"a\":{\"x-severity\":\"warning\","
            "\"type\":\"string\"}}},{\"type\":\"null\"}]}");
    cr_assert_eq(run("5", 0), CAMPVAL_ONE_OF);
    for (size_t i = 0; i < res.error_count; i++)
        cr_assert_eq(res.errors[i].severity, CAMPVAL_SEVERITY_ERROR);
}

/* "error" is the default and cannot turn a warning subtree back into errors. */
Test(severity, inner_error_stays_a_warning)
{
    compile("{\"x-severity\":\"warning\",\"properties\":{\"a\":{\"x-severity\":\"error\","
            "\"type\":\"string\"}}}");
    cr_assert_eq(run("{\"a\":1}", 0), CAMPVAL_OK);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 1);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_ERROR], 0);
}

/* A node that is only a $ref plus x-severity keeps its severity (it is not short-cut to the
 * target), and a $ref to a warning node carries the warning. */
Test(severity, through_references)
{
    compile("{\"$defs\":{\"s\":{\"type\":\"string\"},\"w\":{\"x-severity\":\"warning\","
            "\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/s\","
            "\"x-severity\":\"warning\"},\"b\":{\"$ref\":\"#/$defs/w\"},"
            "\"c\":{\"$ref\":\"#/$defs/s\"}}}");
    cr_assert_eq(run("{\"a\":1,\"b\":2}", 0), CAMPVAL_OK);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 2);
    cr_assert_eq(run("{\"a\":1,\"c\":2}", 0), CAMPVAL_TYPE);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_ERROR], 1);
}

Test(severity, bad_values_do_not_compile)
{
    static const char *const bad[] = {"{\"x-severity\":\"Warning\"}", "{\"x-severity\":1}",
                                      "{\"x-severity\":\"info\"}", "{\"x-severity\":null}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        campval_schema *s = NULL;
        campval_compile_error err;
        cr_expect_eq(campval_schema_compile(bad[i], strlen(bad[i]), NULL, &s, &err),
                     CAMPVAL_RULES_BAD_KEYWORD, "%s", bad[i]);
        cr_expect_null(s);
    }
}

static size_t out_len;
static char out_buf[4096];
static int sink(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    if (out_len + n < sizeof out_buf) {
        memcpy(out_buf + out_len, p, n);
        out_len += n;
        out_buf[out_len] = 0;
    }
    return 0;
}

/* problem+json lists errors; warnings go in the "warnings" extension member. */
Test(severity, outputs)
{
    compile(RULES);
    run("{\"contacts\":[]}", 0);
    out_len = 0;
    campval_write_result(ws, &res, CAMPVAL_OUTPUT_PROBLEM, NULL, sink, NULL);
    cr_assert(strstr(out_buf, "\"detail\":\"1 error found in the request body\"") != NULL, "%s",
              out_buf);
    char *w = strstr(out_buf, "\"warnings\":[{\"pointer\":\"/contacts\"");
    cr_assert(w != NULL, "%s", out_buf);
    cr_assert(strstr(out_buf, "MIN_ITEMS") > w, "%s", out_buf);
    out_len = 0;
    campval_write_result(ws, &res, CAMPVAL_OUTPUT_JSON, "f", sink, NULL);
    cr_assert(strstr(out_buf, "\"severity\":\"warning\"") != NULL, "%s", out_buf);
    cr_assert(strstr(out_buf, "\"errorCount\":1,\"warningCount\":1") != NULL, "%s", out_buf);
    run("{\"name\":\"n\",\"contacts\":[]}", 0);
    out_len = 0;
    campval_write_result(ws, &res, CAMPVAL_OUTPUT_TEXT, "f", sink, NULL);
    cr_assert_str_eq(out_buf, "f:1:24: warning: must have at least 1 item, found 0 [minItems] at "
                              "/contacts\nf: valid, 1 warning\n");
    out_len = 0;
    campval_write_result(ws, &res, CAMPVAL_OUTPUT_PROBLEM, NULL, sink, NULL);
    cr_assert(strncmp(out_buf, "{\"type\":\"about:blank\",\"title\":\"OK\",\"status\":200,"
                               "\"warnings\":[",
                      60) == 0,
              "%s", out_buf);
}

/* A caller that refuses warnings too marks a copy of the result invalid with the first
 * warning's code: the 422 problem lists the warnings and says they are what was found. */
Test(severity, problem_refusing_warnings)
{
    compile(RULES);
    cr_assert_eq(run("{\"name\":\"n\",\"contacts\":[]}", 0), CAMPVAL_OK);
    campval_result refused = res;
    refused.valid = 0;
    refused.code = res.errors[0].code;
    out_len = 0;
    campval_write_result(ws, &refused, CAMPVAL_OUTPUT_PROBLEM, NULL, sink, NULL);
    cr_assert(strstr(out_buf, "\"status\":422,\"detail\":\"1 warning found in the request "
                              "body\",\"errors\":[],\"warnings\":[{\"pointer\":\"/contacts\"") != NULL,
              "%s", out_buf);
}

/* A warning subschema marks nothing evaluated, so unevaluatedProperties decides the same whether
 * warnings are evaluated, skipped, or in a SILENT branch. */
Test(severity, no_annotations_from_warnings)
{
    compile("{\"allOf\":[{\"x-severity\":\"warning\",\"properties\":{\"foo\":true}}],"
            "\"unevaluatedProperties\":false}");
    cr_assert_eq(run("{\"foo\":1}", 0), CAMPVAL_UNEVALUATED_PROPERTY);
    cr_assert_eq(run("{\"foo\":1}", CAMPVAL_NO_WARNINGS), CAMPVAL_UNEVALUATED_PROPERTY);
    campval_schema_free(schema);
    compile("{\"anyOf\":[{\"x-severity\":\"warning\",\"properties\":{\"foo\":true}}],"
            "\"unevaluatedProperties\":false}");
    cr_assert_eq(run("{\"foo\":1}", 0), CAMPVAL_UNEVALUATED_PROPERTY);
}
