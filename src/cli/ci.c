/* CI formats: SARIF 2.1.0, JUnit XML, GitHub workflow commands. */
#include "cli.h"

/* Length of the valid UTF-8 sequence at p (at most `n` bytes), 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
               : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F)))
        return 0; /* overlong, surrogate */
    if (len == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F)))
        return 0;
    return len;
}

/* A JSON string's inside; bytes that are not UTF-8 (a file name may hold any) become U+FFFD. */
static void put_json(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n > 0) {
        size_t k = utf8_seq(p, n);
        if (k == 0) {
            fputs("\\ufffd", stdout);
            k = 1;
        } else if (*p == '"' || *p == '\\') {
            putchar('\\');
            putchar(*p);
        } else if (*p < 0x20 || *p == 0x7F) {
            printf("\\u%04x", *p);
        } else {
            fwrite(p, 1, k, stdout);
        }
        p += k;
        n -= k;
    }
}

/* XML 1.0 character data or attribute value: markup characters escaped, characters XML cannot
 * hold (C0 controls but tab and newline; bytes that are not UTF-8) as U+FFFD. */
static void put_xml(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n > 0) {
        size_t k = utf8_seq(p, n);
        if (k == 0 || (*p < 0x20 && *p != '\t' && *p != '\n'))
            fputs("\xEF\xBF\xBD", stdout), k = k ? k : 1;
        else if (*p == '&')
            fputs("&amp;", stdout);
        else if (*p == '<')
            fputs("&lt;", stdout);
        else if (*p == '>')
            fputs("&gt;", stdout);
        else if (*p == '"')
            fputs("&quot;", stdout);
        else if (*p == '\'')
            fputs("&apos;", stdout);
        else
            fwrite(p, 1, k, stdout);
        p += k;
        n -= k;
    }
}

/* GitHub workflow command escaping: '%', CR and LF always; ':' and ',' too in properties. */
static void put_github(const char *s, bool property)
{
    for (const char *p = s; *p; p++) {
        if (*p == '%')
            fputs("%25", stdout);
        else if (*p == '\r')
            fputs("%0D", stdout);
        else if (*p == '\n')
            fputs("%0A", stdout);
        else if (property && *p == ':')
            fputs("%3A", stdout);
        else if (property && *p == ',')
            fputs("%2C", stdout);
        else
            putchar(*p);
    }
}

/* A file path as a relative URI reference (absolute paths as file:// URIs): every byte but the
 * unreserved characters and '/' percent-encoded, so spaces, '#', '%' and non-ASCII survive. */
static void put_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    if (path[0] == '/')
        fputs("file://", stdout);
    for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~/", *c))
            putchar(*c);
        else
            printf("%%%c%c", hex[*c >> 4], hex[*c & 15]);
    }
}

/* Opening parts: written before the first input, closed by cli_ci_end after the last. SARIF
 * puts the results before tool.driver (members are unordered) so that the rules used, known
 * only at the end, need no buffering of the results. */
void cli_ci_begin(runner *r)
{
    if (r->o->quiet)
        return;
    if (r->o->ci == CI_SARIF)
        fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
              "\"runs\":[{\"results\":[", stdout);
    else if (r->o->ci == CI_JUNIT)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuites name=\"campval\">\n<testsuite name=\"campval\">\n", stdout);
}

void cli_ci_end(runner *r)
{
    if (r->o->quiet)
        return;
    if (r->o->ci == CI_SARIF) {
        printf("],\"tool\":{\"driver\":{\"name\":\"campval\",\"version\":\"%s\","
               "\"informationUri\":\"https://github.com/campval/campval\",\"rules\":[",
               campval_version());
        bool first = true;
        for (int c = 0; c < CODE_SLOTS; c++) {
            if (!r->used[c])
                continue;
            printf("%s{\"id\":\"", first ? "" : ",");
            put_json(campval_code_name((campval_code)c));
            fputs("\",\"shortDescription\":{\"text\":\"", stdout);
            put_json(campval_strerror((campval_code)c));
            fputs("\"}}", stdout);
            first = false;
        }
        fputs("]}}}]}\n", stdout);
    } else if (r->o->ci == CI_JUNIT) {
        printf("<system-out>%lu inputs checked, %lu failed</system-out>\n"
               "</testsuite>\n</testsuites>\n", r->inputs, r->failures);
    }
}

static void sarif_result(runner *r, const char *name, const campval_error *e, const char *msg,
                         const char *ptr)
{
    int code = (int)e->code;
    if (code >= 0 && code < CODE_SLOTS)
        r->used[code] = true;
    printf("%s{\"ruleId\":\"%s\",\"level\":\"%s\",\"message\":{\"text\":\"", r->results ? "," : "",
           campval_code_name(e->code), campval_severity_name(e->severity));
    r->results++;
    put_json(msg);
    fputs("\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"", stdout);
    put_uri(name);
    printf("\"},\"region\":{\"startLine\":%u,\"startColumn\":%u,\"byteOffset\":%zu}}",
           e->line ? e->line : 1, e->column ? e->column : 1, e->offset);
    if (e->token >= 0) {
        fputs(",\"logicalLocations\":[{\"fullyQualifiedName\":\"", stdout);
        put_json(ptr);
        fputs("\",\"kind\":\"element\"}]", stdout);
    }
    fputs("}],\"properties\":{\"jsonPointer\":\"", stdout);
    put_json(e->token >= 0 ? ptr : "");
    fputs("\",\"keyword\":\"", stdout);
    put_json(e->keyword);
    fputs("\",\"keywordLocation\":\"", stdout);
    put_json(e->keyword_location ? e->keyword_location : "");
    fputs("\"}}", stdout);
}
/* One finding as a JUnit text line: "NAME:L:C: [warning: ]MESSAGE [CODE] at POINTER". */
static void junit_line(const char *name, const campval_error *e, const char *msg,
                       const char *ptr)
{
    put_xml(name);
    printf(":%u:%u: %s", e->line, e->column,
           e->severity == CAMPVAL_SEVERITY_WARNING ? "warning: " : "");
    put_xml(msg);
    printf(" [%s]", campval_code_name(e->code));
    if (e->token >= 0) {
        fputs(" at ", stdout);
        put_xml(ptr[0] ? ptr : "/ (root)");
    }
    putchar('\n');
}

/* JUnit: a testcase fails by its errors (and, with --fail-on warning, its warnings); warnings
 * that do not fail it are listed in its system-out, so the testcase still passes. */
static void junit_doc(runner *r, const char *name, unsigned long line, const campval_result *res,
                      bool failed)
{
    static char msg[8192], ptr[8192];
    size_t nerr = res->found[CAMPVAL_SEVERITY_ERROR], nwarn = res->found[CAMPVAL_SEVERITY_WARNING];
    fputs("<testcase classname=\"campval\" name=\"", stdout);
    put_xml(name);
    if (line)
        printf(":%lu", line);
    fputs("\" file=\"", stdout);
    put_xml(name);
    if (res->error_count == 0 && !failed) {
        fputs("\"/>\n", stdout);
        return;
    }
    fputs("\">\n", stdout);
    /* pass 0: the failure (findings that fail the input), pass 1: system-out (the rest) */
    for (int pass = 0; pass < 2; pass++) {
        bool open = false;
        for (size_t i = 0; i < res->error_count; i++) {
            const campval_error *e = &res->errors[i];
            bool failing = e->severity == CAMPVAL_SEVERITY_ERROR || r->o->fail_on_warning;
            if (failing != (pass == 0))
                continue;
            if (!open && pass == 0) {
                printf("<failure type=\"%s\" message=\"%zu error%s", campval_code_name(e->code),
                       nerr, nerr == 1 ? "" : "s");
                if (nwarn > 0)
                    printf(", %zu warning%s", nwarn, nwarn == 1 ? "" : "s");
                fputs("\">", stdout);
            } else if (!open) {
                fputs("<system-out>", stdout);
            }
            open = true;
            campval_error_message(r->ws, e, msg, sizeof msg);
            campval_error_pointer(r->ws, e, ptr, sizeof ptr);
            junit_line(name, e, msg, ptr);
        }
        if (pass == 0 && failed && !open) { /* every failing finding was dropped */
            printf("<failure type=\"%s\" message=\"%zu error%s\">", campval_code_name(res->code),
                   nerr, nerr == 1 ? "" : "s");
            open = true;
        }
        if (pass == 0 && open) {
            if (res->errors_dropped)
                printf("%zu more errors not shown (--max-errors)\n", res->errors_dropped);
            fputs("</failure>\n", stdout);
        } else if (open) {
            fputs("</system-out>\n", stdout);
        }
    }
    fputs("</testcase>\n", stdout);
}

/* One input (or NDJSON line) in a CI format. `line` > 0: an NDJSON line. SARIF levels and
 * GitHub commands follow each finding's severity; --fail-on changes only what fails. */
void cli_ci_doc(runner *r, const char *name, unsigned long line, const campval_result *res)
{
    static char msg[8192], ptr[8192];
    bool failed = cli_fails(r, res);
    r->inputs++;
    r->failures += failed;
    if (r->o->quiet)
        return;
    if (r->o->ci == CI_JUNIT) {
        junit_doc(r, name, line, res, failed);
        return;
    }
    for (size_t i = 0; i < res->error_count; i++) {
        const campval_error *e = &res->errors[i];
        campval_error_message(r->ws, e, msg, sizeof msg);
        campval_error_pointer(r->ws, e, ptr, sizeof ptr);
        if (r->o->ci == CI_SARIF) {
            sarif_result(r, name, e, msg, ptr);
        } else {
            printf("::%s file=", campval_severity_name(e->severity));
            put_github(name, true);
            printf(",line=%u,col=%u,title=%s::", e->line, e->column, campval_code_name(e->code));
            put_github(msg, false);
            if (e->token >= 0) {
                fputs(" at ", stdout);
                put_github(ptr[0] ? ptr : "/ (root)", false);
            }
            putchar('\n');
        }
    }
    if (res->errors_dropped && r->o->ci == CI_GITHUB) {
        fputs("::warning file=", stdout);
        put_github(name, true);
        printf("::%zu more errors not shown (--max-errors)\n", res->errors_dropped);
    }
}

/* An input that could not be read (exit 2): JUnit and GitHub show it as an error too, so the
 * report in CI does not look clean. (SARIF has it on stderr only: its notifications would
 * have to be kept until the end of the run.) */
void cli_ci_unread(runner *r, const char *name, const read_fail *f)
{
    if (r->o->quiet || (r->o->ci != CI_JUNIT && r->o->ci != CI_GITHUB))
        return;
    const char *why = f->kind == READ_TOO_LARGE ? "document is too large (--max-size)"
                      : f->kind == READ_NOT_REGULAR ? "not a regular file"
                                                    : strerror(f->err);
    r->inputs++;
    r->failures++;
    if (r->o->ci == CI_GITHUB) {
        fputs("::error file=", stdout);
        put_github(name, true);
        fputs("::", stdout);
        put_github(why, false);
        putchar('\n');
        return;
    }
    fputs("<testcase classname=\"campval\" name=\"", stdout);
    put_xml(name);
    fputs("\" file=\"", stdout);
    put_xml(name);
    fputs("\">\n<error message=\"", stdout);
    put_xml(why);
    fputs("\"/>\n</testcase>\n", stdout);
}
