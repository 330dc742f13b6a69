/*
 * phone.cc — campval__phone_* over libphonenumber (see phone.h).
 *
 * Plain libphonenumber spends most of its microseconds per number in Parse, which runs a dozen
 * generic regular expressions (viability, extensions, punctuation, plus signs) that can match
 * nothing in a string of the shape +[1-9][0-9]{2,14}. For such a string this file reads the
 * calling code the way Parse does and builds the PhoneNumber itself, then asks libphonenumber
 * only the questions the caller needs, each once. The single calling-code-specific step of Parse
 * is national-prefix stripping ("+7 8 912 345 67 89" is read as +7 912 345 67 89, "+378 812345"
 * as +378 0549 812345): a number goes the direct way when its calling code's prefix pattern
 * cannot match its first digit, and otherwise has that step replayed with PCRE2 on the same
 * metadata (replay_strip). Only what neither covers goes through Parse.
 *
 * Every shortcut is backed by a table built on first use from the installed libphonenumber,
 * never from a list written here, so verdicts follow library updates. tests/test_phone_diff.cc
 * compares every field with plain libphonenumber over about 280,000 numbers.
 */
#include "phone.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <list>
#include <memory>
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
    const struct strip_rule *strip; /* Parse's national-prefix step, when it can be replayed */
};

/*
 * National-prefix stripping exactly as Parse does it (MaybeStripNationalPrefixAndCarrierCode,
 * then the TestNumberLength gate in ParseHelper), replayed with PCRE2 on the same metadata
 * patterns: those are plain regular expressions (digits, classes, groups, alternation,
 * counted repeats) that ICU and PCRE2 read alike. Parse itself costs 35-65 us a number, most
 * of it in generic patterns (extensions, punctuation) that cannot match "+" and digits; this
 * costs about a microsecond. Codes whose metadata this does not cover keep using Parse.
 */
struct strip_rule {
    pcre2_code *prefix = nullptr;  /* national_prefix_for_parsing; matched at the start */
    pcre2_code *general = nullptr; /* general_desc's national_number_pattern; whole match */
    std::string transform;         /* national_prefix_transform_rule ("9$1"), or empty */
    uint32_t groups = 0;           /* capturing groups of prefix */
    uint32_t keep_len = 0;         /* bit n: TestNumberLength of n digits is IS_POSSIBLE or
                                      TOO_LONG, the results that let Parse keep the strip */
};

struct tables {
    calling_code cc[max_calling_code + 1];
    unsigned char regions[(26 * 26 + 7) / 8]; /* bitmap of the supported codes "AA".."ZZ" */
    /* Regions without leading digits: when a calling code is shared, GetRegionCodeForNumber
       picks such a region only after the number matched one of its types, i.e. is valid. */
    unsigned char picked_when_valid[(26 * 26 + 7) / 8];
    uint16_t routes[max_calling_code + 1]; /* campval__phone_routes */
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

/* A metadata pattern for PCRE2, or nullptr if it does not compile (the code keeps Parse). */
pcre2_code *compile_pattern(const std::string &re)
{
    int err = 0;
    PCRE2_SIZE at = 0;
    return pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.data()), re.size(), 0, &err, &at, nullptr);
}

void free_rule(strip_rule *r)
{
    pcre2_code_free(r->prefix);
    pcre2_code_free(r->general);
    delete r;
}

/* The strip rule of a calling code's main region, or nullptr when Parse must decide: no
 * prefix to strip, a pattern PCRE2 does not take, a transform other than digits and $1..$9,
 * or lengths TestNumberLength would not read. Built once, with the tables, and kept. */
const strip_rule *make_strip_rule(const PhoneMetadata &m)
{
    const auto &lengths = m.general_desc().possible_length();
    const auto &local = m.general_desc().possible_length_local_only();
    if (m.national_prefix_for_parsing().empty() || lengths.empty())
        return nullptr;
    std::unique_ptr<strip_rule, void (*)(strip_rule *)> r(new strip_rule, free_rule);
    r->prefix = compile_pattern(m.national_prefix_for_parsing());
    const std::string &general = m.general_desc().national_number_pattern();
    if (!general.empty())
        r->general = compile_pattern(general);
    if (!r->prefix || (!general.empty() && !r->general) ||
        pcre2_pattern_info(r->prefix, PCRE2_INFO_CAPTURECOUNT, &r->groups) != 0)
        return nullptr;
    r->transform = m.national_prefix_transform_rule();
    for (size_t i = 0; i < r->transform.size(); i++) {
        const char c = r->transform[i];
        if (c == '$' && i + 1 < r->transform.size() && r->transform[i + 1] >= '1' &&
            r->transform[i + 1] <= '9' && static_cast<uint32_t>(r->transform[i + 1] - '0') <= r->groups)
            i++;
        else if (c < '0' || c > '9')
            return nullptr;
    }
    /* TestNumberLength with an unknown type, on general_desc: a local-only length first, then
       the minimum, TOO_SHORT below it, TOO_LONG above the maximum, else listed or not. */
    const int min = lengths.Get(0), max = lengths.Get(lengths.size() - 1);
    if (min == -1)
        return r.release(); /* INVALID_LENGTH for every length: keep_len stays 0 */
    for (int n = 0; n <= static_cast<int>(max_nsn); n++) {
        bool keep = false;
        if (std::find(local.begin(), local.end(), n) != local.end())
            keep = false;
        else if (n == min || n > max)
            keep = true;
        else if (n > min)
            keep = std::find(lengths.begin() + 1, lengths.end(), n) != lengths.end();
        if (keep)
            r->keep_len |= 1u << n;
    }
    return r.release();
}

/* PCRE2 match data for the strip rules, one per thread, made on its first use. */
pcre2_match_data *thread_match_data()
{
    struct holder {
        pcre2_match_data *md = pcre2_match_data_create(16, nullptr);
        ~holder() { pcre2_match_data_free(md); }
    };
    thread_local holder h;
    return h.md;
}

/* RegexBasedMatcher::MatchNationalNumber without prefix matches: an empty pattern matches
 * nothing, otherwise the whole number must match. */
bool whole_match(const pcre2_code *re, const char *s, size_t n, pcre2_match_data *md)
{
    return re && pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(s), n, 0,
                             PCRE2_ANCHORED | PCRE2_ENDANCHORED, md, nullptr) >= 0;
}

constexpr size_t strip_by_parse = SIZE_MAX;

/*
 * What Parse keeps of the national number nsn[0..n): written to kept, its length returned, or
 * strip_by_parse when Parse must decide (an error from PCRE2, a result too short or too long
 * for Parse to accept). Follows MaybeStripNationalPrefixAndCarrierCode line by line.
 */
size_t replay_strip(const strip_rule &r, const char *nsn, size_t n, char kept[max_nsn + 1])
{
    pcre2_match_data *md = thread_match_data();
    if (!md || n == 0 || n > max_nsn)
        return strip_by_parse;
    std::memcpy(kept, nsn, n);
    const int rc = pcre2_match(r.prefix, reinterpret_cast<PCRE2_SPTR>(nsn), n, 0, PCRE2_ANCHORED,
                               md, nullptr);
    if (rc == PCRE2_ERROR_NOMATCH)
        return n;
    if (rc < 0)
        return strip_by_parse;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    const size_t end = ov[1];
    /* group k's text as ICU gives it: empty when the group did not take part */
    auto group = [&](uint32_t k, size_t *at) -> size_t {
        if (k >= static_cast<uint32_t>(rc) || ov[2 * k] == PCRE2_UNSET)
            return 0;
        *at = ov[2 * k];
        return ov[2 * k + 1] - ov[2 * k];
    };
    char cand[2 * max_nsn + 16];
    size_t cn = 0, at = 0;
    /* A transform applies when the prefix captured something: group 2 if there are two
       groups (group 1 is the carrier code), else group 1. It replaces the match. */
    if (!r.transform.empty() && r.groups >= 1 && group(r.groups >= 2 ? 2 : 1, &at) > 0) {
        for (size_t i = 0; i < r.transform.size(); i++) {
            if (r.transform[i] == '$') {
                const size_t g = group(static_cast<uint32_t>(r.transform[++i] - '0'), &at);
                if (cn + g > max_nsn + 8)
                    return strip_by_parse;
                std::memcpy(cand + cn, nsn + at, g);
                cn += g;
            } else if (cn < max_nsn + 8) {
                cand[cn++] = r.transform[i];
            } else {
                return strip_by_parse;
            }
        }
    }
    std::memcpy(cand + cn, nsn + end, n - end); /* otherwise the match is just removed */
    cn += n - end;
    /* Parse tests the original's viability first; it is asked only now, once the prefix
       matched, because the match data still held the groups above. */
    if (whole_match(r.general, nsn, n, md) && !whole_match(r.general, cand, cn, md))
        return n; /* it would make a viable number unviable */
    if (cn < 2 || cn > max_nsn)
        return strip_by_parse; /* Parse's own length errors (or a short number) decide */
    if (!bit(r.keep_len, cn))
        return n;
    std::memcpy(kept, cand, cn);
    return cn;
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
        if (c.prefix_digits)
            c.strip = make_strip_rule(m);
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
    /* choose_route's decisions per calling code and first national digit, for
       campval__phone_kept: known codes, and the digits that go the direct way. */
    for (int code = 1; code <= max_calling_code; code++) {
        const calling_code &c = t.cc[code];
        if (c.known)
            t.routes[code] = static_cast<uint16_t>(
                CAMPVAL__PHONE_CC_KNOWN | (c.direct ? ~c.prefix_digits & all_digits : 0u));
    }
    return t;
}

/* Built once, on first use; a throw leaves it unbuilt and the next call tries again. */
const tables &get_tables()
{
    static const tables t = build_tables();
    return t;
}

enum class route { parse, direct, strip, unparsable };

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
    if (!c.direct)
        return route::parse;
    *code = cc;
    *nsn_at = end + 1;
    if (((c.prefix_digits >> (s[end + 1] - '0')) & 1u) != 0)
        return c.strip ? route::strip : route::parse;
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
    route way = choose_route(t, s, len, &code, &nsn_at);
    /* The national number Parse would keep: as written (direct), or after the national-prefix
       step replayed (strip), which may fall back to Parse itself. */
    const char *nsn = s + nsn_at;
    size_t nsn_len = len - nsn_at;
    char kept[max_nsn + 1];
    if (way == route::strip) {
        const size_t k = replay_strip(*t.cc[code].strip, nsn, nsn_len, kept);
        if (k == strip_by_parse) {
            way = route::parse;
        } else if (k != nsn_len || std::memcmp(kept, nsn, k) != 0) {
            nsn = kept;
            nsn_len = k;
            const int cc_len = std::snprintf(out->e164, sizeof out->e164, "+%d", code);
            if (cc_len > 0 && static_cast<size_t>(cc_len) + k < sizeof out->e164) {
                std::memcpy(out->e164 + cc_len, kept, k);
                out->e164[cc_len + k] = 0;
            }
            out->rewritten = 1;
            way = route::direct; /* from here on, as if written that way */
        } else {
            way = route::direct; /* Parse would keep every digit */
        }
    }
    if (way == route::direct && !out->rewritten && len < sizeof out->e164) {
        /* rewritten stays 0: Parse keeps every digit */
        memcpy(out->e164, s, len);
        out->e164[len] = 0;
    }
    if (way == route::direct && !(what & ~static_cast<unsigned>(CAMPVAL__PHONE_WANT_POSSIBLE))) {
        /* the E.164 form and the length check need neither a PhoneNumber nor the util */
        out->parsed = 1;
        if (what & CAMPVAL__PHONE_WANT_POSSIBLE)
            out->possible = bit(t.cc[code].possible_len, nsn_len);
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
            build_number(code, nsn, nsn_len, &num);
        answer(t, util, t.cc[code], num, nsn_len, what, out);
        return 0;
    case route::strip: /* resolved above */
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
    std::string parsed_nsn;
    util.GetNationalSignificantNumber(num, &parsed_nsn);
    /* what Format(E164) would write, without formatting */
    const std::string canonical = "+" + std::to_string(code) + parsed_nsn;
    out->rewritten = canonical.size() != len || canonical.compare(0, len, s, len) != 0;
    if (canonical.size() < sizeof out->e164)
        memcpy(out->e164, canonical.c_str(), canonical.size() + 1);
    answer(t, util, t.cc[code], num, parsed_nsn.size(), what, out);
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

const uint16_t *campval__phone_routes(void)
{
    try {
        return get_tables().routes;
    } catch (...) {
        return nullptr;
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
