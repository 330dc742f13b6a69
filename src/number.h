/*
 * Exact decimal numbers for the numeric keywords (minimum, maximum, exclusive*, multipleOf,
 * const/enum equality, integer type checks).
 *
 * JSON numbers are compared as the decimals they are written as, never through double: a
 * bound of 0.1 must reject 0.1000000000000000055, and 9007199254740993 must exceed
 * 9007199254740992. A parsed number is a view into its source text (no allocation, no copy),
 * normalised to
 *
 *     value = sign * 0.d1 d2 ... dn * 10^point     with d1 != 0 and dn != 0 (n >= 1),
 *
 * or sign 0 for every spelling of zero ("0", "-0", "0.000e7"). Leading and trailing zeros are
 * not part of the digits, so "1", "1.0", "10e-1" and "0.1e1" are the same (digits "1",
 * point 1). Every operation runs in time linear in the text length.
 *
 * Exponent clamping. The exponent text ("e+123") may have any length. Its value X is clamped
 * to [-2^62, 2^62] (about +-4.6e18); the number is then treated as if it had been written
 * with the clamped exponent, and `clamped` records that it happened. What stays exact:
 *   - campval__num_cmp is exact when both exponent texts are within +-2^62, and also whenever
 *     at least one of the two is within +-2^61 (about +-2.3e18). So a clamped number always
 *     compares correctly against every ordinary number, and 1e+HUGE > 1e-HUGE. Only two numbers
 *     that are both beyond +-2^61, one of them beyond +-2^62, may compare as if their exponents
 *     were closer: 1e99999999999999999999 and 1e99999999999999999998 compare equal (and hash
 *     equal); with equal exponent texts the digits still decide (2e+HUGE > 1e+HUGE).
 *   - campval__num_sign, campval__num_is_integer, campval__num_to_u64/_i64,
 *     campval__num_to_double and campval__num_multiple_of (with a supported step) give the
 *     right answer for every input, clamped or not: a clamped exponent is beyond every range
 *     they distinguish.
 *   - campval__num_format prints a clamped number's source text verbatim, so it stays exact.
 *
 * Texts longer than 2^60 bytes are rejected (none can exist; the bound keeps exponent
 * arithmetic inside int64).
 *
 * All functions are pure and thread-safe; pointers must not be NULL unless stated.
 */
#ifndef CAMPVAL_NUMBER_H
#define CAMPVAL_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/**
 * A parsed number. Points into the text given to campval__num_parse, which must outlive it.
 * Fields are readable by other stages; build one only with campval__num_parse.
 */
typedef struct campval__num {
    const char *text;   /**< the whole source text (for verbatim output) */
    size_t len;         /**< its length */
    const char *digits; /**< first significant digit in text; NULL when zero */
    size_t span;        /**< bytes from first to last significant digit, a '.' included */
    size_t ndigits;     /**< significant digits n (span without the '.'); 0 when zero */
    int64_t point;      /**< value = sign * 0.d1..dn * 10^point; 0 when zero */
    int sign;           /**< -1, 0 or 1; "-0" has sign 0 */
    int clamped;        /**< 0, or +1/-1 when the exponent text was clamped up/down */
} campval__num;

/**
 * Parse an RFC 8259 number, exactly `len` bytes (no terminator needed, nothing read beyond).
 * @return 0, or -1 when text/out is NULL or the bytes are not exactly one JSON number
 * (leading '+', "01", ".5", "1.", "1e", spaces, NaN ... are all -1); *out is then unspecified.
 */
int campval__num_parse(const char *text, size_t len, campval__num *out);

/** Exact order: -1 when a < b, 0 when equal (-0 == 0, 1 == 1.0 == 10e-1), 1 when a > b. */
int campval__num_cmp(const campval__num *a, const campval__num *b);

/** 1 when the value is integral (1.0, 1e2, -0, 1.25e2, 1e400), 0 otherwise (1.5, 1e-1). */
int campval__num_is_integer(const campval__num *a);

/** -1, 0 or 1. */
int campval__num_sign(const campval__num *a);

/**
 * Whether campval__num_multiple_of can use `step`: step > 0, its significand (digits without
 * leading/trailing zeros) fits in uint64_t, and its exponent is not clamped and |point| <= 2^60.
 * So 0.0001, 1.5, 1e-8, 1e300 and 18446744073709551615 are supported;
 * 18446744073709551616, 0.12345678901234567890123, 0 and -2 are not. Returns 1 or 0.
 */
int campval__num_step_supported(const campval__num *step);

/**
 * Exact JSON Schema multipleOf: 1 when x / step is an integer, 0 when not, -1 when step is not
 * supported (campval__num_step_supported). 0 is a multiple of everything; the sign of x is
 * ignored. Linear in the digits of x, whatever the exponents (1e400 / 3 -> 0, 1e308 / 0.5 -> 1).
 */
int campval__num_multiple_of(const campval__num *x, const campval__num *step);

/** Hash consistent with campval__num_cmp: numbers that compare equal hash equal. */
uint64_t campval__num_hash(const campval__num *a);

/**
 * The value as uint64_t when it is integral, non-negative and fits (2.0 -> 2, -0 -> 0,
 * 18446744073709551615 -> ok). @return 0, or -1 (2.5, -1, 1e30, 18446744073709551616);
 * *out is written only on success.
 */
int campval__num_to_u64(const campval__num *a, uint64_t *out);

/** As campval__num_to_u64 for int64_t: -9223372036854775808 .. 9223372036854775807. */
int campval__num_to_i64(const campval__num *a, int64_t *out);

/**
 * Nearest double, for human-facing text only (never for decisions): correctly rounded as by
 * strtod, +-HUGE_VAL beyond the double range, +-0.0 below it. Locale-independent, leaves errno
 * unchanged, uses about 800 bytes of stack.
 */
double campval__num_to_double(const campval__num *a);

/**
 * Write the exact value as short decimal text with snprintf semantics: returns the full length,
 * writes at most size-1 bytes and a NUL (nothing when size is 0; buf may then be NULL).
 * The shape follows JavaScript's Number#toString: "0", "-12.6", "0.0001", "100" up to 21
 * integer digits, otherwise "1e+400", "1.5e-7". A clamped number is printed as its source text.
 */
size_t campval__num_format(const campval__num *a, char *buf, size_t size);

/**
 * As campval__num_format, for messages that must stay short: the same text when it is at most
 * `max` bytes. With max >= 100 the result never exceeds max bytes. A longer number keeps its sign and exponent and cuts the middle of
 * its significand, visibly, then states how many significant digits it has:
 * "9.9999999999999999999...99999999999999999999e+399 (400 digits)". A clamped number is cut
 * the same way within its source text, mantissa and exponent each keeping their ends:
 * "1e9999999999...9999999999 (exponent of 111 digits)". The result is never a truncation that reads as a different
 * number. snprintf semantics as campval__num_format.
 */
size_t campval__num_show(const campval__num *a, size_t max, char *buf, size_t size);

#endif /* CAMPVAL_NUMBER_H */
