/*
 * The loader contract of include/campval.h: a loader that returns CAMPVAL_RULES_REF_FORBIDDEN
 * fails the compile with that code, a message naming the reference and the position of the
 * `$ref`; any other non-zero return is CAMPVAL_RULES_BAD_REF; 0 loads the document.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "campval.h"

typedef struct fake {
    int ret;           /* what the loader answers */
    const char *text;  /* the document it hands back when ret is 0 */
    unsigned calls;
} fake;

static int fake_load(void *ctx, const char *uri, const char **text, size_t *len)
{
    fake *f = ctx;
    (void)uri;
    f->calls++;
    if (f->ret == 0) {
        *text = f->text;
        *len = strlen(f->text);
    }
    return f->ret;
}

static campval_code compile_with(fake *f, const char *rules, campval_compile_error *e)
{
    campval_compile_options co = {0};
    co.loader = fake_load;
    co.loader_ctx = f;
    co.base_uri = "file:///rules/main.json";
    campval_schema *s = NULL;
    campval_code rc = campval_schema_compile(rules, strlen(rules), &co, &s, e);
    campval_schema_free(s);
    return rc;
}

Test(loader, forbidden_gets_its_own_code)
{
    fake f = {CAMPVAL_RULES_REF_FORBIDDEN, NULL, 0};
    campval_compile_error e;
    cr_assert_eq(compile_with(&f, "{\"$ref\": \"../../etc/passwd\"}", &e),
                 CAMPVAL_RULES_REF_FORBIDDEN);
    cr_assert_eq(e.code, CAMPVAL_RULES_REF_FORBIDDEN);
    cr_assert_eq(f.calls, 1);
    cr_assert(strstr(e.message, "\"../../etc/passwd\""), "%s", e.message);
    cr_assert(strstr(e.message, "file:///etc/passwd"), "%s", e.message);
    cr_assert_eq(e.column, 10);
    cr_assert_str_eq(e.location, "/$ref");
    cr_assert_str_eq(campval_code_name(CAMPVAL_RULES_REF_FORBIDDEN), "RULES_REF_FORBIDDEN");
    cr_assert_eq((int)CAMPVAL_RULES_REF_FORBIDDEN, 209);
    cr_assert_eq(campval_code_class(CAMPVAL_RULES_REF_FORBIDDEN), CAMPVAL_CLASS_RULES);
}

Test(loader, other_failures_stay_bad_ref)
{
    fake f = {-1, NULL, 0};
    campval_compile_error e;
    cr_assert_eq(compile_with(&f, "{\"$ref\": \"other.json\"}", &e), CAMPVAL_RULES_BAD_REF);
    f.ret = 1;
    cr_assert_eq(compile_with(&f, "{\"$ref\": \"other.json\"}", &e), CAMPVAL_RULES_BAD_REF);
    f.ret = CAMPVAL_RULES_BAD_REF;
    cr_assert_eq(compile_with(&f, "{\"$ref\": \"other.json\"}", &e), CAMPVAL_RULES_BAD_REF);
}

Test(loader, loaded_document_is_used)
{
    fake f = {0, "{\"type\": \"integer\"}", 0};
    campval_compile_error e;
    cr_assert_eq(compile_with(&f, "{\"$ref\": \"other.json\"}", &e), CAMPVAL_OK);
    cr_assert_eq(f.calls, 1);
}

Test(loader, forbidden_meta_schema_is_not_loaded_and_not_fatal)
{
    /* As for any meta-schema that cannot be loaded: default vocabularies. */
    fake f = {CAMPVAL_RULES_REF_FORBIDDEN, NULL, 0};
    campval_compile_error e;
    cr_assert_eq(compile_with(&f, "{\"$schema\": \"file:///etc/passwd\", \"type\": \"integer\"}", &e),
                 CAMPVAL_OK);
}
