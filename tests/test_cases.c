/*
 * Payload cases: tests/data/cases/manifest.json lists, per payload, the rules set and every
 * finding expected (code, JSON Pointer and, for warnings, "severity": "warning", in document
 * order). Each case must produce exactly that list in all-errors mode, and be valid exactly when
 * no entry is an error; in first-error mode, exactly one of its errors (and only listed
 * warnings). Ends with "N passed, N failed".
 *
 * usage: test_cases CASES_DIR [GENERATED_DIR [--no-phone]]
 *   --no-phone: cases marked "needs": "phonenumber" must fail to compile (RULES_UNSUPPORTED).
 *   files not found in CASES_DIR are looked up in GENERATED_DIR (the large generated case).
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"
#include "internal.h"
#include "testutil.h"
#include "jstring.h"


static int64_t member(const campval__doc *d, uint32_t obj, const char *name)
{
    uint32_t k = obj + 1;
    for (int m = 0; m < d->tok[obj].size; m++, k = d->next[k]) {
        campval__str s = {d->text + d->tok[k].start, (size_t)(d->tok[k].end - d->tok[k].start),
                          false};
        if (campval__str_equal_plain(s, name, strlen(name)))
            return k + 1;
    }
    return -1;
}

/* A string member's unescaped value into buf. */
static const char *str(const campval__doc *d, uint32_t t, char *buf, size_t size)
{
    campval__str s = {d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                      (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
    if (s.len >= size)
        s.len = size - 1;
    buf[campval__str_unescape(s, buf)] = '\0';
    return buf;
}

/* An expected entry's severity: "warning" when it says so, else "error". */
static campval_severity want_severity(const campval__doc *m, uint32_t e)
{
    char sev[16] = "error";
    int64_t t = member(m, e, "severity");
    if (t >= 0)
        str(m, (uint32_t)t, sev, sizeof sev);
    return strcmp(sev, "warning") == 0 ? CAMPVAL_SEVERITY_WARNING : CAMPVAL_SEVERITY_ERROR;
}

static size_t count_errors(const campval__doc *m, int64_t errors)
{
    size_t n = 0;
    uint32_t e = (uint32_t)errors + 1;
    for (int i = 0; i < m->tok[errors].size; i++, e = m->next[e])
        n += want_severity(m, e) == CAMPVAL_SEVERITY_ERROR;
    return n;
}

typedef struct rules {
    char name[64];
    campval_schema *schema;
} rules;

static campval_schema *rules_for(rules *cache, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(cache[i].name, name) == 0)
            return cache[i].schema;
    campval_compile_error err;
    campval_schema *s = NULL;
    if (campval_schema_builtin(name, NULL, &s, &err) != CAMPVAL_OK) {
        printf("cannot compile %s: %s\n", name, err.message);
        return NULL;
    }
    snprintf(cache[*n].name, sizeof cache[*n].name, "%s", name);
    cache[(*n)++].schema = s;
    return s;
}

/* Compare the result with the expected list; print differences. */
static bool same(const char *file, const campval_workspace *ws, const campval_result *res,
                 const campval__doc *m, int64_t errors, size_t limit)
{
    size_t want = (size_t)m->tok[errors].size;
    if (want > limit)
        want = limit;
    bool ok = res->error_count == want && res->valid == (count_errors(m, errors) == 0);
    if (res->valid != (count_errors(m, errors) == 0))
        printf("  %s: valid is %d, expected %d\n", file, res->valid, !res->valid);
    uint32_t e = (uint32_t)errors + 1;
    for (size_t i = 0; i < res->error_count || i < want; i++) {
        char code[64] = "-", ptr[512] = "-", got_ptr[512] = "-";
        const char *got_code = "-", *sev = "-", *got_sev = "-";
        if (i < want) {
            str(m, (uint32_t)member(m, e, "code"), code, sizeof code);
            str(m, (uint32_t)member(m, e, "pointer"), ptr, sizeof ptr);
            sev = campval_severity_name(want_severity(m, e));
            e = m->next[e];
        }
        if (i < res->error_count) {
            got_code = campval_code_name(res->errors[i].code);
            campval_error_pointer(ws, &res->errors[i], got_ptr, sizeof got_ptr);
            got_sev = campval_severity_name(res->errors[i].severity);
        }
        if (strcmp(code, got_code) != 0 || strcmp(ptr, got_ptr) != 0 || strcmp(sev, got_sev) != 0) {
            ok = false;
            char msg[512] = "";
            if (i < res->error_count)
                campval_error_message(ws, &res->errors[i], msg, sizeof msg);
            printf("  %s finding %zu: expected %s %s at \"%s\", got %s %s at \"%s\" (%s)\n", file,
                   i, sev, code, ptr, got_sev, got_code, got_ptr, msg);
        }
    }
    return ok;
}

/* Whether the result's entry i is one of the expected entries of its severity. */
static bool listed(const campval_workspace *ws, const campval_result *res, size_t i,
                   const campval__doc *m, int64_t errors)
{
    char got_ptr[512];
    const char *got_code = campval_code_name(res->errors[i].code);
    campval_error_pointer(ws, &res->errors[i], got_ptr, sizeof got_ptr);
    uint32_t e = (uint32_t)errors + 1;
    for (int k = 0; k < m->tok[errors].size; k++, e = m->next[e]) {
        char code[64], ptr[512];
        str(m, (uint32_t)member(m, e, "code"), code, sizeof code);
        str(m, (uint32_t)member(m, e, "pointer"), ptr, sizeof ptr);
        if (want_severity(m, e) == res->errors[i].severity && strcmp(code, got_code) == 0 &&
            strcmp(ptr, got_ptr) == 0)
            return true;
    }
    return false;
}

/* First-error mode: exactly one error, one of the expected ones (none when none is expected),
 * plus any warnings met before it, each an expected one. */
static bool one_of(const char *file, const campval_workspace *ws, const campval_result *res,
                   const campval__doc *m, int64_t errors)
{
    size_t want = count_errors(m, errors), got = 0;
    bool ok = res->valid == (want == 0);
    for (size_t i = 0; i < res->error_count; i++) {
        got += res->errors[i].severity == CAMPVAL_SEVERITY_ERROR;
        if (!listed(ws, res, i, m, errors)) {
            char got_ptr[512];
            campval_error_pointer(ws, &res->errors[i], got_ptr, sizeof got_ptr);
            printf("  %s first-error mode: %s %s at \"%s\" is not an expected one\n", file,
                   campval_severity_name(res->errors[i].severity),
                   campval_code_name(res->errors[i].code), got_ptr);
            ok = false;
        }
    }
    if (got != (want ? 1u : 0u)) {
        printf("  %s first-error mode: got %zu error(s), expected %d\n", file, got, want ? 1 : 0);
        ok = false;
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cases CASES_DIR [GENERATED_DIR]\n");
        return 2;
    }
    char path[4096];
    bool have_phone = !(argc > 3 && strcmp(argv[3], "--no-phone") == 0);
    snprintf(path, sizeof path, "%s/manifest.json", argv[1]);
    text manifest = slurp(path);
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 1u << 20;
    campval_workspace *mws, *ws;
    if (!manifest.p || campval_workspace_create(&lim, NULL, &mws) != CAMPVAL_OK ||
        campval_workspace_create(NULL, NULL, &ws) != CAMPVAL_OK)
        return 2;
    /* Calling hours depend on the day a campaign runs: the cases run on Monday 2026-12-07. */
    campval_preflight pf = {0};
    pf.at = 1796644800;
    campval_workspace_set_preflight(ws, &pf);
    campval_result mr;
    if (campval_validate(NULL, mws, manifest.p, manifest.n, CAMPVAL_SYNTAX_ONLY, &mr) != CAMPVAL_OK) {
        printf("manifest.json is not valid JSON\n");
        return 2;
    }
    const campval__doc *m = &mws->doc;
    rules cache[8];
    size_t ncache = 0;
    unsigned passed = 0, failed = 0;
    uint32_t c = 1;
    for (int i = 0; i < m->tok[0].size; i++, c = m->next[c]) {
        char file[256], rname[64];
        str(m, (uint32_t)member(m, c, "file"), file, sizeof file);
        str(m, (uint32_t)member(m, c, "rules"), rname, sizeof rname);
        int64_t errors = member(m, c, "errors");
        snprintf(path, sizeof path, "%s/%s", argv[1], file);
        text doc = slurp(path);
        if (!doc.p && argc > 2) {
            snprintf(path, sizeof path, "%s/%s", argv[2], file);
            doc = slurp(path);
        }
        /* Without libphonenumber, rules that need it must refuse to compile, never pass. */
        if (member(m, c, "needs") >= 0 && !have_phone) {
            campval_schema *ps = NULL;
            campval_compile_error perr;
            campval_code prc = campval_schema_builtin(rname, NULL, &ps, &perr);
            campval_schema_free(ps);
            if (prc == CAMPVAL_RULES_UNSUPPORTED) {
                passed++;
            } else {
                printf("  %s: rules compiled (%s) without libphonenumber\n", file,
                       campval_code_name(prc));
                failed++;
            }
            continue;
        }
        campval_schema *s = rules_for(cache, &ncache, rname);
        if (!doc.p || !s) {
            printf("  %s: cannot run (%s)\n", file, doc.p ? "rules" : "file not found");
            failed += 2;
            free(doc.p);
            continue;
        }
        campval_result res;
        campval_validate(s, ws, doc.p, doc.n, 0, &res);
        if (same(file, ws, &res, m, errors, SIZE_MAX))
            passed++;
        else
            failed++;
        /* First-error mode reports exactly one of them (the first met, in evaluation order). */
        campval_validate(s, ws, doc.p, doc.n, CAMPVAL_FIRST_ERROR, &res);
        if (one_of(file, ws, &res, m, errors))
            passed++;
        else
            failed++;
        free(doc.p);
    }
    for (size_t i = 0; i < ncache; i++)
        campval_schema_free(cache[i].schema);
    campval_workspace_destroy(mws);
    campval_workspace_destroy(ws);
    free(manifest.p);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
