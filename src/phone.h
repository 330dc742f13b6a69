/*
 * phone.h — phone-number analysis for the x-phone keyword.
 *
 * The only door to libphonenumber, a C++ library without a C interface. Two implementations
 * share this header and meson (option `phonenumber`) builds exactly one of them:
 *
 *   src/phone.cc      over libphonenumber; campval__phone_available() returns 1.
 *   src/phone_none.c  when libphonenumber is absent; type names still work, everything that
 *                     needs the library's data reports -1, so rules compile to a clear error
 *                     instead of silently accepting every number.
 *
 * Plain C: no C++ or libphonenumber types cross this header.
 */
#ifndef CAMPVAL_PHONE_H
#define CAMPVAL_PHONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The number types, in libphonenumber's PhoneNumberUtil::PhoneNumberType order (phone.cc asserts
 * it, so a value can be passed through unchanged), with the names rules and messages use.
 * Append only: rules and error details store these values.
 */
#define CAMPVAL__PHONE_TYPE_LIST(X)                    \
    X(FIXED_LINE, "fixed_line")                        \
    X(MOBILE, "mobile")                                \
    X(FIXED_LINE_OR_MOBILE, "fixed_line_or_mobile")    \
    X(TOLL_FREE, "toll_free")                          \
    X(PREMIUM_RATE, "premium_rate")                    \
    X(SHARED_COST, "shared_cost")                      \
    X(VOIP, "voip")                                    \
    X(PERSONAL_NUMBER, "personal_number")              \
    X(PAGER, "pager")                                  \
    X(UAN, "uan")                                      \
    X(VOICEMAIL, "voicemail")                          \
    X(UNKNOWN, "unknown")

enum campval__phone_type {
#define CAMPVAL__PHONE_TYPE_ENUM(id, name) CAMPVAL__PHONE_##id,
    CAMPVAL__PHONE_TYPE_LIST(CAMPVAL__PHONE_TYPE_ENUM)
#undef CAMPVAL__PHONE_TYPE_ENUM
    CAMPVAL__PHONE_TYPE_COUNT
};

/* What campval__phone_analyze should find out; only what is asked for is computed. */
enum campval__phone_want {
    CAMPVAL__PHONE_WANT_POSSIBLE = 1u, /* length check only: a table lookup for E.164 input */
    CAMPVAL__PHONE_WANT_VALID = 2u,    /* pattern match, the expensive part */
    CAMPVAL__PHONE_WANT_REGION = 4u,
    CAMPVAL__PHONE_WANT_TYPE = 8u,     /* about what VALID costs; both together cost one */
    CAMPVAL__PHONE_WANT_ALL = 15u
};

/*
 * The verdicts, each equal to what plain libphonenumber 8.12 says for the same string
 * (Parse with default region "ZZ", then IsPossibleNumber, IsValidNumber, GetRegionCodeForNumber,
 * GetNumberType; tests/test_phone_diff.cc checks this). A field that was not asked for holds
 * -1 (region: ""), so a caller can never mistake "not computed" for "no". When parsed is 0,
 * rewritten is 0 and every field asked for reads as "no": possible 0, valid 0, region "ZZ",
 * type UNKNOWN.
 */
typedef struct campval__phone_info {
    int parsed;     /* 1 if libphonenumber could parse the string */
    int rewritten;  /* always set: 1 if parsed but not as written, i.e. libphonenumber's E.164
                       form differs from the input. For E.164 input that means it dropped or
                       replaced a national prefix after the calling code: "+44 0 20 7946 0958"
                       is valid as +44 20 7946 0958, "+7 8 912..." as +7 912..., "+378 812345"
                       as +378 0549 812345. A rule that wants the digits dialled exactly as
                       written should reject these even when valid is 1. */
    int possible;   /* IsPossibleNumber: the length fits the calling code */
    int valid;      /* IsValidNumber */
    char region[4]; /* GetRegionCodeForNumber: "US", "001" (non-geographic), "ZZ" (none) */
    int type;       /* enum campval__phone_type (GetNumberType) */
    char e164[20];  /* always set when parsed: the number as Format(E164) writes it, "" if not */
} campval__phone_info;

/* Fill *out with "nothing computed": parsed and rewritten 0, the other verdicts -1, region "". */
void campval__phone_info_clear(campval__phone_info *out);

/*
 * The number as libphonenumber's Format(E164) writes it, into out (NUL-terminated), for comparing
 * numbers: "+4402079460958" is "+442079460958". Returns its length, or 0 when the number does not
 * parse or in the stand-in. Allocation-free for E.164 input libphonenumber keeps as written (the
 * usual case, after the first call has built the tables); thread-safe.
 */
size_t campval__phone_e164(const char *s, size_t len, char out[20]);

/*
 * What campval__phone_e164 decides without libphonenumber, as a table for callers that
 * canonicalise many numbers: entry cc (1..999) has CAMPVAL__PHONE_CC_KNOWN when cc is a calling
 * code Parse reads, and bit d (0..9) when a number of that code whose national number starts
 * with digit d is kept as written (no national prefix can start there). Read it with
 * campval__phone_kept. Built from the installed libphonenumber with the other tables; NULL in
 * the stand-in or when the library failed. Immutable once returned; thread-safe.
 */
#define CAMPVAL__PHONE_CC_KNOWN 0x8000u
const uint16_t *campval__phone_routes(void);

/*
 * true when campval__phone_e164(s, n) returns s itself or 0 (Parse keeps the digits as written,
 * or reads no number), i.e. when the number's canonical form is the one written; false when
 * only campval__phone_e164 can tell. s must be '+', then n - 1 ASCII digits, the first not
 * '0', with 3 <= n <= 16. routes: campval__phone_routes(). The same steps as phone.cc's
 * choose_route; tests/test_phone_diff.cc checks it against campval__phone_e164.
 */
static inline bool campval__phone_kept(const uint16_t *routes, const char *s, size_t n)
{
    if (n < 4)
        return true; /* "+12": too short for any number */
    unsigned cc = 0;
    size_t end = 1;
    for (; end <= 3; end++) {
        cc = cc * 10 + (unsigned)(s[end] - '0');
        if (routes[cc] & CAMPVAL__PHONE_CC_KNOWN)
            break;
    }
    if (end > 3 || n - (end + 1) < 2)
        return true; /* no calling code, or a national number under two digits: unparsable */
    return (routes[cc] >> (s[end + 1] - '0')) & 1u;
}

/* 1 when built with libphonenumber, 0 for the stand-in. */
int campval__phone_available(void);

/*
 * Analyse one number. Meant for strings that already matched ^\+[1-9][0-9]{1,14}$ (the e164
 * format); such strings take the fast path, any other string is handed to libphonenumber's Parse
 * as it is, with the same verdicts as plain libphonenumber either way.
 *
 * e164/len: the bytes, NUL not needed (NULL only with len 0). what: CAMPVAL__PHONE_WANT_* bits.
 * Returns 0 with *out filled (an unparsable number is a verdict, not a failure), or -1 when out
 * is NULL, the library failed (out of memory: no C++ exception ever leaves) or, in the stand-in,
 * always. Thread-safe: the tables built on first use are immutable and libphonenumber's
 * PhoneNumberUtil is a thread-safe singleton. Allocates (inside libphonenumber) unless only
 * CAMPVAL__PHONE_WANT_POSSIBLE is asked for on E.164 input.
 *
 * The first call of this or campval__phone_region_known loads libphonenumber (some 25 ms) and
 * builds the tables (some 2 ms); making it while compiling rules keeps that out of validation.
 */
int campval__phone_analyze(const char *e164, size_t len, unsigned what, campval__phone_info *out);

/* Name of a type ("mobile"), or NULL when type is not an enum campval__phone_type value. */
const char *campval__phone_type_name(int type);

/* Type for an exact, case-sensitive name (len bytes, NUL not needed), or -1. */
int campval__phone_type_lookup(const char *name, size_t len);

/*
 * 1 if libphonenumber has metadata for this geographic region code (exact, upper case: "US",
 * "GB"; "001" is not a region), 0 if not, -1 in the stand-in or when the library failed.
 * region: len bytes, NUL not needed. Thread-safe.
 */
int campval__phone_region_known(const char *region, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* CAMPVAL_PHONE_H */
