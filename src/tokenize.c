/*
 * jsmn with parent links (without them, closing a container walks back over every token and
 * large arrays go quadratic). The lexer has already proved the bytes are one valid JSON value, so
 * jsmn only builds the token array here, and JSMN_STRICT is off: on valid JSON it yields the same
 * tokens (a primitive is never followed by ':'), and its checks cost a third of jsmn's time.
 */
#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "tokenize.h"

_Static_assert(sizeof(jsmntok_t) == sizeof(campval__tok), "token layout");
_Static_assert(offsetof(jsmntok_t, start) == offsetof(campval__tok, start), "token layout");
_Static_assert(offsetof(jsmntok_t, end) == offsetof(campval__tok, end), "token layout");
_Static_assert(offsetof(jsmntok_t, size) == offsetof(campval__tok, size), "token layout");
_Static_assert(offsetof(jsmntok_t, parent) == offsetof(campval__tok, parent), "token layout");
_Static_assert((int)JSMN_OBJECT == CAMPVAL__T_OBJECT && (int)JSMN_ARRAY == CAMPVAL__T_ARRAY &&
                   (int)JSMN_STRING == CAMPVAL__T_STRING &&
                   (int)JSMN_PRIMITIVE == CAMPVAL__T_PRIMITIVE,
               "token types");

static bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

campval_code campval__tokenize(const char *text, size_t len, campval__tok *tok, uint32_t expected)
{
    /* A lone top-level number or literal is one token: build it directly (strict jsmn reported
     * it as partial input, having no delimiter after it). */
    size_t b = 0, e = len;
    while (b < e && is_ws(text[b]))
        b++;
    while (e > b && is_ws(text[e - 1]))
        e--;
    if (expected == 1 && b < e && text[b] != '"' && text[b] != '{' && text[b] != '[') {
        tok[0] = (campval__tok){CAMPVAL__T_PRIMITIVE, (int)b, (int)e, 0, -1};
        return CAMPVAL_OK;
    }
    jsmn_parser p;
    jsmn_init(&p);
    int r = jsmn_parse(&p, text, len, (jsmntok_t *)(void *)tok, expected);
    return r == (int)expected ? CAMPVAL_OK : CAMPVAL_INTERNAL;
}
