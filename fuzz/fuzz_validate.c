/*
 * fuzz_validate — arbitrary payloads against every built-in rules set.
 *
 * Each rules set is compiled twice (formats as the rules say, and CAMPVAL_ASSERT_FORMATS) and run
 * in all-errors, first-error and duplicates-allowed modes. Invariants beyond "no crash":
 *   - the result is self-consistent (fuzz_check_result) and a syntax error is exactly the one a
 *     syntax-only run reports;
 *   - every error with a token has a JSON Pointer that resolves, from the root, to that token (or,
 *     for a member name, to the value of a member of that object with that name);
 *   - messages and pointers are valid UTF-8 and follow snprintf semantics when cut;
 *   - campval_write_result gives valid UTF-8 in all three formats, and its JSON and problem+json
 *     output is strict JSON listing every error.
 */
#include "fuzz.h"
#include "phone.h"
#include "internal.h"
#include "jstring.h"
#include "pointer.h"

#define MAX_INPUT (64u * 1024u)
#define MAX_SCHEMAS 16

static campval_workspace *ws_main, *ws_syntax, *ws_out;
static campval_schema *schemas[MAX_SCHEMAS];
static size_t schema_count;
static fuzz_buf text, out;
static campval_numbers *suppress;

static void compile_builtins(void)
{
    campval_compile_options opt = {0};
    opt.flags = CAMPVAL_ASSERT_FORMATS;
    for (size_t i = 0; i < campval_builtin_count(); i++) {
        const char *name = campval_builtin_name(i, NULL);
        for (int assert_formats = 0; assert_formats < 2; assert_formats++) {
            campval_compile_error err;
            campval_schema *s;
            campval_code rc = campval_schema_builtin(name, assert_formats ? &opt : NULL, &s, &err);
            /* Rules that need libphonenumber refuse to compile in a build without it. */
            if (rc == CAMPVAL_RULES_UNSUPPORTED && !campval__phone_available())
                continue;
            FUZZ_CHECK(rc == CAMPVAL_OK, "built-in rules %s do not compile: %s", name, err.message);
            FUZZ_CHECK(schema_count < MAX_SCHEMAS, "too many built-in rules sets");
            schemas[schema_count++] = s;
        }
    }
    FUZZ_CHECK(schema_count > 0, "no built-in rules");
    /* Every campaign-wide check, some as warnings, on any document. Those that need
     * libphonenumber are left out of a build without it. */
    static const char preflight[] =
        "{\"x-unique-numbers\":true,\"x-caller-not-contact\":true,\"x-suppress\":true,"
        "\"allOf\":[{\"x-severity\":\"warning\",\"x-calling-windows\":true,"
        "\"x-retry-budget\":{\"per_day\":2},\"x-prompt-variables\":true,"
        "\"x-max-contacts\":5}],"
        "\"anyOf\":[{\"x-severity\":\"warning\",\"x-regions\":[\"US\",\"CA\"],"
        "\"x-calling-hours\":{\"regions\":{\"DE\":{\"weekdays\":[[\"9am\",\"12pm\"]]}}}},"
        "true]}";
    static const char preflight_nophone[] =
        "{\"x-unique-numbers\":true,\"x-caller-not-contact\":true,\"x-suppress\":true,"
        "\"allOf\":[{\"x-severity\":\"warning\",\"x-calling-windows\":true,"
        "\"x-retry-budget\":true,\"x-prompt-variables\":true,\"x-max-contacts\":5}]}";
    bool phone = campval__phone_available();
    const char *rules = phone ? preflight : preflight_nophone;
    campval_compile_error err;
    campval_schema *s;
    FUZZ_CHECK(campval_schema_compile(rules, strlen(rules), NULL, &s, &err) == CAMPVAL_OK,
               "preflight rules: %s", err.message);
    FUZZ_CHECK(schema_count < MAX_SCHEMAS, "too many rules sets");
    schemas[schema_count++] = s;
    static const char dnc[] = "+14155550123\n+33612345678\n";
    campval_numbers_error nerr;
    FUZZ_CHECK(campval_numbers_parse(dnc, strlen(dnc), NULL, &suppress, &nerr) == CAMPVAL_OK,
               "suppression list");
}

/*
 * A text cut to fit `size` bytes: the first size-1 bytes and a NUL, except that a UTF-8 sequence
 * that does not fit whole is dropped (its lead byte becomes the NUL).
 */
static bool is_cut_of(const char *cut, const char *full, size_t n, size_t size)
{
    size_t want = n < size - 1 ? n : size - 1, p = 0;
    while (p < want && cut[p] == full[p])
        p++;
    if (p == want)
        return cut[want] == '\0';
    unsigned char lead = (unsigned char)full[p];
    size_t seq = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return cut[p] == '\0' && seq > want - p;
}

/* Render with snprintf semantics: the full text, then cut copies that must be its prefixes. */
static size_t render(size_t (*fn)(const campval_workspace *, const campval_error *, char *, size_t),
                     const campval_workspace *ws, const campval_error *e, fuzz_buf *b,
                     const char *what)
{
    size_t n = fn(ws, e, NULL, 0);
    b->len = 0;
    fuzz_buf_reserve(b, n + 1);
    FUZZ_CHECK(fn(ws, e, b->p, n + 1) == n && b->p[n] == '\0', "%s length changed", what);
    FUZZ_CHECK(fuzz_utf8_valid(b->p, n), "%s is not UTF-8: %.*s", what, (int)n, b->p);
    char cut[8];
    size_t sizes[] = {1, 2, sizeof cut};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t sz = sizes[k];
        memset(cut, 'x', sizeof cut);
        FUZZ_CHECK(fn(ws, e, cut, sz) == n, "%s: cut rendering returns another length", what);
        FUZZ_CHECK(is_cut_of(cut, b->p, n, sz), "%s: cut to %zu bytes is not a prefix", what, sz);
    }
    return n;
}

/* campval__pointer_resolve only takes reference tokens shorter than its 1 KiB buffer. */
static bool resolvable(const char *p, size_t n)
{
    size_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        seg = p[i] == '/' ? 0 : seg + 1;
        if (seg >= 1023)
            return false;
    }
    return true;
}

static campval__str str_of(const campval__doc *d, uint32_t t)
{
    return (campval__str){d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                          (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
}

static void check_pointer(const campval_workspace *ws, const campval_error *e, const char *p,
                          size_t n)
{
    const campval__doc *d = &ws->doc;
    if (e->token < 0 || !resolvable(p, n))
        return;
    uint32_t t = (uint32_t)e->token;
    int64_t r = campval__pointer_resolve(d, 0, p, n);
    FUZZ_CHECK(r >= 0 && r < d->count, "pointer \"%.*s\" of token %u does not resolve", (int)n, p,
               t);
    if (d->flags[t] & CAMPVAL__F_KEY) {
        /* With repeated names the pointer names the last member: same object, same name. */
        uint32_t k = (uint32_t)r - 1;
        FUZZ_CHECK(r >= 1 && (d->flags[k] & CAMPVAL__F_KEY) &&
                       d->tok[k].parent == d->tok[t].parent &&
                       campval__str_equal(str_of(d, k), str_of(d, t)),
                   "pointer \"%.*s\" of member name %u leads to token %lld", (int)n, p, t,
                   (long long)r);
    } else {
        FUZZ_CHECK(r == t, "pointer \"%.*s\" of token %u leads to token %lld", (int)n, p, t,
                   (long long)r);
    }
}

/* Strict JSON (checked by campval itself, syntax only) whose `member`, unless NULL, is an array of
 * `want` entries. */
static void check_json_output(const char *what, const char *member, size_t want)
{
    campval_result r;
    campval_code rc = campval_validate(NULL, fuzz_workspace(&ws_out), out.p, out.len,
                                       CAMPVAL_SYNTAX_ONLY, &r);
    FUZZ_CHECK(rc == CAMPVAL_OK, "%s output is not JSON (%s at %zu): %.*s", what,
               campval_code_name(rc), r.errors[0].offset, (int)out.len, out.p);
    if (!member)
        return;
    int64_t t = campval__pointer_resolve(&ws_out->doc, 0, member, strlen(member));
    FUZZ_CHECK(t >= 0 && ws_out->doc.tok[t].type == CAMPVAL__T_ARRAY &&
                   (size_t)ws_out->doc.tok[t].size == want,
               "%s output: %s does not list the %zu errors", what, member, want);
}

static void check_outputs(const campval_workspace *ws, const campval_result *res)
{
    static const campval_output formats[] = {CAMPVAL_OUTPUT_TEXT, CAMPVAL_OUTPUT_JSON,
                                             CAMPVAL_OUTPUT_PROBLEM};
    for (size_t f = 0; f < 3; f++) {
        out.len = 0;
        campval_code rc = campval_write_result(ws, res, formats[f], "fuzz.json", fuzz_buf_writer,
                                               &out);
        FUZZ_CHECK(rc == CAMPVAL_OK, "write_result format %d: %s", (int)formats[f],
                   campval_code_name(rc));
        FUZZ_CHECK(fuzz_utf8_valid(out.p, out.len), "output format %d is not UTF-8",
                   (int)formats[f]);
        /* JSON lists every finding; problem+json lists errors in "errors" (when invalid) and
         * warnings in its "warnings" extension member (when any are listed). */
        size_t warnings = 0;
        for (size_t i = 0; i < res->error_count; i++)
            warnings += res->errors[i].severity == CAMPVAL_SEVERITY_WARNING;
        if (formats[f] == CAMPVAL_OUTPUT_JSON) {
            check_json_output("JSON", "/errors", res->error_count);
        } else if (formats[f] == CAMPVAL_OUTPUT_PROBLEM) {
            check_json_output("problem+json", res->valid ? NULL : "/errors",
                              res->error_count - warnings);
            if (warnings)
                check_json_output("problem+json", "/warnings", warnings);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    if (!schema_count)
        compile_builtins();
    campval_workspace *ws = fuzz_workspace(&ws_main), *wss = fuzz_workspace(&ws_syntax);
    /* A fixed date (Monday 2026-12-07) keeps runs repeatable; the list is tiny but real. */
    campval_preflight pf = {1796644800, NULL, suppress, size % 2 ? 0u :
                            CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING};
    FUZZ_CHECK(campval_workspace_set_preflight(ws, &pf) == CAMPVAL_OK, "preflight settings");
    const char *json = (const char *)data;
    static const uint32_t modes[] = {0, CAMPVAL_FIRST_ERROR, CAMPVAL_ALLOW_DUPLICATE_KEYS};
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        campval_result syn;
        campval_code rc_syn = campval_validate(NULL, wss, json, size,
                                               modes[m] | CAMPVAL_SYNTAX_ONLY, &syn);
        fuzz_check_result(json, size, modes[m], rc_syn, &syn);
        for (size_t s = 0; s < schema_count; s++) {
            campval_result res;
            campval_code rc = campval_validate(schemas[s], ws, json, size, modes[m], &res);
            fuzz_check_result(json, size, modes[m], rc, &res);
            if (rc_syn != CAMPVAL_OK) {
                FUZZ_CHECK(rc == rc_syn && res.errors[0].offset == syn.errors[0].offset,
                           "syntax-only says %s at %zu, rules %zu say %s", campval_code_name(rc_syn),
                           syn.errors[0].offset, s, campval_code_name(rc));
            } else {
                FUZZ_CHECK(campval_code_class(rc) != CAMPVAL_CLASS_SYNTAX,
                           "syntax error %s only with rules", campval_code_name(rc));
                FUZZ_CHECK(res.token_count == syn.token_count, "token counts differ");
            }
            for (size_t i = 0; i < res.error_count; i++) {
                const campval_error *e = &res.errors[i];
                FUZZ_CHECK(fuzz_utf8_valid(e->keyword, strlen(e->keyword)) &&
                               fuzz_utf8_valid(e->keyword_location, strlen(e->keyword_location)),
                           "keyword or keyword location is not UTF-8");
                size_t pn = render(campval_error_pointer, ws, e, &text, "pointer");
                check_pointer(ws, e, text.p, pn);
                render(campval_error_message, ws, e, &text, "message");
            }
            check_outputs(ws, &res);
        }
    }
    return 0;
}
