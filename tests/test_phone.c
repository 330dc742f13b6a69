/*
 * test_phone.c — campval__phone_* over libphonenumber (src/phone.cc).
 *
 * The expected verdicts are libphonenumber 8.12.57's own: the numbers are its example numbers
 * (GetExampleNumber, GetExampleNumberForType, GetExampleNumberForNonGeoEntity) with the region
 * and type it reports for them. A metadata update may legitimately move one of them; the
 * differential test (test_phone_diff.cc) is what proves phone.cc agrees with the library.
 */
#include <criterion/criterion.h>

#include <pthread.h>
#include <string.h>

#include "phone.h"

struct example {
    const char *number;
    const char *region;
    int type;
};

static void expect_valid(const struct example *ex)
{
    campval__phone_info info;
    cr_assert_eq(campval__phone_analyze(ex->number, strlen(ex->number), CAMPVAL__PHONE_WANT_ALL, &info), 0,
                 "%s", ex->number);
    cr_expect_eq(info.parsed, 1, "%s parsed", ex->number);
    cr_expect_eq(info.rewritten, 0, "%s rewritten", ex->number);
    cr_expect_eq(info.possible, 1, "%s possible", ex->number);
    cr_expect_eq(info.valid, 1, "%s valid", ex->number);
    cr_expect_str_eq(info.region, ex->region, "%s region", ex->number);
    cr_expect_eq(info.type, ex->type, "%s type %s, expected %s", ex->number,
                 campval__phone_type_name(info.type), campval__phone_type_name(ex->type));
}

static campval__phone_info analyze(const char *number, unsigned what)
{
    campval__phone_info info;
    cr_assert_eq(campval__phone_analyze(number, strlen(number), what, &info), 0, "%s", number);
    return info;
}

Test(phone, available) { cr_assert_eq(campval__phone_available(), 1); }

/* GetExampleNumber of 45 regions, shared calling codes included (+1, +7, +39, +44, +590). */
Test(phone, example_numbers_of_many_regions)
{
    static const struct example ex[] = {
        {"+12015550123", "US", CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE},
        {"+15062345678", "CA", CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE},
        {"+441212345678", "GB", CAMPVAL__PHONE_FIXED_LINE},
        {"+4930123456", "DE", CAMPVAL__PHONE_FIXED_LINE},
        {"+33123456789", "FR", CAMPVAL__PHONE_FIXED_LINE},
        {"+34810123456", "ES", CAMPVAL__PHONE_FIXED_LINE},
        {"+390212345678", "IT", CAMPVAL__PHONE_FIXED_LINE},
        {"+31101234567", "NL", CAMPVAL__PHONE_FIXED_LINE},
        {"+3212345678", "BE", CAMPVAL__PHONE_FIXED_LINE},
        {"+41212345678", "CH", CAMPVAL__PHONE_FIXED_LINE},
        {"+431234567890", "AT", CAMPVAL__PHONE_FIXED_LINE},
        {"+468123456", "SE", CAMPVAL__PHONE_FIXED_LINE},
        {"+4721234567", "NO", CAMPVAL__PHONE_FIXED_LINE},
        {"+4532123456", "DK", CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE},
        {"+358131234567", "FI", CAMPVAL__PHONE_FIXED_LINE},
        {"+48123456789", "PL", CAMPVAL__PHONE_FIXED_LINE},
        {"+351212345678", "PT", CAMPVAL__PHONE_FIXED_LINE},
        {"+3532212345", "IE", CAMPVAL__PHONE_FIXED_LINE},
        {"+73011234567", "RU", CAMPVAL__PHONE_FIXED_LINE},
        {"+77123456789", "KZ", CAMPVAL__PHONE_FIXED_LINE},
        {"+917410410123", "IN", CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE},
        {"+861012345678", "CN", CAMPVAL__PHONE_FIXED_LINE},
        {"+81312345678", "JP", CAMPVAL__PHONE_FIXED_LINE},
        {"+8222123456", "KR", CAMPVAL__PHONE_FIXED_LINE},
        {"+61212345678", "AU", CAMPVAL__PHONE_FIXED_LINE},
        {"+6432345678", "NZ", CAMPVAL__PHONE_FIXED_LINE},
        {"+551123456789", "BR", CAMPVAL__PHONE_FIXED_LINE},
        {"+522001234567", "MX", CAMPVAL__PHONE_FIXED_LINE},
        {"+541123456789", "AR", CAMPVAL__PHONE_FIXED_LINE},
        {"+27101234567", "ZA", CAMPVAL__PHONE_FIXED_LINE},
        {"+23418040123", "NG", CAMPVAL__PHONE_FIXED_LINE},
        {"+20234567890", "EG", CAMPVAL__PHONE_FIXED_LINE},
        {"+902123456789", "TR", CAMPVAL__PHONE_FIXED_LINE},
        {"+97221234567", "IL", CAMPVAL__PHONE_FIXED_LINE},
        {"+97122345678", "AE", CAMPVAL__PHONE_FIXED_LINE},
        {"+6561234567", "SG", CAMPVAL__PHONE_FIXED_LINE},
        {"+441534456789", "JE", CAMPVAL__PHONE_FIXED_LINE},
        {"+441481256789", "GG", CAMPVAL__PHONE_FIXED_LINE},
        {"+441624756789", "IM", CAMPVAL__PHONE_FIXED_LINE},
        {"+390669812345", "VA", CAMPVAL__PHONE_FIXED_LINE},
        {"+3780549886377", "SM", CAMPVAL__PHONE_FIXED_LINE},
        {"+590590201234", "GP", CAMPVAL__PHONE_FIXED_LINE},
        {"+590590271234", "BL", CAMPVAL__PHONE_FIXED_LINE},
        {"+17872345678", "PR", CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE},
        {"+18765230123", "JM", CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++)
        expect_valid(&ex[i]);
}

/* GetExampleNumberForType: every type some region has. */
Test(phone, every_number_type)
{
    static const struct example ex[] = {
        {"+441212345678", "GB", CAMPVAL__PHONE_FIXED_LINE},
        {"+447400123456", "GB", CAMPVAL__PHONE_MOBILE},
        {"+12015550123", "US", CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE},
        {"+18002345678", "US", CAMPVAL__PHONE_TOLL_FREE},
        {"+448001234567", "GB", CAMPVAL__PHONE_TOLL_FREE},
        {"+19005551234", "US", CAMPVAL__PHONE_PREMIUM_RATE},
        {"+449012345678", "GB", CAMPVAL__PHONE_PREMIUM_RATE},
        {"+4918012345", "DE", CAMPVAL__PHONE_SHARED_COST},
        {"+34901123456", "ES", CAMPVAL__PHONE_SHARED_COST},
        {"+16002012345", "CA", CAMPVAL__PHONE_VOIP},
        {"+33912345678", "FR", CAMPVAL__PHONE_VOIP},
        {"+15002345678", "US", CAMPVAL__PHONE_PERSONAL_NUMBER},
        {"+447012345678", "GB", CAMPVAL__PHONE_PERSONAL_NUMBER},
        {"+447640123456", "GB", CAMPVAL__PHONE_PAGER},
        {"+31662345678", "NL", CAMPVAL__PHONE_PAGER},
        {"+13101234", "CA", CAMPVAL__PHONE_UAN},
        {"+445512345678", "GB", CAMPVAL__PHONE_UAN},
        {"+49177991234567", "DE", CAMPVAL__PHONE_VOICEMAIL},
        {"+3933101234501", "IT", CAMPVAL__PHONE_VOICEMAIL},
        {"+41860123456789", "CH", CAMPVAL__PHONE_VOICEMAIL},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++)
        expect_valid(&ex[i]);
}

/* Calling codes of no country report the region "001". */
Test(phone, non_geographic_codes)
{
    static const struct example ex[] = {
        {"+80012345678", "001", CAMPVAL__PHONE_TOLL_FREE},
        {"+80812345678", "001", CAMPVAL__PHONE_SHARED_COST},
        {"+870301234567", "001", CAMPVAL__PHONE_MOBILE},
        {"+878101234567890", "001", CAMPVAL__PHONE_VOIP},
        {"+883510012345", "001", CAMPVAL__PHONE_VOIP},
        {"+88812345678901", "001", CAMPVAL__PHONE_UAN},
        {"+979123456789", "001", CAMPVAL__PHONE_PREMIUM_RATE},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++)
        expect_valid(&ex[i]);
}

Test(phone, not_parsable)
{
    /* too short to be a number; 999, 99 and 9 are no calling code; 1 with a one-digit rest */
    static const char *const numbers[] = {"+12", "+999123456789", "+99", "+12 ", "", "+", "+0123"};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        const campval__phone_info info = analyze(numbers[i], CAMPVAL__PHONE_WANT_ALL);
        cr_expect_eq(info.parsed, 0, "%s", numbers[i]);
        cr_expect_eq(info.rewritten, 0, "%s", numbers[i]);
        cr_expect_eq(info.possible, 0, "%s", numbers[i]);
        cr_expect_eq(info.valid, 0, "%s", numbers[i]);
        cr_expect_str_eq(info.region, "ZZ", "%s", numbers[i]);
        cr_expect_eq(info.type, CAMPVAL__PHONE_UNKNOWN, "%s", numbers[i]);
    }
}

Test(phone, impossible_lengths)
{
    static const struct {
        const char *number, *region;
    } ex[] = {
        {"+4419", "ZZ"},          /* two digits: no region of +44 takes them */
        {"+123", "ZZ"},
        {"+1201555012", "ZZ"},    /* nine digits in NANPA */
        {"+120155501234", "ZZ"},  /* eleven */
        {"+3312", "FR"},          /* a code with one region reports it even for junk */
        {"+88823456", "001"},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        const campval__phone_info info = analyze(ex[i].number, CAMPVAL__PHONE_WANT_ALL);
        cr_expect_eq(info.parsed, 1, "%s", ex[i].number);
        cr_expect_eq(info.possible, 0, "%s", ex[i].number);
        cr_expect_eq(info.valid, 0, "%s", ex[i].number);
        cr_expect_str_eq(info.region, ex[i].region, "%s", ex[i].number);
        cr_expect_eq(info.type, CAMPVAL__PHONE_UNKNOWN, "%s", ex[i].number);
    }
}

/* Possible is a length check only: a 10-digit NANPA number starting with 1 fits but is invalid. */
Test(phone, possible_but_invalid)
{
    const campval__phone_info info = analyze("+11201555012", CAMPVAL__PHONE_WANT_ALL);
    cr_expect_eq(info.parsed, 1);
    cr_expect_eq(info.possible, 1);
    cr_expect_eq(info.valid, 0);
    cr_expect_str_eq(info.region, "ZZ");
    cr_expect_eq(info.type, CAMPVAL__PHONE_UNKNOWN);
}

/* libphonenumber reads a national prefix after the calling code as such; phone.cc agrees and
   says so through rewritten. */
Test(phone, national_prefix_after_calling_code)
{
    static const struct example ex[] = {
        {"+4402012345678", "GB", CAMPVAL__PHONE_FIXED_LINE}, /* +44 20 1234 5678 */
        {"+789123456789", "RU", CAMPVAL__PHONE_MOBILE},      /* +7 912 345-67-89 */
        {"+610412345678", "AU", CAMPVAL__PHONE_MOBILE},      /* +61 412 345 678 */
        {"+378812345", "SM", CAMPVAL__PHONE_FIXED_LINE},     /* +378 0549 812345 */
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        const campval__phone_info info = analyze(ex[i].number, CAMPVAL__PHONE_WANT_ALL);
        cr_expect_eq(info.parsed, 1, "%s", ex[i].number);
        cr_expect_eq(info.rewritten, 1, "%s", ex[i].number);
        cr_expect_eq(info.valid, 1, "%s", ex[i].number);
        cr_expect_str_eq(info.region, ex[i].region, "%s", ex[i].number);
        cr_expect_eq(info.type, ex[i].type, "%s", ex[i].number);
    }
    cr_expect_eq(analyze("+4420123456789", CAMPVAL__PHONE_WANT_VALID).rewritten, 0);
}

Test(phone, only_what_is_asked_is_filled)
{
    campval__phone_info info = analyze("+12015550123", CAMPVAL__PHONE_WANT_POSSIBLE);
    cr_expect_eq(info.parsed, 1);
    cr_expect_eq(info.possible, 1);
    cr_expect_eq(info.valid, -1);
    cr_expect_str_eq(info.region, "");
    cr_expect_eq(info.type, -1);

    info = analyze("+12015550123", CAMPVAL__PHONE_WANT_VALID | CAMPVAL__PHONE_WANT_REGION);
    cr_expect_eq(info.possible, -1);
    cr_expect_eq(info.valid, 1);
    cr_expect_str_eq(info.region, "US");
    cr_expect_eq(info.type, -1);

    info = analyze("+12015550123", CAMPVAL__PHONE_WANT_TYPE);
    cr_expect_eq(info.valid, -1);
    cr_expect_eq(info.type, CAMPVAL__PHONE_FIXED_LINE_OR_MOBILE);

    info = analyze("+12015550123", 0);
    cr_expect_eq(info.parsed, 1);
    cr_expect_eq(info.possible, -1);
    cr_expect_eq(info.valid, -1);
}

Test(phone, length_not_terminator)
{
    static const char buf[] = "+12015550123999";
    campval__phone_info info;
    cr_assert_eq(campval__phone_analyze(buf, 12, CAMPVAL__PHONE_WANT_ALL, &info), 0);
    cr_expect_eq(info.valid, 1);
    cr_expect_str_eq(info.region, "US");
    cr_assert_eq(campval__phone_analyze(buf, 15, CAMPVAL__PHONE_WANT_ALL, &info), 0);
    cr_expect_eq(info.possible, 0);
}

/* Input that is not E.164-shaped still gets libphonenumber's verdict, through Parse. */
Test(phone, other_shapes_go_to_parse)
{
    campval__phone_info info = analyze("+1 201-555-0123", CAMPVAL__PHONE_WANT_ALL);
    cr_expect_eq(info.parsed, 1);
    cr_expect_eq(info.rewritten, 1);
    cr_expect_eq(info.valid, 1);
    cr_expect_str_eq(info.region, "US");

    info = analyze("2015550123", CAMPVAL__PHONE_WANT_ALL); /* no default region */
    cr_expect_eq(info.parsed, 0);
}

Test(phone, bad_arguments)
{
    campval__phone_info info;
    cr_expect_eq(campval__phone_analyze("+12015550123", 12, CAMPVAL__PHONE_WANT_ALL, NULL), -1);
    cr_expect_eq(campval__phone_analyze(NULL, 3, CAMPVAL__PHONE_WANT_ALL, &info), -1);
    cr_expect_eq(campval__phone_analyze(NULL, 0, CAMPVAL__PHONE_WANT_ALL, &info), 0);
    cr_expect_eq(info.parsed, 0);
}

Test(phone, region_known)
{
    static const char *const known[] = {"US", "GB", "DE", "AC", "TA", "XK", "VA", "SJ"};
    static const char *const unknown[] = {"ZZ", "UK", "us", "001", "U", "", "XX", "EU"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        cr_expect_eq(campval__phone_region_known(known[i], strlen(known[i])), 1, "%s", known[i]);
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        cr_expect_eq(campval__phone_region_known(unknown[i], strlen(unknown[i])), 0, "%s", unknown[i]);
    cr_expect_eq(campval__phone_region_known("USA", 2), 1);
    cr_expect_eq(campval__phone_region_known(NULL, 2), 0);
}

Test(phone, type_names_round_trip)
{
    for (int t = 0; t < CAMPVAL__PHONE_TYPE_COUNT; t++) {
        const char *name = campval__phone_type_name(t);
        cr_assert_not_null(name, "type %d", t);
        cr_expect_eq(campval__phone_type_lookup(name, strlen(name)), t, "%s", name);
    }
    cr_expect_str_eq(campval__phone_type_name(CAMPVAL__PHONE_MOBILE), "mobile");
    cr_expect_str_eq(campval__phone_type_name(CAMPVAL__PHONE_UNKNOWN), "unknown");
    cr_expect_null(campval__phone_type_name(-1));
    cr_expect_null(campval__phone_type_name(CAMPVAL__PHONE_TYPE_COUNT));
    cr_expect_eq(campval__phone_type_lookup("Mobile", 6), -1);
    cr_expect_eq(campval__phone_type_lookup("mobile", 3), -1);
    cr_expect_eq(campval__phone_type_lookup("mobile!", 6), CAMPVAL__PHONE_MOBILE);
    cr_expect_eq(campval__phone_type_lookup("toll-free", 9), -1);
    cr_expect_eq(campval__phone_type_lookup(NULL, 0), -1);
}

/* Each Criterion test runs in a fresh process, so these threads also race the first-use build. */
static void *analyze_many(void *arg)
{
    (void)arg;
    static const char *const numbers[] = {"+12015550123", "+447400123456", "+789123456789", "+4419"};
    static const int valid[] = {1, 1, 1, 0};
    for (int round = 0; round < 200; round++)
        for (size_t i = 0; i < 4; i++) {
            campval__phone_info info;
            if (campval__phone_analyze(numbers[i], strlen(numbers[i]), CAMPVAL__PHONE_WANT_ALL, &info) != 0 ||
                info.valid != valid[i])
                return (void *)1;
        }
    return NULL;
}

Test(phone, threads_share_the_tables)
{
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, analyze_many, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *res;
        cr_assert_eq(pthread_join(th[i], &res), 0);
        cr_expect_null(res, "thread %d", i);
    }
}
