/*
 * x-prompt-variables: a contact without a variable most contacts have, a blank value, a value
 * still holding a template placeholder, control or bidirectional-override characters.
 */
#include "hash.h"
#include "preflight_int.h"

/* A value still holding a template placeholder such as "{{first_name}}". */
static bool has_template(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 1 < n && !(s[i] == '{' && s[i + 1] == '{'))
        i++;
    for (i += 2; i + 1 < n; i++)
        if (s[i] == '}' && s[i + 1] == '}')
            return true;
    return false;
}

/*
 * C1 controls (U+0080..U+009F: C2 80..C2 9F) and the bidirectional embeddings and overrides
 * (U+202A..U+202E: E2 80 AA..AE) and isolates (U+2066..U+2069: E2 81 A6..A9), read from the
 * bytes: the lexer proved every string valid UTF-8 (escapes too decode to well-formed
 * sequences), so 0xC2 and 0xE2 are only ever lead bytes and no code point needs decoding.
 */
static bool has_c1_or_bidi(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if ((s[i] | 0x20) != 0xE2) /* neither 0xC2 nor 0xE2 */
            continue;
        if (s[i] == 0xC2 ? s[i + 1] <= 0x9F
                         : i + 2 < n &&
                               ((s[i + 1] == 0x80 && s[i + 2] >= 0xAA && s[i + 2] <= 0xAE) ||
                                (s[i + 1] == 0x81 && s[i + 2] >= 0xA6 && s[i + 2] <= 0xA9)))
            return true;
    }
    return false;
}

/* Classes of a byte of a value: anything but blank space, ASCII control or DEL, '{', and the
 * two lead bytes of the controls that are not ASCII (0xC2, 0xE2). */
enum { FILLED = 1, CONTROL = 2, BRACE = 4, LEAD = 8 };
#define F FILLED
#define C CONTROL
#define B BRACE
#define L LEAD
#define F8 F, F, F, F, F, F, F, F
static const unsigned char byte_class[256] = {
    F|C, F|C, F|C, F|C, F|C, F|C, F|C, F|C,
    F|C, C, C, F|C, F|C, C, F|C, F|C,
    F|C, F|C, F|C, F|C, F|C, F|C, F|C, F|C,
    F|C, F|C, F|C, F|C, F|C, F|C, F|C, F|C,
    0, F, F, F, F, F, F, F,
    F8, F8, F8, F8, F8, F8, F8, F8, F8, F8,
    F, F, F, F|B, F, F, F, F|C,
    F8, F8, F8, F8, F8, F8, F8, F8, /* 0x80..0xBF */
    F, F, F|L, F, F, F, F, F,       /* 0xC0..0xC7 */
    F8, F8, F8,
    F, F, F|L, F, F, F, F, F,       /* 0xE0..0xE7 */
    F8, F8, F8,
};
#undef F8
#undef F
#undef C
#undef B
#undef L

/* What is wrong with a value's bytes, first of: blank, a template, control characters. One
 * pass ORs each byte's classes; only a value with a '{' is read again for a template, and only
 * one with a 0xC2 or 0xE2 byte for the controls that are not ASCII. */
static campval_code classify(const unsigned char *s, size_t n)
{
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= byte_class[s[i]];
    if (!(seen & FILLED))
        return CAMPVAL_PROMPT_BLANK;
    if ((seen & BRACE) && has_template((const char *)s, n))
        return CAMPVAL_PROMPT_TEMPLATE;
    if ((seen & CONTROL) || ((seen & LEAD) && has_c1_or_bidi(s, n)))
        return CAMPVAL_PROMPT_CONTROL;
    return CAMPVAL_OK;
}

/* ---- eight bytes at a time: most values never need classify() ------------------------------ */

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u
#define SPACES (ONES * ' ')

/* Words in the machine's byte order: the tests below ask only whether some byte is there, and
 * a carry or borrow between bytes starts only at a byte that is flagged itself. */
static inline uint64_t load64(const unsigned char *p)
{
    uint64_t m;
    memcpy(&m, p, 8);
    return m;
}

static inline uint64_t load32(const unsigned char *p)
{
    uint32_t m;
    memcpy(&m, p, 4);
    return m;
}

/* The bytes of s[0..n), 0 < n < 8, in one word: some twice (the tests below ask only whether
 * a byte is there), the rest spaces. Reads nothing outside s[0..n). */
static inline uint64_t short_word(const unsigned char *s, size_t n)
{
    if (n >= 4)
        return load32(s) | load32(s + n - 4) << 32;
    return s[0] | (uint64_t)s[n >> 1] << 8 | (uint64_t)s[n - 1] << 16 | SPACES << 24;
}

/* Zero only when every byte of w is in ' '..'z' (plain printable ASCII but '{' '|' '}' '~'):
 * a borrow or carry crosses into the next byte only from a byte outside, already flagged. */
static inline uint64_t outside_plain(uint64_t w)
{
    return ((w - ONES * 0x20) | (w + ONES * 5)) & HIGHS;
}

/* Nonzero when a byte of w is c (exact: no false positive, whatever the other bytes). */
static inline uint64_t has_byte(uint64_t w, uint64_t c)
{
    uint64_t v = w ^ (ONES * c);
    return (v - ONES) & ~v & HIGHS;
}

/* Nonzero exactly when a byte of w has byte_class's CONTROL or BRACE class: below 0x20, or '{'
 * or DEL (0x7B | 4 == 0x7F). */
static inline uint64_t control_or_brace(uint64_t w)
{
    return ((w - ONES * 0x20) & ~w & HIGHS) | has_byte(w | ONES * 0x04, 0x7F);
}

/* Nonzero exactly when a byte of w is a LEAD: 0xC2 or 0xE2 (0xC2 | 0x20 == 0xE2). */
static inline uint64_t lead(uint64_t w)
{
    return has_byte(w | ONES * 0x20, 0xE2);
}

/* quick_classify() for a value with a byte outside ' '..'z': the exact tests, word by word;
 * only a value with a 0xC2 or 0xE2 byte is searched for the controls that are not ASCII. */
CAMPVAL__NOINLINE static int exact_classify(const unsigned char *s, size_t n, bool filled)
{
    uint64_t hard, leads;
    if (n < 8) {
        uint64_t w = short_word(s, n);
        hard = control_or_brace(w), leads = lead(w);
    } else {
        uint64_t w = load64(s + n - 8);
        hard = control_or_brace(w), leads = lead(w);
        for (size_t i = 0; i + 8 < n; i += 8) {
            w = load64(s + i);
            hard |= control_or_brace(w), leads |= lead(w);
        }
    }
    if (hard)
        return -1;
    /* No control byte, so the only bytes that are not FILLED are spaces, and a value with a
     * lead byte is filled. */
    if (leads && has_c1_or_bidi(s, n))
        return CAMPVAL_PROMPT_CONTROL;
    return filled ? CAMPVAL_OK : CAMPVAL_PROMPT_BLANK;
}

/*
 * classify() of s[0..n), 8 bytes at a time, or -1 when a byte needs classify() itself (a
 * control character or a '{'). Plain ASCII words pass one cheap test; a value with other bytes
 * (letters such as "é") is read again with the exact ones.
 */
static inline int quick_classify(const unsigned char *s, size_t n)
{
    uint64_t out, filled, w;
    if (n == 0)
        return CAMPVAL_PROMPT_BLANK;
    if (n < 8) {
        w = short_word(s, n);
        filled = w ^ SPACES;
        out = outside_plain(w);
    } else if (n <= 16) { /* two words, overlapping when n < 16 */
        uint64_t head = load64(s);
        w = load64(s + n - 8);
        out = outside_plain(head) | outside_plain(w);
        filled = (head ^ SPACES) | (w ^ SPACES);
    } else {
        out = filled = 0;
        for (size_t i = 0; i + 8 < n; i += 8) {
            w = load64(s + i);
            out |= outside_plain(w), filled |= w ^ SPACES;
        }
        w = load64(s + n - 8);
        out |= outside_plain(w), filled |= w ^ SPACES;
    }
    if (out)
        return exact_classify(s, n, filled != 0);
    return filled ? CAMPVAL_OK : CAMPVAL_PROMPT_BLANK;
}

/*
 * quick_classify() of an unescaped value, told by the lexer's flags what bytes it holds. One
 * with a byte >= 0x80 (CAMPVAL__F_NONASCII) goes straight to the exact tests, and is not blank.
 * In one without, every byte is in 0x20..0x7F: RFC 8259 forbids raw control characters in
 * strings and the lexer rejects them, so DEL is the only control there and ' ' the only blank,
 * and '{' and DEL are both >= 0x7B, which adding 5 to a byte carries into its high bit (never
 * out of the byte). '|' '}' '~' are caught too; the exact tests clear them.
 */
static inline int flagged_classify(uint8_t flags, const unsigned char *s, size_t n)
{
    if (flags & CAMPVAL__F_NONASCII)
        return exact_classify(s, n, true);
    uint64_t out, filled, w;
    if (n == 0)
        return CAMPVAL_PROMPT_BLANK;
    if (n < 8) {
        w = short_word(s, n);
        filled = w ^ SPACES;
        out = w + ONES * 5;
    } else if (n <= 16) { /* two words, overlapping when n < 16 */
        uint64_t head = load64(s);
        w = load64(s + n - 8);
        out = (head + ONES * 5) | (w + ONES * 5);
        filled = (head ^ SPACES) | (w ^ SPACES);
    } else {
        out = filled = 0;
        for (size_t i = 0; i + 8 < n; i += 8) {
            w = load64(s + i);
            out |= w + ONES * 5, filled |= w ^ SPACES;
        }
        w = load64(s + n - 8);
        out |= w + ONES * 5, filled |= w ^ SPACES;
    }
    if (out & HIGHS)
        return exact_classify(s, n, filled != 0);
    return filled ? CAMPVAL_OK : CAMPVAL_PROMPT_BLANK;
}

/* The rest of check_value(), out of the loop: an escaped value (unescaped first), one that
 * quick_classify() left to classify() (code -1), or a finding to report. */
CAMPVAL__NOINLINE static int value_finding(const campval__pf *p, uint32_t v, int code)
{
    campval__str s = str_of(p->d, v);
    const unsigned char *val = (const unsigned char *)s.raw;
    size_t n = s.len;
    if (s.escaped) {
        n = campval__str_unescape(s, p->ws->strbuf);
        val = (const unsigned char *)p->ws->strbuf;
        code = quick_classify(val, n);
    }
    if (code < 0)
        code = (int)classify(val, n);
    if (code == CAMPVAL_OK)
        return 1;
    return p->report(p->ctx, (campval_code)code, v, -1) ? 0 : -2;
}

/* One value: blank, a template, or control characters (1: none, 0: reported, -1: out of
 * budget, -2: stop). Without escapes, the raw bytes are the value. */
static inline int check_value(const campval__pf *p, uint32_t v)
{
    const campval__doc *d = p->d;
    const campval__tok *vt = &d->tok[v];
    if (vt->type != CAMPVAL__T_STRING)
        return 1;
    size_t len = (size_t)(vt->end - vt->start);
    if (len > p->ws->lim.max_string)
        return 1;
    if (!campval__spend(p->ws, 1 + len / 32))
        return -1;
    int code = (d->flags[v] & CAMPVAL__F_ESCAPED)
                   ? -1
                   : quick_classify((const unsigned char *)d->text + vt->start, len);
    return code == CAMPVAL_OK ? 1 : value_finding(p, v, code);
}

/* The prompt_variables of contact k (the value token), or -1: member(), but first a look at the
 * last member, where it usually is (and a plain name there is the one member() would find:
 * the last of repeated names). */
static inline int64_t prompt_vars_of(const campval__doc *d, uint32_t k)
{
    if (d->tok[k].type != CAMPVAL__T_OBJECT || d->tok[k].size == 0)
        return -1;
    uint32_t last = k + 1;
    for (int m = 1; m < d->tok[k].size; m++)
        last = d->next[last];
    const campval__tok *kt = &d->tok[last];
    if (!(d->flags[last] & CAMPVAL__F_ESCAPED) && kt->end - kt->start == 16 &&
        memcmp(d->text + kt->start, "prompt_variables", 16) == 0)
        return last + 1;
    return member(d, k, "prompt_variables");
}

static uint64_t name_hash(const campval__pf *p, uint32_t k)
{
    return campval__str_hash_keyed(str_of(p->d, k), &p->ws->key);
}

/* The bytes of a name of n <= 16 bytes as two words: for names of one length, equal words mean
 * equal bytes (8 to 16 bytes: the first and the last 8; 4 to 7: the first and the last 4;
 * fewer: the first, middle and last byte). Reads only inside s[0..n). */
static inline void name_words(const unsigned char *s, size_t n, uint64_t *w0, uint64_t *w1)
{
    if (n >= 8) {
        *w0 = load64(s), *w1 = load64(s + n - 8);
    } else if (n >= 4) {
        *w0 = load32(s) | load32(s + n - 4) << 32, *w1 = 0;
    } else {
        *w0 = n ? s[0] | (uint64_t)s[n >> 1] << 8 | (uint64_t)s[n - 1] << 16 : 0, *w1 = 0;
    }
}

/* The slots of the previous contact's names, by position: contacts of one campaign mostly
 * repeat the same names in the same order, found again without hashing. Each keeps its length
 * and (up to 16 bytes) its bytes as two words, so that a name is compared with it by length,
 * then by two comparisons of words. */
#define MEMO_NAMES 16
typedef struct name_memo {
    struct {
        uint64_t w0, w1; /* name_words() of a plain name of up to 16 bytes */
        uint32_t tok;    /* name token (0: none; token 0 is never a name) */
        uint32_t slot;
        int32_t start; /* its raw bytes, */
        int32_t len;   /* how many (-1: none, or escaped) */
    } e[MEMO_NAMES];
} name_memo;

static void memo_init(name_memo *mm)
{
    for (int e = 0; e < MEMO_NAMES; e++)
        mm->e[e].tok = 0, mm->e[e].len = -1;
}

/* The slot of name m when it equals (unescaped) the previous contact's name at position e,
 * else -1. */
static inline int64_t remembered(const campval__doc *d, const name_memo *mm, int e, uint32_t m)
{
    if (e >= MEMO_NAMES)
        return -1;
    const campval__tok *b = &d->tok[m];
    bool escaped = (d->flags[m] & CAMPVAL__F_ESCAPED) != 0;
    int32_t n = b->end - b->start, len = mm->e[e].len;
    if (!escaped && len == n) {
        const unsigned char *s = (const unsigned char *)d->text + b->start;
        bool same;
        if (n > 16) {
            same = memcmp(d->text + mm->e[e].start, s, (size_t)n) == 0;
        } else {
            uint64_t w0, w1;
            name_words(s, (size_t)n, &w0, &w1);
            same = ((w0 ^ mm->e[e].w0) | (w1 ^ mm->e[e].w1)) == 0;
        }
        return same ? (int64_t)mm->e[e].slot : -1;
    }
    if (mm->e[e].tok && (escaped || len < 0))
        return campval__str_equal(str_of(d, mm->e[e].tok), str_of(d, m)) ? (int64_t)mm->e[e].slot
                                                                         : -1;
    return -1;
}

/* After a miss: name m, at slot, is now the one at position e. (After a hit the one there is
 * kept: it equals m.) */
static void remember(const campval__doc *d, name_memo *mm, int e, uint32_t m, uint32_t slot)
{
    if (e < MEMO_NAMES) {
        const campval__tok *b = &d->tok[m];
        int32_t n = b->end - b->start;
        mm->e[e].tok = m, mm->e[e].slot = slot, mm->e[e].start = b->start;
        mm->e[e].len = (d->flags[m] & CAMPVAL__F_ESCAPED) ? -1 : n;
        if (mm->e[e].len >= 0 && n <= 16)
            name_words((const unsigned char *)d->text + b->start, (size_t)n, &mm->e[e].w0,
                       &mm->e[e].w1);
    }
}

/* Every prompt variable's value, without the names. */
static int check_values(const campval__pf *p, int64_t arr)
{
    const campval__doc *d = p->d;
    int ok = 1;
    EACH_ITEM(d, arr, i, k) {
        int64_t pv = prompt_vars_of(d, k);
        if (!is_type(d, pv, CAMPVAL__T_OBJECT))
            continue;
        uint32_t m = (uint32_t)pv + 1;
        for (int e = 0; e < d->tok[pv].size; e++, m = d->next[m]) {
            int r = check_value(p, m + 1);
            if (r < 0)
                return r == -1 ? -1 : 0;
            ok &= r;
        }
    }
    return ok;
}

/* The slot of name m, at position e of its object, in the table (inserted when new) when it
 * is not the one remembered there; -1 when the budget runs out, -2 when the table would be
 * more than half full. */
CAMPVAL__NOINLINE static int64_t new_name_slot(const campval__pf *p, table *tb, name_memo *memo,
                                               int e, uint32_t m, uint32_t *distinct)
{
    const campval__doc *d = p->d;
    int64_t h = (uint32_t)name_hash(p, m) & tb->mask;
    for (; tb->slot[h]; h = (h + 1) & tb->mask) {
        if (!campval__spend(p->ws, 1))
            return -1;
        if (campval__str_equal(str_of(d, tb->slot[h] - 1), str_of(d, m)))
            break;
    }
    remember(d, memo, e, m, (uint32_t)h);
    if (!tb->slot[h]) {
        if (++*distinct * 2 > tb->mask + 1)
            return -2;
        tb->slot[h] = m + 1;
    }
    return h;
}

/* The slot of name m, at position e of its object: most often the one remembered there (a
 * remembered slot is filled). */
static inline int64_t name_slot(const campval__pf *p, table *tb, name_memo *memo, int e,
                                uint32_t m, uint32_t *distinct)
{
    int64_t h = remembered(p->d, memo, e, m);
    return h >= 0 ? h : new_name_slot(p, tb, memo, e, m, distinct);
}

/* Counts, per distinct member name of the prompt_variables, the contacts that have it; -2 when
 * the table fills past half (the caller retries larger), -1 when the budget runs out. */
static int count_names(const campval__pf *p, int64_t arr, table *tb, uint32_t *count,
                       uint32_t *stamp)
{
    const campval__doc *d = p->d;
    uint32_t distinct = 0;
    name_memo memo;
    memo_init(&memo);
    EACH_ITEM(d, arr, i, k) {
        int64_t pv = prompt_vars_of(d, k);
        if (!is_type(d, pv, CAMPVAL__T_OBJECT))
            continue;
        uint32_t m = (uint32_t)pv + 1;
        for (int e = 0, size = d->tok[pv].size; e < size; e++, m = d->next[m]) {
            int64_t h = name_slot(p, tb, &memo, e, m, &distinct);
            if (h < 0)
                return (int)h;
            if (stamp[h] != i + 1) /* a name repeated in one object counts once */
                count[h]++, stamp[h] = i + 1;
        }
    }
    return 0;
}

/* count_names() and, at the same time, check_values(): every value is checked, to the end,
 * also when the table fills (-2). Adds the values' findings to *ok and their number to
 * *names; -3 when the caller is to stop (a finding in first-error mode). The values are
 * checked as check_value() does, with the document's arrays and the work budget held in
 * locals: the budget is written back before every call that may read or spend it (a finding,
 * a new name) and after each contact, and pays the same units in the same order, so that it
 * runs out at the same value. */
CAMPVAL__NOINLINE static int check_and_count(const campval__pf *p, int64_t arr, table *tb,
                                             uint32_t *count, uint32_t *stamp, int *ok,
                                             uint32_t *names)
{
    const campval__doc *d = p->d;
    campval_workspace *ws = p->ws;
    const campval__tok *tok = d->tok;
    const uint8_t *flags = d->flags;
    const uint32_t *next = d->next;
    const unsigned char *text = (const unsigned char *)d->text;
    const size_t max_string = ws->lim.max_string;
    uint32_t distinct = 0, seen = 0;
    int all = 1;
    bool full = false;
    name_memo memo;
    memo_init(&memo);
    EACH_ITEM(d, arr, i, k) {
        int64_t pv = prompt_vars_of(d, k);
        if (!is_type(d, pv, CAMPVAL__T_OBJECT))
            continue;
        uint32_t m = (uint32_t)pv + 1;
        int size = tok[pv].size;
        seen += (uint32_t)size;
        uint64_t budget = ws->budget;
        for (int e = 0; e < size; e++, m = next[m]) {
            uint32_t v = m + 1;
            const campval__tok *vt = &tok[v];
            size_t len = (size_t)(vt->end - vt->start);
            if (vt->type == CAMPVAL__T_STRING && len <= max_string) {
                uint64_t units = 1 + len / 32;
                if (budget < units) { /* campval__spend() running out */
                    ws->budget = 0;
                    return -1;
                }
                budget -= units;
                uint8_t f = flags[v];
                int code =
                    (f & CAMPVAL__F_ESCAPED) ? -1 : flagged_classify(f, text + vt->start, len);
                if (code != CAMPVAL_OK) {
                    ws->budget = budget;
                    int r = value_finding(p, v, code);
                    if (r < 0)
                        return r == -1 ? -1 : -3;
                    budget = ws->budget;
                    all &= r;
                }
            }
            if (full)
                continue;
            int64_t h = remembered(d, &memo, e, m);
            if (h < 0) {
                ws->budget = budget;
                h = new_name_slot(p, tb, &memo, e, m, &distinct);
                if (h < 0) {
                    if (h == -1)
                        return -1;
                    full = true; /* no more names: the values still get checked */
                    budget = ws->budget;
                    continue;
                }
                budget = ws->budget;
            }
            if (stamp[h] != i + 1) /* a name repeated in one object counts once */
                count[h]++, stamp[h] = i + 1;
        }
        ws->budget = budget;
    }
    *ok &= all, *names += seen;
    return full ? -2 : 0;
}

/* Sorts the slot indices h[0..n) by the token of the name in each slot (tb.slot[h] - 1, the
 * name's first occurrence), distinct for distinct slots: a heapsort, in place and O(n log n)
 * however many names a hostile document brings. */
static void by_first_use(uint32_t *h, uint32_t n, const uint32_t *slot)
{
    for (uint32_t end = n, start = n / 2;;) {
        if (start > 0) {
            start--; /* building the heap */
        } else if (--end > 0) {
            uint32_t top = h[0]; /* the largest goes to the end */
            h[0] = h[end], h[end] = top;
        } else {
            return;
        }
        for (uint32_t i = start, c; (c = 2 * i + 1) < end; i = c) { /* sift h[start] down */
            if (c + 1 < end && slot[h[c + 1]] > slot[h[c]])
                c++;
            if (slot[h[c]] <= slot[h[i]])
                break;
            uint32_t t = h[i];
            h[i] = h[c], h[c] = t;
        }
    }
}

/* Member names of all prompt_variables: a table of distinct names (first occurrence), each
 * with a count of contacts that have it, in the engine-free half of the slots. */
int campval__prompt_variables(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = contacts_of(p, t);
    if (arr < 0)
        return 1;
    int ok = 1;
    uint32_t names = 0, contacts = (uint32_t)d->tok[arr].size;
    if (contacts < 3)
        return check_values(p, arr); /* no name can be missing from "most" contacts */
    /* slots: [table of mask+1][count per slot][stamp per slot]. Campaigns use a handful of
     * distinct names, so the table starts small and is rebuilt four times larger whenever the
     * names outgrow it: the work stays linear, the memory cleared stays small. The first pass
     * also checks the values. */
    table tb;
    uint32_t want = 64, size, *count, *stamp;
    int r;
    bool first = true;
    do {
        if (!campval__spend(p->ws, 1) || !table_init(p, &tb, want))
            return -1;
        size = tb.mask + 1;
        if ((uint64_t)size * 3 > p->ws->slot_count) {
            /* more distinct names than the slots hold (a tiny workspace): the values are
             * checked all the same, the names are not */
            return first ? check_values(p, arr) : ok;
        }
        count = tb.slot + size, stamp = count + size;
        memset(count, 0, (size_t)size * 2 * sizeof *count);
        r = first ? check_and_count(p, arr, &tb, count, stamp, &ok, &names)
                  : count_names(p, arr, &tb, count, stamp);
        if (r == -1)
            return -1;
        if (r == -3)
            return 0;
        first = false;
        want = want * 4 < names ? want * 4 : names;
    } while (r == -2);
    if (names == 0)
        return ok;
    /* Names most contacts have, compacted to the front of count[] as slot indices, then put in
     * the order they first appear in the document: a contact's "missing" findings come in that
     * order, not in the table's, which follows the workspace's random hash key. */
    uint32_t most = 0;
    for (uint32_t h = 0; h < size; h++)
        if (tb.slot[h] && (uint64_t)count[h] * 2 > contacts && count[h] < contacts)
            count[most++] = h;
    if (!campval__spend(p->ws, size / 64 + most + (uint64_t)most * contacts / 8))
        return -1;
    if (most == 0)
        return ok;
    by_first_use(count, most, tb.slot);
    memset(stamp, 0, (size_t)size * sizeof *stamp);
    name_memo memo;
    memo_init(&memo);
    EACH_ITEM(d, arr, i, k) {
        int64_t pv = prompt_vars_of(d, k);
        if (is_type(d, pv, CAMPVAL__T_OBJECT)) {
            uint32_t m = (uint32_t)pv + 1;
            for (int e = 0; e < d->tok[pv].size; e++, m = d->next[m]) {
                int64_t h = remembered(d, &memo, e, m);
                if (h < 0) {
                    h = (uint32_t)name_hash(p, m) & tb.mask;
                    while (tb.slot[h] &&
                           !campval__str_equal(str_of(d, tb.slot[h] - 1), str_of(d, m)))
                        h = (h + 1) & tb.mask;
                    remember(d, &memo, e, m, (uint32_t)h);
                }
                stamp[h] = i + 1;
            }
        }
        for (uint32_t j = 0; j < most; j++) {
            uint32_t h = count[j];
            if (stamp[h] == i + 1)
                continue;
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_PROMPT_MISSING, pv >= 0 ? (uint32_t)pv : k,
                           (int32_t)(tb.slot[h] - 1)))
                return 0;
        }
    }
    return ok;
}

