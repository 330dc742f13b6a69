/*
 * Tests for src/output.c's problem+json and campval_http_status, through the public API: each
 * outcome gets its own RFC 9457 type and a "status" member equal to campval_http_status, and a
 * limit that stops validation decides the answer even after violations found before it.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "campval.h"

static campval_workspace *ws;
static campval_schema *schema;
static char out[65536];
static size_t out_len;

static void teardown(void)
{
    campval_schema_free(schema);
    campval_workspace_destroy(ws);
    schema = NULL;
    ws = NULL;
}

TestSuite(output, .fini = teardown);

static int sink(void *ctx, const char *data, size_t n)
{
    (void)ctx;
    cr_assert_lt(out_len + n, sizeof out);
    memcpy(out + out_len, data, n);
    out_len += n;
    out[out_len] = '\0';
    return 0;
}

static void use_rules(const char *rules)
{
    campval_compile_error cerr;
    if (!ws)
        cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
    campval_schema_free(schema);
    schema = NULL;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &schema, &cerr), CAMPVAL_OK,
                 "%s", cerr.message);
}

/* Validate, check the code, render problem+json and check how it starts. */
static void expect_problem(const char *instance, campval_code code, const char *head)
{
    campval_result res;
    campval_code rc = campval_validate(schema, ws, instance, strlen(instance), 0, &res);
    cr_assert_eq(rc, code, "validate gave %s", campval_code_name(rc));
    cr_assert_eq(res.code, rc);
    out_len = 0;
    cr_assert_eq(campval_write_result(ws, &res, CAMPVAL_OUTPUT_PROBLEM, NULL, sink, NULL),
                 CAMPVAL_OK);
    cr_assert_eq(strncmp(out, head, strlen(head)), 0, "got %s", out);
}

static char *backtracking_body(void)
{
    static char body[128];
    strcpy(body, "{\"count\": \"3\", \"name\": \"");
    memset(body + strlen(body), 'a', 50);
    strcpy(body + strlen(body), "!\"}");
    return body;
}

Test(output, http_status)
{
    cr_assert_eq(campval_http_status(CAMPVAL_OK), 200);
    cr_assert_eq(campval_http_status(CAMPVAL_JSON_TRAILING_COMMA), 400);
    cr_assert_eq(campval_http_status(CAMPVAL_JSON_DUPLICATE_KEY), 400);
    cr_assert_eq(campval_http_status(CAMPVAL_LIMIT_INPUT), 413);
    cr_assert_eq(campval_http_status(CAMPVAL_LIMIT_TOKENS), 413);
    cr_assert_eq(campval_http_status(CAMPVAL_LIMIT_DEPTH), 413);
    cr_assert_eq(campval_http_status(CAMPVAL_LIMIT_STRING), 422);
    cr_assert_eq(campval_http_status(CAMPVAL_LIMIT_REGEX), 422);
    cr_assert_eq(campval_http_status(CAMPVAL_LIMIT_EVALUATION), 422);
    cr_assert_eq(campval_http_status(CAMPVAL_TYPE), 422);
    cr_assert_eq(campval_http_status(CAMPVAL_RULES_SYNTAX), 500);
    cr_assert_eq(campval_http_status(CAMPVAL_NULL_ARGUMENT), 500);
    cr_assert_eq(campval_http_status(CAMPVAL_INTERNAL), 500);
}

Test(output, each_outcome_has_its_type)
{
    use_rules("{\"type\": \"object\", \"properties\": {\"count\": {\"type\": \"integer\"},"
              " \"name\": {\"type\": \"string\", \"pattern\": \"^(a+)+$\"}}}");
    expect_problem("{}", CAMPVAL_OK, "{\"type\":\"about:blank\",\"title\":\"OK\",\"status\":200}");
    expect_problem("{\"count\": 1,}", CAMPVAL_JSON_TRAILING_COMMA,
                   "{\"type\":\"https://campval.dev/problems/malformed-json\","
                   "\"title\":\"Request body is not valid JSON\",\"status\":400,");
    expect_problem("{\"count\": 1.5}", CAMPVAL_TYPE,
                   "{\"type\":\"https://campval.dev/problems/invalid-payload\","
                   "\"title\":\"Request body does not match the rules\",\"status\":422,");
    char deep[300];
    memset(deep, '[', 150);
    memset(deep + 150, ']', 150);
    deep[299] = '\0';
    deep[149] = '1'; /* 149 levels around a 1 */
    expect_problem(deep, CAMPVAL_LIMIT_DEPTH,
                   "{\"type\":\"https://campval.dev/problems/payload-too-large\","
                   "\"title\":\"Request body is too large or too deeply nested to validate\","
                   "\"status\":413,\"detail\":\"document is nested too deeply (1 error found");
}

/* The violation at /count comes first in the document, but the pattern limit at /name stopped
 * validation: the result is the limit, and the answer says validation was stopped. */
Test(output, limit_after_violation_decides)
{
    use_rules("{\"type\": \"object\", \"properties\": {\"count\": {\"type\": \"integer\"},"
              " \"name\": {\"type\": \"string\", \"pattern\": \"^(a+)+$\"}}}");
    expect_problem(backtracking_body(), CAMPVAL_LIMIT_REGEX,
                   "{\"type\":\"https://campval.dev/problems/validation-limit\","
                   "\"title\":\"Validation of the request body was stopped at a limit\","
                   "\"status\":422,\"detail\":\"pattern matching exceeded its limit (2 errors");
    cr_assert_not_null(strstr(out, "\"code\":\"TYPE\""));
    cr_assert_not_null(strstr(out, "\"code\":\"LIMIT_REGEX\""));
}

/* With the error list full, the limit's own error is dropped; the code still says why. */
Test(output, limit_code_survives_a_full_error_list)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_errors = 1;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    use_rules("{\"type\": \"object\", \"properties\": {\"count\": {\"type\": \"integer\"},"
              " \"name\": {\"type\": \"string\", \"pattern\": \"^(a+)+$\"}}}");
    expect_problem(backtracking_body(), CAMPVAL_LIMIT_REGEX,
                   "{\"type\":\"https://campval.dev/problems/validation-limit\",");
}

Test(output, recursion_stops_validation)
{
    use_rules("{\"$defs\": {\"nest\": {\"type\": \"array\", \"items\": {\"allOf\": [{\"allOf\":"
              " [{\"allOf\": [{\"$ref\": \"#/$defs/nest\"}]}]}]}}}, \"$ref\": \"#/$defs/nest\"}");
    char nested[201];
    memset(nested, '[', 100);
    memset(nested + 100, ']', 100);
    nested[200] = '\0';
    expect_problem(nested, CAMPVAL_LIMIT_EVALUATION,
                   "{\"type\":\"https://campval.dev/problems/validation-limit\",");
}

/* A result built by hand (no code) is answered by its first error. */
Test(output, hand_built_result)
{
    cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
    campval_error e = {CAMPVAL_LIMIT_TOKENS, 0, 1, 1, -1, "", "", 0, -1, CAMPVAL_SEVERITY_ERROR};
    campval_result res = {0, 1, 0, &e, 0, CAMPVAL_OK, 0, {1, 0}};
    out_len = 0;
    cr_assert_eq(campval_write_result(ws, &res, CAMPVAL_OUTPUT_PROBLEM, NULL, sink, NULL),
                 CAMPVAL_OK);
    cr_assert_eq(strncmp(out, "{\"type\":\"https://campval.dev/problems/payload-too-large\",", 57),
                 0, "%s", out);
}
