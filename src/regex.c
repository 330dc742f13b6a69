/*
 * regex — ECMA-262 patterns on PCRE2. The only file that includes pcre2.h.
 *
 * Three parts:
 *   1. A one-pass translator from ECMA-262 (`u`-flag syntax, as JSON Schema 2020-12 asks) to
 *      PCRE2 syntax. It runs twice on success (measure, then write) and once more on a PCRE2
 *      error (to map the error offset back to the original text), so it keeps no tables.
 *   2. Compilation through the caller's allocator, with JIT when the platform has it.
 *   3. A match context laid out in caller memory: PCRE2's general context allocates from that
 *      memory, so matching never reaches malloc.
 *
 * Where PCRE2 reads ECMA-262 text differently, the translator writes the ECMA-262 meaning out
 * explicitly (\d \w \s . \v \uXXXX [^] [] ...). Where that is not possible (backreferences,
 * whose capture-reset rules differ) or the text is not ECMA-262 at all but PCRE2 would accept
 * it (a++, (?>...), \A, \Q..\E, (?i), ...), the pattern is rejected: a validator must never
 * quietly apply a rule other than the one written.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "regex.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

static size_t utf8_encode(uint32_t cp, char *b)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One code point as a literal, inside or outside a class. Letters, digits and non-ASCII are
 * written as they are; everything else as \x{..}, which PCRE2 never reads as syntax (a raw '[',
 * ':' or '-' could start a POSIX class or a range). Surrogates cannot be UTF-8, so \x{..} too. */
static void emit_char(tbuf *o, uint32_t cp)
{
    bool alnum = (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    if (alnum || (cp >= 0x80 && (cp < 0xD800 || cp > 0xDFFF))) {
        char b[4];
        emit(o, b, utf8_encode(cp, b));
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
enum atom_kind { ATOM_CHAR, ATOM_SET, ATOM_PROPERTY, ATOM_ASSERTION };

typedef struct atom {
    enum atom_kind kind;
    uint32_t cp;          /* ATOM_CHAR */
    const charset *set;   /* ATOM_SET */
    const char *text;     /* ATOM_ASSERTION; ATOM_PROPERTY: PCRE2 name or script value */
    const char *prefix;   /* ATOM_PROPERTY: "", "sc:" or "scx:" */
    size_t text_len;
    bool negated;         /* ATOM_PROPERTY */
} atom;

typedef struct parser {
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

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_ascii_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
static bool decode_utf8(parser *P, uint32_t *cp)
{
    size_t at = P->i;
    unsigned c = P->p[at];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        P->i++;
        return true;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return fail(P, at, "invalid UTF-8 in pattern");
    }
    if (P->len - at < n)
        return fail(P, at, "invalid UTF-8 in pattern");
    for (size_t k = 1; k < n; k++) {
        unsigned cc = P->p[at + k];
        if ((cc & 0xC0) != 0x80)
            return fail(P, at, "invalid UTF-8 in pattern");
        v = (v << 6) | (cc & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return fail(P, at, "invalid UTF-8 in pattern");
    *cp = v;
    P->i += n;
    return true;
}

/* Fixed count of hex digits at P->i. */
static bool read_hex(parser *P, size_t count, uint32_t *v)
{
    uint32_t r = 0;
    for (size_t k = 0; k < count; k++) {
        int h = hex_value(peek_at(P, k));
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
        while ((h = hex_value(peek(P))) >= 0) {
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
        return fail_quoted(P, at, "named backreferences (\\k<name>) are not supported");
    default: break;
    }
    if (c >= '1' && c <= '9')
        return fail_quoted(P, at, "backreferences are not supported");
    if (c == '/' || (c < 0x80 && strchr("^$\\.*+?()[]{}|", c) != NULL)) {
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
        atom lo, hi;
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

/* At '(' (already consumed) at `at`: the group kind and what PCRE2 gets. */
static bool parse_group_open(parser *P, size_t at, enum group_kind *kind)
{
    *kind = GROUP_PLAIN;
    if (peek(P) != '?') {
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
        size_t start = P->i;
        while (!at_end(P) && peek(P) != '>') {
            int c = peek(P);
            uint32_t cp;
            if (c >= 0x80) {
                if (!decode_utf8(P, &cp)) /* any letter beyond ASCII: ID_Start needs tables */
                    return false;
                continue;
            }
            if (!is_ascii_letter(c) && c != '_' && c != '$' && !(is_digit(c) && P->i > start))
                return fail(P, at, "invalid group name");
            P->i++;
        }
        if (at_end(P) || P->i == start)
            return fail(P, at, "invalid group name");
        size_t len = P->i - start;
        for (size_t k = 0; k < P->names; k++)
            if (P->name_len[k] == len && memcmp(P->p + P->name_at[k], P->p + start, len) == 0)
                return fail(P, at, "group name used twice");
        if (P->names == sizeof P->name_at / sizeof *P->name_at)
            return fail(P, at, "too many named groups");
        P->name_at[P->names] = start;
        P->name_len[P->names++] = len;
        P->i++;
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
    atom a;
    P->i++;
    if (!parse_escape(P, at, false, &a))
        return false;
    *no_repeat = a.kind == ATOM_ASSERTION ? ANCHOR_REPEATED : NULL;
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
    return true;
}

static void parser_init(parser *P, const char *pat, size_t len, char *buf, size_t target)
{
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
    P->quote_len = 0;
    P->names = 0;
}

/* ---------------------------------------------------------------------------------------------
 * Compiled patterns
 * ------------------------------------------------------------------------------------------- */

/* Patterns simple enough to answer without PCRE2, with the same verdicts (tests/test_regex.c
 * checks them against PCRE2): a literal, anchored at the start, the end or both, and E.164. */
enum fast { FAST_NONE, FAST_CONTAINS, FAST_PREFIX, FAST_SUFFIX, FAST_EXACT, FAST_E164 };

#define FAST_LITERAL_MAX 64

struct campval__regex {
    pcre2_code *code;
    campval_allocator alloc; /* a copy: pcre2_code_free calls back into it */
    size_t bytes;            /* held through alloc, headers included */
    bool jit;
    unsigned char fast;      /* enum fast */
    unsigned char lit_len;
    char lit[FAST_LITERAL_MAX];
};

/* Recognise a fast pattern from its ECMA-262 text; FAST_NONE for anything else. */
static unsigned char recognise(const char *pat, size_t len, char *lit, unsigned char *lit_len)
{
    static const char *const e164[] = {"^\\+[1-9][0-9]{1,14}$", "^\\+[1-9]\\d{1,14}$"};
    for (size_t i = 0; i < sizeof e164 / sizeof *e164; i++)
        if (len == strlen(e164[i]) && memcmp(pat, e164[i], len) == 0)
            return FAST_E164;
    size_t i = 0, n = 0;
    bool start = len > 0 && pat[0] == '^', end = false;
    if (start)
        i = 1;
    while (i < len) {
        char ch = pat[i];
        if (ch == '$' && i + 1 == len) {
            end = true;
            break;
        }
        if (ch == '\\') {
            /* An escaped punctuation character stands for itself. */
            if (i + 1 >= len || !strchr("^$\\.*+?()[]{}|/-", pat[i + 1]) || pat[i + 1] == 0)
                return FAST_NONE;
            ch = pat[++i];
        } else if (strchr("^$.*+?()[]{}|", ch) || ch == 0) {
            return FAST_NONE;
        }
        if (n == FAST_LITERAL_MAX)
            return FAST_NONE;
        lit[n++] = ch;
        i++;
    }
    *lit_len = (unsigned char)n;
    return start && end ? FAST_EXACT : start ? FAST_PREFIX : end ? FAST_SUFFIX : FAST_CONTAINS;
}

static bool is_e164(const char *s, size_t n)
{
    if (n < 3 || n > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
        return false;
    for (size_t i = 2; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int match_fast(const campval__regex *re, const char *s, size_t n)
{
    size_t k = re->lit_len;
    switch (re->fast) {
    case FAST_E164: return is_e164(s, n);
    case FAST_EXACT: return n == k && memcmp(s, re->lit, k) == 0;
    case FAST_PREFIX: return n >= k && memcmp(s, re->lit, k) == 0;
    case FAST_SUFFIX: return n >= k && memcmp(s + n - k, re->lit, k) == 0;
    default:
        for (size_t i = 0; i + k <= n; i++)
            if (memcmp(s + i, re->lit, k) == 0)
                return 1;
        return 0;
    }
}

/* PCRE2 frees without a size; campval_allocator wants one. Keep it in front of the block. */
typedef union size_header {
    size_t size;
    max_align_t align;
} size_header;

static void *std_malloc(void *ctx, size_t n) { return (void)ctx, malloc(n); }
static void std_free(void *ctx, void *p, size_t n) { (void)ctx, (void)n, free(p); }

static void *tracked_malloc(size_t n, void *data)
{
    campval__regex *re = data;
    if (n > SIZE_MAX - sizeof(size_header))
        return NULL;
    size_header *h = re->alloc.malloc(re->alloc.ctx, n + sizeof *h);
    if (!h)
        return NULL;
    h->size = n + sizeof *h;
    re->bytes += h->size;
    return h + 1;
}

static void tracked_free(void *p, void *data)
{
    campval__regex *re = data;
    if (!p)
        return;
    size_header *h = (size_header *)p - 1;
    re->bytes -= h->size;
    re->alloc.free(re->alloc.ctx, h, h->size);
}

static void set_message(char *msg, size_t msgsize, const char *text, const parser *P)
{
    if (!msg || msgsize == 0)
        return;
    if (P && P->quote_len > 0)
        snprintf(msg, msgsize, "%s: '%.*s'", text, (int)P->quote_len,
                 (const char *)P->p + P->quote_at);
    else
        snprintf(msg, msgsize, "%s", text);
}

static campval_code bad_pattern(size_t at, size_t *err_offset, char *msg, size_t msgsize,
                                const char *text, const parser *P)
{
    if (err_offset)
        *err_offset = at;
    set_message(msg, msgsize, text, P);
    return CAMPVAL_RULES_BAD_PATTERN;
}

/* PCRE2 reports offsets in the translated text; translate again to find the source construct. */
static size_t map_offset(const char *pat, size_t len, size_t translated)
{
    parser P;
    parser_init(&P, pat, len, NULL, translated);
    translate(&P);
    return P.o.found == NOT_FOUND ? len : P.o.found;
}

/* PCRE2_UTF without PCRE2_UCP: \b and PCRE2's tables stay ASCII. $ only at the very end. */
#define COMPILE_OPTIONS                                                                            \
    (PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C |                \
     PCRE2_NO_UTF_CHECK)

static campval_code compile_translated(campval__regex *re, const char *buf, size_t n,
                                       int *pcre_err, size_t *pcre_off)
{
    campval_code rc = CAMPVAL_NOMEM;
    pcre2_general_context *g = pcre2_general_context_create(tracked_malloc, tracked_free, re);
    pcre2_compile_context *cc = g ? pcre2_compile_context_create(g) : NULL;
    if (cc) {
        /* A lone \uD800 is a valid ECMA pattern; as \x{d800} it simply never matches UTF-8. */
        pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALLOW_SURROGATE_ESCAPES);
        pcre2_set_parens_nest_limit(cc, CAMPVAL_REGEX_MAX_NEST + 10);
        int ec;
        PCRE2_SIZE eo;
        re->code = pcre2_compile((PCRE2_SPTR)buf, n, COMPILE_OPTIONS, &ec, &eo, cc);
        if (re->code) {
            rc = CAMPVAL_OK;
        } else if (ec != PCRE2_ERROR_HEAP_FAILED) {
            rc = CAMPVAL_RULES_BAD_PATTERN;
            *pcre_err = ec;
            *pcre_off = eo;
        }
    }
    pcre2_compile_context_free(cc);
    pcre2_general_context_free(g);
    return rc;
}

campval_code campval__regex_compile(const char *pat, size_t len, const campval_allocator *a,
                                    campval__regex **out, size_t *err_offset, char *msg,
                                    size_t msgsize)
{
    static const campval_allocator std = {std_malloc, NULL, std_free, NULL};
    if (!out)
        return CAMPVAL_NULL_ARGUMENT;
    *out = NULL;
    if (msg && msgsize)
        msg[0] = '\0';
    if (!pat && len > 0)
        return bad_pattern(0, err_offset, msg, msgsize, "NULL pattern", NULL);
    if (!pat)
        pat = "";
    if (len > CAMPVAL_REGEX_MAX_PATTERN)
        return bad_pattern(CAMPVAL_REGEX_MAX_PATTERN, err_offset, msg, msgsize,
                           "pattern is longer than this build allows", NULL);

    parser P;
    parser_init(&P, pat, len, NULL, NOT_FOUND);
    if (!translate(&P))
        return bad_pattern(P.err_at, err_offset, msg, msgsize, P.err, &P);
    size_t n = P.o.len;

    if (!a)
        a = &std;
    campval__regex *re = a->malloc(a->ctx, sizeof *re);
    if (!re)
        return CAMPVAL_NOMEM;
    re->code = NULL;
    re->alloc = *a;
    re->bytes = sizeof *re;
    re->jit = false;
    re->fast = recognise(pat, len, re->lit, &re->lit_len);

    char *buf = tracked_malloc(n + 1, re);
    if (!buf) {
        a->free(a->ctx, re, sizeof *re);
        return CAMPVAL_NOMEM;
    }
    parser_init(&P, pat, len, buf, NOT_FOUND);
    translate(&P);
    int pcre_err = 0;
    size_t pcre_off = 0;
    campval_code rc = compile_translated(re, buf, n, &pcre_err, &pcre_off);
    tracked_free(buf, re);
    if (rc != CAMPVAL_OK) {
        a->free(a->ctx, re, sizeof *re);
        if (rc == CAMPVAL_RULES_BAD_PATTERN) {
            char text[160];
            pcre2_get_error_message(pcre_err, (PCRE2_UCHAR *)text, sizeof text);
            /* Property errors point just past the escape; others at the construct itself. */
            bool after = pcre_err == PCRE2_ERROR_MALFORMED_UNICODE_PROPERTY ||
                         pcre_err == PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY;
            if (after && pcre_off > 0)
                pcre_off--;
            return bad_pattern(map_offset(pat, len, pcre_off), err_offset, msg, msgsize, text,
                               NULL);
        }
        return rc;
    }
    /* Without JIT (unsupported platform, no executable memory) the interpreter runs with the
     * same limits; nothing else changes. */
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    *out = re;
    return CAMPVAL_OK;
}

void campval__regex_free(campval__regex *re, const campval_allocator *a)
{
    (void)a; /* the copy taken at compile time is the one PCRE2 already used */
    if (!re)
        return;
    campval_allocator alloc = re->alloc;
    pcre2_code_free(re->code);
    alloc.free(alloc.ctx, re, sizeof *re);
}

size_t campval__regex_memory(const campval__regex *re)
{
    if (!re)
        return 0;
    size_t jit = 0;
    if (re->jit)
        pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jit);
    return re->bytes + jit;
}

/* ---------------------------------------------------------------------------------------------
 * Match contexts
 *
 * PCRE2's general context allocates from the context memory. Besides three small objects made
 * at init, only the interpreter allocates: its backtracking frames, which it grows by
 * allocating a block twice as large, copying, then freeing the old one, up to the heap limit.
 * So at most two frame blocks are alive at once; placing blocks alternately at the low and the
 * high end of the region, and popping freed blocks off either end, serves that with 2 x heap
 * limit bytes, where a plain bump allocator would need the sum of every size ever reached.
 * ------------------------------------------------------------------------------------------- */

typedef union block {
    struct {
        size_t total; /* header included */
        size_t below; /* offset of the previous top block at the same end, NOT_FOUND if none */
        bool freed;
        bool high;
    } h;
    max_align_t align;
} block;

struct campval__regex_ctx {
    pcre2_general_context *general;
    pcre2_match_context *match_ctx;
    pcre2_match_data *match_data;
    unsigned char *region;
    size_t cap;
    size_t low_used, high_used;
    size_t low_top, high_top; /* offsets of the topmost block at each end */
    bool next_high;
    uint32_t match_limit;     /* the context's own limit, for campval__regex_match */
};

#define ALIGN_UP(n, a) (((n) + (a)-1) / (a) * (a))
/* gctx, mctx and match data with one ovector pair: a few hundred bytes in PCRE2 10.42. */
#define FIXED_OBJECTS_BYTES 4096u
#define REGION_BYTES                                                                               \
    (FIXED_OBJECTS_BYTES + 2u * ((size_t)CAMPVAL_REGEX_HEAP_LIMIT_KIB * 1024u + sizeof(block)))

static block *block_at(campval__regex_ctx *c, size_t off) { return (block *)(c->region + off); }

static void *region_malloc(size_t n, void *data)
{
    campval__regex_ctx *c = data;
    size_t room = c->cap - c->low_used - c->high_used;
    if (n > room)
        return NULL;
    size_t total = ALIGN_UP(n, sizeof(block)) + sizeof(block);
    if (total > room)
        return NULL;
    bool high = c->next_high;
    size_t off = high ? c->cap - c->high_used - total : c->low_used;
    block *b = block_at(c, off);
    b->h.total = total;
    b->h.freed = false;
    b->h.high = high;
    if (high) {
        b->h.below = c->high_top;
        c->high_top = off;
        c->high_used += total;
    } else {
        b->h.below = c->low_top;
        c->low_top = off;
        c->low_used += total;
    }
    c->next_high = !high;
    return b + 1;
}

static void region_free(void *p, void *data)
{
    campval__regex_ctx *c = data;
    if (!p)
        return;
    ((block *)p - 1)->h.freed = true;
    while (c->low_top != NOT_FOUND && block_at(c, c->low_top)->h.freed) {
        c->low_used = c->low_top;
        c->low_top = block_at(c, c->low_top)->h.below;
    }
    while (c->high_top != NOT_FOUND && block_at(c, c->high_top)->h.freed) {
        c->high_used -= block_at(c, c->high_top)->h.total;
        c->high_top = block_at(c, c->high_top)->h.below;
    }
}

size_t campval__regex_ctx_size(void)
{
    return alignof(max_align_t) - 1 + ALIGN_UP(sizeof(campval__regex_ctx), sizeof(block)) +
           REGION_BYTES;
}

campval_code campval__regex_ctx_set_limits(campval__regex_ctx *ctx, uint32_t match_limit,
                                           uint32_t depth_limit, uint32_t heap_kib)
{
    if (heap_kib > CAMPVAL_REGEX_HEAP_LIMIT_KIB)
        return CAMPVAL_BAD_ARGUMENT;
    ctx->match_limit = match_limit ? match_limit : CAMPVAL_REGEX_MATCH_LIMIT;
    pcre2_set_match_limit(ctx->match_ctx, ctx->match_limit);
    pcre2_set_depth_limit(ctx->match_ctx, depth_limit ? depth_limit : CAMPVAL_REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(ctx->match_ctx, heap_kib ? heap_kib : CAMPVAL_REGEX_HEAP_LIMIT_KIB);
    return CAMPVAL_OK;
}

campval_code campval__regex_ctx_init(void *mem, size_t size, campval__regex_ctx **out)
{
    if (!mem || size < campval__regex_ctx_size())
        return CAMPVAL_WORKSPACE_TOO_SMALL;
    uintptr_t addr = (uintptr_t)mem;
    size_t pad = (alignof(max_align_t) - addr % alignof(max_align_t)) % alignof(max_align_t);
    campval__regex_ctx *c = (campval__regex_ctx *)((unsigned char *)mem + pad);
    c->region = (unsigned char *)c + ALIGN_UP(sizeof *c, sizeof(block));
    c->cap = REGION_BYTES / sizeof(block) * sizeof(block); /* high-end blocks stay aligned */
    c->low_used = c->high_used = 0;
    c->low_top = c->high_top = NOT_FOUND;
    c->next_high = false;
    c->general = pcre2_general_context_create(region_malloc, region_free, c);
    c->match_ctx = c->general ? pcre2_match_context_create(c->general) : NULL;
    /* One pair: only "matched or not" is read. The JIT stack stays PCRE2's default 32 KiB on
     * the machine stack, since a pcre2_jit_stack could only come from mmap, not from here. */
    c->match_data = c->match_ctx ? pcre2_match_data_create(1, c->general) : NULL;
    if (!c->match_data)
        return CAMPVAL_WORKSPACE_TOO_SMALL; /* cannot happen with REGION_BYTES; kept honest */
    campval__regex_ctx_set_limits(c, 0, 0, 0);
    *out = c;
    return CAMPVAL_OK;
}

bool campval__regex_uses_pcre2(const campval__regex *re)
{
    return re->fast == FAST_NONE;
}

int campval__regex_match_limited(const campval__regex *re, campval__regex_ctx *ctx, const char *s,
                                 size_t n, uint32_t match_limit)
{
    if (!s)
        s = "";
    if (re->fast != FAST_NONE)
        return match_fast(re, s, n);
    pcre2_set_match_limit(ctx->match_ctx, match_limit);
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, ctx->match_data,
                         ctx->match_ctx);
    /* The fixed JIT stack ran out (long subject, deep group repetition): the interpreter keeps
     * its frames in the context, up to the heap limit, and may still finish. */
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                         ctx->match_data, ctx->match_ctx);
    if (rc >= 0)
        return 1; /* 0 would mean "matched, ovector too small" */
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT)
        return CAMPVAL__REGEX_MATCH_LIMITED;
    /* DEPTHLIMIT, HEAPLIMIT, JIT_STACKLIMIT, NOMEMORY; anything else would be a bug here, and
     * failing closed is the safe answer for a validator. */
    return -1;
}

int campval__regex_match(const campval__regex *re, campval__regex_ctx *ctx, const char *s,
                         size_t n)
{
    int r = campval__regex_match_limited(re, ctx, s, n, ctx->match_limit);
    return r == CAMPVAL__REGEX_MATCH_LIMITED ? -1 : r;
}
