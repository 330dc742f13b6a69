/*
 * format.h — checkers for the JSON Schema `format` keyword and campval's own formats.
 *
 * Every checker is a pure predicate over one already-unescaped string value: no allocation, no
 * recursion, time linear in the length, and no read past `s + len` (the value need not be
 * NUL-terminated and may itself contain NUL bytes). All functions are thread-safe.
 */
#ifndef CAMPVAL_FORMAT_H
#define CAMPVAL_FORMAT_H

#include <stddef.h>

/*
 * One row per format: X(ID, name, own, description). Ids are positions in this list, so new
 * formats go at the end of their group and existing ones are never reordered. `own` marks
 * campval's formats, which are always asserted; the others follow JSON Schema 2020-12.
 */
#define CAMPVAL__FORMAT_LIST(X)                                                                     \
    X(DATE_TIME, "date-time", 0, "an RFC 3339 date-time")                                          \
    X(DATE, "date", 0, "an RFC 3339 full-date (YYYY-MM-DD)")                                       \
    X(TIME, "time", 0, "an RFC 3339 time with an offset")                                          \
    X(DURATION, "duration", 0, "an ISO 8601 duration (RFC 3339 appendix A)")                       \
    X(EMAIL, "email", 0, "an email address (RFC 5321)")                                            \
    X(HOSTNAME, "hostname", 0, "a host name (RFC 1123)")                                           \
    X(IPV4, "ipv4", 0, "a dotted-quad IPv4 address")                                               \
    X(IPV6, "ipv6", 0, "an IPv6 address (RFC 4291)")                                               \
    X(URI, "uri", 0, "an absolute URI (RFC 3986)")                                                 \
    X(URI_REFERENCE, "uri-reference", 0, "a URI reference (RFC 3986)")                             \
    X(UUID, "uuid", 0, "a UUID (8-4-4-4-12 hex digits)")                                           \
    X(JSON_POINTER, "json-pointer", 0, "a JSON Pointer (RFC 6901)")                                \
    X(RELATIVE_JSON_POINTER, "relative-json-pointer", 0, "a relative JSON Pointer")               \
    X(REGEX, "regex", 0, "an ECMA-262 regular expression")                                         \
    X(E164, "e164", 1, "an E.164 number (+ then 2 to 15 digits)")                                  \
    X(TIME_OF_DAY, "time-of-day", 1, "a time of day (HH:mm, or H[:mm] then am or pm)")             \
    X(IANA_TIMEZONE, "iana-timezone", 1, "an IANA time zone name")

#define CAMPVAL__FORMAT_ENUM(id, name, own, text) CAMPVAL__FMT_##id,
typedef enum campval__format {
    CAMPVAL__FORMAT_LIST(CAMPVAL__FORMAT_ENUM)
    CAMPVAL__FMT_COUNT
} campval__format;
#undef CAMPVAL__FORMAT_ENUM

/* Format id for the name `name[0..len)` (exact, case-sensitive), or -1 when unknown. */
int campval__format_lookup(const char *name, size_t len);

/* The format's name as written in rules ("date-time"), or NULL when fmt is not a format id. */
const char *campval__format_name(int fmt);

/* 1 for campval's own formats (e164, time-of-day, iana-timezone), else 0. */
int campval__format_is_own(int fmt);

/*
 * 1 when `s[0..len)` is valid for format `fmt`, 0 when it is not or fmt is not a format id.
 * `s` may be NULL only when len is 0.
 */
int campval__format_check(int fmt, const char *s, size_t len);

/*
 * Short phrase for messages, to follow "expected ...": "an RFC 3339 date-time",
 * "an E.164 number (+ then 2 to 15 digits)". NULL when fmt is not a format id.
 */
const char *campval__format_describe(int fmt);

#endif /* CAMPVAL_FORMAT_H */
