/*
 * phone-bench.cc — cost per number of plain libphonenumber against campval__phone_analyze.
 *
 * Build and run from the repository root (one core is enough):
 *   g++ -std=c++17 -O2 -Isrc -c src/phone.cc -o /tmp/phone.o
 *   g++ -std=c++17 -O2 -Isrc scripts/phone-bench.cc /tmp/phone.o -lphonenumber -lprotobuf \
 *       -o /tmp/phone-bench && /tmp/phone-bench
 *
 * Two mixes of E.164 strings, each 10% invalid (random digits of a plausible length):
 *   world: mobile and fixed-line numbers of every region libphonenumber knows, evenly;
 *   us:    North American numbers only (calling code 1, 25 regions sharing it).
 * Valid numbers are libphonenumber's examples with the last three digits drawn at random, so
 * some of them are invalid too. "before" is the straightforward use of the library for the
 * same answers (Parse with region "ZZ", then the one to four questions); "after" is
 * campval__phone_analyze with the matching CAMPVAL__PHONE_WANT_* bits. Thread CPU time, best of
 * five alternating runs.
 */
#include "phone.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <time.h>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

uint64_t state = 42;
unsigned below(unsigned n)
{
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<unsigned>((state >> 33) % n);
}

std::vector<std::string> make_mix(const std::vector<std::string> &regions, size_t count)
{
    const PhoneNumberUtil &u = *PhoneNumberUtil::GetInstance();
    std::vector<std::string> out;
    while (out.size() < count) {
        const std::string &r = regions[below(static_cast<unsigned>(regions.size()))];
        PhoneNumber n;
        const auto type = below(2) ? PhoneNumberUtil::MOBILE : PhoneNumberUtil::FIXED_LINE;
        if (!u.GetExampleNumberForType(r, type, &n))
            continue;
        std::string s;
        u.Format(n, PhoneNumberUtil::E164, &s);
        if (below(10) == 0) {
            const size_t keep = 1 + std::to_string(n.country_code()).size();
            s.resize(keep);
            for (unsigned i = 0, len = 4 + below(9); i < len && s.size() < 16; i++)
                s += static_cast<char>('0' + below(10));
        } else {
            for (size_t i = s.size() - 3; i < s.size(); i++)
                s[i] = static_cast<char>('0' + below(10));
        }
        out.push_back(s);
    }
    return out;
}

/* Thread CPU time, not wall time: the machines this runs on are shared. */
double cpu_ns()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

volatile int sink;

double ns_per_number(const std::vector<std::string> &mix, const std::function<int(const std::string &)> &f)
{
    const double t0 = cpu_ns();
    int acc = 0;
    for (const std::string &s : mix)
        acc += f(s);
    sink = sink + acc;
    return (cpu_ns() - t0) / static_cast<double>(mix.size());
}

void bench(const char *name, const std::vector<std::string> &mix)
{
    const PhoneNumberUtil &u = *PhoneNumberUtil::GetInstance();
    const auto plain_all = [&u](const std::string &s) {
        PhoneNumber n;
        if (u.Parse(s, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
            return 0;
        std::string region;
        u.GetRegionCodeForNumber(n, &region);
        return u.IsPossibleNumber(n) + u.IsValidNumber(n) + static_cast<int>(u.GetNumberType(n)) + region[0];
    };
    const auto plain_valid = [&u](const std::string &s) {
        PhoneNumber n;
        return u.Parse(s, "ZZ", &n) == PhoneNumberUtil::NO_PARSING_ERROR && u.IsValidNumber(n);
    };
    const auto plain_valid_region = [&u](const std::string &s) {
        PhoneNumber n;
        if (u.Parse(s, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
            return 0;
        std::string region;
        u.GetRegionCodeForNumber(n, &region);
        return u.IsValidNumber(n) + region[0];
    };
    const auto plain_possible = [&u](const std::string &s) {
        PhoneNumber n;
        return u.Parse(s, "ZZ", &n) == PhoneNumberUtil::NO_PARSING_ERROR && u.IsPossibleNumber(n);
    };
    const auto ours = [](unsigned what) {
        return [what](const std::string &s) {
            campval__phone_info info;
            campval__phone_analyze(s.data(), s.size(), what, &info);
            return info.possible + info.valid + info.type + info.region[0];
        };
    };
    struct row {
        const char *what;
        std::function<int(const std::string &)> before, after;
    } rows[] = {
        {"all four answers", plain_all, ours(CAMPVAL__PHONE_WANT_ALL)},
        {"valid + region", plain_valid_region, ours(CAMPVAL__PHONE_WANT_VALID | CAMPVAL__PHONE_WANT_REGION)},
        {"valid only", plain_valid, ours(CAMPVAL__PHONE_WANT_VALID)},
        {"possible only", plain_possible, ours(CAMPVAL__PHONE_WANT_POSSIBLE)},
    };
    for (const row &r : rows) {
        double before = 1e30, after = 1e30;
        for (int run = 0; run < 5; run++) { /* alternate, so drift hits both sides */
            before = std::min(before, ns_per_number(mix, r.before));
            after = std::min(after, ns_per_number(mix, r.after));
        }
        std::printf("%-6s %-17s before %7.0f ns/number   after %7.0f ns/number   x%.1f\n", name, r.what,
                    before, after, before / after);
    }
}

} // namespace

int main()
{
    const PhoneNumberUtil &u = *PhoneNumberUtil::GetInstance();
    std::set<std::string> supported;
    u.GetSupportedRegions(&supported);
    const std::vector<std::string> world(supported.begin(), supported.end());
    std::vector<std::string> nanpa;
    for (const std::string &r : world)
        if (u.GetCountryCodeForRegion(r) == 1)
            nanpa.push_back(r);

    /* warm both paths: regex caches, the tables built on first use */
    campval__phone_info info;
    campval__phone_analyze("+12015550123", 12, CAMPVAL__PHONE_WANT_ALL, &info);
    const std::vector<std::string> mixes[2] = {make_mix(world, 20000), make_mix(nanpa, 20000)};
    for (const std::string &s : mixes[0])
        campval__phone_analyze(s.data(), s.size(), CAMPVAL__PHONE_WANT_ALL, &info);

    bench("world", mixes[0]);
    bench("us", mixes[1]);
    return 0;
}
