/*
 * test_phone_diff.cc — campval__phone_analyze against plain libphonenumber, field by field.
 *
 * phone.cc answers most E.164 numbers without Parse and skips calls it can predict; this test
 * is the evidence that no verdict changes. The reference is the obvious use of the library:
 * Parse(s, "ZZ"), then IsPossibleNumber, IsValidNumber, GetRegionCodeForNumber, GetNumberType.
 *
 * Inputs, all from a fixed-seed generator so a failure reproduces:
 *   - every "+" and 2 to 4 digits (the viability and short-number edges, exhaustively);
 *   - every calling code 1..999 with every national length that keeps 15 digits in all,
 *     16 numbers each, the first ten starting with each digit 0-9 (national-prefix stripping
 *     depends on the first digit);
 *   - libphonenumber's example numbers for every region, non-geographic code and type, valid
 *     and invalid, plus variants: random last digits, one digit more or less, and national
 *     prefixes inserted after the calling code ("+7 8 ...", "+44 0 ...", "+378 8...");
 *   - the same examples in INTERNATIONAL and RFC 3966 formatting, which take the Parse route.
 * rewritten is compared with Format(E164) != input. Each input is checked with what = ALL and with one of the fifteen smaller sets, so every
 * branch of "compute only what is asked" is compared too. Two threads share the work from a
 * cold start, which also exercises the one-time table build under contention.
 *
 * Exit status 0 when everything matches; otherwise the first mismatches are printed.
 */
#include "phone.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <list>
#include <set>
#include <string>
#include <thread>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

struct rng {
    uint64_t s;
    uint64_t next()
    {
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
    char digit() { return static_cast<char>('0' + below(10)); }
};

struct reference {
    int parsed, rewritten, possible, valid, type;
    std::string region;
    std::string e164; /* Format(E164) of what Parse read */
};

reference plain(const PhoneNumberUtil &u, const std::string &s)
{
    reference r;
    PhoneNumber n;
    if (u.Parse(s, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
        return {0, 0, 0, 0, CAMPVAL__PHONE_UNKNOWN, "ZZ", ""};
    r.parsed = 1;
    std::string canonical;
    u.Format(n, PhoneNumberUtil::E164, &canonical);
    r.rewritten = canonical != s;
    r.e164 = canonical;
    r.possible = u.IsPossibleNumber(n);
    r.valid = u.IsValidNumber(n);
    u.GetRegionCodeForNumber(n, &r.region);
    r.type = u.GetNumberType(n);
    return r;
}

std::string e164(const PhoneNumberUtil &u, const PhoneNumber &n,
                 PhoneNumberUtil::PhoneNumberFormat f = PhoneNumberUtil::E164)
{
    std::string s;
    u.Format(n, f, &s);
    return s;
}

/* Splits "+CCNNN" into calling code and national digits using the parsed number. */
void add_variants(const PhoneNumberUtil &u, const PhoneNumber &n, rng *g, std::vector<std::string> *out)
{
    const std::string full = e164(u, n);
    const std::string cc = "+" + std::to_string(n.country_code());
    if (full.compare(0, cc.size(), cc) != 0)
        return;
    const std::string nsn = full.substr(cc.size());
    out->push_back(full);
    out->push_back(e164(u, n, PhoneNumberUtil::INTERNATIONAL));
    out->push_back(e164(u, n, PhoneNumberUtil::RFC3966));
    for (size_t k = 1; k <= 4 && k < nsn.size(); k++)
        for (int rep = 0; rep < 6; rep++) {
            std::string v = nsn;
            for (size_t i = v.size() - k; i < v.size(); i++)
                v[i] = g->digit();
            out->push_back(cc + v);
        }
    if (nsn.size() > 1)
        out->push_back(cc + nsn.substr(0, nsn.size() - 1));
    out->push_back(cc + nsn + g->digit());
    static const char *const prefixes[] = {"0", "1", "8", "9", "00", "01", "06", "10", "15", "80", "90"};
    for (const char *p : prefixes)
        out->push_back(cc + p + nsn);
}

std::vector<std::string> generate()
{
    const PhoneNumberUtil &u = *PhoneNumberUtil::GetInstance();
    rng g{20240611};
    std::vector<std::string> v;

    for (int len = 2; len <= 4; len++) {
        int lo = 1;
        for (int i = 1; i < len; i++)
            lo *= 10;
        for (int x = lo; x < lo * 10; x++)
            v.push_back("+" + std::to_string(x));
    }

    for (int cc = 1; cc <= 999; cc++) {
        const std::string head = "+" + std::to_string(cc);
        const size_t cc_len = head.size() - 1;
        for (size_t d = 1; cc_len + d <= 15; d++)
            for (int k = 0; k < 16; k++) {
                std::string s = head;
                for (size_t i = 0; i < d; i++)
                    s += g.digit();
                if (k < 10)
                    s[cc_len + 1] = static_cast<char>('0' + k);
                v.push_back(s);
            }
    }

    /* National-prefix stripping and transforms depend on the first digits: every calling code
       that has regions, each two-digit start, three lengths. */
    for (int cc = 1; cc <= 999; cc++) {
        std::list<std::string> codes;
        u.GetRegionCodesForCountryCallingCode(cc, &codes);
        if (codes.empty())
            continue;
        const std::string head = "+" + std::to_string(cc);
        for (int start = 0; start < 100; start++)
            for (int rep = 0; rep < 3; rep++) {
                std::string s = head;
                s += static_cast<char>('0' + start / 10);
                s += static_cast<char>('0' + start % 10);
                const size_t d = 1 + g.below(static_cast<unsigned>(15 - head.size()));
                for (size_t i = 2; i < d; i++)
                    s += g.digit();
                v.push_back(s);
            }
    }

    std::vector<PhoneNumber> examples;
    std::set<std::string> regions;
    u.GetSupportedRegions(&regions);
    for (const std::string &r : regions) {
        PhoneNumber n;
        if (u.GetExampleNumber(r, &n))
            examples.push_back(n);
        if (u.GetInvalidExampleNumber(r, &n))
            examples.push_back(n);
        for (int t = 0; t < CAMPVAL__PHONE_UNKNOWN; t++)
            if (u.GetExampleNumberForType(r, static_cast<PhoneNumberUtil::PhoneNumberType>(t), &n))
                examples.push_back(n);
    }
    std::set<int> global;
    u.GetSupportedGlobalNetworkCallingCodes(&global);
    for (int cc : global) {
        PhoneNumber n;
        if (u.GetExampleNumberForNonGeoEntity(cc, &n))
            examples.push_back(n);
    }
    for (int t = 0; t < CAMPVAL__PHONE_UNKNOWN; t++) {
        PhoneNumber n;
        if (u.GetExampleNumberForType(static_cast<PhoneNumberUtil::PhoneNumberType>(t), &n))
            examples.push_back(n);
    }
    for (const PhoneNumber &n : examples)
        add_variants(u, n, &g, &v);

    /* Shapes the direct way refuses and hands to Parse. */
    for (const char *s : {"", "+", "+0", "+01234567", "1234567", "+1 (201) 555-0123", "++12015550123",
                          "+1201555012x3", "+12015550123;ext=7", "+１２０１５５５０１２３",
                          "+1234567890123456", "+44 7400 123456 ext. 12", "tel:+44-20-7946-0958"})
        v.push_back(s);
    return v;
}

std::atomic<long> mismatches{0};

void report(const std::string &s, unsigned what, const reference &r, const campval__phone_info &a, int rc)
{
    if (mismatches.fetch_add(1) >= 20)
        return;
    std::fprintf(stderr,
                 "MISMATCH %s what=%u rc=%d: ref parsed=%d rewritten=%d possible=%d valid=%d region=%s "
                 "type=%d e164=%s | got parsed=%d rewritten=%d possible=%d valid=%d region=%s type=%d e164=%s\n",
                 s.c_str(), what, rc, r.parsed, r.rewritten, r.possible, r.valid, r.region.c_str(),
                 r.type, r.e164.c_str(), a.parsed, a.rewritten, a.possible, a.valid, a.region, a.type, a.e164);
}

bool same(const reference &r, unsigned what, const campval__phone_info &a)
{
    if (a.parsed != r.parsed || a.rewritten != r.rewritten)
        return false;
    /* the E.164 form, when it fits the field */
    if (std::strcmp(a.e164, r.parsed && r.e164.size() < sizeof a.e164 ? r.e164.c_str() : "") != 0)
        return false;
    if (a.possible != ((what & CAMPVAL__PHONE_WANT_POSSIBLE) ? r.possible : -1))
        return false;
    if (a.valid != ((what & CAMPVAL__PHONE_WANT_VALID) ? r.valid : -1))
        return false;
    if (a.type != ((what & CAMPVAL__PHONE_WANT_TYPE) ? r.type : -1))
        return false;
    return std::strcmp(a.region, (what & CAMPVAL__PHONE_WANT_REGION) ? r.region.c_str() : "") == 0;
}

struct tally {
    long parsed = 0, possible = 0, valid = 0, rewritten_e164 = 0, kept = 0;
};

void check_range(const std::vector<std::string> &v, size_t from, size_t to, tally *t)
{
    const PhoneNumberUtil &u = *PhoneNumberUtil::GetInstance();
    const uint16_t *routes = campval__phone_routes();
    if (!routes && mismatches.fetch_add(1) < 20)
        std::fprintf(stderr, "campval__phone_routes gave no table\n");
    for (size_t i = from; i < to; i++) {
        const std::string &s = v[i];
        const reference r = plain(u, s);
        t->parsed += r.parsed;
        t->possible += r.possible;
        t->valid += r.valid;
        /* E.164-shaped yet rewritten: Parse stripped or replaced a national prefix */
        t->rewritten_e164 += r.rewritten && s.find_first_not_of("+0123456789") == std::string::npos;
        const unsigned whats[2] = {CAMPVAL__PHONE_WANT_ALL, 1u + static_cast<unsigned>(i % 15)};
        for (unsigned what : whats) {
            campval__phone_info a;
            const int rc = campval__phone_analyze(s.data(), s.size(), what, &a);
            if (rc != 0 || !same(r, what, a))
                report(s, what, r, a, rc);
        }
        /* campval__phone_e164, the canonical form the preflight checks compare */
        char canon[20];
        const size_t n = campval__phone_e164(s.data(), s.size(), canon);
        const std::string want = r.parsed && r.e164.size() < sizeof canon ? r.e164 : "";
        if (std::string(canon, n) != want && mismatches.fetch_add(1) < 20)
            std::fprintf(stderr, "MISMATCH %s: campval__phone_e164 gave \"%.*s\", Parse reads %s\n",
                         s.c_str(), static_cast<int>(n), canon, want.c_str());
        /* campval__phone_kept, the preflight checks' shortcut past campval__phone_e164: when
           it vouches for a number, Parse keeps it as written or reads nothing */
        const bool e164_shaped = s.size() >= 3 && s.size() <= 16 && s[0] == '+' && s[1] >= '1' &&
                                 s[1] <= '9' &&
                                 s.find_first_not_of("0123456789", 1) == std::string::npos;
        if (e164_shaped && routes && campval__phone_kept(routes, s.data(), s.size())) {
            t->kept++;
            if (!(want.empty() || want == s) && mismatches.fetch_add(1) < 20)
                std::fprintf(stderr, "MISMATCH %s: campval__phone_kept vouches for it, Parse reads %s\n",
                             s.c_str(), want.c_str());
        }
    }
}

} // namespace

int main()
{
    const std::vector<std::string> v = generate();
    tally t[2];
    const size_t half = v.size() / 2;
    std::thread a(check_range, std::cref(v), size_t{0}, half, &t[0]);
    std::thread b(check_range, std::cref(v), half, v.size(), &t[1]);
    a.join();
    b.join();
    std::printf("%zu numbers, %zu comparisons: %ld parsed, %ld possible, %ld valid, "
                "%ld digit strings rewritten by Parse (national prefix), %ld kept by campval__phone_kept; "
                "%ld mismatches\n",
                v.size(), 2 * v.size(), t[0].parsed + t[1].parsed, t[0].possible + t[1].possible,
                t[0].valid + t[1].valid, t[0].rewritten_e164 + t[1].rewritten_e164, t[0].kept + t[1].kept,
                mismatches.load());
    return mismatches.load() == 0 ? 0 : 1;
}
