/*
 * ecma_regex — the one ECMA-262 pattern grammar of campval, in two modes.
 *
 * CAMPVAL__ECMA_TRANSLATE writes PCRE2 syntax for a JSON Schema `pattern` (src/regex.c compiles
 * it): where PCRE2 reads ECMA-262 text differently, the ECMA-262 meaning is written out
 * explicitly (\d \w \s . \v \uXXXX [^] [] ...); where that is not possible (backreferences,
 * whose capture-reset rules differ) or the text is not ECMA-262 at all but PCRE2 would accept
 * it (a++, (?>...), \A, \Q..\E, (?i), ...), the pattern is rejected: a validator must never
 * quietly apply a rule other than the one written.
 *
 * CAMPVAL__ECMA_CHECK answers `format: "regex"` with the same grammar and the same property
 * tables, and also accepts what is valid ECMA-262 but not translated: backreferences (numbered
 * and named, checked against the groups that exist) and modifier groups (?ims-ims:...).
 *
 * One pass, no tables kept: translation runs twice on success (measure, then write) and once
 * more on a PCRE2 error (to map the error offset back to the original text).
 */
#include "ecma_regex.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Translation output
 * ------------------------------------------------------------------------------------------- */

#define NOT_FOUND SIZE_MAX

typedef struct tbuf {
    char *buf;     /* NULL while measuring or locating */
    size_t len;    /* bytes produced so far */
    size_t target; /* translated offset to map back to the pattern, NOT_FOUND if none */
    size_t origin; /* pattern offset of the construct being emitted */
    size_t found;  /* pattern offset of the construct that produced `target` */
} tbuf;

static void emit(tbuf *o, const char *s, size_t n)
{
    if (o->found == NOT_FOUND && o->target >= o->len && o->target - o->len < n)
        o->found = o->origin;
    if (o->buf)
        memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void emits(tbuf *o, const char *s) { emit(o, s, strlen(s)); }

static void emit_hex(tbuf *o, uint32_t cp)
{
    char b[16];
    int n = snprintf(b, sizeof b, "\\x{%lx}", (unsigned long)cp);
    emit(o, b, (size_t)n);
}

/* One code point as a literal, inside or outside a class. Letters, digits and non-ASCII are
 * written as they are; everything else as \x{..}, which PCRE2 never reads as syntax (a raw '[',
 * ':' or '-' could start a POSIX class or a range). Surrogates cannot be UTF-8, so \x{..} too. */
static void emit_char(tbuf *o, uint32_t cp)
{
    bool alnum = (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (alnum || (cp >= 0x80 && (cp < 0xD800 || cp > 0xDFFF))) {
        unsigned char b[4];
        emit(o, (const char *)b, campval__utf8_encode(cp, b));
    } else {
        emit_hex(o, cp);
    }
}

/* ---------------------------------------------------------------------------------------------
 * ECMA-262 character sets, spelled out because PCRE2's \d \w \s . differ or depend on options.
 * Each has a form for use inside a class (no brackets) and one for outside.
 * ------------------------------------------------------------------------------------------- */

typedef struct charset {
    const char *inside;
    const char *outside;
} charset;

/* WhiteSpace and LineTerminator of ECMA-262 (ch. 12.2, 12.3): Zs plus the listed controls. */
#define WS_INSIDE                                                                                  \
    "\\x{9}-\\x{d}\\x{20}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}"  \
    "\\x{3000}\\x{feff}"
/* The complement of WS_INSIDE as ranges: PCRE2 cannot nest a negated set inside a class. */
#define NOT_WS_INSIDE                                                                              \
    "\\x{0}-\\x{8}\\x{e}-\\x{1f}\\x{21}-\\x{9f}\\x{a1}-\\x{167f}\\x{1681}-\\x{1fff}"               \
    "\\x{200b}-\\x{2027}\\x{202a}-\\x{202e}\\x{2030}-\\x{205e}\\x{2060}-\\x{2fff}"                 \
    "\\x{3001}-\\x{fefe}\\x{ff00}-\\x{10ffff}"

static const charset SET_DIGIT = {"0-9", "[0-9]"};
static const charset SET_NOT_DIGIT = {"\\x{0}-\\x{2f}\\x{3a}-\\x{10ffff}", "[^0-9]"};
static const charset SET_WORD = {"A-Za-z0-9_", "[A-Za-z0-9_]"};
static const charset SET_NOT_WORD = {
    "\\x{0}-\\x{2f}\\x{3a}-\\x{40}\\x{5b}-\\x{5e}\\x{60}\\x{7b}-\\x{10ffff}", "[^A-Za-z0-9_]"};
static const charset SET_SPACE = {WS_INSIDE, "[" WS_INSIDE "]"};
static const charset SET_NOT_SPACE = {NOT_WS_INSIDE, "[^" WS_INSIDE "]"};

/* `.` excludes exactly the ECMA-262 line terminators, whatever PCRE2's newline setting is. */
#define DOT "[^\\x{a}\\x{d}\\x{2028}\\x{2029}]"
/* [^] matches any code point; [] matches none. */
#define ANY_CHAR "[\\x{0}-\\x{10ffff}]"
#define NO_CHAR "[^\\x{0}-\\x{10ffff}]"

/* ---------------------------------------------------------------------------------------------
 * Unicode property names (ECMA-262 tables "Non-binary Unicode property aliases",
 * "Value aliases for General_Category" and "Binary Unicode property aliases"). Names are
 * case-sensitive in ECMA-262; PCRE2 matches loosely, so the translator checks the exact name
 * here and hands PCRE2 its canonical spelling.
 * ------------------------------------------------------------------------------------------- */

typedef struct name_map {
    const char *ecma;
    const char *pcre;
} name_map;

static const name_map GENERAL_CATEGORY[] = {
    {"C", "C"}, {"Other", "C"}, {"Cc", "Cc"}, {"Control", "Cc"}, {"cntrl", "Cc"}, {"Cf", "Cf"},
    {"Format", "Cf"}, {"Cn", "Cn"}, {"Unassigned", "Cn"}, {"Co", "Co"}, {"Private_Use", "Co"},
    {"Cs", "Cs"}, {"Surrogate", "Cs"}, {"L", "L"}, {"Letter", "L"}, {"LC", "L&"},
    {"Cased_Letter", "L&"}, {"Ll", "Ll"}, {"Lowercase_Letter", "Ll"}, {"Lm", "Lm"},
    {"Modifier_Letter", "Lm"}, {"Lo", "Lo"}, {"Other_Letter", "Lo"}, {"Lt", "Lt"},
    {"Titlecase_Letter", "Lt"}, {"Lu", "Lu"}, {"Uppercase_Letter", "Lu"}, {"M", "M"},
    {"Mark", "M"}, {"Combining_Mark", "M"}, {"Mc", "Mc"}, {"Spacing_Mark", "Mc"}, {"Me", "Me"},
    {"Enclosing_Mark", "Me"}, {"Mn", "Mn"}, {"Nonspacing_Mark", "Mn"}, {"N", "N"},
    {"Number", "N"}, {"Nd", "Nd"}, {"Decimal_Number", "Nd"}, {"digit", "Nd"}, {"Nl", "Nl"},
    {"Letter_Number", "Nl"}, {"No", "No"}, {"Other_Number", "No"}, {"P", "P"},
    {"Punctuation", "P"}, {"punct", "P"}, {"Pc", "Pc"}, {"Connector_Punctuation", "Pc"},
    {"Pd", "Pd"}, {"Dash_Punctuation", "Pd"}, {"Pe", "Pe"}, {"Close_Punctuation", "Pe"},
    {"Pf", "Pf"}, {"Final_Punctuation", "Pf"}, {"Pi", "Pi"}, {"Initial_Punctuation", "Pi"},
    {"Po", "Po"}, {"Other_Punctuation", "Po"}, {"Ps", "Ps"}, {"Open_Punctuation", "Ps"},
    {"S", "S"}, {"Symbol", "S"}, {"Sc", "Sc"}, {"Currency_Symbol", "Sc"}, {"Sk", "Sk"},
    {"Modifier_Symbol", "Sk"}, {"Sm", "Sm"}, {"Math_Symbol", "Sm"}, {"So", "So"},
    {"Other_Symbol", "So"}, {"Z", "Z"}, {"Separator", "Z"}, {"Zl", "Zl"},
    {"Line_Separator", "Zl"}, {"Zp", "Zp"}, {"Paragraph_Separator", "Zp"}, {"Zs", "Zs"},
    {"Space_Separator", "Zs"},
};

/* Assigned has no PCRE2 name: it is written as \P{Cn} (see emit_property). */
static const name_map BINARY_PROPERTY[] = {
    {"ASCII", "ASCII"}, {"ASCII_Hex_Digit", "ASCII_Hex_Digit"}, {"AHex", "ASCII_Hex_Digit"},
    {"Alphabetic", "Alphabetic"}, {"Alpha", "Alphabetic"}, {"Any", "Any"},
    {"Assigned", "Cn"}, {"Bidi_Control", "Bidi_Control"}, {"Bidi_C", "Bidi_Control"},
    {"Bidi_Mirrored", "Bidi_Mirrored"}, {"Bidi_M", "Bidi_Mirrored"},
    {"Case_Ignorable", "Case_Ignorable"}, {"CI", "Case_Ignorable"}, {"Cased", "Cased"},
    {"Changes_When_Casefolded", "Changes_When_Casefolded"},
    {"CWCF", "Changes_When_Casefolded"},
    {"Changes_When_Casemapped", "Changes_When_Casemapped"},
    {"CWCM", "Changes_When_Casemapped"},
    {"Changes_When_Lowercased", "Changes_When_Lowercased"},
    {"CWL", "Changes_When_Lowercased"},
    {"Changes_When_NFKC_Casefolded", "Changes_When_NFKC_Casefolded"},
    {"CWKCF", "Changes_When_NFKC_Casefolded"},
    {"Changes_When_Titlecased", "Changes_When_Titlecased"},
    {"CWT", "Changes_When_Titlecased"},
    {"Changes_When_Uppercased", "Changes_When_Uppercased"},
    {"CWU", "Changes_When_Uppercased"}, {"Dash", "Dash"},
    {"Default_Ignorable_Code_Point", "Default_Ignorable_Code_Point"},
    {"DI", "Default_Ignorable_Code_Point"}, {"Deprecated", "Deprecated"},
    {"Dep", "Deprecated"}, {"Diacritic", "Diacritic"}, {"Dia", "Diacritic"},
    {"Emoji", "Emoji"}, {"Emoji_Component", "Emoji_Component"},
    {"EComp", "Emoji_Component"}, {"Emoji_Modifier", "Emoji_Modifier"},
    {"EMod", "Emoji_Modifier"}, {"Emoji_Modifier_Base", "Emoji_Modifier_Base"},
    {"EBase", "Emoji_Modifier_Base"}, {"Emoji_Presentation", "Emoji_Presentation"},
    {"EPres", "Emoji_Presentation"}, {"Extended_Pictographic", "Extended_Pictographic"},
    {"ExtPict", "Extended_Pictographic"}, {"Extender", "Extender"}, {"Ext", "Extender"},
    {"Grapheme_Base", "Grapheme_Base"}, {"Gr_Base", "Grapheme_Base"},
    {"Grapheme_Extend", "Grapheme_Extend"}, {"Gr_Ext", "Grapheme_Extend"},
    {"Hex_Digit", "Hex_Digit"}, {"Hex", "Hex_Digit"},
    {"IDS_Binary_Operator", "IDS_Binary_Operator"}, {"IDSB", "IDS_Binary_Operator"},
    {"IDS_Trinary_Operator", "IDS_Trinary_Operator"}, {"IDST", "IDS_Trinary_Operator"},
    {"ID_Continue", "ID_Continue"}, {"IDC", "ID_Continue"}, {"ID_Start", "ID_Start"},
    {"IDS", "ID_Start"}, {"Ideographic", "Ideographic"}, {"Ideo", "Ideographic"},
    {"Join_Control", "Join_Control"}, {"Join_C", "Join_Control"},
    {"Logical_Order_Exception", "Logical_Order_Exception"},
    {"LOE", "Logical_Order_Exception"}, {"Lowercase", "Lowercase"}, {"Lower", "Lowercase"},
    {"Math", "Math"}, {"Noncharacter_Code_Point", "Noncharacter_Code_Point"},
    {"NChar", "Noncharacter_Code_Point"}, {"Pattern_Syntax", "Pattern_Syntax"},
    {"Pat_Syn", "Pattern_Syntax"}, {"Pattern_White_Space", "Pattern_White_Space"},
    {"Pat_WS", "Pattern_White_Space"}, {"Quotation_Mark", "Quotation_Mark"},
    {"QMark", "Quotation_Mark"}, {"Radical", "Radical"},
    {"Regional_Indicator", "Regional_Indicator"}, {"RI", "Regional_Indicator"},
    {"Sentence_Terminal", "Sentence_Terminal"}, {"STerm", "Sentence_Terminal"},
    {"Soft_Dotted", "Soft_Dotted"}, {"SD", "Soft_Dotted"},
    {"Terminal_Punctuation", "Terminal_Punctuation"}, {"Term", "Terminal_Punctuation"},
    {"Unified_Ideograph", "Unified_Ideograph"}, {"UIdeo", "Unified_Ideograph"},
    {"Uppercase", "Uppercase"}, {"Upper", "Uppercase"},
    {"Variation_Selector", "Variation_Selector"}, {"VS", "Variation_Selector"},
    {"White_Space", "White_Space"}, {"space", "White_Space"},
    {"XID_Continue", "XID_Continue"}, {"XIDC", "XID_Continue"}, {"XID_Start", "XID_Start"},
    {"XIDS", "XID_Start"},
};

static const char *lookup(const name_map *map, size_t count, const char *s, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(map[i].ecma) == n && memcmp(map[i].ecma, s, n) == 0)
            return map[i].pcre;
    return NULL;
}

static bool name_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* ---------------------------------------------------------------------------------------------
 * The translator
 * ------------------------------------------------------------------------------------------- */

enum group_kind { GROUP_PLAIN, GROUP_LOOK };

/* What an escape or class member stands for. */
enum atom_kind { ATOM_CHAR, ATOM_SET, ATOM_PROPERTY, ATOM_ASSERTION, ATOM_BACKREF };

typedef struct atom {
    enum atom_kind kind;
    uint32_t cp;          /* ATOM_CHAR */
    const charset *set;   /* ATOM_SET */
    const char *text;     /* ATOM_ASSERTION; ATOM_PROPERTY: PCRE2 name or script value */
                          /* ATOM_BACKREF: CHECK mode only, an atom that emits nothing */
    const char *prefix;   /* ATOM_PROPERTY: "", "sc:" or "scx:" */
    size_t text_len;
    bool negated;         /* ATOM_PROPERTY */
} atom;

#define MAX_NAMED_REFS 64

typedef struct parser {
    campval__ecma_mode mode;
    const unsigned char *p;
    size_t len;
    size_t i;
    tbuf o;
    const char *err;   /* first error, static text */
    size_t err_at;     /* its offset in the pattern */
    size_t quote_at;   /* pattern bytes quoted in the message, quote_len 0 for none */
    size_t quote_len;
    size_t open_at[CAMPVAL_REGEX_MAX_NEST];
    unsigned char kind[CAMPVAL_REGEX_MAX_NEST];
    /* Group names seen so far (offset, length in the pattern): ECMA-262 forbids a repeat. */
    size_t name_at[256], name_len[256];
    size_t names;
    /* CHECK mode: backreferences, checked against the groups once the whole pattern is read. */
    size_t groups;                 /* capturing groups */
    size_t max_ref, max_ref_at;    /* highest \N and where */
    size_t ref_at[MAX_NAMED_REFS], ref_name_at[MAX_NAMED_REFS], ref_len[MAX_NAMED_REFS];
    size_t refs;
} parser;

static bool fail(parser *P, size_t at, const char *msg)
{
    if (!P->err) {
        P->err = msg;
        P->err_at = at;
        P->quote_len = 0;
    }
    return false;
}

/* Fail and quote the construct at..P->i (ASCII only, so the message stays valid UTF-8). */
static bool fail_quoted(parser *P, size_t at, const char *msg)
{
    fail(P, at, msg);
    size_t end = P->i < P->len ? P->i : P->len;
    bool ascii = end > at && end - at <= 16;
    for (size_t k = at; ascii && k < end; k++)
        ascii = P->p[k] >= 0x20 && P->p[k] < 0x7F;
    if (ascii) {
        P->quote_at = at;
        P->quote_len = end - at;
    }
    return false;
}

static bool at_end(const parser *P) { return P->i >= P->len; }
static int peek(const parser *P) { return P->i < P->len ? P->p[P->i] : -1; }
static int peek_at(const parser *P, size_t k) { return P->i + k < P->len ? P->p[P->i + k] : -1; }

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_ascii_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Strict UTF-8 (src/utf8.h): no overlongs, no surrogates, nothing above U+10FFFF. */
static bool decode_utf8(parser *P, uint32_t *cp)
{
    size_t n = campval__utf8_decode(P->p + P->i, P->len - P->i, cp);
    if (n == 0)
        return fail(P, P->i, "invalid UTF-8 in pattern");
    P->i += n;
    return true;
}

/* Fixed count of hex digits at P->i. */
static bool read_hex(parser *P, size_t count, uint32_t *v)
{
    uint32_t r = 0;
    for (size_t k = 0; k < count; k++) {
        int h = campval__hex_value(peek_at(P, k));
        if (h < 0)
            return false;
        r = (r << 4) | (uint32_t)h;
    }
    P->i += count;
    *v = r;
    return true;
}

/* After "\u": XXXX (a surrogate pair written as two escapes is one code point) or {X...}. */
static bool parse_unicode_escape(parser *P, size_t at, uint32_t *cp)
{
    if (peek(P) == '{') {
        P->i++;
        uint32_t v = 0;
        size_t digits = 0;
        int h;
        while ((h = campval__hex_value(peek(P))) >= 0) {
            v = (v << 4) | (uint32_t)h;
            if (v > 0x10FFFF)
                return fail(P, at, "\\u{...} above U+10FFFF");
            digits++;
            P->i++;
        }
        if (digits == 0 || peek(P) != '}')
            return fail_quoted(P, at, "malformed \\u{...} escape");
        P->i++;
        *cp = v;
        return true;
    }
    uint32_t v;
    if (!read_hex(P, 4, &v))
        return fail_quoted(P, at, "\\u must be followed by 4 hex digits or {hex}");
    if (v >= 0xD800 && v <= 0xDBFF && peek(P) == '\\' && peek_at(P, 1) == 'u') {
        size_t save = P->i;
        uint32_t lo;
        P->i += 2;
        if (read_hex(P, 4, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            *cp = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            return true;
        }
        P->i = save;
    }
    *cp = v;
    return true;
}

/* After "\p" or "\P": {Name}, {Name=Value}. */
static bool parse_property(parser *P, size_t at, bool negated, atom *a)
{
    if (peek(P) != '{')
        return fail(P, at, "\\p and \\P must be followed by {property}");
    P->i++;
    size_t start = P->i, eq = NOT_FOUND;
    while (!at_end(P) && peek(P) != '}') {
        int c = peek(P);
        if (c == '=' && eq == NOT_FOUND)
            eq = P->i;
        else if (!is_ascii_letter(c) && !is_digit(c) && c != '_')
            return fail(P, at, "malformed Unicode property escape");
        P->i++;
    }
    if (at_end(P))
        return fail(P, at, "missing '}' after \\p{");
    const char *name = (const char *)P->p + start;
    size_t name_len = (eq == NOT_FOUND ? P->i : eq) - start;
    const char *value = eq == NOT_FOUND ? name : (const char *)P->p + eq + 1;
    size_t value_len = eq == NOT_FOUND ? 0 : P->i - eq - 1;
    P->i++;
    a->kind = ATOM_PROPERTY;
    a->negated = negated;
    a->prefix = "";
    if (eq == NOT_FOUND) {
        a->text = lookup(GENERAL_CATEGORY, sizeof GENERAL_CATEGORY / sizeof *GENERAL_CATEGORY,
                         name, name_len);
        if (!a->text) {
            a->text = lookup(BINARY_PROPERTY, sizeof BINARY_PROPERTY / sizeof *BINARY_PROPERTY,
                             name, name_len);
            if (a->text && name_is(name, name_len, "Assigned"))
                a->negated = !negated;
        }
        if (!a->text)
            return fail_quoted(P, at, "unknown Unicode property");
        a->text_len = strlen(a->text);
        return true;
    }
    if (name_is(name, name_len, "General_Category") || name_is(name, name_len, "gc")) {
        a->text = lookup(GENERAL_CATEGORY, sizeof GENERAL_CATEGORY / sizeof *GENERAL_CATEGORY,
                         value, value_len);
        if (!a->text)
            return fail_quoted(P, at, "unknown General_Category value");
        a->text_len = strlen(a->text);
        return true;
    }
    if (name_is(name, name_len, "Script") || name_is(name, name_len, "sc"))
        a->prefix = "sc:";
    else if (name_is(name, name_len, "Script_Extensions") || name_is(name, name_len, "scx"))
        a->prefix = "scx:";
    else
        return fail_quoted(P, at, "unknown Unicode property name");
    for (size_t k = 0; k < value_len; k++)
        if (!is_ascii_letter(value[k]) && value[k] != '_')
            return fail_quoted(P, at, "malformed script name");
    if (value_len == 0)
        return fail_quoted(P, at, "missing script name");
    /* PCRE2 knows the scripts; an unknown name fails there and is mapped back to `at`. */
    a->text = value;
    a->text_len = value_len;
    return true;
}

/* Escapes PCRE2 accepts but ECMA-262 does not: name them, so the author sees why. */
static bool is_pcre_only_escape(int c)
{
    return c != -1 && strchr("AZzGQEhHRKNXCeago", c) != NULL;
}

/* ASCII punctuation that is not already a syntax character of ECMA-262. */
static bool is_identity_punct(int c)
{
    return c != -1 && c != 0 && strchr("!\"#%&',-:;<=>@_`~", c) != NULL;
}

static bool read_group_name(parser *P, size_t at, size_t *start, size_t *len);

/* CHECK mode, after "\\k" at `at`: "<name>", resolved once all groups are known. */
static bool parse_named_ref(parser *P, size_t at, atom *a)
{
    size_t start, len;
    P->i++;
    if (!read_group_name(P, at, &start, &len))
        return false;
    if (P->refs < MAX_NAMED_REFS) {
        P->ref_at[P->refs] = at;
        P->ref_name_at[P->refs] = start;
        P->ref_len[P->refs++] = len;
    }
    a->kind = ATOM_BACKREF;
    return true;
}

/* After a backslash at `at`. Class escapes differ: \b is backspace, \- is allowed, \B is not. */
static bool parse_escape(parser *P, size_t at, bool in_class, atom *a)
{
    int c = peek(P);
    if (c == -1)
        return fail(P, at, "pattern ends with a lone backslash");
    P->i++;
    a->kind = ATOM_CHAR;
    switch (c) {
    case 'd': a->kind = ATOM_SET, a->set = &SET_DIGIT; return true;
    case 'D': a->kind = ATOM_SET, a->set = &SET_NOT_DIGIT; return true;
    case 'w': a->kind = ATOM_SET, a->set = &SET_WORD; return true;
    case 'W': a->kind = ATOM_SET, a->set = &SET_NOT_WORD; return true;
    case 's': a->kind = ATOM_SET, a->set = &SET_SPACE; return true;
    case 'S': a->kind = ATOM_SET, a->set = &SET_NOT_SPACE; return true;
    case 'p': return parse_property(P, at, false, a);
    case 'P': return parse_property(P, at, true, a);
    case 'f': a->cp = 0x0C; return true;
    case 'n': a->cp = 0x0A; return true;
    case 'r': a->cp = 0x0D; return true;
    case 't': a->cp = 0x09; return true;
    case 'v': a->cp = 0x0B; return true; /* PCRE2's \v is a class of vertical space */
    case 'b':
        if (in_class) {
            a->cp = 0x08;
        } else {
            /* No PCRE2_UCP and PCRE2's built-in tables: \b sees [A-Za-z0-9_] as ECMA does. */
            a->kind = ATOM_ASSERTION, a->text = "\\b";
        }
        return true;
    case 'B':
        if (in_class)
            return fail_quoted(P, at, "\\B is not allowed in a character class");
        a->kind = ATOM_ASSERTION, a->text = "\\B";
        return true;
    case 'c':
        if (!is_ascii_letter(peek(P)))
            return fail_quoted(P, at, "\\c must be followed by an ASCII letter");
        a->cp = (uint32_t)P->p[P->i++] % 32;
        return true;
    case '0':
        if (is_digit(peek(P)))
            return fail_quoted(P, at, "octal escapes are not allowed (u-mode ECMA-262)");
        a->cp = 0;
        return true;
    case 'x':
        if (!read_hex(P, 2, &a->cp))
            return fail_quoted(P, at, "\\x must be followed by exactly 2 hex digits");
        return true;
    case 'u': return parse_unicode_escape(P, at, &a->cp);
    case 'k':
        if (P->mode == CAMPVAL__ECMA_CHECK && !in_class && peek(P) == '<')
            return parse_named_ref(P, at, a);
        return fail_quoted(P, at, "named backreferences (\\k<name>) are not supported");
    default: break;
    }
    if (c >= '1' && c <= '9' && P->mode == CAMPVAL__ECMA_CHECK && !in_class) {
        size_t v = (size_t)(c - '0');
        while (is_digit(peek(P))) {
            if (v < CAMPVAL_REGEX_MAX_PATTERN)
                v = v * 10 + (size_t)(P->p[P->i] - '0');
            P->i++;
        }
        if (v > P->max_ref)
            P->max_ref = v, P->max_ref_at = at;
        a->kind = ATOM_BACKREF;
        return true;
    }
    if (c >= '1' && c <= '9')
        return fail_quoted(P, at, "backreferences are not supported");
    if (c == '/' || (c > 0 && c < 0x80 && strchr("^$\\.*+?()[]{}|", c) != NULL)) {
        a->cp = (uint32_t)c;
        return true;
    }
    /* Annex B identity escapes of punctuation with no other meaning (\&, \%, \-, \', \: ...):
     * u-mode ECMA-262 refuses them, but JSON Schema validators (Blaze, ajv) read patterns
     * without the u flag for these, and published schemas rely on them. Each is the literal
     * character under every ECMA-262 reading and is written out as \x{..}, which PCRE2 cannot
     * read as syntax, so accepting them changes no pattern's meaning. Letters and digits stay
     * errors: \a, \e, \z, \A, \1 mean something else to PCRE2 or to ECMA-262. */
    if (is_identity_punct(c)) {
        a->cp = (uint32_t)c;
        return true;
    }
    if (is_pcre_only_escape(c))
        return fail_quoted(P, at, "PCRE-only escape, not ECMA-262");
    return fail_quoted(P, at, "invalid escape (u-mode ECMA-262 allows only defined escapes)");
}

static void emit_property(tbuf *o, const atom *a)
{
    emits(o, a->negated ? "\\P{" : "\\p{");
    emits(o, a->prefix);
    emit(o, a->text, a->text_len);
    emits(o, "}");
}

/* One class member: a code point, or a set/property (which cannot bound a range). */
static bool parse_class_atom(parser *P, atom *a)
{
    size_t at = P->i;
    if (peek(P) == '\\') {
        P->i++;
        return parse_escape(P, at, true, a);
    }
    a->kind = ATOM_CHAR;
    return decode_utf8(P, &a->cp);
}

static void emit_class_atom(tbuf *o, const atom *a)
{
    if (a->kind == ATOM_SET)
        emits(o, a->set->inside);
    else if (a->kind == ATOM_PROPERTY)
        emit_property(o, a);
    else
        emit_char(o, a->cp);
}

/* After '[' at `at`. */
static bool parse_class(parser *P, size_t at)
{
    bool negated = peek(P) == '^';
    if (negated)
        P->i++;
    if (peek(P) == ']') {
        P->i++;
        emits(&P->o, negated ? ANY_CHAR : NO_CHAR);
        return true;
    }
    emits(&P->o, negated ? "[^" : "[");
    for (;;) {
        if (at_end(P))
            return fail(P, at, "missing ']' to close the character class");
        if (peek(P) == ']') {
            P->i++;
            P->o.origin = P->i - 1;
            emits(&P->o, "]");
            return true;
        }
        size_t start = P->i;
        P->o.origin = start;
        atom lo = {.kind = ATOM_CHAR}, hi = {.kind = ATOM_CHAR};
        if (!parse_class_atom(P, &lo))
            return false;
        if (peek(P) == '-' && peek_at(P, 1) != ']' && peek_at(P, 1) != -1) {
            P->i++;
            if (!parse_class_atom(P, &hi))
                return false;
            if (lo.kind != ATOM_CHAR || hi.kind != ATOM_CHAR)
                return fail(P, start, "a class escape like \\d cannot bound a range");
            if (lo.cp > hi.cp)
                return fail(P, start, "range out of order in character class");
            emit_char(&P->o, lo.cp);
            emits(&P->o, "-");
            emit_char(&P->o, hi.cp);
        } else {
            emit_class_atom(&P->o, &lo);
        }
    }
}

/* Decimal digits at P->i, capped so PCRE2's own limit (65535) gives a clear message. */
static bool read_bound(parser *P, uint32_t *v, bool *any)
{
    uint32_t r = 0;
    *any = false;
    while (is_digit(peek(P))) {
        r = r * 10 + (uint32_t)(P->p[P->i++] - '0');
        if (r > 65535)
            return false;
        *any = true;
    }
    *v = r;
    return true;
}

/* At '{': true and the bounds for {n}, {n,}, {n,m}; false (P->i unchanged) if it is none. */
static bool parse_braces(parser *P, size_t at, uint32_t *min, uint32_t *max, bool *open_max,
                         bool *too_big)
{
    bool any;
    *too_big = false;
    *open_max = false;
    P->i = at + 1;
    if (!read_bound(P, min, &any)) {
        *too_big = true;
        return false;
    }
    *max = *min;
    if (any && peek(P) == ',') {
        P->i++;
        if (!read_bound(P, max, &any)) {
            *too_big = true;
            return false;
        }
        *open_max = !any;
        any = true;
    }
    if (!any || peek(P) != '}') {
        P->i = at;
        return false;
    }
    P->i++;
    return true;
}

/* At a GroupName's first byte, through its '>': an identifier (non-ASCII letters are taken
 * as they come: ID_Start would need tables). */
static bool read_group_name(parser *P, size_t at, size_t *start, size_t *len)
{
    *start = P->i;
    while (!at_end(P) && peek(P) != '>') {
        int c = peek(P);
        uint32_t cp;
        if (c >= 0x80) {
            if (!decode_utf8(P, &cp))
                return false;
            continue;
        }
        if (!is_ascii_letter(c) && c != '_' && c != '$' && !(is_digit(c) && P->i > *start))
            return fail(P, at, "invalid group name");
        P->i++;
    }
    if (at_end(P) || P->i == *start)
        return fail(P, at, "invalid group name");
    *len = P->i - *start;
    P->i++;
    return true;
}

/* CHECK mode, at "(?": modifiers "ims-ims:", each flag at most once, at least one. PCRE2 has
 * the same syntax but it is not translated: modifiers are recent ECMA-262 (ES2025). */
static bool parse_modifiers(parser *P)
{
    unsigned seen = 0, count = 0;
    bool dash = false;
    size_t k = P->i + 1;
    for (; k < P->len && P->p[k] != ':'; k++) {
        int c = P->p[k];
        unsigned bit = c == 'i' ? 1u : c == 'm' ? 2u : c == 's' ? 4u : 0u;
        if (c == '-' && !dash) {
            dash = true;
            continue;
        }
        if (bit == 0 || (seen & bit))
            return false;
        seen |= bit;
        count++;
    }
    if (k >= P->len || count == 0)
        return false;
    P->i = k + 1;
    return true;
}

/* At '(' (already consumed) at `at`: the group kind and what PCRE2 gets. */
static bool parse_group_open(parser *P, size_t at, enum group_kind *kind)
{
    *kind = GROUP_PLAIN;
    if (peek(P) != '?') {
        P->groups++;
        emits(&P->o, "(?:"); /* captures are never read: no backreferences, one ovector pair */
        return true;
    }
    int c1 = peek_at(P, 1), c2 = peek_at(P, 2);
    if (c1 == ':') {
        P->i += 2;
        emits(&P->o, "(?:");
    } else if (c1 == '=' || c1 == '!') {
        P->i += 2;
        *kind = GROUP_LOOK;
        emits(&P->o, c1 == '=' ? "(?=" : "(?!");
    } else if (c1 == '<' && (c2 == '=' || c2 == '!')) {
        P->i += 3;
        *kind = GROUP_LOOK;
        emits(&P->o, c2 == '=' ? "(?<=" : "(?<!");
    } else if (c1 == '<') {
        /* Named group: the name is checked, then dropped (nothing reads captures). */
        P->i += 2;
        size_t start, len;
        if (!read_group_name(P, at, &start, &len))
            return false;
        P->groups++;
        for (size_t k = 0; k < P->names; k++)
            if (P->name_len[k] == len && memcmp(P->p + P->name_at[k], P->p + start, len) == 0)
                return fail(P, at, "group name used twice");
        if (P->names == sizeof P->name_at / sizeof *P->name_at)
            return fail(P, at, "too many named groups");
        P->name_at[P->names] = start;
        P->name_len[P->names++] = len;
        emits(&P->o, "(?:");
    } else if (P->mode == CAMPVAL__ECMA_CHECK && parse_modifiers(P)) {
        emits(&P->o, "(?:");
    } else {
        P->i += c1 == -1 ? 1 : 2;
        return fail_quoted(P, at, "group syntax is not ECMA-262 (inline flags, atomic groups, "
                                  "comments and other PCRE groups are rejected)");
    }
    return true;
}

/* Why a quantifier may not follow the previous item (NULL: it may). */
static const char NOTHING_TO_REPEAT[] = "nothing to repeat";
static const char ANCHOR_REPEATED[] = "an anchor or \\b cannot be quantified";
static const char LOOKAROUND_REPEATED[] = "a lookaround cannot be quantified (u-mode ECMA-262)";
static const char QUANTIFIER_REPEATED[] = "quantifier after a quantifier (possessive quantifiers "
                                          "like a++ are PCRE syntax, not ECMA-262)";

/* At '*', '+', '?' or '{' (at `at`, not consumed), with an optional lazy '?'. */
static bool parse_quantifier(parser *P, size_t at, const char *no_repeat)
{
    int c = P->p[at];
    uint32_t min = 0, max = 0;
    bool open_max = false, too_big = false;
    if (c == '{' && !parse_braces(P, at, &min, &max, &open_max, &too_big))
        return fail(P, at, too_big ? "quantifier bound above 65535"
                                   : "lone '{' (write \\{ for a literal brace)");
    if (no_repeat)
        return fail(P, at, no_repeat);
    if (c == '{') {
        if (!open_max && max < min)
            return fail(P, at, "numbers out of order in {} quantifier");
        char b[32];
        int n = open_max ? snprintf(b, sizeof b, "{%lu,}", (unsigned long)min)
                         : snprintf(b, sizeof b, "{%lu,%lu}", (unsigned long)min,
                                    (unsigned long)max);
        emit(&P->o, b, (size_t)n);
    } else {
        P->i++;
        emit(&P->o, (const char *)P->p + at, 1);
    }
    if (peek(P) == '?') {
        P->i++;
        emits(&P->o, "?");
    }
    return true;
}

/* An escape outside a class, at `at`; sets *no_repeat for what follows. */
static bool parse_atom_escape(parser *P, size_t at, const char **no_repeat)
{
    atom a = {.kind = ATOM_CHAR};
    P->i++;
    if (!parse_escape(P, at, false, &a))
        return false;
    /* A backreference is an atom and may be quantified; \b and \B may not. */
    *no_repeat = a.kind == ATOM_ASSERTION ? ANCHOR_REPEATED : NULL;
    if (a.kind == ATOM_BACKREF)
        return true;
    if (a.kind == ATOM_SET)
        emits(&P->o, a.set->outside);
    else if (a.kind == ATOM_PROPERTY)
        emit_property(&P->o, &a);
    else if (a.kind == ATOM_ASSERTION)
        emits(&P->o, a.text);
    else
        emit_char(&P->o, a.cp);
    return true;
}

/* CHECK mode: every backreference names a group of the pattern (before or after it). */
static bool refs_resolve(parser *P)
{
    if (P->max_ref > P->groups)
        return fail(P, P->max_ref_at, "backreference to a group that does not exist");
    for (size_t r = 0; r < P->refs; r++) {
        bool known = false;
        for (size_t k = 0; k < P->names && !known; k++)
            known = P->name_len[k] == P->ref_len[r] &&
                    memcmp(P->p + P->name_at[k], P->p + P->ref_name_at[r], P->ref_len[r]) == 0;
        if (!known)
            return fail(P, P->ref_at[r], "backreference to a group name that does not exist");
    }
    return true;
}

/* The whole pattern, one item per turn. On error P->err is set and the output is garbage. */
static bool translate(parser *P)
{
    size_t depth = 0;
    const char *no_repeat = NOTHING_TO_REPEAT;
    while (!at_end(P)) {
        size_t at = P->i;
        int c = P->p[at];
        P->o.origin = at;
        if (c == '*' || c == '+' || c == '?' || c == '{') {
            if (!parse_quantifier(P, at, no_repeat))
                return false;
            no_repeat = QUANTIFIER_REPEATED;
            continue;
        }
        switch (c) {
        case '|':
        case '^':
        case '$': /* $ matches only at the very end: PCRE2_DOLLAR_ENDONLY */
            P->i++;
            emit(&P->o, (const char *)P->p + at, 1);
            no_repeat = c == '|' ? NOTHING_TO_REPEAT : ANCHOR_REPEATED;
            break;
        case '.':
            P->i++;
            emits(&P->o, DOT);
            no_repeat = NULL;
            break;
        case '[':
            P->i++;
            if (!parse_class(P, at))
                return false;
            no_repeat = NULL;
            break;
        case '(': {
            enum group_kind kind;
            if (depth == CAMPVAL_REGEX_MAX_NEST)
                return fail(P, at, "groups nested too deeply");
            P->i++;
            if (!parse_group_open(P, at, &kind))
                return false;
            P->open_at[depth] = at;
            P->kind[depth++] = (unsigned char)kind;
            no_repeat = NOTHING_TO_REPEAT;
            break;
        }
        case ')':
            if (depth == 0)
                return fail(P, at, "unmatched ')'");
            P->i++;
            emits(&P->o, ")");
            /* u-mode ECMA-262 forbids quantified lookarounds; PCRE2 would accept them. */
            no_repeat = P->kind[--depth] == GROUP_LOOK ? LOOKAROUND_REPEATED : NULL;
            break;
        case ']':
        case '}':
            P->i++;
            return fail_quoted(P, at, "lone bracket (escape it with a backslash)");
        case '\\':
            if (!parse_atom_escape(P, at, &no_repeat))
                return false;
            break;
        default: {
            uint32_t cp;
            if (!decode_utf8(P, &cp))
                return false;
            emit_char(&P->o, cp);
            no_repeat = NULL;
            break;
        }
        }
    }
    if (depth > 0)
        return fail(P, P->open_at[depth - 1], "missing ')'");
    return refs_resolve(P);
}

static void parser_init(parser *P, campval__ecma_mode mode, const char *pat, size_t len,
                        char *buf, size_t target)
{
    P->mode = mode;
    P->groups = P->max_ref = P->max_ref_at = P->refs = 0;
    P->p = (const unsigned char *)pat;
    P->len = len;
    P->i = 0;
    P->o.buf = buf;
    P->o.len = 0;
    P->o.target = target;
    P->o.origin = 0;
    P->o.found = NOT_FOUND;
    P->err = NULL;
    P->err_at = 0;
    P->quote_at = P->quote_len = 0;
    P->names = 0;
}

bool campval__ecma_parse(const char *pat, size_t len, campval__ecma_mode mode, char *buf,
                         size_t target, campval__ecma_result *r)
{
    parser P;
    parser_init(&P, mode, pat ? pat : "", pat ? len : 0, buf, target);
    bool ok = translate(&P);
    r->out_len = P.o.len;
    r->found = P.o.found;
    r->err = ok ? NULL : P.err;
    r->err_at = P.err_at;
    r->quote_at = P.quote_at;
    r->quote_len = P.quote_len;
    return ok;
}
