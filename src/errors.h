/* The error list of a validation: recording errors, then putting them in document order. */
#ifndef CAMPVAL_ERRORS_H
#define CAMPVAL_ERRORS_H

#include "internal.h"

/* Record a finding, with the severity ws->severity says; returns false once validation should
 * stop (first-error mode, after an error: warnings never stop it). */
bool campval__ws_error(campval_workspace *ws, campval_code code, size_t offset, int32_t token,
                       const char *keyword, const char *keyword_location, uint32_t detail,
                       int32_t aux);

/* The first finding of severity error recorded, or NULL. */
const campval_error *campval__first_error(const campval_workspace *ws);

/*
 * Sort ws->errors by offset, stably (equal offsets keep the order they were found in), in
 * O(n log n) worst case without memory beyond the list, then set each error's line and column
 * from json[0..len) in one pass.
 */
void campval__errors_finish(campval_workspace *ws, const char *json, size_t len);

#endif /* CAMPVAL_ERRORS_H */
