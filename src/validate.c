/*
 * The public entry of validation: argument checks, parsing, the engine, and the result the caller
 * reads (errors in document order with line and column).
 */
#include <string.h>

#include "engine.h"
#include "errors.h"
#include "json.h"
#include "schema.h"

/* The JSON stage over the workspace's buffers; its findings become errors here. Every stage from
 * here on pays from one budget, linear in the document. */
static campval_code parse_document(campval_workspace *ws, const char *json, size_t len,
                                   uint32_t flags)
{
    ws->budget = ws->budget_total = CAMPVAL_WORK_FIXED + (uint64_t)CAMPVAL_WORK_PER_BYTE * len;
    campval__json_stage st = {.tok = ws->tok, .flags = ws->flags, .next = ws->next,
                              .stack = ws->stack, .nest = ws->nest, .slots = ws->slots,
                              .max_tokens = ws->lim.max_tokens, .max_depth = ws->lim.max_depth,
                              .key = &ws->key, .budget = &ws->budget};
    campval_code rc = campval__json_parse(&st, json, len, flags);
    bool dups = false;
    while (rc == CAMPVAL_JSON_DUPLICATE_KEY) {
        dups = true;
        if (!campval__ws_error(ws, rc, st.offset, (int32_t)st.later, campval__empty,
                               campval__empty, 0, (int32_t)st.earlier))
            break;
        rc = campval__json_resume(&st);
    }
    ws->doc = st.doc;
    if (rc == CAMPVAL_LIMIT_EVALUATION)
        ws->stop = false; /* the limit is listed even after a first error */
    if (rc != CAMPVAL_OK && rc != CAMPVAL_JSON_DUPLICATE_KEY) {
        campval__ws_error(ws, rc, st.offset, -1, campval__empty, campval__empty, 0, -1);
        return rc;
    }
    return dups ? CAMPVAL_JSON_DUPLICATE_KEY : CAMPVAL_OK;
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
    ws->validations++;
    ws->error_count = ws->errors_dropped = 0;
    ws->found[0] = ws->found[1] = 0;
    ws->severity = CAMPVAL_SEVERITY_ERROR;
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
        rc = parse_document(ws, json ? json : "", len, flags);
        if (rc == CAMPVAL_OK && !(flags & CAMPVAL_SYNTAX_ONLY))
            rc = campval__engine_run(schema, ws);
    }
    campval__errors_finish(ws, json ? json : "", len);
    /* errors[0] is the first in document order; a limit or internal failure that stopped the
     * run (which may be listed later, or dropped) is the code that counts */
    campval_class cls = campval_code_class(rc);
    const campval_error *first = campval__first_error(ws);
    if (first && cls != CAMPVAL_CLASS_LIMIT && cls != CAMPVAL_CLASS_INTERNAL)
        rc = first->code;
    out->valid = rc == CAMPVAL_OK;
    out->code = rc;
    out->error_count = ws->error_count;
    out->errors_dropped = ws->errors_dropped;
    out->errors = ws->errors;
    out->token_count = ws->doc.count;
    out->work = ws->budget_total - ws->budget;
    out->found[CAMPVAL_SEVERITY_ERROR] = ws->found[CAMPVAL_SEVERITY_ERROR];
    out->found[CAMPVAL_SEVERITY_WARNING] = ws->found[CAMPVAL_SEVERITY_WARNING];
    return rc;
}
