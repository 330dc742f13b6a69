/*
 * The error list. Errors are found in evaluation order, which is mostly document order; the
 * caller wants document order, then line and column. Sorting must stay cheap with max_errors in
 * the hundreds of thousands and must not allocate: a heapsort keyed by (offset, position found)
 * is O(n log n) whatever the order and stable by construction. The position lives in the line
 * field, which is only computed after the sort.
 */
#include "errors.h"

#include <string.h>

bool campval__ws_error(campval_workspace *ws, campval_code code, size_t offset, int32_t token,
                       const char *keyword, const char *keyword_location, uint32_t detail,
                       int32_t aux)
{
    campval_severity sev = (campval_severity)ws->severity;
    ws->found[sev != CAMPVAL_SEVERITY_ERROR]++;
    /* A warning never takes the last free entry: an error found later is always recorded. */
    size_t room = sev == CAMPVAL_SEVERITY_ERROR ? ws->lim.max_errors : ws->lim.max_errors - 1;
    if (ws->error_count < room) {
        ws->errors[ws->error_count++] = (campval_error){
            code, offset, 0, 0, token, keyword, keyword_location, detail, aux, sev};
    } else {
        ws->errors_dropped++;
    }
    if (sev == CAMPVAL_SEVERITY_ERROR && (ws->validate_flags & CAMPVAL_FIRST_ERROR))
        ws->stop = true;
    return !ws->stop;
}

const campval_error *campval__first_error(const campval_workspace *ws)
{
    for (size_t i = 0; i < ws->error_count; i++)
        if (ws->errors[i].severity == CAMPVAL_SEVERITY_ERROR)
            return &ws->errors[i];
    return NULL;
}

/* a before b: by offset, then by the order found (kept in line). */
static bool before(const campval_error *a, const campval_error *b)
{
    return a->offset < b->offset || (a->offset == b->offset && a->line < b->line);
}

static void sift_down(campval_error *e, size_t root, size_t n)
{
    campval_error x = e[root];
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && before(&e[child], &e[child + 1]))
            child++;
        if (!before(&x, &e[child]))
            break;
        e[root] = e[child];
    }
    e[root] = x;
}

static void sort_errors(campval_error *e, size_t n)
{
    size_t i = 1;
    while (i < n && e[i - 1].offset <= e[i].offset)
        i++;
    if (i >= n) /* the usual case: already in document order */
        return;
    for (i = 0; i < n; i++)
        e[i].line = (uint32_t)i; /* n <= max_errors, a uint32_t */
    for (i = n / 2; i-- > 0;)
        sift_down(e, i, n);
    for (i = n; i-- > 1;) {
        campval_error top = e[0];
        e[0] = e[i];
        e[i] = top;
        sift_down(e, 0, i);
    }
}

void campval__errors_finish(campval_workspace *ws, const char *json, size_t len)
{
    campval_error *e = ws->errors;
    size_t n = ws->error_count;
    sort_errors(e, n);
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
