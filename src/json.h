/* The JSON stage: lexer, jsmn, structure and duplicate member names, into ws->doc. */
#ifndef CAMPVAL_JSON_H
#define CAMPVAL_JSON_H

#include "internal.h"

/*
 * Parse json[0..len) strictly into the workspace. Syntax and limit errors are recorded in the
 * workspace (offsets relative to json). Returns CAMPVAL_OK when the document can be validated:
 * with CAMPVAL_ALLOW_DUPLICATE_KEYS repeated names are marked CAMPVAL__F_SHADOWED instead of
 * being errors.
 */
campval_code campval__parse(campval_workspace *ws, const char *json, size_t len, uint32_t flags);

#endif /* CAMPVAL_JSON_H */
