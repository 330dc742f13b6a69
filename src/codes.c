/* Codes as text, generated from the one list in campval.h. */
#include "internal.h"

const char campval__empty[] = "";

const char *campval_code_name(campval_code code)
{
    switch (code) {
#define X(name, num, msg) case CAMPVAL_##name: return #name;
        CAMPVAL_CODES(X)
#undef X
    }
    return "UNKNOWN";
}

const char *campval_strerror(campval_code code)
{
    switch (code) {
#define X(name, num, msg) case CAMPVAL_##name: return msg;
        CAMPVAL_CODES(X)
#undef X
    }
    return "unknown code";
}

campval_class campval_code_class(campval_code code)
{
    int n = (int)code;
    if (n == 0)
        return CAMPVAL_CLASS_OK;
    if (n >= 100 && n < 200)
        return CAMPVAL_CLASS_SYNTAX;
    if (n >= 200 && n < 300)
        return CAMPVAL_CLASS_RULES;
    if (n >= 300 && n < 400)
        return CAMPVAL_CLASS_VIOLATION;
    if (n >= 400 && n < 420)
        return CAMPVAL_CLASS_LIMIT;
    if (n >= 420 && n < 500)
        return CAMPVAL_CLASS_USAGE;
    return CAMPVAL_CLASS_INTERNAL;
}

const char *campval_version(void) { return CAMPVAL_VERSION_STRING; }

const char *campval_severity_name(campval_severity severity)
{
    switch (severity) {
    case CAMPVAL_SEVERITY_ERROR: return "error";
    case CAMPVAL_SEVERITY_WARNING: return "warning";
    }
    return "unknown";
}
