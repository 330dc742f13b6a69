/*
 * Tests for src/uri.c: RFC 3986 reference resolution (the examples of section 5.4), fragments,
 * percent-decoding, and buffers that are too small.
 */
#include <criterion/criterion.h>

#include <stdbool.h>
#include <string.h>

#include "uri.h"

static const char BASE[] = "http://a/b/c/d;p?q";

static void expect_resolves(const char *base, const char *ref, const char *want)
{
    char buf[256];
    cr_assert(campval__uri_resolve(base, ref, buf, sizeof buf), "%s against %s", ref, base);
    cr_expect_str_eq(buf, want, "%s against %s", ref, base);
}

Test(resolve, rfc3986_normal_examples)
{
    static const char *const cases[][2] = {
        {"g:h", "g:h"},           {"g", "http://a/b/c/g"},      {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},         {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"}, {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},   {"./", "http://a/b/c/"},      {"..", "http://a/b/"},
        {"../", "http://a/b/"},   {"../g", "http://a/b/g"},     {"../..", "http://a/"},
        {"../../", "http://a/"},  {"../../g", "http://a/g"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_resolves(BASE, cases[i][0], cases[i][1]);
}

Test(resolve, rfc3986_abnormal_examples)
{
    static const char *const cases[][2] = {
        {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},      {"g.", "http://a/b/c/g."},       {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."},  {"..g", "http://a/b/c/..g"},     {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"},   {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"},   {"g#s/../x", "http://a/b/c/g#s/../x"},
        {"http:g", "http:g"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_resolves(BASE, cases[i][0], cases[i][1]);
}

Test(resolve, absolute_and_relative_without_base)
{
    expect_resolves(NULL, "https://example.com/schemas/a.json#/$defs/x",
                    "https://example.com/schemas/a.json#/$defs/x");
    expect_resolves("", "urn:uuid:deadbeef-1234-0000-0000-4321feedbeef",
                    "urn:uuid:deadbeef-1234-0000-0000-4321feedbeef");
    expect_resolves(NULL, "a/b.json", "a/b.json");
    expect_resolves("https://example.com", "tree", "https://example.com/tree");
    expect_resolves("https://example.com/root.json", "#foo", "https://example.com/root.json#foo");
    expect_resolves("https://example.com/a/b.json#old", "c.json", "https://example.com/a/c.json");
    expect_resolves("urn:example:root", "#/$defs/a", "urn:example:root#/$defs/a");
}

Test(resolve, buffer_too_small_is_false)
{
    char buf[8];
    cr_expect_not(campval__uri_resolve("http://example.com/", "abc", buf, sizeof buf));
    cr_expect(campval__uri_resolve("a:", "g", buf, sizeof buf));
    cr_expect_str_eq(buf, "a:g");
    char exact[11];
    cr_expect(campval__uri_resolve("http://a/", "g", exact, sizeof exact));
    cr_expect_not(campval__uri_resolve("http://a/", "g", exact, sizeof exact - 1));
}

Test(fragment, strip)
{
    cr_expect_eq(campval__uri_strip_fragment("http://a/b#c"), 10);
    cr_expect_eq(campval__uri_strip_fragment("http://a/b"), 10);
    cr_expect_eq(campval__uri_strip_fragment("#"), 0);
    cr_expect_eq(campval__uri_strip_fragment(""), 0);
    cr_expect_eq(campval__uri_strip_fragment("a#b#c"), 1, "the first '#' starts the fragment");
}

static void expect_decodes(const char *in, const char *want, size_t want_len)
{
    char out[64];
    size_t n = campval__uri_percent_decode(in, strlen(in), out);
    cr_expect_eq(n, want_len, "%s", in);
    cr_expect_eq(memcmp(out, want, want_len), 0, "%s", in);
}

Test(percent, decode)
{
    expect_decodes("a%20b", "a b", 3);
    expect_decodes("%41%62%7e", "Ab~", 3);
    expect_decodes("%7E%7e", "~~", 2);
    expect_decodes("%C3%A9", "\xc3\xa9", 2);
    expect_decodes("%00x", "\0x", 2);
    expect_decodes("/$defs/a%25b", "/$defs/a%b", 10);
    expect_decodes("%25%32%35", "%25", 3);
}

Test(percent, invalid_escapes_stay_as_they_are)
{
    expect_decodes("%", "%", 1);
    expect_decodes("%4", "%4", 2);
    expect_decodes("%zz", "%zz", 3);
    expect_decodes("%g1%1g", "%g1%1g", 6);
    expect_decodes("100%", "100%", 4);
}

static bool check(const char *s, bool need_scheme)
{
    return campval__uri_check(s, strlen(s), need_scheme);
}

Test(syntax, absolute_uris)
{
    static const char *const ok[] = {
        "http://example.com/a/b?q=1#f", "urn:example:animal:ferret:nose", "mailto:a@b.example",
        "http://user:pw@[2001:db8::1]:8080/p", "http://[v7.fe:80]/", "http://999.1.1.1/",
        "foo+bar-baz.q:x", "http://a/%7Euser%20x", "file:///etc/hosts", "a:",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        cr_expect(check(ok[i], true), "%s", ok[i]);
}

Test(syntax, relative_references)
{
    static const char *const ok[] = {"", "a/b", "/a/b", "//host/p", "?q", "#f", "./a:b",
                                     "../..", "#/$defs/x", "a/b:c", "%41"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        cr_expect(check(ok[i], false), "%s", ok[i]);
        cr_expect_not(check(ok[i], true), "%s needs a scheme", ok[i]);
    }
}

Test(syntax, invalid)
{
    static const char *const bad[] = {
        "http://exa mple.com/",  "http://a/b c",      "http://a/%zz",     "http://a/%4",
        "http://[::1/",          "http://[1::2::3]/", "http://[vx.a]/",   "http://a:8x/",
        "http://a/\\b",          "http://a/<b>",      "http://a#f#g",     "1http://a/",
        "a:b c",                 "http://a/\"",       "http://a/^",       "http://[v7.%41]/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_expect_not(check(bad[i], true), "%s", bad[i]);
        cr_expect_not(check(bad[i], false), "%s", bad[i]);
    }
    cr_expect_not(check(":a", false), "path-noscheme: a colon in the first segment");
    cr_expect_not(check("a:b", false) == false, "a:b is a URI (scheme a)");
    cr_expect_not(campval__uri_check("http://a/\0b", 11, true), "a NUL byte");
}
