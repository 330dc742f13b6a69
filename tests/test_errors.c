/*
 * The error list (src/errors.c): recording, then document order that is stable for equal
 * offsets, in O(n log n) at max_errors = 100,000 whatever the order found, and line/column.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "errors.h"

static campval_workspace *make(uint32_t max_errors)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_errors = max_errors;
    campval_workspace *ws;
    cr_assert_eq(campval_workspace_create(&lim, NULL, &ws), CAMPVAL_OK);
    return ws;
}

static void add(campval_workspace *ws, size_t offset, uint32_t tag)
{
    campval__ws_error(ws, CAMPVAL_TYPE, offset, -1, campval__empty, campval__empty, tag,
                      -1);
}

TestSuite(errors);

Test(errors, stable_with_line_and_column)
{
    campval_workspace *ws = make(10);
    const char text[] = "ab\ncd\n\nef";
    add(ws, 7, 0);
    add(ws, 3, 1);
    add(ws, 7, 2);
    add(ws, 0, 3);
    add(ws, 3, 4);
    add(ws, 99, 5); /* past the end: clamped */
    campval__errors_finish(ws, text, strlen(text));
    const uint32_t tags[] = {3, 1, 4, 0, 2, 5};
    const uint32_t lines[] = {1, 2, 2, 4, 4, 4}, cols[] = {1, 1, 1, 1, 1, 3};
    cr_assert_eq(ws->error_count, 6);
    for (size_t i = 0; i < 6; i++) {
        cr_expect_eq(ws->errors[i].detail, tags[i], "at %zu", i);
        cr_expect_eq(ws->errors[i].line, lines[i], "at %zu", i);
        cr_expect_eq(ws->errors[i].column, cols[i], "at %zu", i);
    }
    campval_workspace_destroy(ws);
}

Test(errors, dropped_past_max_and_first_error_stops)
{
    campval_workspace *ws = make(2);
    add(ws, 1, 0);
    add(ws, 2, 1);
    add(ws, 3, 2);
    cr_expect_eq(ws->error_count, 2);
    cr_expect_eq(ws->errors_dropped, 1);
    ws->validate_flags = CAMPVAL_FIRST_ERROR;
    cr_expect_not(campval__ws_error(ws, CAMPVAL_TYPE, 0, -1, campval__empty,
                                    campval__empty, 0, -1));
    campval_workspace_destroy(ws);
}

/* Reverse order with runs of equal offsets: quadratic under insertion sort (5e9 moves). */
Test(errors, hundred_thousand_unsorted, .timeout = 10)
{
    enum { N = 100000 };
    campval_workspace *ws = make(N);
    for (uint32_t i = 0; i < N; i++)
        add(ws, (size_t)(N - i) / 4, i);
    campval__errors_finish(ws, "", 0);
    cr_assert_eq(ws->error_count, N);
    for (size_t i = 1; i < N; i++) {
        const campval_error *a = &ws->errors[i - 1], *b = &ws->errors[i];
        cr_assert(a->offset < b->offset || (a->offset == b->offset && a->detail < b->detail),
                  "order at %zu", i);
    }
    campval_workspace_destroy(ws);
}

/* Line and column as a count from the start, for each finding on its own. */
static void naive_position(const char *text, size_t len, size_t off, uint32_t *line,
                           uint32_t *col)
{
    if (off > len)
        off = len;
    uint32_t l = 1;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            l++;
            bol = i + 1;
        }
    *line = l;
    *col = (uint32_t)(off - bol + 1);
}

/* errors_finish remembers the next line feed between findings (one memchr on a one-line body)
 * and skips the sort when the findings are already in order. Both against a count per finding,
 * on texts with line feeds at, before and after the offsets, sorted or not, with repeats. */
Test(errors, line_and_column_match_a_count_per_finding)
{
    static char text[4096];
    uint32_t seed = 12345;
    for (int round = 0; round < 400; round++) {
        size_t len = 1 + (size_t)(round * 37) % (sizeof text - 1);
        int density = round % 5; /* 0: one line; else a line feed every ~density*8 bytes */
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = density && (seed >> 16) % (unsigned)(density * 8) == 0 ? '\n'
                      : (seed >> 16) % 7 == 0                                 ? '\r'
                                                                              : 'x';
        }
        if (round % 7 == 0)
            text[len - 1] = '\n';
        size_t n = 1 + (size_t)round % 60;
        bool sorted = round % 2 == 0;
        campval_workspace *ws = make((uint32_t)n);
        size_t off = 0;
        size_t offs[64];
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            if (sorted)
                off += (seed >> 16) % 3 == 0 ? 0 : (seed >> 16) % (len / n + 2);
            else
                off = (seed >> 16) % (len + 3);
            offs[i] = off;
            add(ws, off, (uint32_t)i);
        }
        campval__errors_finish(ws, text, len);
        cr_assert_eq(ws->error_count, n);
        for (size_t i = 0; i < n; i++) {
            const campval_error *e = &ws->errors[i];
            uint32_t line, col;
            naive_position(text, len, e->offset, &line, &col);
            cr_assert_eq(e->offset, offs[e->detail], "round %d at %zu", round, i);
            cr_assert_eq(e->line, line, "round %d at %zu (offset %zu)", round, i, e->offset);
            cr_assert_eq(e->column, col, "round %d at %zu (offset %zu)", round, i, e->offset);
            if (i > 0) {
                const campval_error *p = &ws->errors[i - 1];
                cr_assert(p->offset < e->offset ||
                              (p->offset == e->offset && p->detail < e->detail),
                          "round %d: order at %zu", round, i);
            }
        }
        campval_workspace_destroy(ws);
    }
}

/* Already in order, equal offsets included: kept as found, and a line feed right at a finding's
 * offset belongs to that finding's line. */
Test(errors, sorted_input_kept_as_found)
{
    campval_workspace *ws = make(8);
    const char text[] = "ab\n\ncd\nef";
    add(ws, 2, 0);
    add(ws, 2, 1);
    add(ws, 3, 2);
    add(ws, 3, 3);
    add(ws, 6, 4);
    add(ws, 9, 5);
    add(ws, 40, 6);
    campval__errors_finish(ws, text, strlen(text));
    const uint32_t lines[] = {1, 1, 2, 2, 3, 4, 4}, cols[] = {3, 3, 1, 1, 3, 3, 3};
    cr_assert_eq(ws->error_count, 7);
    for (uint32_t i = 0; i < 7; i++) {
        cr_expect_eq(ws->errors[i].detail, i);
        cr_expect_eq(ws->errors[i].line, lines[i], "at %u", i);
        cr_expect_eq(ws->errors[i].column, cols[i], "at %u", i);
    }
    campval_workspace_destroy(ws);
}

/* Truncated by max_errors, and stopped by CAMPVAL_FIRST_ERROR: the findings kept still get the
 * line and column of their own offset, found in order or not. */
Test(errors, positions_after_max_errors_and_first_error)
{
    const char text[] = "{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}";
    size_t len = strlen(text);
    static const size_t sorted[] = {5, 9, 16, 22, 25}, unsorted[] = {22, 5, 25, 9, 16};
    for (int order = 0; order < 2; order++) {
        const size_t *offs = order ? unsorted : sorted;
        campval_workspace *ws = make(3);
        for (uint32_t i = 0; i < 5; i++)
            add(ws, offs[i], i);
        cr_assert_eq(ws->error_count, 3);
        cr_assert_eq(ws->errors_dropped, 2);
        campval__errors_finish(ws, text, len);
        for (size_t i = 0; i < 3; i++) {
            uint32_t line, col;
            naive_position(text, len, ws->errors[i].offset, &line, &col);
            cr_expect_eq(ws->errors[i].line, line, "order %d at %zu", order, i);
            cr_expect_eq(ws->errors[i].column, col, "order %d at %zu", order, i);
            if (i)
                cr_expect_lt(ws->errors[i - 1].offset, ws->errors[i].offset);
        }
        campval_workspace_destroy(ws);

        ws = make(10);
        ws->validate_flags = CAMPVAL_FIRST_ERROR;
        cr_expect_not(campval__ws_error(ws, CAMPVAL_TYPE, offs[3], -1, campval__empty,
                                        campval__empty, 0, -1));
        campval__errors_finish(ws, text, len);
        cr_assert_eq(ws->error_count, 1);
        uint32_t line, col;
        naive_position(text, len, offs[3], &line, &col);
        cr_expect_eq(ws->errors[0].line, line);
        cr_expect_eq(ws->errors[0].column, col);
        campval_workspace_destroy(ws);
    }
}
