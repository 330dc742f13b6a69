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
