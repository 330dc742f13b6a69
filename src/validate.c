/*
 * The public entry of validation: argument checks, parsing, the engine, and the result the caller
 * reads (errors in document order with line and column).
 */
#include <string.h>

#include "engine.h"
#include "json.h"
#include "schema.h"

static int cmp_offset(const campval_error *a, const campval_error *b)
{
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* Errors in document order (stable), then line and column in one pass over the input. */
static void finish_errors(campval_workspace *ws, const char *json, size_t len)
{
    campval_error *e = ws->errors;
    size_t n = ws->error_count;
    for (size_t i = 1; i < n; i++) {
        campval_error x = e[i];
        size_t j = i;
        while (j > 0 && cmp_offset(&e[j - 1], &x) > 0) {
            e[j] = e[j - 1];
            j--;
        }
        e[j] = x;
    }
    uint32_t line = 1;
    size_t bol = 0, pos = 0;
    for (size_t i = 0; i < n; i++) {
        size_t off = e[i].offset > len ? len : e[i].offset;
        while (pos < off) {
            const char *nl = memchr(json + pos, '\n', off - pos);
            if (!nl) {
                pos = off;
                break;
            }
            line++;
            pos = (size_t)(nl - json) + 1;
            bol = pos;
        }
        e[i].line = line;
        e[i].column = (uint32_t)(off - bol + 1);
    }
}

/* A usage error: no errors listed, but out->code still says what was returned. */
static campval_code refuse(campval_result *out, campval_code rc)
{
    if (out)
        out->code = rc;
    return rc;
}

campval_code campval_validate(const campval_schema *schema, campval_workspace *ws,
                              const char *json, size_t len, uint32_t flags, campval_result *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!ws || !out || (!json && len > 0))
        return refuse(out, CAMPVAL_NULL_ARGUMENT);
    if (ws->magic != CAMPVAL__WS_MAGIC)
        return refuse(out, CAMPVAL_BAD_ARGUMENT);
    if (!schema && !(flags & CAMPVAL_SYNTAX_ONLY))
        return refuse(out, CAMPVAL_NULL_ARGUMENT);
    if (schema && schema->magic != CAMPVAL__SCHEMA_MAGIC)
        return refuse(out, CAMPVAL_BAD_ARGUMENT);
    ws->error_count = ws->errors_dropped = 0;
    ws->stop = false;
    ws->budget = ws->budget_total = 0;
    ws->validate_flags = flags;
    ws->schema = schema;
    ws->doc = (campval__doc){json ? json : "", 0, 0, ws->tok, ws->flags, ws->next, 0};
    campval_code rc;
    if (len > CAMPVAL_MAX_INPUT) {
        campval__ws_error(ws, CAMPVAL_LIMIT_INPUT, 0, -1, campval__empty, campval__empty, 0, -1);
        rc = CAMPVAL_LIMIT_INPUT;
        len = 0;
    } else {
        rc = campval__parse(ws, json ? json : "", len, flags);
        if (rc == CAMPVAL_OK && !(flags & CAMPVAL_SYNTAX_ONLY))
            rc = campval__engine_run(schema, ws);
    }
    finish_errors(ws, json ? json : "", len);
    /* errors[0] is the first in document order; a limit or internal failure that stopped the
     * run (which may be listed later, or dropped) is the code that counts */
    campval_class cls = campval_code_class(rc);
    if (ws->error_count > 0 && cls != CAMPVAL_CLASS_LIMIT && cls != CAMPVAL_CLASS_INTERNAL)
        rc = ws->errors[0].code;
    out->valid = rc == CAMPVAL_OK;
    out->code = rc;
    out->error_count = ws->error_count;
    out->errors_dropped = ws->errors_dropped;
    out->errors = ws->errors;
    out->token_count = ws->doc.count;
    out->work = ws->budget_total - ws->budget;
    return rc;
}
