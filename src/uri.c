/* RFC 3986 reference resolution (section 5.2), enough for JSON Schema identifiers. */
#include "uri.h"

#include <string.h>

#include "format.h"
#include "utf8.h"

typedef struct parts {
    const char *scheme; size_t scheme_len; bool has_scheme;
    const char *auth; size_t auth_len; bool has_auth;
    const char *path; size_t path_len;
    const char *query; size_t query_len; bool has_query;
    const char *frag; size_t frag_len; bool has_frag;
} parts;

/* The five components of RFC 3986 section 3 (appendix B's decomposition) of u[0..n). */
static void split_n(const char *u, size_t n, parts *p)
{
    memset(p, 0, sizeof *p);
    size_t i = 0;
    /* scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    size_t k = 0;
    while (k < n && (((u[k] | 0x20) >= 'a' && (u[k] | 0x20) <= 'z') ||
                     (k > 0 && ((u[k] >= '0' && u[k] <= '9') || u[k] == '+' || u[k] == '-' ||
                                u[k] == '.'))))
        k++;
    if (k > 0 && k < n && u[k] == ':') {
        p->has_scheme = true;
        p->scheme = u;
        p->scheme_len = k;
        i = k + 1;
    }
    if (i + 1 < n && u[i] == '/' && u[i + 1] == '/') {
        size_t j = i + 2;
        while (j < n && u[j] != '/' && u[j] != '?' && u[j] != '#')
            j++;
        p->has_auth = true;
        p->auth = u + i + 2;
        p->auth_len = j - i - 2;
        i = j;
    }
    size_t j = i;
    while (j < n && u[j] != '?' && u[j] != '#')
        j++;
    p->path = u + i;
    p->path_len = j - i;
    i = j;
    if (i < n && u[i] == '?') {
        j = i + 1;
        while (j < n && u[j] != '#')
            j++;
        p->has_query = true;
        p->query = u + i + 1;
        p->query_len = j - i - 1;
        i = j;
    }
    if (i < n && u[i] == '#') {
        p->has_frag = true;
        p->frag = u + i + 1;
        p->frag_len = n - i - 1;
    }
}

static void split(const char *u, parts *p) { split_n(u, strlen(u), p); }

/* remove_dot_segments (RFC 3986 5.2.4) from in[0..n) into out; returns the length. */
static size_t remove_dots(const char *in, size_t n, char *out)
{
    size_t o = 0, i = 0;
    while (i < n) {
        if (n - i >= 3 && memcmp(in + i, "../", 3) == 0) {
            i += 3;
        } else if (n - i >= 2 && memcmp(in + i, "./", 2) == 0) {
            i += 2;
        } else if (n - i >= 3 && memcmp(in + i, "/./", 3) == 0) {
            i += 2;
        } else if (n - i == 2 && memcmp(in + i, "/.", 2) == 0) {
            i += 1;
            out[o++] = '/';
            i += 1;
        } else if ((n - i >= 4 && memcmp(in + i, "/../", 4) == 0) ||
                   (n - i == 3 && memcmp(in + i, "/..", 3) == 0)) {
            i += 3;
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            if (i >= n) {
                out[o++] = '/';
            } else {
                /* in + i starts with '/': continue normally */
            }
        } else if ((n - i == 1 && in[i] == '.') || (n - i == 2 && memcmp(in + i, "..", 2) == 0)) {
            i = n;
        } else {
            size_t j = i;
            if (in[j] == '/')
                j++;
            while (j < n && in[j] != '/')
                j++;
            memcpy(out + o, in + i, j - i);
            o += j - i;
            i = j;
        }
    }
    return o;
}

typedef struct obuf {
    char *buf;
    size_t size, len;
} obuf;

static void put(obuf *o, const char *s, size_t n)
{
    if (o->len + n < o->size)
        memcpy(o->buf + o->len, s, n);
    o->len += n;
}

bool campval__uri_resolve(const char *base, const char *ref, char *buf, size_t size)
{
    parts b, r;
    split(ref, &r);
    split(base ? base : "", &b);
    char tmp[2048], merged[2048];
    const parts *sch = &b, *auth = &b, *query = &r;
    const char *path = tmp;
    size_t plen = 0;
    if (r.path_len >= sizeof tmp)
        return false;
    if (r.has_scheme || r.has_auth) {
        sch = r.has_scheme ? &r : &b;
        auth = &r;
        plen = remove_dots(r.path, r.path_len, tmp);
    } else if (r.path_len == 0) {
        path = b.path;
        plen = b.path_len;
        query = r.has_query ? &r : &b;
    } else if (r.path[0] == '/') {
        plen = remove_dots(r.path, r.path_len, tmp);
    } else {
        size_t m = 0;
        if (b.has_auth && b.path_len == 0) {
            merged[m++] = '/';
        } else {
            size_t cut = b.path_len;
            while (cut > 0 && b.path[cut - 1] != '/')
                cut--;
            if (cut >= sizeof merged)
                return false;
            memcpy(merged, b.path, cut);
            m = cut;
        }
        if (m + r.path_len >= sizeof merged)
            return false;
        memcpy(merged + m, r.path, r.path_len);
        m += r.path_len;
        plen = remove_dots(merged, m, tmp);
    }
    obuf o = {buf, size, 0};
    if (sch->has_scheme) {
        put(&o, sch->scheme, sch->scheme_len);
        put(&o, ":", 1);
    }
    if (auth->has_auth) {
        put(&o, "//", 2);
        put(&o, auth->auth, auth->auth_len);
    }
    put(&o, path, plen);
    if (query->has_query) {
        put(&o, "?", 1);
        put(&o, query->query, query->query_len);
    }
    if (r.has_frag) {
        put(&o, "#", 1);
        put(&o, r.frag, r.frag_len);
    }
    if (o.len >= size)
        return false;
    buf[o.len] = '\0';
    return true;
}

size_t campval__uri_strip_fragment(const char *uri)
{
    const char *h = strchr(uri, '#');
    return h ? (size_t)(h - uri) : strlen(uri);
}

static int hexv(char c) { return campval__hex_value((unsigned char)c); }

size_t campval__uri_percent_decode(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
            out[o++] = (char)(hexv(s[i + 1]) << 4 | hexv(s[i + 2]));
            i += 2;
            continue;
        }
        out[o++] = s[i];
    }
    return o;
}

/* ---------------------------------------------------------------------------------------------
 * RFC 3986 syntax (sections 3 and 4.1), over the components split_n finds: the one URI reader
 * of campval, used by the uri, uri-reference and iri formats.
 * ------------------------------------------------------------------------------------------- */

static bool is_alnum(unsigned c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20u) >= 'a' && (c | 0x20u) <= 'z');
}

static bool is_unreserved(unsigned c) { return is_alnum(c) || (c != 0 && strchr("-._~", (int)c)); }

static bool is_sub_delim(unsigned c) { return c != 0 && strchr("!$&'()*+,;=", (int)c) != NULL; }

/* s[0..n) is made of unreserved, sub-delims, pct-encoded and the characters in `extra`. */
static bool chars_ok(const char *s, size_t n, const char *extra)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c == '%') {
            if (n - i < 3 || hexv(s[i + 1]) < 0 || hexv(s[i + 2]) < 0)
                return false;
            i += 2;
        } else if (!is_unreserved(c) && !is_sub_delim(c) && (c == 0 || !strchr(extra, (int)c))) {
            return false;
        }
    }
    return true;
}

/* IP-literal = "[" ( IPv6address / IPvFuture ) "]", given without the brackets. */
static bool ip_literal_ok(const char *s, size_t len)
{
    if (len > 0 && (s[0] == 'v' || s[0] == 'V')) {
        size_t i = 1;
        while (i < len && hexv(s[i]) >= 0)
            i++;
        if (i == 1 || i >= len || s[i] != '.' || i + 1 == len)
            return false;
        return chars_ok(s + i + 1, len - i - 1, ":") && memchr(s + i + 1, '%', len - i - 1) == NULL;
    }
    return campval__format_check(CAMPVAL__FMT_IPV6, s, len) == 1;
}

/* authority = [ userinfo "@" ] host [ ":" port ] */
static bool authority_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    size_t host = 0;
    if (at != NULL) {
        host = (size_t)(at - s) + 1;
        if (!chars_ok(s, host - 1, ":"))
            return false;
    }
    size_t host_end;
    if (host < n && s[host] == '[') {
        const char *close = memchr(s + host, ']', n - host);
        if (close == NULL)
            return false;
        host_end = (size_t)(close - s) + 1;
        if (!ip_literal_ok(s + host + 1, host_end - host - 2))
            return false;
    } else {
        /* IPv4address is a special case of reg-name, so "999.1.1.1" is a (strange) name. */
        const char *colon = memchr(s + host, ':', n - host);
        host_end = colon ? (size_t)(colon - s) : n;
        if (!chars_ok(s + host, host_end - host, ""))
            return false;
    }
    if (host_end == n)
        return true;
    if (s[host_end] != ':')
        return false;
    for (size_t i = host_end + 1; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool campval__uri_check(const char *s, size_t len, bool need_scheme)
{
    parts p;
    split_n(s, len, &p);
    if (need_scheme && !p.has_scheme)
        return false;
    if (p.has_auth) {
        if (!authority_ok(p.auth, p.auth_len))
            return false;
    } else if (!p.has_scheme) {
        /* path-noscheme: a colon in the first segment would read as a scheme. */
        const char *slash = memchr(p.path, '/', p.path_len);
        size_t seg = slash ? (size_t)(slash - p.path) : p.path_len;
        if (memchr(p.path, ':', seg) != NULL)
            return false;
    }
    return chars_ok(p.path, p.path_len, ":@/") &&
           (!p.has_query || chars_ok(p.query, p.query_len, ":@/?")) &&
           (!p.has_frag || chars_ok(p.frag, p.frag_len, ":@/?"));
}
