/*
 * phone.cc — campval__phone_* over libphonenumber (see phone.h).
 *
 * Plain libphonenumber spends most of its microseconds per number in Parse, which runs a dozen
 * generic regular expressions (viability, extensions, punctuation, plus signs) that can match
 * nothing in a string of the shape +[1-9][0-9]{2,14}. For such a string this file reads the
 * calling code the way Parse does and builds the PhoneNumber itself, then asks libphonenumber
 * only the questions the caller needs, each once. The single calling-code-specific step of Parse
 * is national-prefix stripping ("+7 8 912 345 67 89" is read as +7 912 345 67 89, "+378 812345"
 * as +378 0549 812345), so a number goes the direct way only when its calling code's prefix
 * pattern cannot match its first digit; everything else still goes through Parse.
 *
 * Every shortcut is backed by a table built on first use from the installed libphonenumber,
 * never from a list written here, so verdicts follow library updates. tests/test_phone_diff.cc
 * compares every field with plain libphonenumber over about 280,000 numbers.
 */
#include "phone.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <cstring>
#include <list>
#include <set>
#include <string>

/*
 * The metadata PhoneNumberUtil itself loads, as serialized bytes. The shared library exports
 * these two functions but declares them in metadata.h, which is not installed; they are weak so
 * that a libphonenumber without them still links and merely never takes the direct way.
 */
namespace i18n {
namespace phonenumbers {
int metadata_size() __attribute__((weak));
const void *metadata_get() __attribute__((weak));
} // namespace phonenumbers
} // namespace i18n

namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

#define CHECK_TYPE(id, name)                                                                      \
    static_assert(static_cast<int>(PhoneNumberUtil::id) == CAMPVAL__PHONE_##id,                  \
                  "enum campval__phone_type must follow PhoneNumberType");
CAMPVAL__PHONE_TYPE_LIST(CHECK_TYPE)
#undef CHECK_TYPE

constexpr int max_calling_code = 999;
constexpr unsigned all_digits = 0x3FFu;
/* Parse refuses national numbers longer than this (kMaxLengthForNsn); length masks stop here. */
constexpr size_t max_nsn = 17;
constexpr uint32_t all_lengths = (1u << (max_nsn + 1)) - 1;

struct calling_code {
    bool known;               /* Parse's ExtractCountryCode accepts it */
    bool direct;              /* metadata was read: numbers may skip Parse */
    bool shared;              /* several regions: the region needs libphonenumber's lookup */
    char region[4];           /* the main region, "001" for non-geographic codes */
    uint16_t prefix_digits;   /* bit d: a national-prefix match may start with digit d */
    uint32_t possible_len;    /* bit n: IsPossibleNumber for an n-digit national number */
    uint32_t matchable_len;   /* bit n: some region's general description allows n digits */
};

struct tables {
    calling_code cc[max_calling_code + 1];
    unsigned char regions[(26 * 26 + 7) / 8]; /* bitmap of the supported codes "AA".."ZZ" */
    /* Regions without leading digits: when a calling code is shared, GetRegionCodeForNumber
       picks such a region only after the number matched one of its types, i.e. is valid. */
    unsigned char picked_when_valid[(26 * 26 + 7) / 8];
};

bool bit(uint32_t mask, size_t n) { return n <= max_nsn && ((mask >> n) & 1u) != 0; }

bool is_region_code(const char *r, size_t len)
{
    return len == 2 && r[0] >= 'A' && r[0] <= 'Z' && r[1] >= 'A' && r[1] <= 'Z';
}

int region_index(const char *r) { return (r[0] - 'A') * 26 + (r[1] - 'A'); }

void set_region_bit(unsigned char *map, const std::string &r)
{
    if (is_region_code(r.data(), r.size()))
        map[region_index(r.data()) / 8] |= static_cast<unsigned char>(1u << (region_index(r.data()) % 8));
}

bool region_bit(const unsigned char *map, const char *r, size_t len)
{
    return is_region_code(r, len) && ((map[region_index(r) / 8] >> (region_index(r) % 8)) & 1u) != 0;
}

/*
 * The digits a non-empty match of a national-prefix-for-parsing pattern can start with.
 * Parse changes a number only when that pattern matches a non-empty prefix of it (a transform
 * needs a non-empty capture, plain stripping removes the match), so a number whose first digit
 * is outside this set reads the same with and without Parse. The patterns are small ICU regexes
 * from the metadata ("0", "1|([2-9]\d{6})$", "0?(?:(11|2(?:...))15)?"); on any construct this
 * reader does not know it answers "every digit", which only costs speed.
 */
class prefix_reader {
public:
    explicit prefix_reader(const std::string &re) : p_(re.data()), end_(re.data() + re.size()) {}

    unsigned first_digits()
    {
        const set s = alternation(0);
        return (failed_ || p_ != end_) ? all_digits : s.digits;
    }

private:
    struct set {
        unsigned digits;
        bool nullable;
    };

    set fail()
    {
        failed_ = true;
        p_ = end_;
        return {all_digits, true};
    }

    set alternation(int depth)
    {
        if (depth > 16)
            return fail();
        set s = sequence(depth);
        while (p_ < end_ && *p_ == '|') {
            ++p_;
            const set t = sequence(depth);
            s.digits |= t.digits;
            s.nullable = s.nullable || t.nullable;
        }
        return s;
    }

    set sequence(int depth)
    {
        set acc = {0, true};
        while (p_ < end_ && *p_ != '|' && *p_ != ')') {
            set a = atom(depth);
            quantifier(&a);
            if (acc.nullable)
                acc.digits |= a.digits;
            acc.nullable = acc.nullable && a.nullable;
        }
        return acc;
    }

    set atom(int depth)
    {
        const char c = *p_++;
        switch (c) {
        case '(':
            if (p_ < end_ && *p_ == '?') {
                if (end_ - p_ < 2 || p_[1] != ':')
                    return fail(); /* lookaround, flags, named groups */
                p_ += 2;
            }
            {
                const set s = alternation(depth + 1);
                if (p_ >= end_ || *p_ != ')')
                    return fail();
                ++p_;
                return s;
            }
        case '[':
            return {bracket(), false};
        case '\\':
            if (p_ < end_ && *p_ == 'd') {
                ++p_;
                return {all_digits, false};
            }
            return fail();
        case '.':
            return {all_digits, false};
        case '^':
        case '$':
            return {0, true};
        case '*': case '+': case '?': case '{': case '}': case ']':
            return fail();
        default:
            if (c >= '0' && c <= '9')
                return {1u << (c - '0'), false};
            return {0, false}; /* a literal that is not a digit never starts a match on digits */
        }
    }

    void quantifier(set *a)
    {
        while (p_ < end_) {
            if (*p_ == '?' || *p_ == '*') {
                a->nullable = true;
                ++p_;
            } else if (*p_ == '+') {
                ++p_;
            } else if (*p_ == '{') {
                ++p_;
                if (p_ >= end_ || *p_ < '0' || *p_ > '9') {
                    fail();
                    return;
                }
                if (*p_ == '0' && (p_ + 1 >= end_ || p_[1] < '0' || p_[1] > '9'))
                    a->nullable = true;
                while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == ','))
                    ++p_;
                if (p_ >= end_ || *p_ != '}') {
                    fail();
                    return;
                }
                ++p_;
            } else {
                return;
            }
        }
    }

    unsigned bracket()
    {
        bool negated = false;
        if (p_ < end_ && *p_ == '^') {
            negated = true;
            ++p_;
        }
        unsigned m = 0;
        for (bool first = true;; first = false) {
            if (p_ >= end_)
                return fail().digits;
            const char lo = *p_++;
            if (lo == ']' && !first)
                break;
            if (lo == '[' || lo == ']')
                return fail().digits; /* set operations, a leading ']' */
            if (lo == '\\') {
                if (p_ < end_ && *p_ == 'd') {
                    ++p_;
                    m = all_digits;
                    continue;
                }
                return fail().digits;
            }
            char hi = lo;
            if (end_ - p_ >= 2 && p_[0] == '-' && p_[1] != ']') {
                hi = p_[1];
                p_ += 2;
                if (hi == '\\' || hi == '[')
                    return fail().digits;
            }
            for (char d = '0'; d <= '9'; d++)
                if (d >= lo && d <= hi)
                    m |= 1u << (d - '0');
        }
        return negated ? (~m & all_digits) : m;
    }

    const char *p_;
    const char *end_;
    bool failed_ = false;
};

void copy_region(char dst[4], const std::string &src)
{
    const size_t n = src.size() < 3 ? src.size() : 3;
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

/*
 * Reads the metadata to fill in prefix_digits and matchable_len and to allow the direct way.
 * Without it every calling code keeps direct = false and matchable_len = every length, which
 * is slower but gives the same verdicts.
 */
void read_metadata(tables *t)
{
    if (!i18n::phonenumbers::metadata_get || !i18n::phonenumbers::metadata_size)
        return;
    PhoneMetadataCollection all;
    if (!all.ParseFromArray(i18n::phonenumbers::metadata_get(),
                            i18n::phonenumbers::metadata_size()))
        return;
    uint32_t matchable[max_calling_code + 1] = {0};
    for (const PhoneMetadata &m : all.metadata()) {
        const int code = m.country_code();
        if (code < 1 || code > max_calling_code)
            continue;
        if (!m.has_leading_digits() && m.leading_digits().empty())
            set_region_bit(t->picked_when_valid, m.id());
        /* GetNumberTypeHelper rejects a length outside general_desc's list before any pattern;
           an empty list means the patterns decide alone. */
        const auto &lengths = m.general_desc().possible_length();
        if (lengths.empty())
            matchable[code] = all_lengths;
        for (const int n : lengths)
            matchable[code] |= (n >= 0 && static_cast<size_t>(n) <= max_nsn) ? 1u << n : all_lengths;
    }
    for (const PhoneMetadata &m : all.metadata()) {
        const int code = m.country_code();
        if (code < 1 || code > max_calling_code || !t->cc[code].known)
            continue;
        calling_code &c = t->cc[code];
        /* Parse strips with the metadata of the code's main region (or of the non-geographic
           entity), whatever region the number turns out to belong to. */
        if (m.id() != c.region)
            continue;
        c.prefix_digits = static_cast<uint16_t>(
            m.national_prefix_for_parsing().empty()
                ? 0u
                : prefix_reader(m.national_prefix_for_parsing()).first_digits());
        c.matchable_len = matchable[code];
        c.direct = true;
    }
}

tables build_tables()
{
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    tables t;
    std::memset(&t, 0, sizeof t);

    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    for (const std::string &r : regions)
        set_region_bit(t.regions, r);

    for (int code = 1; code <= max_calling_code; code++) {
        std::list<std::string> codes;
        util.GetRegionCodesForCountryCallingCode(code, &codes);
        if (codes.empty())
            continue;
        calling_code &c = t.cc[code];
        c.known = true;
        c.shared = codes.size() > 1;
        copy_region(c.region, codes.front()); /* what GetRegionCodeForNumber answers when alone */
        c.matchable_len = all_lengths;
        /* IsPossibleNumber looks at the national number's length only, so one number per
           length asks it everything. */
        PhoneNumber probe;
        probe.set_country_code(code);
        uint64_t national = 1;
        for (size_t n = 1; n <= max_nsn; n++, national *= 10) {
            probe.set_national_number(national);
            if (util.IsPossibleNumber(probe))
                c.possible_len |= 1u << n;
        }
    }
    read_metadata(&t);
    return t;
}

/* Built once, on first use; a throw leaves it unbuilt and the next call tries again. */
const tables &get_tables()
{
    static const tables t = build_tables();
    return t;
}

enum class route { parse, direct, unparsable };

/*
 * Decides how to read e164 and, for the direct way, where the calling code ends. Follows Parse
 * for "+" and 3 to 15 ASCII digits: fewer than three digits is not a viable number, the calling
 * code is the shortest known prefix of one to three digits, and the national number needs two
 * digits. Anything not of that shape goes to Parse unchanged.
 */
route choose_route(const tables &t, const char *s, size_t len, int *code, size_t *nsn_at)
{
    if (len < 3 || len > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
        return route::parse;
    for (size_t i = 2; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return route::parse;
    if (len < 4)
        return route::unparsable;
    int cc = 0;
    size_t end = 1;
    for (; end <= 3; end++) {
        cc = cc * 10 + (s[end] - '0');
        if (t.cc[cc].known)
            break;
    }
    if (end > 3 || len - (end + 1) < 2)
        return route::unparsable;
    const calling_code &c = t.cc[cc];
    if (!c.direct || ((c.prefix_digits >> (s[end + 1] - '0')) & 1u) != 0)
        return route::parse;
    *code = cc;
    *nsn_at = end + 1;
    return route::direct;
}

/* The PhoneNumber Parse would make: leading zeros are kept as italian_leading_zero plus a count
   (SetItalianLeadingZerosForPhoneNumber), the rest as an integer. */
void build_number(int code, const char *nsn, size_t len, PhoneNumber *num)
{
    num->set_country_code(code);
    if (len > 1 && nsn[0] == '0') {
        num->set_italian_leading_zero(true);
        size_t zeros = 1;
        while (zeros < len - 1 && nsn[zeros] == '0')
            zeros++;
        if (zeros != 1)
            num->set_number_of_leading_zeros(static_cast<int32_t>(zeros));
    }
    uint64_t value = 0;
    for (size_t i = 0; i < len; i++)
        value = value * 10 + static_cast<uint64_t>(nsn[i] - '0');
    num->set_national_number(value);
}

void set_unparsed(unsigned what, campval__phone_info *out)
{
    out->parsed = 0;
    if (what & CAMPVAL__PHONE_WANT_POSSIBLE)
        out->possible = 0;
    if (what & CAMPVAL__PHONE_WANT_VALID)
        out->valid = 0;
    if (what & CAMPVAL__PHONE_WANT_REGION)
        std::memcpy(out->region, "ZZ", 3);
    if (what & CAMPVAL__PHONE_WANT_TYPE)
        out->type = CAMPVAL__PHONE_UNKNOWN;
}

/*
 * Valid, given the region GetRegionCodeForNumber finds: IsValidNumber is exactly
 * IsValidNumberForRegion with that region, so no second lookup is needed. "ZZ" has no metadata.
 */
bool valid_in_region(const tables &t, const PhoneNumberUtil &util, const calling_code &c,
                     const PhoneNumber &num, const std::string &region)
{
    if (region == "ZZ")
        return false;
    if (c.shared && region_bit(t.picked_when_valid, region.data(), region.size()))
        return true;
    return util.IsValidNumberForRegion(num, region);
}

/*
 * Answers for a parsed number, asking libphonenumber as little as possible. A length that no
 * region's general description lists matches no type pattern. A code with one region always
 * reports that region. A number is valid exactly when its type is not UNKNOWN, so when the type
 * is wanted one GetNumberType answers both; otherwise the region decides validity more cheaply.
 */
void answer(const tables &t, const PhoneNumberUtil &util, const calling_code &c,
            const PhoneNumber &num, size_t nsn_len, unsigned what, campval__phone_info *out)
{
    out->parsed = 1;
    if (what & CAMPVAL__PHONE_WANT_POSSIBLE)
        out->possible = bit(c.possible_len, nsn_len);
    if (!(what & ~static_cast<unsigned>(CAMPVAL__PHONE_WANT_POSSIBLE)))
        return; /* the direct way did not even build num */
    const bool may_match = bit(c.matchable_len, nsn_len);
    const bool want_valid = (what & CAMPVAL__PHONE_WANT_VALID) != 0;
    const bool want_type = (what & CAMPVAL__PHONE_WANT_TYPE) != 0;

    std::string region = c.region;
    if (c.shared && ((what & CAMPVAL__PHONE_WANT_REGION) || (want_valid && !want_type)))
        util.GetRegionCodeForNumber(num, &region);
    if (what & CAMPVAL__PHONE_WANT_REGION)
        copy_region(out->region, region);

    if (want_valid && !want_type)
        out->valid = may_match && valid_in_region(t, util, c, num, region);
    if (!want_type)
        return;
    /* GetNumberType would find the same "ZZ" and have no metadata to match. */
    const int type = may_match && region != "ZZ" ? static_cast<int>(util.GetNumberType(num))
                                                 : CAMPVAL__PHONE_UNKNOWN;
    out->type = type;
    if (want_valid)
        out->valid = type != CAMPVAL__PHONE_UNKNOWN;
}

int analyze(const char *s, size_t len, unsigned what, campval__phone_info *out)
{
    const tables &t = get_tables();
    int code = 0;
    size_t nsn_at = 0;
    const route way = choose_route(t, s, len, &code, &nsn_at);
    if (way == route::direct && len < sizeof out->e164) {
        /* rewritten stays 0: this way is only taken when Parse keeps every digit */
        memcpy(out->e164, s, len);
        out->e164[len] = 0;
    }
    if (way == route::direct && !(what & ~static_cast<unsigned>(CAMPVAL__PHONE_WANT_POSSIBLE))) {
        /* the E.164 form and the length check need neither a PhoneNumber nor the util */
        out->parsed = 1;
        if (what & CAMPVAL__PHONE_WANT_POSSIBLE)
            out->possible = bit(t.cc[code].possible_len, len - nsn_at);
        return 0;
    }
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    PhoneNumber num;
    switch (way) {
    case route::unparsable:
        set_unparsed(what, out);
        return 0;
    case route::direct:
        if (what & ~static_cast<unsigned>(CAMPVAL__PHONE_WANT_POSSIBLE))
            build_number(code, s + nsn_at, len - nsn_at, &num);
        answer(t, util, t.cc[code], num, len - nsn_at, what, out);
        return 0;
    case route::parse:
        break;
    }
    if (util.Parse(std::string(s, len), "ZZ", &num) != PhoneNumberUtil::NO_PARSING_ERROR) {
        set_unparsed(what, out);
        return 0;
    }
    code = num.country_code();
    if (code < 1 || code > max_calling_code || !t.cc[code].known)
        return -1; /* Parse only returns codes it knows: the tables are wrong */
    std::string nsn;
    util.GetNationalSignificantNumber(num, &nsn);
    /* what Format(E164) would write, without formatting */
    const std::string canonical = "+" + std::to_string(code) + nsn;
    out->rewritten = canonical.size() != len || canonical.compare(0, len, s, len) != 0;
    if (canonical.size() < sizeof out->e164)
        memcpy(out->e164, canonical.c_str(), canonical.size() + 1);
    answer(t, util, t.cc[code], num, nsn.size(), what, out);
    return 0;
}

} // namespace

extern "C" {

int campval__phone_available(void) { return 1; }

int campval__phone_analyze(const char *e164, size_t len, unsigned what, campval__phone_info *out)
{
    if (!out)
        return -1;
    campval__phone_info_clear(out);
    if (!e164 && len)
        return -1;
    try {
        return analyze(e164 ? e164 : "", len, what, out);
    } catch (...) {
        return -1;
    }
}


size_t campval__phone_e164(const char *s, size_t len, char out[20])
{
    try {
        int code = 0;
        size_t nsn_at = 0;
        if (s && len < 20 && choose_route(get_tables(), s, len, &code, &nsn_at) == route::direct) {
            std::memcpy(out, s, len);
            out[len] = 0;
            return len;
        }
        campval__phone_info info;
        if (campval__phone_analyze(s, len, 0, &info) != 0 || !info.parsed)
            return 0;
        size_t n = std::strlen(info.e164);
        std::memcpy(out, info.e164, n + 1);
        return n;
    } catch (...) {
        return 0;
    }
}

int campval__phone_region_known(const char *region, size_t len)
{
    if (!region || !is_region_code(region, len))
        return 0;
    try {
        return region_bit(get_tables().regions, region, len);
    } catch (...) {
        return -1;
    }
}

} /* extern "C" */
