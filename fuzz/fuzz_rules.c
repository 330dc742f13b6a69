/*
 * fuzz_rules — arbitrary rules text through campval_schema_compile (no loader).
 *
 * The options (dialect, format assertion, unknown-keyword warnings) come from a hash of the
 * input, so corpus files stay plain schemas. Invariants beyond "no crash":
 *   - failure gives a rules (or NOMEM) code, a NULL schema, an offset inside the text, line and
 *     column that agree with it, and NUL-terminated UTF-8 text fields;
 *   - what compiles validates a few fixed payloads in all-errors and first-error modes with
 *     self-consistent results, pointers, messages and output;
 *   - compiling is deterministic: a second compile of the same text gives the same verdicts.
 */
#include "fuzz.h"
#include "internal.h"

#define MAX_INPUT (16u * 1024u)

static campval_workspace *ws_main;
static fuzz_buf text;

static const char *const payloads[] = {
    "{\"assistant_id\":\"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e\",\"name\":\"Spring 2026 renewal "
    "reminders\",\"launch\":false,\"from_phone_number\":\"+14155550100\",\"max_concurrent_calls\""
    ":5,\"contacts\":[{\"to_phone_number\":\"+14155550123\",\"prompt_variables\":{\"first_name\":"
    "\"Dana\",\"plan\":\"Pro\",\"renewal_date\":\"2026-04-30\"}},{\"to_phone_number\":"
    "\"+33612345678\",\"prompt_variables\":{\"first_name\":\"L\xC3\xA9\x61\",\"plan\":\"Starter\","
    "\"renewal_date\":\"2026-05-02\"}}],\"call_retry_config\":{\"allowed_days\":[\"monday\","
    "\"tuesday\",\"friday\"],\"calling_windows\":[{\"calling_window_start_time\":\"09:00\","
    "\"calling_window_end_time\":\"12:00\",\"retry_delay_seconds\":3600},{"
    "\"calling_window_start_time\":\"2pm\",\"calling_window_end_time\":\"6pm\","
    "\"retry_delay_seconds\":7200}],\"max_retry_attempts\":3,\"call_twice_in_a_row\":false,"
    "\"timezone\":\"America/New_York\"}}",
    "{}",
    "[]",
    "null",
    "true",
    "-0.5e3",
    "12345678901234567890123",
    "\"\"",
    "\"a~b/c\\u00e9\\ud83d\\ude00\"",
    "[1,2,2,\"x\",{\"a\":[null,false]},[[]],1.0]",
    /* the hostile shapes of issue #13, small: equal objects in another order, strings that
     * backtrack, names that backtrack */
    "[{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9},"
    "{\"i\":9,\"h\":8,\"g\":7,\"f\":6,\"e\":5,\"d\":4,\"c\":3,\"b\":2,\"a\":1.0}]",
    "[\"aaaaaaaaaaaaaaaaaaaab\",\"aaaaaaaaaaaaaaaaaaaab\",\"aaaaaaaaaaaaaaaaaaaac\"]",
    "{\"aaaaaaaaaaaaaaaaaaaa!1\":0,\"aaaaaaaaaaaaaaaaaaaa!2\":0,\"aaaaaaaaaaaaaaaaaaaa!3\":0}",
    "{\"a\":1,\"b\":\"2024-02-29T12:00:00Z\",\"c\":{\"d\":[\"+14155550123\",\"foo@bar.com\"]},"
    "\"~/\":{},\"\":[0,-1,1e400]}",
};

/* Independent of campval: from the input bytes. */
static uint32_t hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void check_text_field(const char *f, size_t cap, const char *what)
{
    size_t n = fuzz_strnlen(f, cap);
    FUZZ_CHECK(n < cap, "compile error %s is not NUL-terminated", what);
    FUZZ_CHECK(fuzz_utf8_valid(f, n), "compile error %s is not UTF-8: %s", what, f);
}

static void check_compile_error(const uint8_t *data, size_t size, campval_code rc,
                                const campval_compile_error *err)
{
    campval_class k = campval_code_class(rc);
    FUZZ_CHECK(k == CAMPVAL_CLASS_RULES || rc == CAMPVAL_NOMEM, "compile returned %s",
               campval_code_name(rc));
    FUZZ_CHECK(err->code == rc, "compile error code %d, returned %d", (int)err->code, (int)rc);
    check_text_field(err->message, sizeof err->message, "message");
    check_text_field(err->location, sizeof err->location, "location");
    check_text_field(err->document, sizeof err->document, "document");
    /* Offsets and lines refer to the rules given only when no other document failed. */
    if (err->document[0] == '\0') {
        FUZZ_CHECK(err->offset <= size, "compile error at %zu of %zu", err->offset, size);
        uint32_t line = 1;
        size_t bol = 0;
        for (size_t i = 0; i < err->offset; i++)
            if (data[i] == '\n')
                line++, bol = i + 1;
        FUZZ_CHECK(err->line == line && err->column == err->offset - bol + 1,
                   "compile error offset %zu is %u:%zu, error says %u:%u", err->offset, line,
                   err->offset - bol + 1, err->line, err->column);
    }
}

static void check_validation(const campval_schema *s, const char *json, uint32_t flags)
{
    campval_workspace *ws = fuzz_workspace(&ws_main);
    size_t len = strlen(json);
    campval_result res;
    campval_code rc = campval_validate(s, ws, json, len, flags, &res);
    fuzz_check_result(json, len, flags, rc, &res);
    FUZZ_CHECK(campval_code_class(rc) != CAMPVAL_CLASS_SYNTAX, "fixed payload has a syntax error");
    for (size_t i = 0; i < res.error_count; i++) {
        const campval_error *e = &res.errors[i];
        FUZZ_CHECK(fuzz_utf8_valid(e->keyword_location, strlen(e->keyword_location)),
                   "keyword location is not UTF-8");
        size_t n = campval_error_message(ws, e, NULL, 0);
        text.len = 0;
        fuzz_buf_reserve(&text, n + 1);
        FUZZ_CHECK(campval_error_message(ws, e, text.p, n + 1) == n, "message length");
        FUZZ_CHECK(fuzz_utf8_valid(text.p, n), "message is not UTF-8: %s", text.p);
        n = campval_error_pointer(ws, e, NULL, 0);
        text.len = 0;
        fuzz_buf_reserve(&text, n + 1);
        FUZZ_CHECK(campval_error_pointer(ws, e, text.p, n + 1) == n, "pointer length");
        FUZZ_CHECK(fuzz_utf8_valid(text.p, n), "pointer is not UTF-8");
    }
    text.len = 0;
    FUZZ_CHECK(campval_write_result(ws, &res, CAMPVAL_OUTPUT_JSON, NULL, fuzz_buf_writer, &text) ==
                   CAMPVAL_OK,
               "write_result");
    FUZZ_CHECK(fuzz_utf8_valid(text.p, text.len), "JSON output is not UTF-8");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    uint32_t h = hash(data, size);
    campval_compile_options opt = {0};
    opt.dialect = (campval_dialect)(h % 3);
    opt.flags = (h >> 2 & 1 ? CAMPVAL_ASSERT_FORMATS : 0) | (h >> 3 & 1 ? CAMPVAL_WARN_UNKNOWN : 0);
    opt.base_uri = h >> 4 & 1 ? "https://example.com/rules/fuzz.json" : NULL;

    campval_schema *s = (campval_schema *)1;
    campval_compile_error err;
    memset(&err, 0x55, sizeof err);
    campval_code rc = campval_schema_compile((const char *)data, size, &opt, &s, &err);
    if (rc != CAMPVAL_OK) {
        FUZZ_CHECK(s == NULL, "failed compile left a schema");
        check_compile_error(data, size, rc, &err);
        campval_schema *again;
        campval_code rc2 = campval_schema_compile((const char *)data, size, &opt, &again, NULL);
        FUZZ_CHECK(rc2 == rc && again == NULL, "compile is not deterministic: %s then %s",
                   campval_code_name(rc), campval_code_name(rc2));
        return 0;
    }
    FUZZ_CHECK(s != NULL && campval_schema_memory(s) > 0, "compiled schema");
    size_t nw = campval_schema_warning_count(s);
    for (size_t i = 0; i < nw; i++) {
        const char *w = campval_schema_warning(s, i);
        FUZZ_CHECK(w && fuzz_utf8_valid(w, strlen(w)), "warning %zu", i);
    }
    FUZZ_CHECK(campval_schema_warning(s, nw) == NULL, "warning past the count");
    if (!(opt.flags & CAMPVAL_WARN_UNKNOWN))
        FUZZ_CHECK(nw == 0, "warnings without CAMPVAL_WARN_UNKNOWN");
    for (size_t p = 0; p < sizeof payloads / sizeof *payloads; p++) {
        check_validation(s, payloads[p], 0);
        check_validation(s, payloads[p], CAMPVAL_FIRST_ERROR);
    }
    campval_schema_free(s);
    return 0;
}
