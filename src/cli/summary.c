/* The batch summary: inputs checked, valid, with warnings, invalid; findings per code; contacts
 * per region. */
#include "cli.h"

static const campval_code code_at[CODE_COUNT] = {
#define CODE_AT_(name, num, msg) CAMPVAL_##name,
    CAMPVAL_CODES(CODE_AT_)
#undef CODE_AT_
};

static int code_index(campval_code c)
{
    switch (c) {
#define CODE_CASE_(name, num, msg)                                                                 \
    case CAMPVAL_##name:                                                                           \
        return IX_##name;
        CAMPVAL_CODES(CODE_CASE_)
#undef CODE_CASE_
    }
    return -1;
}

void cli_count_doc(runner *r, const campval_result *res)
{
    batch *b = &r->sum;
    b->checked++;
    if (!res->valid)
        b->invalid++;
    else if (res->found[CAMPVAL_SEVERITY_WARNING] > 0)
        b->valid++, b->with_warnings++;
    else
        b->valid++;
    b->found[0] += res->found[CAMPVAL_SEVERITY_ERROR];
    b->found[1] += res->found[CAMPVAL_SEVERITY_WARNING];
    b->dropped += res->errors_dropped;
    for (size_t i = 0; i < res->error_count; i++) {
        int ix = code_index(res->errors[i].code);
        if (ix >= 0)
            b->count[ix][res->errors[i].severity == CAMPVAL_SEVERITY_WARNING]++;
    }
}

void cli_count_region(void *ctx, const char region[2])
{
    batch *b = ctx;
    if (region[0] >= 'A' && region[0] <= 'Z' && region[1] >= 'A' && region[1] <= 'Z')
        b->regions[(region[0] - 'A') * 26 + (region[1] - 'A')]++;
}

/* Whether the run ends with a summary: --summary, several documents, or an NDJSON stream. */
bool cli_want_summary(const runner *r)
{
    const opts *o = r->o;
    if (o->quiet || o->benchmark || o->ci != CI_NONE)
        return false;
    return o->summary_only || o->ndjson || r->sum.checked + r->sum.unread > 1;
}

/* One line, text or a JSON object ({"summary":{...}}) for the json and problem formats; codes
 * in code order, each severity of a code counted apart. */
void cli_print_summary(const runner *r)
{
    const batch *b = &r->sum;
    bool json = r->o->format != CAMPVAL_OUTPUT_TEXT;
    if (json)
        printf("{\"summary\":{\"checked\":%lu,\"valid\":%lu,\"validWithWarnings\":%lu,"
               "\"invalid\":%lu,\"unread\":%lu,\"errorCount\":%llu,\"warningCount\":%llu,"
               "\"dropped\":%llu,\"codes\":[",
               b->checked, b->valid, b->with_warnings, b->invalid, b->unread, b->found[0],
               b->found[1], b->dropped);
    else
        printf("summary: %lu checked, %lu valid (%lu with warnings), %lu invalid", b->checked,
               b->valid, b->with_warnings, b->invalid);
    if (!json && b->unread > 0)
        printf(", %lu not read", b->unread);
    bool first = true;
    for (int ix = 0; ix < CODE_COUNT; ix++) {
        for (int sev = 0; sev < 2; sev++) {
            if (b->count[ix][sev] == 0)
                continue;
            const char *code = campval_code_name(code_at[ix]);
            if (json)
                printf("%s{\"code\":\"%s\",\"severity\":\"%s\",\"count\":%llu}",
                       first ? "" : ",", code, campval_severity_name((campval_severity)sev),
                       b->count[ix][sev]);
            else
                printf("%s%s %llu%s", first ? "; " : ", ", code, b->count[ix][sev],
                       sev ? " (warning)" : "");
            first = false;
        }
    }
    bool any = false;
    for (int k = 0; k < 26 * 26; k++) {
        if (!b->regions[k])
            continue;
        if (json)
            printf("%s\"%c%c\":%lu", any ? "," : "],\"contactsByRegion\":{", 'A' + k / 26,
                   'A' + k % 26, b->regions[k]);
        else
            printf("%s%c%c %lu", any ? ", " : "; contacts by region: ", 'A' + k / 26, 'A' + k % 26,
                   b->regions[k]);
        any = true;
    }
    if (json)
        fputs(any ? "}}}\n" : "]}}\n", stdout);
    else if (b->dropped > 0)
        printf("; %llu more not recorded (--max-errors)\n", b->dropped);
    else
        putchar('\n');
}
