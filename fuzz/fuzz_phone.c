/*
 * fuzz_phone — campval__phone_analyze on strings that pass the e164 format (built only with
 * libphonenumber).
 *
 * The input's digits make the number: "+44 20 7946 0958" and "44207946095" both become
 * +442079460958, so dictionary entries and real numbers in the corpus stay meaningful. Leading
 * zeros are dropped and at most 15 digits kept; the result must pass the e164 format.
 *
 * Invariants beyond "no crash": every verdict is in range and the "not parsed" verdicts read
 * "no"; a valid number is possible and has a type, an invalid one has none; a two-letter region
 * is one libphonenumber knows; and asking for any subset of the verdicts gives the same answers
 * as asking for all of them (the shim computes only what is asked, by different paths), with the
 * fields not asked for left at -1 / "". campval__phone_e164 agrees with analyze's E.164 form.
 */
#include "format.h"
#include "fuzz.h"
#include "phone.h"

#define MAX_INPUT 256u

static void check_all(const char *num, const campval__phone_info *all)
{
    FUZZ_CHECK(all->parsed == 0 || all->parsed == 1, "%s: parsed %d", num, all->parsed);
    FUZZ_CHECK(all->rewritten == 0 || all->rewritten == all->parsed, "%s: rewritten %d", num,
               all->rewritten);
    FUZZ_CHECK((all->possible == 0 || all->possible == 1) && (all->valid == 0 || all->valid == 1),
               "%s: possible %d valid %d", num, all->possible, all->valid);
    FUZZ_CHECK(all->type >= 0 && all->type < CAMPVAL__PHONE_TYPE_COUNT &&
                   campval__phone_type_name(all->type) != NULL,
               "%s: type %d", num, all->type);
    size_t rl = fuzz_strnlen(all->region, sizeof all->region);
    const char *r = all->region;
    bool letters = rl == 2 && r[0] >= 'A' && r[0] <= 'Z' && r[1] >= 'A' && r[1] <= 'Z';
    FUZZ_CHECK(letters || strcmp(r, "001") == 0, "%s: region \"%.4s\"", num, r);
    if (letters && strcmp(r, "ZZ") != 0)
        FUZZ_CHECK(campval__phone_region_known(r, 2) == 1, "%s: unknown region %s", num, r);
    if (!all->parsed)
        FUZZ_CHECK(!all->possible && !all->valid && strcmp(r, "ZZ") == 0 &&
                       all->type == CAMPVAL__PHONE_UNKNOWN,
                   "%s: not parsed, yet possible %d valid %d region %s type %d", num,
                   all->possible, all->valid, r, all->type);
    FUZZ_CHECK(!all->valid || all->possible, "%s: valid but not possible", num);
    FUZZ_CHECK(all->valid == (all->type != CAMPVAL__PHONE_UNKNOWN), "%s: valid %d, type %s", num,
               all->valid, campval__phone_type_name(all->type));
}

static void check_subset(const char *num, size_t n, unsigned want, const campval__phone_info *all)
{
    campval__phone_info p;
    memset(&p, 0x5A, sizeof p);
    FUZZ_CHECK(campval__phone_analyze(num, n, want, &p) == 0, "%s: analyze(%u) failed", num, want);
    FUZZ_CHECK(p.parsed == all->parsed && p.rewritten == all->rewritten,
               "%s: want %u gives parsed %d rewritten %d, want all %d %d", num, want, p.parsed,
               p.rewritten, all->parsed, all->rewritten);
    FUZZ_CHECK(p.possible == (want & CAMPVAL__PHONE_WANT_POSSIBLE ? all->possible : -1),
               "%s: want %u gives possible %d (all: %d)", num, want, p.possible, all->possible);
    FUZZ_CHECK(p.valid == (want & CAMPVAL__PHONE_WANT_VALID ? all->valid : -1),
               "%s: want %u gives valid %d (all: %d)", num, want, p.valid, all->valid);
    FUZZ_CHECK(p.type == (want & CAMPVAL__PHONE_WANT_TYPE ? all->type : -1),
               "%s: want %u gives type %d (all: %d)", num, want, p.type, all->type);
    const char *want_region = want & CAMPVAL__PHONE_WANT_REGION ? all->region : "";
    FUZZ_CHECK(fuzz_strnlen(p.region, sizeof p.region) < sizeof p.region &&
                   strcmp(p.region, want_region) == 0,
               "%s: want %u gives region \"%.4s\" (all: %s)", num, want, p.region, all->region);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char num[17];
    size_t n = 1;
    num[0] = '+';
    for (size_t i = 0; i < size && n < 16; i++) {
        if (data[i] < '0' || data[i] > '9' || (n == 1 && data[i] == '0'))
            continue;
        num[n++] = (char)data[i];
    }
    num[n] = '\0';
    if (n < 3)
        return 0;
    FUZZ_CHECK(campval__format_check(CAMPVAL__FMT_E164, num, n) == 1, "%s fails e164", num);

    campval__phone_info all;
    FUZZ_CHECK(campval__phone_analyze(num, n, CAMPVAL__PHONE_WANT_ALL, &all) == 0,
               "%s: analyze failed", num);
    check_all(num, &all);
    for (unsigned want = 1; want < CAMPVAL__PHONE_WANT_ALL; want++)
        check_subset(num, n, want, &all);

    /* The canonical form the preflight checks compare (through the direct way, the replayed
     * national-prefix step or Parse) is analyze's E.164 form. (It need not read back
     * unchanged: Parse strips one national prefix per reading, "+1 1 1 202..." twice.) */
    char canon[20];
    size_t cn = campval__phone_e164(num, n, canon);
    FUZZ_CHECK(cn == fuzz_strnlen(all.e164, sizeof all.e164) && memcmp(canon, all.e164, cn) == 0,
               "%s: campval__phone_e164 gives \"%.*s\", analyze \"%s\"", num, (int)cn, canon,
               all.e164);
    return 0;
}
