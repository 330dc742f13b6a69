/*
 * The campaign-wide harm checks (src/preflight.c), one keyword at a time through the public API:
 * each finding's code, pointer and message, what must not be reported, and the bounds (work
 * budget, hostile sizes).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"
#include "phone.h"

static campval_schema *schema;
static campval_workspace *ws;
static campval_result res;

static void compile(const char *rules)
{
    campval_compile_error err;
    campval_schema_free(schema);
    schema = NULL;
    cr_assert_eq(campval_schema_compile(rules, strlen(rules), NULL, &schema, &err), CAMPVAL_OK,
                 "%s: %s", rules, err.message);
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

TestSuite(preflight, .init = setup, .fini = teardown);

typedef struct want {
    campval_code code;
    const char *pointer;
    const char *in_message; /* a piece of the message, or NULL */
} want;

/* Validate doc and expect exactly the findings listed (in document order). */
static void expect(const char *doc, const want *w, size_t n)
{
    campval_validate(schema, ws, doc, strlen(doc), 0, &res);
    cr_assert_eq(res.error_count, n, "%s: %zu findings, wanted %zu (first %s)", doc,
                 res.error_count, n,
                 res.error_count ? campval_code_name(res.errors[0].code) : "-");
    for (size_t i = 0; i < n; i++) {
        char ptr[256], msg[512];
        const campval_error *e = &res.errors[i];
        campval_error_pointer(ws, e, ptr, sizeof ptr);
        campval_error_message(ws, e, msg, sizeof msg);
        cr_expect_eq(e->code, w[i].code, "%s: finding %zu is %s, wanted %s", doc, i,
                     campval_code_name(e->code), campval_code_name(w[i].code));
        cr_expect_str_eq(ptr, w[i].pointer, "%s: finding %zu", doc, i);
        if (w[i].in_message)
            cr_expect(strstr(msg, w[i].in_message) != NULL, "%s: message \"%s\" lacks \"%s\"",
                      doc, msg, w[i].in_message);
    }
}

#define EXPECT(doc, ...)                                                                           \
    do {                                                                                           \
        static const want w_[] = {__VA_ARGS__};                                                    \
        expect(doc, w_, sizeof w_ / sizeof *w_);                                                   \
    } while (0)
#define EXPECT_NONE(doc) expect(doc, NULL, 0)

/* Found through a sort by number, reported in document order: with CAMPVAL_FIRST_ERROR the one
 * kept is the first in the document (contact 2 repeats contact 0), not the smallest number's. */
Test(preflight, duplicates_and_suppressed_in_document_order)
{
    static const char doc[] = "{\"contacts\":[{\"to_phone_number\":\"+14155550199\"},"
                              "{\"to_phone_number\":\"+14155550100\"},"
                              "{\"to_phone_number\":\"+14155550199\"},"
                              "{\"to_phone_number\":\"+14155550100\"}]}";
    char ptr[256];
    compile("{\"x-unique-numbers\":true}");
    campval_validate(schema, ws, doc, strlen(doc), CAMPVAL_FIRST_ERROR, &res);
    cr_assert_eq(res.error_count, 1);
    campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr);
    cr_expect_str_eq(ptr, "/contacts/2/to_phone_number");

    campval_numbers *list;
    static const char dnc[] = "+14155550100\n+14155550199\n";
    cr_assert_eq(campval_numbers_parse(dnc, sizeof dnc - 1, NULL, &list, NULL), CAMPVAL_OK);
    campval_preflight pf = {0};
    pf.suppress = list;
    cr_assert_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_OK);
    compile("{\"x-suppress\":true}");
    campval_validate(schema, ws, doc, strlen(doc), CAMPVAL_FIRST_ERROR, &res);
    cr_assert_eq(res.error_count, 1);
    campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr);
    cr_expect_str_eq(ptr, "/contacts/0/to_phone_number");
    cr_assert_eq(campval_workspace_set_preflight(ws, NULL), CAMPVAL_OK);
    campval_numbers_free(list);
}

Test(preflight, duplicate_numbers)
{
    compile("{\"x-unique-numbers\":true}");
    EXPECT("{\"contacts\":[{\"to_phone_number\":\"+14155550123\"},{\"to_phone_number\":"
           "\"+14155550124\"},{\"to_phone_number\":\"+14155550123\"},{\"to_phone_number\":"
           "\"+14155550123\"}]}",
           {CAMPVAL_DUPLICATE_NUMBER, "/contacts/2/to_phone_number", "/contacts/0/to_phone_number"},
           {CAMPVAL_DUPLICATE_NUMBER, "/contacts/3/to_phone_number", "/contacts/0/to_phone_number"});
    /* escapes are read as the API reads them */
    EXPECT("{\"contacts\":[{\"to_phone_number\":\"+14155550123\"},{\"to_phone_number\":"
           "\"\\u002b14155550123\"}]}",
           {CAMPVAL_DUPLICATE_NUMBER, "/contacts/1/to_phone_number", NULL});
    EXPECT_NONE("{\"contacts\":[{\"to_phone_number\":\"+14155550123\"},{\"to_phone_number\":"
                "\"+141555501230\"},{\"to_phone_number\":5},{},{\"to_phone_number\":\"x\"},"
                "{\"to_phone_number\":\"x\"}]}");
    EXPECT_NONE("{\"contacts\":{}}");
    EXPECT_NONE("[1]");
}

/* Few numbers are merge-sorted, many radix-sorted: the same findings on both sides of the
 * switch, each naming the earliest contact with the number. */
Test(preflight, duplicate_numbers_at_every_size)
{
    compile("{\"x-unique-numbers\":true}");
    static const size_t sizes[] = {2, 5, 17, 255, 256, 257, 600, 16383, 16384, 16385};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s], cap = n * 40 + 32, len = 0;
        char *doc = malloc(cap);
        cr_assert_not_null(doc);
        len += (size_t)snprintf(doc + len, cap - len, "{\"contacts\":[");
        /* descending numbers, so the sort has to move every key; the last contact repeats the
         * first, the middle one (for n > 4) the second */
        for (size_t i = 0; i < n; i++) {
            size_t same = i == n - 1 ? 0 : (n > 4 && i == n / 2) ? 1 : i;
            len += (size_t)snprintf(doc + len, cap - len,
                                    "%s{\"to_phone_number\":\"+1415%07zu\"}", i ? "," : "",
                                    9999999 - same);
        }
        len += (size_t)snprintf(doc + len, cap - len, "]}");
        char mid[64], last[64];
        snprintf(mid, sizeof mid, "/contacts/%zu/to_phone_number", n / 2);
        snprintf(last, sizeof last, "/contacts/%zu/to_phone_number", n - 1);
        if (n > 4) {
            want w[] = {{CAMPVAL_DUPLICATE_NUMBER, mid, "/contacts/1/to_phone_number"},
                        {CAMPVAL_DUPLICATE_NUMBER, last, "/contacts/0/to_phone_number"}};
            expect(doc, w, 2);
        } else {
            want w[] = {{CAMPVAL_DUPLICATE_NUMBER, last, NULL}};
            expect(doc, w, 1);
        }
        free(doc);
    }
}

/* North American numbers chosen so that their keys, once mixed, all share the top bits: below
 * 16,384 contacts the packed sort puts them in one bucket, where the insertion pass would take
 * n^2/4 moves; it gives up past its bound and a merge sort finishes. The duplicates are still
 * found (the sort is right), each naming the earliest contact with the number. */
Test(preflight, duplicate_numbers_colliding_after_mixing)
{
    compile("{\"x-unique-numbers\":true}");
    static const size_t sizes[] = {40, 300, 3000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s], cap = n * 40 + 32, len = 0;
        unsigned bits = 1;
        while ((2u << bits) < n)
            bits++;
        uint64_t *keys = malloc(n * sizeof *keys);
        char *doc = malloc(cap);
        cr_assert(keys && doc);
        /* keys 1NXXNXXXXXX (any 10 digits after "+1" and a 2..9) whose mixed value, (key *
         * 0x9E3779B97F4A7C15) mod 2^50 as src/preflight.c mixes them, is in the first bucket */
        size_t got = 0;
        for (uint64_t key = 12000000000u; got < n - 2; key++)
            if ((((key * 0x9E3779B97F4A7C15u) & ((1ull << 50) - 1)) >> (50 - bits)) == 0)
                keys[got++] = key;
        /* in reverse, so the sort has to move them; the middle contact repeats the second,
         * the last the first */
        len += (size_t)snprintf(doc + len, cap - len, "{\"contacts\":[");
        for (size_t i = 0; i < n; i++) {
            size_t same = i == n - 1 ? 0 : i == n / 2 ? 1 : i < n / 2 ? i : i - 1;
            len += (size_t)snprintf(doc + len, cap - len, "%s{\"to_phone_number\":\"+%llu\"}",
                                    i ? "," : "", (unsigned long long)keys[n - 3 - same]);
        }
        len += (size_t)snprintf(doc + len, cap - len, "]}");
        char mid[64], last[64];
        snprintf(mid, sizeof mid, "/contacts/%zu/to_phone_number", n / 2);
        snprintf(last, sizeof last, "/contacts/%zu/to_phone_number", n - 1);
        want w[] = {{CAMPVAL_DUPLICATE_NUMBER, mid, "/contacts/1/to_phone_number"},
                    {CAMPVAL_DUPLICATE_NUMBER, last, "/contacts/0/to_phone_number"}};
        expect(doc, w, 2);
        free(doc);
        free(keys);
    }
}

Test(preflight, duplicate_numbers_follow_libphonenumber)
{
    if (!campval__phone_available())
        cr_skip_test("built without libphonenumber: numbers compare as written");
    compile("{\"x-unique-numbers\":true}");
    EXPECT("{\"contacts\":[{\"to_phone_number\":\"+442079460958\"},{\"to_phone_number\":"
           "\"+4402079460958\"}]}",
           {CAMPVAL_DUPLICATE_NUMBER, "/contacts/1/to_phone_number", NULL});
}

Test(preflight, caller_is_a_contact)
{
    compile("{\"x-caller-not-contact\":true}");
    EXPECT("{\"from_phone_number\":\"+14155550100\",\"contacts\":[{\"to_phone_number\":"
           "\"+14155550123\"},{\"to_phone_number\":\"+14155550100\"}]}",
           {CAMPVAL_CALLER_IS_CONTACT, "/contacts/1/to_phone_number", "/from_phone_number"});
    EXPECT_NONE("{\"contacts\":[{\"to_phone_number\":\"+14155550100\"}]}");
}

Test(preflight, list_size)
{
    compile("{\"x-max-contacts\":2}");
    EXPECT("{\"contacts\":[{},{},{}]}", {CAMPVAL_TOO_MANY_CONTACTS, "/contacts", "3 contacts"});
    EXPECT_NONE("{\"contacts\":[{},{}]}");
    compile("{\"x-max-contacts\":true}");
    EXPECT_NONE("{\"contacts\":[{},{},{}]}");
}

static const char WINDOW_RULES[] = "{\"x-calling-windows\":true}";
#define CFG(windows) "{\"call_retry_config\":{\"calling_windows\":[" windows "]}}"
#define W(a, b) "{\"calling_window_start_time\":\"" a "\",\"calling_window_end_time\":\"" b "\"}"

Test(preflight, windows)
{
    compile(WINDOW_RULES);
    EXPECT(CFG(W("18:00", "09:00")),
           {CAMPVAL_WINDOW_ORDER, "/call_retry_config/calling_windows/0/calling_window_end_time",
            "ends at 09:00, not after it starts at 18:00"});
    EXPECT(CFG(W("10:00", "10:00")), {CAMPVAL_WINDOW_ORDER,
                                      "/call_retry_config/calling_windows/0/calling_window_end_time",
                                      NULL});
    EXPECT(CFG(W("09:00", "12:00") "," W("2pm", "6pm") "," W("11:00", "1pm")),
           {CAMPVAL_WINDOW_OVERLAP, "/call_retry_config/calling_windows/2",
            "/call_retry_config/calling_windows/0"});
    EXPECT(CFG(W("12am", "6am") "," W("9am", "12:30pm")),
           {CAMPVAL_WINDOW_AMBIGUOUS,
            "/call_retry_config/calling_windows/0/calling_window_start_time", "12am"},
           {CAMPVAL_WINDOW_AMBIGUOUS, "/call_retry_config/calling_windows/1/calling_window_end_time",
            NULL});
    /* touching windows do not overlap; unreadable times are the format's business */
    EXPECT_NONE(CFG(W("09:00", "12:00") "," W("12:00", "5pm") "," W("nine", "ten") "," W("5pm",
                                                                                         "9pm")));
}

#define RETRY(days, windows, attempts, twice)                                                      \
    "{\"call_retry_config\":{\"allowed_days\":[" days "],\"calling_windows\":[" windows            \
    "],\"max_retry_attempts\":" attempts ",\"call_twice_in_a_row\":" twice "}}"
#define RW(a, b, delay)                                                                            \
    "{\"calling_window_start_time\":\"" a "\",\"calling_window_end_time\":\"" b                    \
    "\",\"retry_delay_seconds\":" delay "}"
#define WEEKDAYS "\"monday\",\"tuesday\",\"wednesday\",\"thursday\",\"friday\""

Test(preflight, retry_budget)
{
    compile("{\"x-retry-budget\":true}");
    /* the example: 50 attempts one minute apart */
    EXPECT(RETRY(WEEKDAYS, RW("09:00", "17:00", "60"), "50", "false"),
           {CAMPVAL_RETRY_BUDGET, "/call_retry_config/max_retry_attempts",
            "up to 50 calls in 24 hours and 50 in 7 days"});
    /* 3 attempts two hours apart: 3 in a day, 3 in a week */
    EXPECT_NONE(RETRY(WEEKDAYS, RW("09:00", "17:00", "7200"), "3", "false"));
    /* 4 attempts a day apart: 1 a day is fine, but the caps are per 24 hours and 7 days */
    EXPECT_NONE(RETRY(WEEKDAYS, RW("09:00", "17:00", "86400"), "4", "false"));
    /* 8 attempts a day apart: never more than 7 in any 7 days */
    EXPECT_NONE(RETRY(WEEKDAYS ",\"saturday\",\"sunday\"", RW("09:00", "17:00", "86400"), "8",
                      "false"));
    /* every 20 hours around the clock: 9 in 7 days, 2 in 24 hours */
    EXPECT(RETRY(WEEKDAYS ",\"saturday\",\"sunday\"", RW("00:00", "23:59", "72000"), "12",
                 "false"),
           {CAMPVAL_RETRY_BUDGET, "/call_retry_config/max_retry_attempts",
            "up to 2 calls in 24 hours and 9 in 7 days"});
    /* call_twice_in_a_row makes attempt 2 immediate: 3 attempts 8 hours apart become 2 + 1 */
    EXPECT_NONE(RETRY(WEEKDAYS, RW("09:00", "17:00", "28800"), "3", "true"));
    compile("{\"x-retry-budget\":{\"per_day\":2}}");
    EXPECT(RETRY(WEEKDAYS, RW("09:00", "17:00", "7200"), "3", "false"),
           {CAMPVAL_RETRY_BUDGET, "/call_retry_config/max_retry_attempts", "caps 2 and 7"});
}

#define PV(v) "{\"to_phone_number\":\"+1\",\"prompt_variables\":" v "}"

Test(preflight, prompt_variables)
{
    compile("{\"x-prompt-variables\":true}");
    EXPECT("{\"contacts\":[" PV("{\"first_name\":\"A\",\"plan\":\"x\"}") ","
           PV("{\"first_name\":\"{{first_name}}\",\"plan\":\" \"}") ","
           PV("{\"plan\":\"a\\u202eb\"}") "," PV("{\"first_name\":\"C\",\"plan\":\"a\\u0007\"}")
           "]}",
           {CAMPVAL_PROMPT_TEMPLATE, "/contacts/1/prompt_variables/first_name", "{{first_name}}"},
           {CAMPVAL_PROMPT_BLANK, "/contacts/1/prompt_variables/plan", NULL},
           {CAMPVAL_PROMPT_MISSING, "/contacts/2/prompt_variables", "no \"first_name\""},
           {CAMPVAL_PROMPT_CONTROL, "/contacts/2/prompt_variables/plan", NULL},
           {CAMPVAL_PROMPT_CONTROL, "/contacts/3/prompt_variables/plan", NULL});
    /* a key only some contacts have is not "missing"; nor with fewer than three contacts */
    EXPECT_NONE("{\"contacts\":[" PV("{\"a\":\"1\",\"b\":\"x\"}") "," PV("{\"a\":\"1\"}") ","
                PV("{\"a\":\"1\"}") "," PV("{\"a\":\"{not a template}\"}") "]}");
    EXPECT_NONE("{\"contacts\":[" PV("{\"a\":\"1\"}") "," PV("{}") "]}");
}

/* A contact's missing names come in the order the names first appear in the document, whatever
 * the workspace's random hash key (each new workspace draws one); the table's order did not. */
Test(preflight, prompt_missing_in_document_order)
{
    compile("{\"x-prompt-variables\":true}");
    static const char doc[] =
        "{\"contacts\":[" PV("{\"zeta\":\"1\",\"alpha\":\"2\",\"mid\":\"3\",\"beta\":\"4\","
                             "\"omega\":\"5\",\"kappa\":\"6\"}") ","
        PV("{\"zeta\":\"1\",\"alpha\":\"2\",\"mid\":\"3\",\"beta\":\"4\",\"omega\":\"5\","
           "\"kappa\":\"6\"}") ","
        PV("{\"kappa\":\"6\",\"omega\":\"5\",\"beta\":\"4\",\"mid\":\"3\",\"alpha\":\"2\","
           "\"zeta\":\"1\"}") ","
        PV("{\"mid\":\"3\"}") "]}";
    for (int round = 0; round < 32; round++) {
        campval_workspace_destroy(ws);
        cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
        EXPECT(doc, {CAMPVAL_PROMPT_MISSING, "/contacts/3/prompt_variables", "no \"zeta\""},
               {CAMPVAL_PROMPT_MISSING, "/contacts/3/prompt_variables", "no \"alpha\""},
               {CAMPVAL_PROMPT_MISSING, "/contacts/3/prompt_variables", "no \"beta\""},
               {CAMPVAL_PROMPT_MISSING, "/contacts/3/prompt_variables", "no \"omega\""},
               {CAMPVAL_PROMPT_MISSING, "/contacts/3/prompt_variables", "no \"kappa\""});
    }
}

/* Templates read the same on the plain ASCII path and, written with an escape, on the other. */
Test(preflight, prompt_templates_on_both_paths)
{
    compile("{\"x-prompt-variables\":true}");
    static const struct {
        const char *plain, *escaped;
        bool tmpl;
    } cases[] = {
        {"{{a}}", "\\u007b{a}}", true},   {"x{{}}y", "x\\u007b{}}y", true},
        {"{{{}}", "\\u007b{{}}", true},   {"}}{{", "}}\\u007b{", false},
        {"{{}", "\\u007b{}", false},      {"{a}}", "\\u007ba}}", false},
        {"a}}", "a}\\u007d", false},      {"{ {a}}", "\\u007b {a}}", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int esc = 0; esc < 2; esc++) {
            char doc[256];
            snprintf(doc, sizeof doc, "{\"contacts\":[" PV("{\"a\":\"%s\"}") "]}",
                     esc ? cases[i].escaped : cases[i].plain);
            if (cases[i].tmpl) {
                EXPECT(doc, {CAMPVAL_PROMPT_TEMPLATE, "/contacts/0/prompt_variables/a", NULL});
            } else {
                EXPECT_NONE(doc);
            }
        }
}

/* ---- x-prompt-variables: the word-at-a-time paths against the old reading ------------------- */

/* The value checks as src/preflight_prompt.c made them before it read values 8 bytes at a time:
 * blank, then a template, then any code point that is a C0 or C1 control, DEL, or a
 * bidirectional embedding, override or isolate, decoding every code point. The oracle. */
static campval_code oracle_value(const unsigned char *s, size_t n)
{
    bool blank = true;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            blank = false;
    if (blank)
        return CAMPVAL_PROMPT_BLANK;
    size_t i = 0;
    while (i + 1 < n && !(s[i] == '{' && s[i + 1] == '{'))
        i++;
    for (i += 2; i + 1 < n; i++)
        if (s[i] == '}' && s[i + 1] == '}')
            return CAMPVAL_PROMPT_TEMPLATE;
    for (i = 0; i < n;) {
        uint32_t cp = s[i];
        size_t len = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (len > 1)
            cp &= 0x3Fu >> (len - 1);
        for (size_t k = 1; k < len; k++)
            cp = cp << 6 | (s[i + k] & 0x3Fu);
        i += len;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069))
            return CAMPVAL_PROMPT_CONTROL;
    }
    return CAMPVAL_OK;
}

/* A piece of a value: its bytes, as written raw in JSON (NULL: only escaped) and escaped. */
typedef struct piece {
    const char *bytes;
    size_t len;
    const char *raw, *escaped;
} piece;

#define P(b, raw, esc) {b, sizeof b - 1, raw, esc}
static const piece pieces[] = {
    P("a", "a", "\\u0061"), P("Z", "Z", "\\u005A"), P(" ", " ", "\\u0020"),
    P("-", "-", "\\u002d"), P("{", "{", "\\u007b"), P("}", "}", "\\u007D"),
    P("|", "|", "\\u007c"), P("~", "~", "\\u007e"), P("z", "z", "\\u007a"),
    P("\x7F", "\x7F", "\\u007f"), P("\"", "\\\"", "\\u0022"), P("\\", "\\\\", "\\u005c"),
    P("/", "/", "\\/"), P("\t", NULL, "\\t"), P("\n", NULL, "\\n"), P("\r", NULL, "\\r"),
    P("\b", NULL, "\\b"), P("\f", NULL, "\\f"), P("\x01", NULL, "\\u0001"),
    P("\x1F", NULL, "\\u001f"), P("\xC3\xA9", "\xC3\xA9", "\\u00e9"),
    P("\xC3\xBC", "\xC3\xBC", "\\u00FC"), P("\xE6\x97\xA5", "\xE6\x97\xA5", "\\u65e5"),
    P("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", "\\ud83d\\ude00"),
    P("\xC2\x80", "\xC2\x80", "\\u0080"), P("\xC2\x85", "\xC2\x85", "\\u0085"),
    P("\xC2\x9F", "\xC2\x9F", "\\u009f"), P("\xC2\xA0", "\xC2\xA0", "\\u00a0"),
    P("\xC2\xBF", "\xC2\xBF", "\\u00bf"), P("\xE2\x80\x99", "\xE2\x80\x99", "\\u2019"),
    P("\xE2\x80\xA9", "\xE2\x80\xA9", "\\u2029"), P("\xE2\x80\xAA", "\xE2\x80\xAA", "\\u202a"),
    P("\xE2\x80\xAE", "\xE2\x80\xAE", "\\u202E"), P("\xE2\x80\xAF", "\xE2\x80\xAF", "\\u202f"),
    P("\xE2\x81\xA5", "\xE2\x81\xA5", "\\u2065"), P("\xE2\x81\xA6", "\xE2\x81\xA6", "\\u2066"),
    P("\xE2\x81\xA9", "\xE2\x81\xA9", "\\u2069"), P("\xE2\x81\xAA", "\xE2\x81\xAA", "\\u206a"),
    P("\xE2\x82\xAC", "\xE2\x82\xAC", "\\u20ac"), P("\xE2\x80\x8E", "\xE2\x80\x8E", "\\u200e"),
    P("\xEF\xBF\xBF", "\xEF\xBF\xBF", "\\uffff"), P("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF",
                                                    "\\udbff\\udfff"),
};
#undef P
#define NPIECES (sizeof pieces / sizeof *pieces)

/* A value of the given pieces (indices), written raw where it can be unless `escape` has the
 * piece's bit; its bytes go to bytes[*n], its JSON text (with the quotes) to json. */
static void build_value(const size_t *idx, size_t count, uint64_t escape, char *json,
                        unsigned char *bytes, size_t *n)
{
    size_t j = 0;
    *n = 0;
    json[j++] = '"';
    for (size_t i = 0; i < count; i++) {
        const piece *pc = &pieces[idx[i]];
        const char *w = pc->raw && !(escape >> (i % 64) & 1) ? pc->raw : pc->escaped;
        memcpy(json + j, w, strlen(w));
        j += strlen(w);
        memcpy(bytes + *n, pc->bytes, pc->len);
        *n += pc->len;
    }
    json[j++] = '"';
    json[j] = '\0';
}

/* The value in one contact (values only) and in three (values and names): the findings the
 * oracle expects, at every contact. */
static void expect_value(const char *json, const unsigned char *bytes, size_t n)
{
    campval_code expected = oracle_value(bytes, n);
    char doc[2048];
    for (int contacts = 1; contacts <= 3; contacts += 2) {
        size_t len = (size_t)snprintf(doc, sizeof doc, "{\"contacts\":[");
        for (int c = 0; c < contacts; c++)
            len += (size_t)snprintf(doc + len, sizeof doc - len,
                                    "%s{\"to_phone_number\":\"+1\",\"prompt_variables\":"
                                    "{\"first_name\":\"Ann\",\"k\":%s}}",
                                    c ? "," : "", json);
        len += (size_t)snprintf(doc + len, sizeof doc - len, "]}");
        cr_assert_lt(len, sizeof doc);
        campval_validate(schema, ws, doc, len, 0, &res);
        size_t wanted = expected == CAMPVAL_OK ? 0 : (size_t)contacts;
        cr_assert_eq(res.error_count, wanted, "%s: %zu findings, wanted %zu %s", json,
                     res.error_count, wanted, campval_code_name(expected));
        for (size_t i = 0; i < res.error_count; i++) {
            char ptr[64], exp[64];
            campval_error_pointer(ws, &res.errors[i], ptr, sizeof ptr);
            snprintf(exp, sizeof exp, "/contacts/%zu/prompt_variables/k", i);
            cr_assert_eq(res.errors[i].code, expected, "%s: %s, wanted %s", json,
                         campval_code_name(res.errors[i].code), campval_code_name(expected));
            cr_assert_str_eq(ptr, exp, "%s", json);
        }
    }
}

/* Every piece (a C1 control, a bidirectional override, its neighbours that are not controls,
 * letters that are not ASCII, escapes, braces, DEL) at every position of values of 1 to 30
 * bytes, raw and escaped: the short-value, 8-byte and longer paths, the exact second look at
 * words with bytes above 'z', and the escaped path all agree with the oracle. */
Test(preflight, prompt_values_every_piece_everywhere)
{
    compile("{\"x-prompt-variables\":true}");
    char json[512];
    unsigned char bytes[256];
    size_t idx[40], n;
    static const size_t fillers[] = {0, 2, 20}; /* "a", " ", "é" */
    for (size_t pc = 0; pc < NPIECES; pc++)
        for (size_t f = 0; f < 3; f++)
            for (size_t before = 0; before <= 17; before++)
                for (size_t after = 0; after <= 9; after += (after < 3 ? 1 : 3))
                    for (int esc = 0; esc < 2; esc++) {
                        size_t count = 0;
                        for (size_t i = 0; i < before; i++)
                            idx[count++] = fillers[f];
                        idx[count++] = pc;
                        for (size_t i = 0; i < after; i++)
                            idx[count++] = fillers[f];
                        build_value(idx, count, esc ? (uint64_t)1 << before : 0, json, bytes,
                                    &n);
                        expect_value(json, bytes, n);
                    }
}

/* Plain ASCII values, raw (no escape, no byte >= 0x80: the lexer's flags send them to the
 * test that adds 5 to each byte to find '{' and DEL): "{{" and "}}" at every pair of positions,
 * and one DEL, '{', '}', '|' or '~' at every position, in values of 1 to 40 bytes of letters
 * or spaces. */
Test(preflight, prompt_plain_ascii_values_everywhere)
{
    compile("{\"x-prompt-variables\":true}");
    char json[512];
    unsigned char bytes[256];
    size_t idx[48], n;
    static const size_t fillers[] = {0, 2, 8}; /* "a", " ", "z" */
    static const size_t singles[] = {9, 4, 5, 6, 7}; /* DEL, '{', '}', '|', '~' */
    for (size_t f = 0; f < 3; f++)
        for (size_t len = 1; len <= 40; len++) {
            for (size_t i = 0; i + 2 <= len; i++)
                for (size_t j = 0; j + 2 <= len; j++) {
                    for (size_t k = 0; k < len; k++)
                        idx[k] = fillers[f];
                    idx[i] = idx[i + 1] = 4;
                    idx[j] = idx[j + 1] = 5;
                    build_value(idx, len, 0, json, bytes, &n);
                    expect_value(json, bytes, n);
                }
            for (size_t s = 0; s < sizeof singles / sizeof *singles; s++)
                for (size_t i = 0; i < len; i++) {
                    for (size_t k = 0; k < len; k++)
                        idx[k] = fillers[f];
                    idx[i] = singles[s];
                    build_value(idx, len, 0, json, bytes, &n);
                    expect_value(json, bytes, n);
                }
        }
}

/* Random values of random pieces, mostly raw, sometimes escaped, blank runs included. */
Test(preflight, prompt_values_random_against_oracle)
{
    compile("{\"x-prompt-variables\":true}");
    uint64_t x = 0x9E3779B97F4A7C15u;
    char json[1024];
    unsigned char bytes[512];
    size_t idx[40], n;
    for (int round = 0; round < 6000; round++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        size_t count = (size_t)(x >> 59) + (round % 3 == 0 ? 8 : 0); /* 0 to 39 */
        uint64_t y = x;
        for (size_t i = 0; i < count; i++) {
            y = y * 6364136223846793005u + 1442695040888963407u;
            unsigned r = (unsigned)(y >> 33);
            /* mostly ASCII letters and spaces, the rest any piece */
            idx[i] = r % 4 == 0 ? (r >> 2) % NPIECES : r % 4 == 1 ? 2 : (r >> 2) % 3;
        }
        y = y * 6364136223846793005u + 1442695040888963407u;
        uint64_t escape = round % 4 == 0 ? y : 0;
        build_value(idx, count, escape, json, bytes, &n);
        expect_value(json, bytes, n);
    }
}

/* The names of the prompt_variables in varying orders, some missing, some escaped, some
 * twice, of every length class the name comparison has (1-3, 4-7, 8-16 and over 16 bytes,
 * pairs differing in one byte: first, middle or last), more than the 16 positions remembered,
 * the member not last in its contact: every name most (not all) contacts have is reported
 * missing where it is, as counting says. */
Test(preflight, prompt_names_orders_against_oracle)
{
    static const char *const names[][2] = {
        {"a", "\\u0061"},
        {"bc", "b\\u0063"},
        {"abXde", "ab\\u0058de"},
        {"abYde", "abY\\u0064e"},
        {"abcd", "\\u0061bcd"},
        {"abce", "abc\\u0065"},
        {"abcdeX", "abcde\\u0058"},
        {"abcdeY", "\\u0061bcdeY"},
        {"first_name", "first\\u005fname"},
        {"first_namf", "first_nam\\u0066"},
        {"renewal_date_x", "renewal\\u005fdate_x"},
        {"customer_reference_one", "customer\\u005freference_one"},
        {"customer_reference_onf", "customer_reference_on\\u0066"},
        {"n\xC3\xA9", "n\\u00e9"},
        {"k1", "k\\u0031"},
        {"k2", "k2"},
        {"k3", "k3"},
        {"k4", "k4"},
        {"aXc", "a\\u0058c"},
        {"aYc", "aY\\u0063"},
    };
    enum { NAMES = sizeof names / sizeof *names, MAXC = 9 };
    compile("{\"x-prompt-variables\":true}");
    campval_workspace_destroy(ws);
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_errors = 1000;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    uint64_t x = 12345;
    static char doc[65536];
    for (int round = 0; round < 1500; round++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        int contacts = 3 + (int)(x >> 61) + (round % 2 ? 0 : 2); /* 3 to 12 */
        if (contacts > MAXC)
            contacts = MAXC;
        int base = 2 + (int)((x >> 40) % 17);                 /* names in most contacts */
        bool has[MAXC][NAMES] = {{false}};
        size_t len = (size_t)snprintf(doc, sizeof doc, "{\"contacts\":[");
        for (int c = 0; c < contacts; c++) {
            int order[NAMES], n = 0;
            for (int j = 0; j < NAMES; j++) {
                x = x * 6364136223846793005u + 1442695040888963407u;
                unsigned r = (unsigned)(x >> 33);
                /* the common names nearly always, the others now and then */
                if (j < base ? r % 8 != 0 : r % 6 == 0)
                    order[n++] = j;
            }
            x = x * 6364136223846793005u + 1442695040888963407u;
            if ((x >> 60) < 5) /* some contacts list their names in another order */
                for (int j = n - 1; j > 0; j--) {
                    x = x * 6364136223846793005u + 1442695040888963407u;
                    int o = (int)((x >> 33) % (uint64_t)(j + 1)), t = order[j];
                    order[j] = order[o], order[o] = t;
                }
            bool pv_first = (x >> 40) % 5 == 0;
            len += (size_t)snprintf(doc + len, sizeof doc - len, "%s{%s\"prompt_variables\":{",
                                    c ? "," : "", pv_first ? "" : "\"to_phone_number\":\"+1\",");
            for (int j = 0; j < n; j++) {
                x = x * 6364136223846793005u + 1442695040888963407u;
                has[c][order[j]] = true;
                len += (size_t)snprintf(doc + len, sizeof doc - len, "%s\"%s\":\"v\"",
                                        j ? "," : "", names[order[j]][(x >> 62) == 0]);
            }
            if (round % 5 == 0 && n > 0) /* a name twice (duplicates allowed) counts once */
                len += (size_t)snprintf(doc + len, sizeof doc - len, ",\"%s\":\"w\"",
                                        names[order[0]][c % 2]);
            len += (size_t)snprintf(doc + len, sizeof doc - len, "}%s}",
                                    pv_first ? ",\"to_phone_number\":\"+1\"" : "");
        }
        len += (size_t)snprintf(doc + len, sizeof doc - len, "]}");
        cr_assert_lt(len, sizeof doc);
        /* the oracle: per contact, the names most but not all contacts have that it lacks */
        int have[NAMES] = {0};
        for (int c = 0; c < contacts; c++)
            for (int j = 0; j < NAMES; j++)
                have[j] += has[c][j];
        size_t wanted = 0;
        for (int c = 0; c < contacts; c++)
            for (int j = 0; j < NAMES; j++)
                wanted += !has[c][j] && have[j] * 2 > contacts && have[j] < contacts;
        campval_validate(schema, ws, doc, len, round % 5 == 0 ? CAMPVAL_ALLOW_DUPLICATE_KEYS : 0,
                         &res);
        cr_assert_eq(res.error_count, wanted, "%s: %zu findings, wanted %zu", doc,
                     res.error_count, wanted);
        /* each finding is one of the expected ones (in contact order; within a contact in the
         * order the names first appear, tested in prompt_missing_in_document_order) */
        bool used[MAXC][NAMES] = {{false}};
        for (size_t i = 0; i < res.error_count; i++) {
            char ptr[64], msg[512];
            int c = -1;
            campval_error_pointer(ws, &res.errors[i], ptr, sizeof ptr);
            campval_error_message(ws, &res.errors[i], msg, sizeof msg);
            cr_assert_eq(res.errors[i].code, CAMPVAL_PROMPT_MISSING, "%s: %s", doc, msg);
            cr_assert_eq(sscanf(ptr, "/contacts/%d/prompt_variables", &c), 1, "%s", ptr);
            cr_assert(c >= 0 && c < contacts);
            int found = -1;
            for (int j = 0; j < NAMES && found < 0; j++) {
                char quoted[64];
                snprintf(quoted, sizeof quoted, "no \"%s\",", names[j][0]);
                if (strstr(msg, quoted))
                    found = j;
            }
            cr_assert(found >= 0, "%s: unexpected %s", doc, msg);
            cr_assert(!has[c][found] && have[found] * 2 > contacts && have[found] < contacts &&
                          !used[c][found],
                      "%s: unexpected %s at %s", doc, msg, ptr);
            used[c][found] = true;
            if (i > 0) {
                int before = -1;
                char prev[64];
                campval_error_pointer(ws, &res.errors[i - 1], prev, sizeof prev);
                cr_assert_eq(sscanf(prev, "/contacts/%d/", &before), 1);
                cr_assert_leq(before, c, "%s: findings out of contact order", doc);
            }
        }
    }
}

Test(preflight, bad_values_do_not_compile)
{
    static const char *const bad[] = {
        "{\"x-unique-numbers\":1}",          "{\"x-max-contacts\":0}",
        "{\"x-max-contacts\":-1}",           "{\"x-retry-budget\":{\"per_month\":3}}",
        "{\"x-retry-budget\":{\"per_day\":0}}", "{\"x-prompt-variables\":\"yes\"}",
        "{\"x-calling-windows\":null}",
        /* regions: a list of two capitals libphonenumber knows, at least one, or a boolean */
        "{\"x-regions\":[]}", "{\"x-regions\":[\"ZZ\"]}", "{\"x-regions\":[\"us\"]}",
        "{\"x-regions\":[1]}", "{\"x-regions\":\"US\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        campval_schema *s = NULL;
        campval_compile_error err;
        campval_code rc = campval_schema_compile(bad[i], strlen(bad[i]), NULL, &s, &err);
        /* (a region list is refused whole in a build without libphonenumber) */
        bool unsupported = !campval__phone_available() && strstr(bad[i], "[") &&
                           strstr(bad[i], "x-regions");
        cr_expect_eq(rc, unsupported ? CAMPVAL_RULES_UNSUPPORTED : CAMPVAL_RULES_BAD_KEYWORD,
                     "%s: %s", bad[i], campval_code_name(rc));
        cr_expect_null(s);
    }
}

/* Findings under "x-severity": "warning" are warnings, also on a 100,000-contact campaign (what
 * the checks cost at that size is measured in bench/preflight.sh, not here). */
Test(preflight, warnings_and_scale)
{
    compile("{\"allOf\":[{\"x-severity\":\"warning\",\"x-unique-numbers\":true,"
            "\"x-prompt-variables\":true}]}");
    size_t n = 100000, cap = n * 80 + 64, len = 0;
    char *doc = malloc(cap);
    cr_assert_not_null(doc);
    len += (size_t)snprintf(doc + len, cap - len, "{\"contacts\":[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(doc + len, cap - len,
                                "%s{\"to_phone_number\":\"+1415%07zu\",\"prompt_variables\":"
                                "{\"k\":\"v\"}}",
                                i ? "," : "", i % (n - 1));
    len += (size_t)snprintf(doc + len, cap - len, "]}");
    campval_workspace_destroy(ws);
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 1000000;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    cr_assert_eq(campval_validate(schema, ws, doc, len, 0, &res), CAMPVAL_OK);
    cr_assert(res.valid);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 1); /* the last repeats the first */
    cr_assert_eq(res.errors[0].code, CAMPVAL_DUPLICATE_NUMBER);
    cr_assert_eq(res.errors[0].severity, CAMPVAL_SEVERITY_WARNING);
    free(doc);
}

Test(preflight, regions)
{
    if (!campval__phone_available()) {
        campval_schema *s = NULL;
        campval_compile_error err;
        const char *r = "{\"x-regions\":[\"US\"]}";
        cr_assert_eq(campval_schema_compile(r, strlen(r), NULL, &s, &err),
                     CAMPVAL_RULES_UNSUPPORTED);
        cr_assert(strstr(err.message, "libphonenumber") != NULL, "%s", err.message);
        return;
    }
    compile("{\"x-regions\":[\"US\",\"CA\"]}");
    static const char doc[] =
        "{\"contacts\":[{\"to_phone_number\":\"+14155550123\"},{\"to_phone_number\":"
        "\"+16135550123\"},{\"to_phone_number\":\"+33612345678\"},{\"to_phone_number\":\"12\"}]}";
    EXPECT(doc, {CAMPVAL_CONTACT_REGION, "/contacts/2/to_phone_number",
                 "is in FR, outside the regions this campaign may call: US, CA"});
    /* the workspace's list replaces the rules' */
    campval_preflight pf = {0};
    pf.regions = "FR";
    cr_assert_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_OK);
    EXPECT(doc, {CAMPVAL_CONTACT_REGION, "/contacts/0/to_phone_number", "may call: FR"},
           {CAMPVAL_CONTACT_REGION, "/contacts/1/to_phone_number", "is in CA"});
    static const char *const bad[] = {"", "us", "US,", "US;CA", "USA", ",US"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pf.regions = bad[i];
        cr_expect_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_BAD_ARGUMENT, "%s", bad[i]);
    }
    /* a day the zone data can answer for, or the calling-hours check would pass unlooked */
    pf.regions = NULL;
    static const int64_t bad_at[] = {-1, INT64_MIN, CAMPVAL_PREFLIGHT_AT_MAX + 1, INT64_MAX};
    for (size_t i = 0; i < sizeof bad_at / sizeof *bad_at; i++) {
        pf.at = bad_at[i];
        cr_expect_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_BAD_ARGUMENT, "at %lld",
                     (long long)bad_at[i]);
    }
    pf.at = CAMPVAL_PREFLIGHT_AT_MAX;
    cr_expect_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_OK);
    pf.at = 0;
    cr_assert_eq(campval_workspace_set_preflight(ws, NULL), CAMPVAL_OK);
    EXPECT(doc, {CAMPVAL_CONTACT_REGION, "/contacts/2/to_phone_number", NULL});
    cr_assert_eq(campval_workspace_set_preflight(NULL, NULL), CAMPVAL_NULL_ARGUMENT);
}

/* Monday 2026-12-07 and Monday 2026-07-06, 12:00 UTC. */
#define DEC_7 1796644800
#define JUL_6 1783339200

static void run_at(int64_t at)
{
    campval_preflight pf = {0};
    pf.at = at;
    cr_assert_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_OK);
}

#define HOURS_CAMPAIGN(tz, days, windows, contacts)                                                \
    "{\"contacts\":[" contacts "],\"call_retry_config\":{" tz "\"allowed_days\":[" days            \
    "],\"calling_windows\":[" windows "],\"max_retry_attempts\":3}}"
#define TO(n) "{\"to_phone_number\":\"" n "\"}"
#define HW(a, b) RW(a, b, "7200")

Test(preflight, calling_hours)
{
    compile("{\"x-calling-hours\":true}"); /* no libphonenumber needed */
    run_at(DEC_7);
    /* the example: a California number called from 09:00 New York time */
    EXPECT(HOURS_CAMPAIGN("\"timezone\":\"America/New_York\",", WEEKDAYS,
                          HW("09:00", "12:00") "," HW("2pm", "6pm"),
                          TO("+14155550123") "," TO("+12125550123")),
           {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number",
            "called at 06:00-09:00 local time in America/Los_Angeles on Monday 2026-12-07"});
    /* six US zones, windows in each contact's own time: nothing to say */
#define SIX_ZONES                                                                                  \
    TO("+12125550123") "," TO("+13125550123") "," TO("+13035550123") "," TO("+14155550123")        \
        "," TO("+19075550123") "," TO("+18085550123")
    EXPECT_NONE(HOURS_CAMPAIGN("", WEEKDAYS, HW("10:00", "18:00"), SIX_ZONES));
    /* Chicago as the campaign zone, continental contacts */
    EXPECT_NONE(HOURS_CAMPAIGN("\"timezone\":\"America/Chicago\",", WEEKDAYS,
                               HW("10:00", "18:00"),
                               TO("+12125550123") "," TO("+13125550123") "," TO("+13035550123")
                               "," TO("+14155550123")));
    /* France: never at weekends, and not over lunch */
    EXPECT(HOURS_CAMPAIGN("", "\"saturday\"", HW("10:00", "12:00"), TO("+33612345678")),
           {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number",
            "legal hours in FR on Saturday: none"});
    EXPECT(HOURS_CAMPAIGN("", "\"monday\"", HW("12:00", "14:00"), TO("+33612345678")),
           {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number", "10:00-13:00, 14:00-20:00"});
}

/* DST is the one of the campaign's dates: 10:00 New York is 08:00 in Phoenix in December (legal)
 * and 07:00 in July (Arizona keeps standard time all year). */
Test(preflight, calling_hours_follow_dst)
{
    compile("{\"x-calling-hours\":true}");
    static const char doc[] = HOURS_CAMPAIGN("\"timezone\":\"America/New_York\",", "\"monday\"",
                                             HW("10:00", "12:00"), TO("+16025550123"));
    run_at(DEC_7);
    EXPECT_NONE(doc);
    run_at(JUL_6);
    EXPECT(doc, {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number",
                 "07:00-09:00 local time in America/Phoenix on Monday 2026-07-06"});
}

Test(preflight, calling_hours_from_the_rules)
{
    compile("{\"x-calling-hours\":{\"default\":[[\"09:00\",\"17:00\"]],\"regions\":{\"US\":"
            "{\"weekdays\":[[\"09:00\",\"20:00\"]],\"saturday\":[[\"10:00\",\"14:00\"]]}}}}");
    run_at(DEC_7);
    EXPECT(HOURS_CAMPAIGN("", "\"saturday\",\"sunday\"", HW("10:00", "12:00"),
                          TO("+12125550123") "," TO("+4915112345678")),
           {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number", "on Sunday"});
    /* the law's presets stay for regions the rules do not name; the default replaces ours */
    EXPECT(HOURS_CAMPAIGN("", "\"monday\"", HW("08:00", "09:00"),
                          TO("+4915112345678") "," TO("+33612345678")),
           {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number", "09:00-17:00"},
           {CAMPVAL_CALLING_HOURS, "/contacts/1/to_phone_number", "10:00-13:00"});
    static const char *const bad[] = {
        "{\"x-calling-hours\":{\"default\":[[\"21:00\",\"08:00\"]]}}",
        "{\"x-calling-hours\":{\"default\":[[\"08:00\"]]}}",
        "{\"x-calling-hours\":{\"default\":{\"someday\":[]}}}",
        "{\"x-calling-hours\":{\"regions\":{\"XX\":[]}}}",
        "{\"x-calling-hours\":{\"hours\":[]}}",
        "{\"x-calling-hours\":1}",
        "{\"x-calling-hours\":{\"default\":[[\"08:00\",\"12:00\"],[\"11:00\",\"13:00\"]]}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        campval_schema *s = NULL;
        campval_compile_error err;
        cr_expect_eq(campval_schema_compile(bad[i], strlen(bad[i]), NULL, &s, &err),
                     CAMPVAL_RULES_BAD_KEYWORD, "%s: %s", bad[i], err.message);
        cr_expect_null(s);
    }
}

Test(preflight, suppression_list)
{
    static const char list[] = "# do not call\n+1 (415) 555-0123\n+33612345678\n";
    campval_numbers *dnc;
    campval_numbers_error nerr;
    cr_assert_eq(campval_numbers_parse(list, strlen(list), NULL, &dnc, &nerr), CAMPVAL_OK);
    compile("{\"x-suppress\":true}");
    static const char doc[] =
        "{\"contacts\":[" TO("+14155550123") "," TO("+14155550124") "," TO("+33612345678") "]}";
    EXPECT_NONE(doc); /* no list given: nothing to check against */
    campval_preflight pf = {0};
    pf.suppress = dnc;
    cr_assert_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_OK);
    EXPECT(doc, {CAMPVAL_SUPPRESSED, "/contacts/0/to_phone_number", "do-not-call"},
           {CAMPVAL_SUPPRESSED, "/contacts/2/to_phone_number", NULL});
    cr_assert_not(res.valid);
    cr_assert_eq(res.errors[0].severity, CAMPVAL_SEVERITY_ERROR);
    pf.flags = CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING;
    cr_assert_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_OK);
    EXPECT(doc, {CAMPVAL_SUPPRESSED, "/contacts/0/to_phone_number", NULL},
           {CAMPVAL_SUPPRESSED, "/contacts/2/to_phone_number", NULL});
    cr_assert(res.valid);
    cr_assert_eq(res.found[CAMPVAL_SEVERITY_WARNING], 2);
    cr_assert_eq(res.errors[1].severity, CAMPVAL_SEVERITY_WARNING);
    campval_workspace_set_preflight(ws, NULL);
    campval_numbers_free(dnc);
}

/* The built-in rules: more than 10,000 contacts is a warning at /contacts. */
Test(preflight, builtin_list_size)
{
    campval_compile_error err;
    cr_assert_eq(campval_schema_builtin("campaign_create", NULL, &schema, &err), CAMPVAL_OK);
    size_t n = 10001, cap = n * 64 + 256, len = 0;
    char *doc = malloc(cap);
    cr_assert_not_null(doc);
    len += (size_t)snprintf(doc + len, cap - len,
                            "{\"assistant_id\":\"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e\","
                            "\"name\":\"n\",\"launch\":false,\"contacts\":[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(doc + len, cap - len, "%s{\"to_phone_number\":\"+1212%07zu\","
                                "\"prompt_variables\":{}}",
                                i ? "," : "", i);
    len += (size_t)snprintf(doc + len, cap - len, "]}");
    campval_workspace_destroy(ws);
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 100000;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    cr_assert_eq(campval_validate(schema, ws, doc, len, 0, &res), CAMPVAL_OK);
    cr_assert_eq(res.error_count, 1);
    cr_assert_eq(res.errors[0].code, CAMPVAL_TOO_MANY_CONTACTS);
    cr_assert_eq(res.errors[0].severity, CAMPVAL_SEVERITY_WARNING);
    char ptr[64];
    campval_error_pointer(ws, &res.errors[0], ptr, sizeof ptr);
    cr_assert_str_eq(ptr, "/contacts");
    free(doc);
}

/* No false warnings: clean, realistic campaigns get no finding at all from the built-in rules. */
Test(preflight, builtin_clean_campaigns)
{
    campval_compile_error err;
    cr_assert_eq(campval_schema_builtin("campaign_create", NULL, &schema, &err), CAMPVAL_OK);
    run_at(DEC_7);
#define CLEAN(tz, contacts)                                                                        \
    "{\"assistant_id\":\"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e\",\"name\":\"Renewals\","          \
    "\"launch\":true,\"from_phone_number\":\"+14155550100\",\"contacts\":[" contacts "],"         \
    "\"call_retry_config\":{\"allowed_days\":[" WEEKDAYS "],\"calling_windows\":["               \
    "{\"calling_window_start_time\":\"10:00\",\"calling_window_end_time\":\"18:00\","             \
    "\"retry_delay_seconds\":7200}],\"max_retry_attempts\":3,\"call_twice_in_a_row\":false" tz  \
    "}}"
#define C(n, name) "{\"to_phone_number\":\"" n "\",\"prompt_variables\":{\"first_name\":\"" name "\"}}"
    static const char six_zones[] =
        CLEAN("", C("+12125550123", "Dana") "," C("+13125550124", "Lee") ","
                  C("+13035550125", "Sam") "," C("+14155550126", "Ana") ","
                  C("+19075550127", "Mia") "," C("+18085550128", "Zoe"));
    static const char chicago[] =
        CLEAN(",\"timezone\":\"America/Chicago\"",
              C("+12125550123", "Dana") "," C("+13125550124", "Lee") ","
              C("+13035550125", "Sam") "," C("+14155550126", "Ana"));
    const char *docs[] = {six_zones, chicago};
    for (size_t i = 0; i < 2; i++) {
        cr_expect_eq(campval_validate(schema, ws, docs[i], strlen(docs[i]), 0, &res),
                     CAMPVAL_OK, "campaign %zu", i);
        cr_expect(res.valid, "campaign %zu", i);
        char msg[512] = "";
        if (res.error_count)
            campval_error_message(ws, &res.errors[0], msg, sizeof msg);
        cr_expect_eq(res.error_count, 0, "campaign %zu: %s %s", i,
                     res.error_count ? campval_code_name(res.errors[0].code) : "", msg);
    }
}

/* A malformed number must not hide a well-formed one with the same first digits (the zones are
 * remembered by them), and the message names the right window when invalid ones come first. */
Test(preflight, calling_hours_memo_and_window_names)
{
    compile("{\"x-calling-hours\":true}");
    run_at(DEC_7);
    EXPECT(HOURS_CAMPAIGN("", WEEKDAYS, HW("22:00", "23:00"),
                          TO("+12125550123 ") "," TO("+12125550123")),
           {CAMPVAL_CALLING_HOURS, "/contacts/1/to_phone_number", "22:00-23:00"});
    EXPECT(HOURS_CAMPAIGN("", WEEKDAYS, HW("nine", "ten") "," HW("10:00", "11:00") ","
                          HW("22:00", "23:00"), TO("+12125550123")),
           {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number", "(calling_windows/2)"});
}

/* ---- the sorted numbers: every way to a key, every sort, against a slow oracle --------------- */

/* A number as the document writes it (JSON string body) and as the API reads it. */
typedef struct written {
    const char *json, *value;
} written;

/* Kept as written (libphonenumber vouches for them by calling code and first digit), re-read by
 * libphonenumber (national prefixes after the calling code), escaped, 3 to 16 bytes long (the
 * digit parser reads 8 bytes at a time from 9 on), and not E.164 at all. */
static const written MIXED[] = {
    {"+12125550100", "+12125550100"},       {"\\u002b12125550100", "+12125550100"},
    {"+442079460958", "+442079460958"},     {"+4402079460958", "+4402079460958"},
    {"+44\\u00302079460958", "+4402079460958"}, {"+33612345678", "+33612345678"},
    {"+330612345678", "+330612345678"},     {"+79123456789", "+79123456789"},
    {"+789123456789", "+789123456789"},     {"+4915112345678", "+4915112345678"},
    {"+49015112345678", "+49015112345678"}, {"+37805491234", "+37805491234"},
    {"+378812345", "+378812345"},           {"+3780549812345", "+3780549812345"},
    {"+5491123456789", "+5491123456789"},   {"+541123456789", "+541123456789"},
    {"+8109012345678", "+8109012345678"},   {"+819012345678", "+819012345678"},
    {"+12", "+12"},                         {"+123", "+123"},
    {"+1234567", "+1234567"},               {"+12345678", "+12345678"},
    {"+123456789", "+123456789"},           {"+123456789012345", "+123456789012345"},
    {"+1234567890123456", "+1234567890123456"}, {"+1212555010x", "+1212555010x"},
    {"+12125550/00", "+12125550/00"},       {"+12125550:00", "+12125550:00"},
    {"+0123456789", "+0123456789"},         {"+999", "+999"},
    {"+96407901234567", "+96407901234567"}, {"+9647901234567", "+9647901234567"},
    {"+12345678901234", "+12345678901234"}, {"+1234567890123", "+1234567890123"},
};
#define NMIXED (sizeof MIXED / sizeof *MIXED)

/* The slow way to a key: '+' and 2 to 15 digits, as libphonenumber's Format(E164) writes it
 * when it reads a number (campval__phone_e164, no shortcut), else as written; 0: not E.164. */
static unsigned long long oracle_key(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 16 || s[0] != '+' || s[1] == '0' || strspn(s + 1, "0123456789") != n - 1)
        return 0;
    char canon[20];
    size_t cn = campval__phone_e164(s, n, canon);
    if (cn > 0) {
        canon[cn] = 0;
        s = canon;
    }
    return strtoull(s + 1, NULL, 10);
}

/* A campaign of `count` contacts: MIXED in order (round after round), then `pad` more of which
 * each is a unique +1415 number (numbered) or, with empty_pad, has no number. */
static char *mixed_campaign(size_t count, size_t pad, bool empty_pad, const char *caller,
                            size_t *len)
{
    size_t cap = (count + pad) * 48 + 256;
    char *doc = malloc(cap);
    cr_assert_not_null(doc);
    *len = (size_t)snprintf(doc, cap, "{\"from_phone_number\":\"%s\",\"contacts\":[", caller);
    for (size_t i = 0; i < count + pad; i++) {
        const char *sep = i ? "," : "";
        if (i < count)
            *len += (size_t)snprintf(doc + *len, cap - *len, "%s{\"to_phone_number\":\"%s\"}",
                                     sep, MIXED[i % NMIXED].json);
        else if (empty_pad)
            *len += (size_t)snprintf(doc + *len, cap - *len, "%s{}", sep);
        else
            *len += (size_t)snprintf(doc + *len, cap - *len,
                                     "%s{\"to_phone_number\":\"+1415%07zu\"}", sep, i);
    }
    *len += (size_t)snprintf(doc + *len, cap - *len, "]}");
    return doc;
}

/* Every finding of x-unique-numbers and x-caller-not-contact, in document order, as the oracle
 * sees them, whatever sort the sizes select (packed keys under 256 contacts; with 256 or more,
 * merge under 256 numbers, else radix), with the duplicates found before or after the caller
 * check (the sorted numbers are shared). */
Test(preflight, sorted_numbers_match_the_oracle)
{
    static const char *const rules[] = {
        "{\"x-unique-numbers\":true,\"x-caller-not-contact\":true}",
        "{\"x-caller-not-contact\":true,\"x-unique-numbers\":true}",
        "{\"allOf\":[{\"x-caller-not-contact\":true},{\"x-calling-windows\":true},"
        "{\"x-unique-numbers\":true}]}",
    };
    static const struct {
        size_t count, pad;
        bool empty_pad;
    } sizes[] = {{2, 0, false}, {NMIXED, 0, false}, {3 * NMIXED, 0, false},
                 {3 * NMIXED, 255 - 3 * NMIXED, false}, {3 * NMIXED, 256 - 3 * NMIXED, true},
                 {3 * NMIXED, 300, true}, {3 * NMIXED, 300, false}};
    static const char *const callers[] = {"+4402079460958", "+12125550100", "+12345678"};
    for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
        compile(rules[r]);
        for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
            size_t count = sizes[z].count, len;
            const char *caller = callers[z % 3];
            char *doc = mixed_campaign(count, sizes[z].pad, sizes[z].empty_pad, caller, &len);
            campval_limits lim;
            campval_limits_default(&lim);
            lim.max_errors = 1000;
            campval_workspace_destroy(ws);
            ws = NULL;
            cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
            campval_code rc = campval_validate(schema, ws, doc, len, 0, &res);
            cr_assert(rc == CAMPVAL_OK || rc == CAMPVAL_DUPLICATE_NUMBER ||
                          rc == CAMPVAL_CALLER_IS_CONTACT,
                      "rules %zu size %zu: %s", r, z, campval_code_name(rc));
            /* the oracle: each contact equal to an earlier one names the first such; each
             * contact equal to the caller is reported (the padding is all unique) */
            unsigned long long keys[3 * NMIXED], ckey = oracle_key(caller);
            size_t dup = 0, call = 0;
            for (size_t i = 0; i < count; i++) {
                keys[i] = oracle_key(MIXED[i % NMIXED].value);
                if (keys[i] == 0)
                    continue;
                call += keys[i] == ckey;
                for (size_t j = 0; j < i; j++)
                    if (keys[j] == keys[i]) {
                        dup++;
                        break;
                    }
            }
            cr_assert_eq(res.error_count, dup + call, "rules %zu size %zu: %zu findings, wanted "
                         "%zu duplicates and %zu callers", r, z, res.error_count, dup, call);
            size_t seen_dup = 0, seen_call = 0;
            size_t last[2] = {0, 0};
            for (size_t e = 0; e < res.error_count; e++) {
                const campval_error *err = &res.errors[e];
                char ptr[64], msg[256], name[64];
                campval_error_pointer(ws, err, ptr, sizeof ptr);
                campval_error_message(ws, err, msg, sizeof msg);
                size_t i = strtoul(ptr + strlen("/contacts/"), NULL, 10);
                cr_assert(i < count, "%s", ptr);
                int kind = err->code == CAMPVAL_CALLER_IS_CONTACT;
                cr_expect(e == 0 || i >= last[kind], "rules %zu size %zu: %s out of order", r,
                          z, ptr);
                last[kind] = i;
                if (kind) {
                    seen_call++;
                    cr_expect_eq(keys[i], ckey, "%s", ptr);
                    continue;
                }
                cr_assert_eq(err->code, CAMPVAL_DUPLICATE_NUMBER);
                seen_dup++;
                size_t first = 0;
                while (keys[first] != keys[i])
                    first++;
                cr_expect(first < i, "%s", ptr);
                snprintf(name, sizeof name, "same number as /contacts/%zu/", first);
                cr_expect(strstr(msg, name) != NULL, "rules %zu size %zu: %s: \"%s\" lacks %s",
                          r, z, ptr, msg, name);
            }
            cr_expect_eq(seen_dup, dup);
            cr_expect_eq(seen_call, call);
            free(doc);
        }
    }
}

/* Several campaigns in one document: each contacts array is compared on its own, and the
 * numbers one check sorted for one campaign are never taken for another's. */
Test(preflight, several_contacts_arrays)
{
    compile("{\"items\":{\"x-unique-numbers\":true,\"x-caller-not-contact\":true}}");
    EXPECT("[{\"from_phone_number\":\"+33612345678\",\"contacts\":[" TO("+14155550100") ","
           TO("+3361234567\\u0038") "," TO("+14155550100") "]},"
           "{\"from_phone_number\":\"+14155550100\",\"contacts\":[" TO("+33612345678") ","
           TO("+14155550101") "]},"
           "{\"from_phone_number\":\"+14155550101\",\"contacts\":[" TO("+14155550101") ","
           TO("+141555501\\u00301") "]}]",
           {CAMPVAL_CALLER_IS_CONTACT, "/0/contacts/1/to_phone_number", "/0/from_phone_number"},
           {CAMPVAL_DUPLICATE_NUMBER, "/0/contacts/2/to_phone_number", "/0/contacts/0/"},
           {CAMPVAL_CALLER_IS_CONTACT, "/2/contacts/0/to_phone_number", "/2/from_phone_number"},
           {CAMPVAL_DUPLICATE_NUMBER, "/2/contacts/1/to_phone_number", "/2/contacts/0/"},
           {CAMPVAL_CALLER_IS_CONTACT, "/2/contacts/1/to_phone_number", "/2/from_phone_number"});
}

/* The keys themselves, at every length (the digit parser reads 8 bytes at a time from 9 bytes
 * on, one at a time below): x-suppress looks each one up as "+key", so a key off by one digit
 * misses its entry or hits its neighbour's. */
Test(preflight, number_keys_at_every_length)
{
    static const char digits[] = "+4915112345678901";
    char list[512] = "", doc[2048];
    size_t ln = 0, dn = (size_t)snprintf(doc, sizeof doc, "{\"contacts\":[");
    want w[16];
    char ptrs[16][48];
    size_t nw = 0;
    for (size_t len = 3; len <= 16; len++) {
        char s[20], near[20];
        memcpy(s, digits, len);
        s[len] = 0;
        memcpy(near, s, len + 1);
        near[len - 1] = (char)('0' + (near[len - 1] - '0' + 1) % 10);
        ln += (size_t)snprintf(list + ln, sizeof list - ln, "%s\n", s);
        /* the neighbour first: it must not be taken for s */
        dn += (size_t)snprintf(doc + dn, sizeof doc - dn, "%s" TO("%s") "," TO("%s"),
                               len > 3 ? "," : "", near, s);
        snprintf(ptrs[nw], sizeof ptrs[nw], "/contacts/%zu/to_phone_number", 2 * (len - 3) + 1);
        w[nw] = (want){CAMPVAL_SUPPRESSED, ptrs[nw], NULL};
        nw++;
    }
    snprintf(doc + dn, sizeof doc - dn, "]}");
    campval_numbers *dnc;
    campval_numbers_error nerr;
    cr_assert_eq(campval_numbers_parse(list, strlen(list), NULL, &dnc, &nerr), CAMPVAL_OK, "%s",
                 list);
    campval_preflight pf = {0};
    pf.suppress = dnc;
    cr_assert_eq(campval_workspace_set_preflight(ws, &pf), CAMPVAL_OK);
    compile("{\"x-suppress\":true}");
    expect(doc, w, nw);
    campval_workspace_set_preflight(ws, NULL);
    campval_numbers_free(dnc);
}

/* The calling-hours memos (zones by the digits that decided them, verdicts by zone list and by
 * zone, UTC offsets by interval) against the check with nothing remembered: each contact alone
 * in a document of its own. Many contacts share zones, some numbers map to several zones (an
 * unknown North American area code maps to all of them), every number comes twice, and the
 * weeks start on the DST changes of New York and London. */
#define HOURS_MAX_CONTACTS 96
static const char *const hour_numbers[] = {
    "+12125550123",   "+12125550199",   "+13475550100",  "+13125550123",   "+17735550100",
    "+14155550123",   "+16505550100",   "+16025550123",  "+19075550123",   "+18085550123",
    "+16135550123",   "+15145550100",   "+19995550123",  "+1999555012",    "+1415555012",
    "+12",            "+123",           "+1204",         "+33612345678",   "+33712345678",
    "+4915112345678", "+447911123456",  "+441481123456", "+447700900123",  "+61412345678",
    "+61255007123",   "+61255007999",   "+61212345678",  "+5511912345678", "+55553682123",
    "+5521912345678", "+819012345678",  "+81312345678",  "+919812345678",  "+7495123456",
    "+1415555012x",   "\\u002B14155550123", "+64211234567", "+35312345678", "+2125550123",
};
#define N_HOUR_NUMBERS (sizeof hour_numbers / sizeof *hour_numbers)

static void hours_doc(char *buf, size_t cap, const char *tz, const char *days, const char *windows,
                      size_t from, size_t count)
{
    size_t len = (size_t)snprintf(buf, cap, "{\"contacts\":[");
    for (size_t i = 0; i < count; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s{\"to_phone_number\":\"%s\"}",
                                i ? "," : "", hour_numbers[(from + i) % N_HOUR_NUMBERS]);
    snprintf(buf + len, cap - len,
             "],\"call_retry_config\":{%s\"allowed_days\":[%s],\"calling_windows\":[%s],"
             "\"max_retry_attempts\":3}}",
             tz, days, windows);
}

static void hours_memo_agrees(const char *tz, const char *days, const char *windows, int64_t at)
{
    static char doc[16384], msgs[HOURS_MAX_CONTACTS][512];
    bool have[HOURS_MAX_CONTACTS] = {false};
    size_t count = 2 * N_HOUR_NUMBERS, found = 0;
    cr_assert_leq(count, HOURS_MAX_CONTACTS);
    run_at(at);
    hours_doc(doc, sizeof doc, tz, days, windows, 0, count);
    campval_validate(schema, ws, doc, strlen(doc), 0, &res);
    for (size_t e = 0; e < res.error_count; e++) {
        char ptr[256];
        unsigned i;
        cr_assert_eq(res.errors[e].code, CAMPVAL_CALLING_HOURS);
        campval_error_pointer(ws, &res.errors[e], ptr, sizeof ptr);
        cr_assert_eq(sscanf(ptr, "/contacts/%u/to_phone_number", &i), 1, "%s", ptr);
        cr_assert(i < count && !have[i], "%s", ptr);
        have[i] = true;
        campval_error_message(ws, &res.errors[e], msgs[i], sizeof msgs[i]);
        found++;
    }
    cr_assert_gt(found, 0, "%s %s: nothing to compare", tz, windows);
    for (size_t i = 0; i < count; i++) {
        char one[1024], msg[512];
        hours_doc(one, sizeof one, tz, days, windows, i, 1);
        campval_validate(schema, ws, one, strlen(one), 0, &res);
        cr_assert_eq(res.error_count, have[i] ? 1u : 0u, "%s at %lld: contact %zu (%s) alone",
                     tz, (long long)at, i, hour_numbers[i % N_HOUR_NUMBERS]);
        if (!have[i])
            continue;
        campval_error_message(ws, &res.errors[0], msg, sizeof msg);
        cr_expect_str_eq(msgs[i], msg, "%s at %lld: contact %zu (%s)", tz, (long long)at, i,
                         hour_numbers[i % N_HOUR_NUMBERS]);
    }
}

/* 12:00 UTC on 2026-03-08 and 2026-11-01 (New York's DST changes) and 2026-03-29 and
 * 2026-10-25 (London's). */
#define MAR_8 1772971200
#define NOV_1 1793534400
#define MAR_29 1774785600
#define OCT_25 1792929600
#define ALL_DAYS WEEKDAYS ",\"saturday\",\"sunday\""

Test(preflight, calling_hours_memos_agree_with_each_contact_alone)
{
    compile("{\"x-calling-hours\":true}");
    hours_memo_agrees("", WEEKDAYS, HW("08:30", "20:30"), DEC_7);
    hours_memo_agrees("", ALL_DAYS, HW("09:30", "17:00") "," HW("20:00", "21:15"), MAR_8);
    hours_memo_agrees("\"timezone\":\"America/New_York\",", ALL_DAYS,
                      HW("01:00", "03:00") "," HW("09:00", "17:00"), MAR_8);
    hours_memo_agrees("\"timezone\":\"America/New_York\",", ALL_DAYS,
                      HW("09:00", "17:00") "," HW("01:30", "02:30"), NOV_1);
    hours_memo_agrees("\"timezone\":\"Europe/London\",", ALL_DAYS,
                      HW("00:30", "02:30") "," HW("08:00", "20:00"), MAR_29);
    hours_memo_agrees("\"timezone\":\"Europe/London\",", ALL_DAYS,
                      HW("12:00", "20:00") "," HW("01:00", "02:00"), OCT_25);
    hours_memo_agrees("\"timezone\":\"Australia/Sydney\",", WEEKDAYS, HW("9am", "17:00"), DEC_7);
    /* the rules' own hours, per region */
    compile("{\"x-calling-hours\":{\"default\":[[\"09:00\",\"17:00\"]],\"regions\":{\"US\":"
            "{\"weekdays\":[[\"09:00\",\"20:00\"]],\"saturday\":[[\"10:00\",\"14:00\"]]}}}}");
    hours_memo_agrees("\"timezone\":\"America/Chicago\",", ALL_DAYS, HW("10:00", "16:00"), MAR_8);
}

/* A zone's UTC offset is kept for the interval it holds over, across the days of one verdict:
 * the weeks of 2026-03-02 and 2026-03-23 end on the Sundays Los Angeles and London move their
 * clocks, after six days at the old offset. */
Test(preflight, calling_hours_offset_changes_within_the_week)
{
    compile("{\"x-calling-hours\":true}");
    run_at(1772452800); /* Monday 2026-03-02 */
    /* 11:00 New York is 08:00 in Los Angeles all week, PST and then PDT */
    EXPECT_NONE(HOURS_CAMPAIGN("\"timezone\":\"America/New_York\",", ALL_DAYS,
                               HW("11:00", "12:00"), TO("+14155550123")));
    run_at(1774267200); /* Monday 2026-03-23 */
    /* 16:00 New York is 20:00 in the UK (+447911 lists Guernsey first) until Saturday, 21:00 on
     * Sunday */
    EXPECT(HOURS_CAMPAIGN("\"timezone\":\"America/New_York\",", ALL_DAYS, HW("16:00", "17:00"),
                          TO("+447911123456") "," TO("+14155550123")),
           {CAMPVAL_CALLING_HOURS, "/contacts/0/to_phone_number",
            "called at 21:00-22:00 local time in Europe/Guernsey on Sunday 2026-03-29"});
}

/* The work the prompt values pay: 1 + len / 32 units a value, each value once, whatever path
 * checks it (plain ASCII, bytes >= 0x80, escaped, a finding, a name seen first) and however
 * many contacts there are. With the budget held in a local while the contacts are counted,
 * a unit lost or paid twice when it is written back shows here. */
static uint64_t prompt_work(int contacts, size_t len, int kind)
{
    static char doc[65536];
    char value[1024];
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        value[n++] = (char)('a' + i % 26);
    if (kind == 1 && len >= 2) /* a letter that is not ASCII: 2 bytes */
        memcpy(value, "\xC3\xA9", 2);
    if (kind == 2 && len >= 2) /* a template: a finding */
        memcpy(value, "{{", 2), memcpy(value + len - 2, "}}", 2);
    if (kind == 3 && len >= 2) /* an escape: 2 bytes, "\\/" */
        memcpy(value, "\\/", 2);
    value[n] = '\0';
    size_t d = (size_t)snprintf(doc, sizeof doc, "{\"contacts\":[");
    for (int c = 0; c < contacts; c++)
        d += (size_t)snprintf(doc + d, sizeof doc - d,
                              "%s{\"to_phone_number\":\"+1\",\"prompt_variables\":{\"a\":\"%s\","
                              "\"b\":\"%s\",\"n%d\":\"x\",\"c\":\"%s\"}}",
                              c ? "," : "", value, value, c % 3, value);
    d += (size_t)snprintf(doc + d, sizeof doc - d, "]}");
    cr_assert_lt(d, sizeof doc);
    campval_validate(schema, ws, doc, d, 0, &res);
    return res.work;
}

Test(preflight, prompt_values_pay_once_each)
{
    compile("{\"x-prompt-variables\":true}");
    static const size_t lens[] = {2, 7, 8, 16, 31, 32, 33, 64, 100, 320, 1000};
    for (int kind = 0; kind < 4; kind++)
        for (int contacts = 1; contacts <= 9; contacts += 2)
            for (size_t l = 0; l < sizeof lens / sizeof *lens; l++) {
                uint64_t base = prompt_work(contacts, 2, kind);
                uint64_t work = prompt_work(contacts, lens[l], kind);
                /* 3 values of the length a contact, and the rest the same */
                uint64_t wanted = base + (uint64_t)contacts * 3 * (lens[l] / 32);
                cr_assert_eq(work, wanted, "kind %d, %d contacts, length %zu: %llu, wanted %llu",
                             kind, contacts, lens[l], (unsigned long long)work,
                             (unsigned long long)wanted);
            }
}
