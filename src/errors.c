/*
 * The error list. Errors are found in evaluation order, which is mostly document order; the
 * caller wants document order, then line and column. Sorting must stay cheap with max_errors in
 * the hundreds of thousands and must not allocate: a heapsort keyed by (offset, position found)
 * is O(n log n) whatever the order and stable by construction. The position lives in the line
 * field, which is only computed after the sort.
 */
#include "errors.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* Line feeds in s[0..n). One memchr per line cost more than the validation's rules on a
 * pretty-printed body with a warning near its end (a call per 20-byte line). */
static size_t count_newlines(const char *s, size_t n)
{
    size_t lines = 0, i = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n');
    while (n - i >= 16) {
        /* up to 255 rounds of byte counters (each match subtracts -1), then summed by psadbw */
        size_t rounds = (n - i) / 16 > 255 ? 255 : (n - i) / 16;
        __m128i acc = _mm_setzero_si128();
        for (size_t r = 0; r < rounds; r++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
        }
        __m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
        lines += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
    }
#endif
    for (; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

/* The first line feed in s[from..len), or len. */
static size_t next_newline(const char *s, size_t from, size_t len)
{
    const char *p = from < len ? memchr(s + from, '\n', len - from) : NULL;
    return p ? (size_t)(p - s) : len;
}

/* Line and column of each finding, in one forward pass. The next line feed is remembered, so a
 * finding on the same line as the previous one costs nothing more: on a one-line body the whole
 * pass is one memchr up to the last finding, instead of a count up to each finding. */
void campval__errors_finish(campval_workspace *ws, const char *json, size_t len)
{
    campval_error *e = ws->errors;
    size_t n = ws->error_count;
    sort_errors(e, n);
    /* No line feed after the last finding matters: the searches stop there. */
    size_t end = n && e[n - 1].offset < len ? e[n - 1].offset : len;
    uint32_t line = 1;
    size_t bol = 0, nl = n ? next_newline(json, 0, end) : end;
    for (size_t i = 0; i < n; i++) {
        size_t off = e[i].offset > len ? len : e[i].offset;
        if (off > nl) { /* nl, the first line feed after the previous finding, is before this one */
            size_t lines = 1 + count_newlines(json + nl + 1, off - nl - 1);
            line += (uint32_t)lines;
            bol = off;
            while (json[bol - 1] != '\n')
                bol--;
            nl = next_newline(json, off, end);
        }
        e[i].line = line;
        e[i].column = (uint32_t)(off - bol + 1);
    }
}
