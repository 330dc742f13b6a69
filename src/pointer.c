/*
 * Pointers are never stored: errors keep a token index and the pointer is rebuilt from parent
 * links on request, so validation builds nothing for values that pass.
 */
#include "pointer.h"

#include <string.h>

#include "jstring.h"
#include "utf8.h"

/* Escape one reference token ('~' -> "~0", '/' -> "~1") from unescaped bytes. */
static void put_escaped(campval__sb *sb, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '~' && s[i] != '/')
            continue;
        campval__sb_put(sb, s + run, i - run);
        campval__sb_puts(sb, s[i] == '~' ? "~0" : "~1");
        run = i + 1;
    }
    campval__sb_put(sb, s + run, n - run);
}

/* Raw length of one unit of an escaped string: a byte, an escape, or an escaped surrogate pair. */
static size_t unit_len(const char *q)
{
    if (q[0] != '\\')
        return 1;
    if (q[1] != 'u')
        return 2;
    long v = campval__hex4((const unsigned char *)q + 2, 4); /* validated by the lexer */
    return v >= 0xD800 && v <= 0xDBFF ? 12 : 6;
}

/* Length and text of one segment: the member name or the element index. */
static void segment(const campval__doc *doc, uint32_t t, uint32_t parent, campval__sb *sb)
{
    const campval__tok *tok = doc->tok;
    if (tok[parent].type == CAMPVAL__T_STRING) { /* t is a member value: name is parent */
        const campval__tok *k = &tok[parent];
        campval__str s = {doc->text + k->start, (size_t)(k->end - k->start),
                          (doc->flags[parent] & CAMPVAL__F_ESCAPED) != 0};
        if (!s.escaped) {
            put_escaped(sb, s.raw, s.len);
            return;
        }
        /* Unescape a piece at a time through a small buffer: names can be long. */
        char tmp[512];
        const char *p = s.raw, *end = s.raw + s.len;
        while (p < end) {
            const char *q = p;
            size_t budget = 0;
            while (q < end && budget < sizeof tmp / 2) {
                size_t step = unit_len(q);
                q += step;
                budget += step;
            }
            campval__str part = {p, (size_t)(q - p), true};
            size_t n = campval__str_unescape(part, tmp);
            put_escaped(sb, tmp, n);
            p = q;
        }
        return;
    }
    /* Array element: count the siblings before t. */
    uint32_t idx = 0;
    for (uint32_t c = parent + 1; c < t; c = doc->next[c])
        idx++;
    campval__sb_printf(sb, "%u", idx);
}

void campval__pointer_render(const campval__doc *doc, uint32_t t, campval__sb *sb)
{
    if (t >= doc->count)
        return;
    if (doc->flags[t] & CAMPVAL__F_KEY) /* a member name stands for its member */
        t = t + 1;
    /* Collect the path bottom-up in pieces, then emit top-down: count levels first, then for
     * each level walk up again. Depth is bounded by max_depth, pieces are rendered once. */
    uint32_t depth = 0;
    for (int p = doc->tok[t].parent; p >= 0; p = doc->tok[p].parent)
        if (doc->tok[p].type != CAMPVAL__T_STRING)
            depth++;
    for (uint32_t level = 0; level < depth; level++) {
        /* Find the value at `level + 1` steps below the root on the path to t. */
        uint32_t v = t;
        uint32_t above = depth - level - 1;
        while (above > 0) {
            int p = doc->tok[v].parent;
            if (doc->tok[p].type == CAMPVAL__T_STRING)
                p = doc->tok[p].parent;
            v = (uint32_t)p;
            above--;
        }
        int p = doc->tok[v].parent;
        campval__sb_puts(sb, "/");
        segment(doc, v, (uint32_t)p, sb);
    }
}

/* Compare a pointer segment (with ~0 ~1 escapes) to unescaped bytes. */
static size_t unescape_segment(const char *seg, size_t n, char *out, bool *ok)
{
    size_t o = 0;
    *ok = true;
    for (size_t i = 0; i < n; i++) {
        if (seg[i] == '~') {
            if (i + 1 < n && (seg[i + 1] == '0' || seg[i + 1] == '1')) {
                out[o++] = seg[i + 1] == '0' ? '~' : '/';
                i++;
                continue;
            }
            *ok = false;
            return 0;
        }
        out[o++] = seg[i];
    }
    return o;
}

int64_t campval__pointer_resolve(const campval__doc *doc, uint32_t from, const char *p, size_t n)
{
    uint32_t t = from;
    size_t i = 0;
    if (n > 0 && p[0] != '/')
        return -1;
    char seg[1024];
    while (i < n) {
        size_t j = i + 1;
        while (j < n && p[j] != '/')
            j++;
        const char *raw = p + i + 1;
        size_t rawlen = j - i - 1;
        if (rawlen >= sizeof seg)
            return -1;
        bool ok;
        size_t sl = unescape_segment(raw, rawlen, seg, &ok);
        if (!ok)
            return -1;
        const campval__tok *tk = &doc->tok[t];
        if (tk->type == CAMPVAL__T_OBJECT) {
            uint32_t k = t + 1;
            int64_t found = -1;
            for (int m = 0; m < tk->size; m++, k = doc->next[k]) {
                campval__str s = {doc->text + doc->tok[k].start,
                                  (size_t)(doc->tok[k].end - doc->tok[k].start),
                                  (doc->flags[k] & CAMPVAL__F_ESCAPED) != 0};
                if (campval__str_equal_plain(s, seg, sl))
                    found = k + 1; /* last occurrence wins, like the validator */
            }
            if (found < 0)
                return -1;
            t = (uint32_t)found;
        } else if (tk->type == CAMPVAL__T_ARRAY) {
            if (sl == 0 || sl > 9 || (sl > 1 && seg[0] == '0'))
                return -1;
            uint32_t idx = 0;
            for (size_t d = 0; d < sl; d++) {
                if (seg[d] < '0' || seg[d] > '9')
                    return -1;
                idx = idx * 10 + (uint32_t)(seg[d] - '0');
            }
            if (idx >= (uint32_t)tk->size)
                return -1;
            uint32_t c = t + 1;
            while (idx-- > 0)
                c = doc->next[c];
            t = c;
        } else {
            return -1;
        }
        i = j;
    }
    return t;
}
