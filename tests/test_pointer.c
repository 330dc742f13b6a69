/*
 * JSON Pointers (src/pointer.c, RFC 6901): rendering a token's location with ~0/~1 escaping,
 * parsing pointer text (escapes, bad escapes, array indices), resolving to a token. Documents
 * come from the JSON stage over caller buffers.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pointer.h"

enum { TOKENS = 128, DEPTH = 16 };

static campval__tok tok[TOKENS];
static uint8_t flags[TOKENS];
static uint32_t next_[TOKENS], slots[2 * TOKENS], stack[2 * DEPTH + 4];
static uint8_t nest[DEPTH];
static campval__hkey key;
static uint64_t budget;

static campval__doc parse(const char *s)
{
    campval__json_stage st = {.tok = tok, .flags = flags, .next = next_, .stack = stack,
                              .nest = nest, .slots = slots, .max_tokens = TOKENS,
                              .max_depth = DEPTH, .key = &key, .budget = &budget};
    budget = 1000000;
    cr_assert_eq(campval__json_parse(&st, s, strlen(s), CAMPVAL_ALLOW_DUPLICATE_KEYS),
                 CAMPVAL_OK, "%s", s);
    return st.doc;
}

static const char *render(const campval__doc *d, uint32_t t)
{
    static char buf[256];
    campval__sb sb;
    campval__sb_init(&sb, buf, sizeof buf);
    campval__pointer_render(d, t, &sb);
    campval__sb_finish(&sb);
    return buf;
}

static int64_t resolve(const campval__doc *d, const char *p)
{
    return campval__pointer_resolve(d, 0, p, strlen(p));
}

/* The token whose raw text (strings without quotes) is s. */
static uint32_t find(const campval__doc *d, const char *s)
{
    for (uint32_t i = 0; i < d->count; i++)
        if ((size_t)(d->tok[i].end - d->tok[i].start) == strlen(s) &&
            memcmp(d->text + d->tok[i].start, s, strlen(s)) == 0)
            return i;
    cr_assert_fail("no token %s", s);
    return 0;
}

static const char doc_text[] = "{\"contacts\": [{\"to\": \"x1\"}, {\"to\": \"x2\"}],"
                               " \"a/b\": \"slash\", \"m~n\": \"tilde\", \"\\u00e9\\/~\": \"esc\","
                               " \"\": \"empty\"}";

TestSuite(pointer);

Test(pointer, render_paths)
{
    campval__doc d = parse(doc_text);
    cr_expect_str_eq(render(&d, 0), "");
    cr_expect_str_eq(render(&d, find(&d, "x1")), "/contacts/0/to");
    cr_expect_str_eq(render(&d, find(&d, "x2")), "/contacts/1/to");
    cr_expect_str_eq(render(&d, find(&d, "to")), "/contacts/0/to"); /* a name is its member */
    cr_expect_str_eq(render(&d, find(&d, "empty")), "/");
    cr_expect_str_eq(render(&d, d.count), ""); /* out of range renders nothing */
}

Test(pointer, render_escapes)
{
    campval__doc d = parse(doc_text);
    cr_expect_str_eq(render(&d, find(&d, "slash")), "/a~1b");
    cr_expect_str_eq(render(&d, find(&d, "tilde")), "/m~0n");
    /* JSON escapes are undone first, then ~ and / are escaped */
    cr_expect_str_eq(render(&d, find(&d, "esc")), "/\xC3\xA9~1~0");
}

Test(pointer, parse_and_resolve)
{
    campval__doc d = parse(doc_text);
    cr_expect_eq(resolve(&d, ""), 0);
    cr_expect_eq(resolve(&d, "/contacts/1/to"), find(&d, "x2"));
    cr_expect_eq(resolve(&d, "/a~1b"), find(&d, "slash"));
    cr_expect_eq(resolve(&d, "/m~0n"), find(&d, "tilde"));
    cr_expect_eq(resolve(&d, "/\xC3\xA9~1~0"), find(&d, "esc"));
    cr_expect_eq(resolve(&d, "/"), find(&d, "empty"));
    cr_expect_eq(resolve(&d, "contacts"), -1);    /* must start with '/' */
    cr_expect_eq(resolve(&d, "/m~2n"), -1);       /* only ~0 and ~1 */
    cr_expect_eq(resolve(&d, "/m~"), -1);
    cr_expect_eq(resolve(&d, "/contacts/2"), -1); /* past the end */
    cr_expect_eq(resolve(&d, "/contacts/01"), -1); /* no leading zeros */
    cr_expect_eq(resolve(&d, "/contacts/-"), -1);
    cr_expect_eq(resolve(&d, "/nope"), -1);
    cr_expect_eq(resolve(&d, "/a~1b/x"), -1);     /* into a scalar */
}

Test(pointer, round_trip)
{
    campval__doc d = parse(doc_text);
    for (uint32_t t = 0; t < d.count; t++) {
        if (d.flags[t] & CAMPVAL__F_KEY)
            continue;
        const char *p = render(&d, t);
        cr_expect_eq(resolve(&d, p), t, "token %u: %s", t, p);
    }
}

Test(pointer, last_duplicate_wins)
{
    campval__doc d = parse("{\"a\": 1, \"a\": 2}");
    cr_expect_eq(resolve(&d, "/a"), 4);
}
