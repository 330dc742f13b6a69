/*
 * The public header is usable from C99 with -pedantic (it must not need C11: no _Static_assert,
 * no anonymous unions, no _Alignas). Plain main, no Criterion: Criterion's own headers are not
 * C99-pedantic clean. Exit status 0 on success.
 */
#include "campval.h"

#include <stdio.h>
#include <string.h>

/* Every code has a name: the X-macro list expands in C99 too. */
#define CHECK_NAME(name, num, text)                                                                \
    if (campval_code_name(CAMPVAL_##name) == NULL ||                                               \
        strcmp(campval_code_name(CAMPVAL_##name), #name) != 0 || (int)CAMPVAL_##name != (num)) {   \
        fprintf(stderr, "code %s\n", #name);                                                       \
        return 1;                                                                                  \
    }

int main(void)
{
    campval_limits lim;
    campval_workspace *ws = NULL;
    campval_result res;
    campval_code rc;
    const char doc[] = "{\"a\":[1,]}";

    CAMPVAL_CODES(CHECK_NAME)
    if (strcmp(campval_version(), CAMPVAL_VERSION_STRING) != 0) {
        fprintf(stderr, "version %s != %s\n", campval_version(), CAMPVAL_VERSION_STRING);
        return 1;
    }
    campval_limits_default(&lim);
    lim.max_tokens = 64;
    if (campval_workspace_size(&lim) == 0)
        return 1;
    if (campval_workspace_create(&lim, NULL, &ws) != CAMPVAL_OK)
        return 1;
    rc = campval_validate(NULL, ws, doc, sizeof doc - 1, CAMPVAL_SYNTAX_ONLY, &res);
    if (rc != CAMPVAL_JSON_TRAILING_COMMA || res.error_count != 1 || res.errors[0].offset != 7 ||
        campval_code_class(rc) != CAMPVAL_CLASS_SYNTAX) {
        fprintf(stderr, "validate: %s\n", campval_code_name(rc));
        return 1;
    }
    campval_workspace_destroy(ws);
    puts("ok");
    return 0;
}
