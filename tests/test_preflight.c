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
    static const size_t sizes[] = {2, 5, 17, 255, 256, 257, 600};
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
