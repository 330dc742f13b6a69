/*
 * fuzz_json — the strict JSON layer (campval_validate with CAMPVAL_SYNTAX_ONLY).
 *
 * Invariants beyond "no crash":
 *   - acceptance agrees with an independent recursive-descent RFC 8259 parser (plus campval's
 *     two documented strictnesses: lone surrogate escapes and the nesting limit);
 *   - a rejected document reports a syntax or limit code at an offset inside the input;
 *   - an accepted document has a well-formed token tree whose strings, numbers and literals are
 *     what the grammar allows, and whose string flags (escaped, non-ASCII, key) are exact;
 *   - re-serialized canonically, it is accepted again with the same tokens and values, and the
 *     canonical form is a fixed point;
 *   - duplicate member names are rejected exactly when two names of one object are equal after
 *     unescaping; with CAMPVAL_ALLOW_DUPLICATE_KEYS all but the last are marked shadowed;
 *   - CAMPVAL_ALLOW_BOM skips exactly one leading BOM and shifts offsets by 3.
 */
#include "fuzz.h"
#include "internal.h"

#define MAX_INPUT (64u * 1024u)

static campval_workspace *ws_main, *ws_again;

/* ---- independent oracle ------------------------------------------------------------------- */

typedef struct oracle {
    const unsigned char *s;
    size_t n, i;
    uint32_t depth, max_depth;
} oracle;

static void o_ws(oracle *o)
{
    while (o->i < o->n && (o->s[o->i] == ' ' || o->s[o->i] == '\t' || o->s[o->i] == '\n' ||
                           o->s[o->i] == '\r'))
        o->i++;
}

static bool o_lit(oracle *o, const char *lit)
{
    size_t k = strlen(lit);
    if (o->n - o->i < k || memcmp(o->s + o->i, lit, k) != 0)
        return false;
    o->i += k;
    return true;
}

static bool o_digits(oracle *o)
{
    size_t start = o->i;
    while (o->i < o->n && o->s[o->i] >= '0' && o->s[o->i] <= '9')
        o->i++;
    return o->i > start;
}

static bool o_number(oracle *o)
{
    if (o->i < o->n && o->s[o->i] == '-')
        o->i++;
    if (o->i < o->n && o->s[o->i] == '0')
        o->i++;
    else if (o->i >= o->n || o->s[o->i] < '1' || o->s[o->i] > '9' || !o_digits(o))
        return false;
    if (o->i < o->n && o->s[o->i] == '.') {
        o->i++;
        if (!o_digits(o))
            return false;
    }
    if (o->i < o->n && (o->s[o->i] == 'e' || o->s[o->i] == 'E')) {
        o->i++;
        if (o->i < o->n && (o->s[o->i] == '+' || o->s[o->i] == '-'))
            o->i++;
        if (!o_digits(o))
            return false;
    }
    return true;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static long hex4(const unsigned char *s, size_t avail)
{
    if (avail < 4)
        return -1;
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(s[k]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

static size_t put_utf8(uint32_t cp, unsigned char *o)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Decode string content s[0..n) (between the quotes). Returns false when it is not valid JSON
 * string content for campval (raw control characters, bad escapes, lone surrogate escapes, bad
 * UTF-8). `out` (at least n bytes) may be NULL to only check.
 */
static bool decode_string(const unsigned char *s, size_t n, unsigned char *out, size_t *outlen)
{
    size_t i = 0, o = 0;
    unsigned char tmp[4];
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x20 || c == '"')
            return false;
        if (c >= 0x80) {
            size_t k = 1;
            while (k < 4 && i + k < n && (s[i + k] & 0xC0) == 0x80)
                k++;
            if (!fuzz_utf8_valid(s + i, k))
                return false;
            if (out)
                memcpy(out + o, s + i, k);
            o += k;
            i += k;
            continue;
        }
        if (c != '\\') {
            if (out)
                out[o] = c;
            o++, i++;
            continue;
        }
        if (i + 1 >= n)
            return false;
        unsigned char e = s[i + 1];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *hit = e ? strchr(from, e) : NULL;
        if (hit) {
            if (out)
                out[o] = (unsigned char)to[hit - from];
            o++, i += 2;
            continue;
        }
        if (e != 'u')
            return false;
        long cp = hex4(s + i + 2, n - i - 2);
        if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
            return false;
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = i + 1 < n && s[i] == '\\' && s[i + 1] == 'u' ? hex4(s + i + 2, n - i - 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        }
        size_t k = put_utf8((uint32_t)cp, out ? out + o : tmp);
        o += k;
    }
    if (outlen)
        *outlen = o;
    return true;
}

static bool o_string(oracle *o)
{
    if (o->i >= o->n || o->s[o->i] != '"')
        return false;
    size_t start = ++o->i;
    while (o->i < o->n && o->s[o->i] != '"') {
        if (o->s[o->i] == '\\' && o->i + 1 < o->n)
            o->i++;
        o->i++;
    }
    if (o->i >= o->n)
        return false;
    size_t end = o->i++;
    return decode_string(o->s + start, end - start, NULL, NULL);
}

static bool o_value(oracle *o);

static bool o_container(oracle *o, bool object)
{
    if (++o->depth > o->max_depth)
        return false;
    o->i++;
    o_ws(o);
    char close = object ? '}' : ']';
    if (o->i < o->n && o->s[o->i] == close) {
        o->i++;
        o->depth--;
        return true;
    }
    for (;;) {
        if (object) {
            if (!o_string(o))
                return false;
            o_ws(o);
            if (o->i >= o->n || o->s[o->i] != ':')
                return false;
            o->i++;
            o_ws(o);
        }
        if (!o_value(o))
            return false;
        o_ws(o);
        if (o->i < o->n && o->s[o->i] == ',') {
            o->i++;
            o_ws(o);
            continue;
        }
        if (o->i < o->n && o->s[o->i] == close) {
            o->i++;
            o->depth--;
            return true;
        }
        return false;
    }
}

static bool o_value(oracle *o)
{
    if (o->i >= o->n)
        return false;
    switch (o->s[o->i]) {
    case '{': return o_container(o, true);
    case '[': return o_container(o, false);
    case '"': return o_string(o);
    case 't': return o_lit(o, "true");
    case 'f': return o_lit(o, "false");
    case 'n': return o_lit(o, "null");
    default: return o_number(o);
    }
}

/* RFC 8259 text with at most max_depth nested containers. */
static bool oracle_accepts(const unsigned char *s, size_t n, uint32_t max_depth)
{
    oracle o = {s, n, 0, 0, max_depth};
    o_ws(&o);
    if (!o_value(&o))
        return false;
    o_ws(&o);
    return o.i == n;
}

/* ---- checks on an accepted document ------------------------------------------------------- */

static unsigned char *scratch; /* MAX_INPUT bytes: unescaped strings */
static unsigned char *scratch2;
static fuzz_buf canon, canon2, bom_copy;

static size_t unescaped(const campval__doc *d, uint32_t t, unsigned char *out)
{
    const campval__tok *k = &d->tok[t];
    size_t n = 0;
    FUZZ_CHECK(decode_string((const unsigned char *)d->text + k->start,
                             (size_t)(k->end - k->start), out, &n),
               "accepted string token %u is not valid JSON string content", t);
    return n;
}

/* Token tree shape, grammar of each token and the lexer's string flags. */
static void check_tree(const campval__doc *d)
{
    FUZZ_CHECK(d->count >= 1, "accepted document without tokens");
    FUZZ_CHECK(d->tok[0].parent == -1 && d->next[0] == d->count, "root token is not the root");
    for (uint32_t i = 0; i < d->count; i++) {
        const campval__tok *k = &d->tok[i];
        FUZZ_CHECK(k->start >= 0 && k->start <= k->end && (size_t)k->end <= d->len,
                   "token %u spans [%d,%d) of %zu", i, k->start, k->end, d->len);
        FUZZ_CHECK(k->parent < (int)i && d->next[i] > i && d->next[i] <= d->count,
                   "token %u: parent %d next %u", i, k->parent, d->next[i]);
        bool is_key = (d->flags[i] & CAMPVAL__F_KEY) != 0;
        bool in_object = k->parent >= 0 && d->tok[k->parent].type == CAMPVAL__T_OBJECT;
        FUZZ_CHECK(is_key == in_object && (!is_key || k->type == CAMPVAL__T_STRING),
                   "token %u: key flag %d, parent object %d, type %d", i, is_key, in_object,
                   k->type);
        if (i > 0 && !is_key)
            FUZZ_CHECK(d->tok[k->parent].type != CAMPVAL__T_STRING ||
                           d->tok[k->parent].size == 1,
                       "token %u below a string that is not a key", i);
        const char *txt = d->text + k->start;
        size_t len = (size_t)(k->end - k->start);
        switch (k->type) {
        case CAMPVAL__T_OBJECT:
        case CAMPVAL__T_ARRAY: {
            uint32_t c = i + 1;
            for (int m = 0; m < k->size; m++) {
                FUZZ_CHECK(c < d->next[i] && d->tok[c].parent == (int)i,
                           "container %u: child %d is token %u", i, m, c);
                c = d->next[c];
            }
            FUZZ_CHECK(c == d->next[i], "container %u: children end at %u, subtree at %u", i, c,
                       d->next[i]);
            FUZZ_CHECK(txt[0] == (k->type == CAMPVAL__T_OBJECT ? '{' : '[') &&
                           txt[len - 1] == (k->type == CAMPVAL__T_OBJECT ? '}' : ']'),
                       "container %u text", i);
            break;
        }
        case CAMPVAL__T_STRING: {
            FUZZ_CHECK(k->start >= 1 && d->text[k->start - 1] == '"' && (size_t)k->end < d->len &&
                           d->text[k->end] == '"',
                       "string %u is not between quotes", i);
            FUZZ_CHECK(k->size == (is_key ? 1 : 0), "string %u has size %d", i, k->size);
            if (is_key)
                FUZZ_CHECK(i + 1 < d->count && d->tok[i + 1].parent == (int)i &&
                               d->next[i + 1] == d->next[i],
                           "member name %u is not followed by its value", i);
            size_t n = unescaped(d, i, scratch);
            bool esc = memchr(txt, '\\', len) != NULL, nonascii = false;
            for (size_t b = 0; b < n; b++)
                nonascii |= scratch[b] >= 0x80;
            FUZZ_CHECK(esc == ((d->flags[i] & CAMPVAL__F_ESCAPED) != 0), "string %u escaped flag",
                       i);
            FUZZ_CHECK(nonascii == ((d->flags[i] & CAMPVAL__F_NONASCII) != 0),
                       "string %u non-ASCII flag", i);
            break;
        }
        case CAMPVAL__T_PRIMITIVE: {
            FUZZ_CHECK(k->size == 0 && !is_key, "primitive %u", i);
            oracle o = {(const unsigned char *)txt, len, 0, 0, 0};
            bool ok = (len == 4 && memcmp(txt, "true", 4) == 0) ||
                      (len == 5 && memcmp(txt, "false", 5) == 0) ||
                      (len == 4 && memcmp(txt, "null", 4) == 0) || (o_number(&o) && o.i == len);
            FUZZ_CHECK(ok, "primitive %u \"%.*s\" is not a literal or number", i, (int)len, txt);
            break;
        }
        default:
            FUZZ_CHECK(false, "token %u has type %d", i, k->type);
        }
    }
}

/* ---- duplicate names ---------------------------------------------------------------------- */

typedef struct name_ref {
    uint32_t tok;
    uint32_t off, len; /* unescaped bytes in scratch2 */
} name_ref;

static name_ref *names;
static const unsigned char *names_text;

static int cmp_name(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(names_text + x->off, names_text + y->off, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->tok < y->tok ? -1 : 1;
}

/*
 * Find repeated names object by object. With `shadow_checked`, the doc was parsed with duplicates
 * allowed and every occurrence but the last must be flagged shadowed (and no other name).
 * Returns whether any object repeats a name.
 */
static bool check_duplicates(const campval__doc *d, bool shadow_checked)
{
    bool any = false;
    names_text = scratch2;
    for (uint32_t i = 0; i < d->count; i++) {
        if (d->tok[i].type != CAMPVAL__T_OBJECT)
            continue;
        uint32_t n = (uint32_t)d->tok[i].size, off = 0;
        uint32_t k = i + 1;
        for (uint32_t m = 0; m < n; m++, k = d->next[k]) {
            size_t len = unescaped(d, k, scratch2 + off);
            names[m] = (name_ref){k, off, (uint32_t)len};
            off += (uint32_t)len;
        }
        qsort(names, n, sizeof *names, cmp_name);
        for (uint32_t m = 0; m < n; m++) {
            bool repeated_later = m + 1 < n && names[m].len == names[m + 1].len &&
                                  memcmp(scratch2 + names[m].off, scratch2 + names[m + 1].off,
                                         names[m].len) == 0;
            any |= repeated_later;
            bool shadowed = (d->flags[names[m].tok] & CAMPVAL__F_SHADOWED) != 0;
            FUZZ_CHECK(shadowed == (shadow_checked && repeated_later),
                       "name token %u: shadowed flag %d, repeated later %d", names[m].tok,
                       shadowed, repeated_later);
        }
    }
    return any;
}

/* ---- canonical serializer ----------------------------------------------------------------- */

static void put_string(fuzz_buf *b, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    fuzz_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" :
                          c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b" :
                          c == '\f' ? "\\f" : NULL;
        if (esc) {
            fuzz_buf_put(b, esc, 2);
        } else if (c < 0x20) {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            fuzz_buf_put(b, u, 6);
        } else {
            fuzz_buf_putc(b, (char)c);
        }
    }
    fuzz_buf_putc(b, '"');
}

/* No white space, strings with the shortest escapes, numbers and literals as written. */
static void serialize(const campval__doc *d, uint32_t t, fuzz_buf *b)
{
    const campval__tok *k = &d->tok[t];
    switch (k->type) {
    case CAMPVAL__T_OBJECT:
    case CAMPVAL__T_ARRAY: {
        bool obj = k->type == CAMPVAL__T_OBJECT;
        fuzz_buf_putc(b, obj ? '{' : '[');
        uint32_t c = t + 1;
        for (int m = 0; m < k->size; m++, c = d->next[c]) {
            if (m)
                fuzz_buf_putc(b, ',');
            serialize(d, c, b);
        }
        fuzz_buf_putc(b, obj ? '}' : ']');
        break;
    }
    case CAMPVAL__T_STRING: {
        size_t n = unescaped(d, t, scratch);
        put_string(b, scratch, n);
        if (d->flags[t] & CAMPVAL__F_KEY) {
            fuzz_buf_putc(b, ':');
            serialize(d, t + 1, b);
        }
        break;
    }
    default: fuzz_buf_put(b, d->text + k->start, (size_t)(k->end - k->start)); break;
    }
}

/* Same tree, same values: token by token. */
static void check_same_values(const campval__doc *a, const campval__doc *b)
{
    FUZZ_CHECK(a->count == b->count, "%u tokens, canonical form has %u", a->count, b->count);
    for (uint32_t i = 0; i < a->count; i++) {
        const campval__tok *x = &a->tok[i], *y = &b->tok[i];
        FUZZ_CHECK(x->type == y->type && x->size == y->size && x->parent == y->parent,
                   "token %u differs in type, size or parent", i);
        uint8_t mask = CAMPVAL__F_KEY | CAMPVAL__F_SHADOWED | CAMPVAL__F_NONASCII;
        FUZZ_CHECK((a->flags[i] & mask) == (b->flags[i] & mask), "token %u flags %#x vs %#x", i,
                   a->flags[i], b->flags[i]);
        if (x->type == CAMPVAL__T_STRING) {
            size_t n = unescaped(a, i, scratch), m = unescaped(b, i, scratch2);
            FUZZ_CHECK(n == m && memcmp(scratch, scratch2, n) == 0, "string %u differs", i);
        } else if (x->type == CAMPVAL__T_PRIMITIVE) {
            FUZZ_CHECK(x->end - x->start == y->end - y->start &&
                           memcmp(a->text + x->start, b->text + y->start,
                                  (size_t)(x->end - x->start)) == 0,
                       "primitive %u differs", i);
        }
    }
}

/* ---- one run ------------------------------------------------------------------------------ */

/* What a run said, copied out: the result's arrays live in the workspace until its next use. */
typedef struct outcome {
    campval_code rc;
    size_t offset; /* of the first error */
    size_t tokens;
} outcome;

static outcome run(campval_workspace *ws, const uint8_t *data, size_t size, uint32_t flags)
{
    campval_result res;
    campval_code rc = campval_validate(NULL, ws, (const char *)data, size,
                                       flags | CAMPVAL_SYNTAX_ONLY, &res);
    fuzz_check_result((const char *)data, size, flags, rc, &res);
    outcome o = {rc, 0, res.token_count};
    if (rc != CAMPVAL_OK) {
        campval_class k = campval_code_class(rc);
        FUZZ_CHECK(k == CAMPVAL_CLASS_SYNTAX || k == CAMPVAL_CLASS_LIMIT,
                   "syntax-only validation returned %s", campval_code_name(rc));
        o.offset = res.errors[0].offset;
        FUZZ_CHECK(o.offset <= size, "offset %zu > size %zu", o.offset, size);
    }
    return o;
}

/* Two runs that must agree, the second `shift` bytes later in its input. */
static void check_same(outcome a, outcome b, size_t shift, const char *what)
{
    FUZZ_CHECK(a.rc == b.rc, "%s: %s vs %s", what, campval_code_name(a.rc),
               campval_code_name(b.rc));
    if (a.rc != CAMPVAL_OK)
        FUZZ_CHECK(a.offset + shift == b.offset, "%s: offset %zu vs %zu", what, a.offset,
                   b.offset);
    else
        FUZZ_CHECK(a.tokens == b.tokens, "%s: %zu tokens vs %zu", what, a.tokens, b.tokens);
}

/* The errors of a strict run over a document whose only fault is repeated names. */
static void check_duplicate_errors(const campval_workspace *ws)
{
    const campval__doc *d = &ws->doc;
    for (size_t i = 0; i < ws->error_count; i++) {
        const campval_error *e = &ws->errors[i];
        FUZZ_CHECK(e->code == CAMPVAL_JSON_DUPLICATE_KEY && e->token > 0 && e->aux > 0 &&
                       e->aux < e->token,
                   "duplicate error %zu: code %d token %d aux %d", i, (int)e->code, (int)e->token,
                   (int)e->aux);
        FUZZ_CHECK(d->tok[e->token].parent == d->tok[e->aux].parent,
                   "duplicate names in different objects");
        size_t n = unescaped(d, (uint32_t)e->token, scratch);
        size_t m = unescaped(d, (uint32_t)e->aux, scratch2);
        FUZZ_CHECK(n == m && memcmp(scratch, scratch2, n) == 0, "duplicate names differ");
        FUZZ_CHECK(e->offset == (size_t)d->tok[e->token].start - 1 + d->base,
                   "duplicate reported at %zu, name opens at %d", e->offset,
                   d->tok[e->token].start - 1);
    }
}

/* Accepted with duplicates allowed: check the tree, then its canonical form. Returns whether
 * some object repeats a name. */
static bool check_accepted(const campval__doc *d, size_t size)
{
    FUZZ_CHECK(d->base == 0 && d->len == size, "doc header");
    check_tree(d);
    bool dups = check_duplicates(d, true);
    canon.len = 0;
    serialize(d, 0, &canon);
    campval_workspace *ws2 = fuzz_workspace(&ws_again);
    outcome o = run(ws2, (const uint8_t *)canon.p, canon.len, CAMPVAL_ALLOW_DUPLICATE_KEYS);
    FUZZ_CHECK(o.rc == CAMPVAL_OK, "canonical form rejected: %s at %zu: %.*s",
               campval_code_name(o.rc), o.offset, (int)canon.len, canon.p);
    check_same_values(d, &ws2->doc);
    canon2.len = 0;
    serialize(&ws2->doc, 0, &canon2);
    FUZZ_CHECK(canon.len == canon2.len && memcmp(canon.p, canon2.p, canon.len) == 0,
               "canonical form is not a fixed point");
    return dups;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    campval_workspace *ws = fuzz_workspace(&ws_main);
    if (!scratch) {
        scratch = malloc(MAX_INPUT);
        scratch2 = malloc(MAX_INPUT);
        names = malloc(MAX_INPUT * sizeof *names);
        FUZZ_CHECK(scratch && scratch2 && names, "out of memory in the harness");
    }
    const uint32_t depth = ws->lim.max_depth;
    static const char bom[] = "\xEF\xBB\xBF";
    bool has_bom = size >= 3 && memcmp(data, bom, 3) == 0;

    /* Duplicates allowed: accepted exactly when the oracle accepts. */
    outcome dup = run(ws, data, size, CAMPVAL_ALLOW_DUPLICATE_KEYS);
    bool oracle_ok = oracle_accepts(data, size, depth);
    FUZZ_CHECK((dup.rc == CAMPVAL_OK) == oracle_ok, "campval says %s, the oracle %s",
               campval_code_name(dup.rc), oracle_ok ? "accepts" : "rejects");
    bool dups = dup.rc == CAMPVAL_OK && check_accepted(&ws->doc, size);

    /* Strict: the same, except that repeated names are an error pointing at the later one. */
    outcome strict = run(ws, data, size, 0);
    if (dup.rc != CAMPVAL_OK) {
        check_same(dup, strict, 0, "strict vs duplicates allowed");
    } else if (!dups) {
        check_same(dup, strict, 0, "no repeated names, strict vs duplicates allowed");
    } else {
        FUZZ_CHECK(strict.rc == CAMPVAL_JSON_DUPLICATE_KEY, "repeated names, yet %s",
                   campval_code_name(strict.rc));
        check_duplicate_errors(ws);
    }

    /* First-error mode finds the same first error; of repeated names, one of them (campval
     * reports the repeat of the earliest name first in small objects, not the earliest repeat). */
    outcome first = run(ws, data, size, CAMPVAL_FIRST_ERROR);
    if (strict.rc == CAMPVAL_JSON_DUPLICATE_KEY)
        FUZZ_CHECK(first.rc == strict.rc && first.offset >= strict.offset,
                   "first error: %s at %zu", campval_code_name(first.rc), first.offset);
    else
        check_same(strict, first, 0, "all errors vs first error");

    /* A BOM is an error unless allowed; allowed, it is skipped and offsets move by 3. */
    if (has_bom) {
        FUZZ_CHECK(strict.rc == CAMPVAL_JSON_BOM && strict.offset == 0,
                   "leading BOM not reported: %s", campval_code_name(strict.rc));
        outcome b = run(ws, data, size, CAMPVAL_ALLOW_BOM | CAMPVAL_ALLOW_DUPLICATE_KEYS);
        bool ok = oracle_accepts(data + 3, size - 3, depth);
        FUZZ_CHECK((b.rc == CAMPVAL_OK) == ok, "with BOM allowed campval says %s, the oracle %s",
                   campval_code_name(b.rc), ok ? "accepts" : "rejects");
        if (b.rc == CAMPVAL_OK)
            FUZZ_CHECK(ws->doc.base == 3 && ws->doc.len == size - 3, "BOM not skipped");
    } else {
        check_same(strict, run(ws, data, size, CAMPVAL_ALLOW_BOM), 0, "no BOM, BOM allowed");
        bom_copy.len = 0;
        fuzz_buf_put(&bom_copy, bom, 3);
        fuzz_buf_put(&bom_copy, data, size);
        const uint8_t *copy = (const uint8_t *)bom_copy.p;
        check_same(strict, run(ws, copy, bom_copy.len, CAMPVAL_ALLOW_BOM), 3,
                   "BOM added and allowed");
        if (strict.rc == CAMPVAL_JSON_DUPLICATE_KEY)
            check_duplicate_errors(ws);
        outcome b = run(ws, copy, bom_copy.len, CAMPVAL_ALLOW_BOM | CAMPVAL_ALLOW_DUPLICATE_KEYS);
        check_same(dup, b, 3, "BOM added, duplicates allowed");
        if (b.rc == CAMPVAL_OK)
            FUZZ_CHECK(ws->doc.base == 3 && ws->doc.len == size, "BOM not skipped");
    }
    return 0;
}
