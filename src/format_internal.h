/*
 * format_internal.h — what the format checkers share across src/format.c and src/format_idna.c.
 */
#ifndef CAMPVAL_FORMAT_INTERNAL_H
#define CAMPVAL_FORMAT_INTERNAL_H

#include <stddef.h>

#include "utf8.h"

typedef unsigned char uchar;

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Character classes. Only ASCII counts everywhere: a Bengali or full-width digit is no digit. */
static inline int is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static inline int is_alpha(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int is_alnum(unsigned c) { return is_alpha(c) || is_digit(c); }
static inline int is_hex(unsigned c) { return campval__hex_value((int)c) >= 0; }
static inline unsigned to_lower(unsigned c) { return (c >= 'A' && c <= 'Z') ? c | 0x20u : c; }

/* The hostname format (RFC 1123 labels; A-labels as IDNA2008 requires): 1 valid, 0 not. */
int campval__format_hostname(const uchar *s, size_t len);

#endif /* CAMPVAL_FORMAT_INTERNAL_H */
