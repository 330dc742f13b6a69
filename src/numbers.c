/*
 * Suppression (do-not-call) lists: an immutable sorted set of E.164 numbers, each kept as its
 * digits read as one integer (a country code never starts with 0, so "+1 415..." and "+14 15..."
 * cannot collide). Loading is the only step that allocates; lookups are a binary search.
 *
 * Sorting: 10 million keys in about a second (bench/numbers.sh) needs a radix sort (LSD, a byte per
 * pass, passes where every key has the same byte skipped: numbers below 10^15 < 2^50 take at
 * most 7). A list that is already sorted, as exported lists usually are, is not sorted again.
 */
/* open(2), fstat(2), fdopen(3), O_CLOEXEC: POSIX.1-2008 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/*
 * Lookups: a plain binary search over 80 MB misses the cache at nearly every one of its 24
 * steps (about 1.2 us a lookup). So the set also keeps an index of every FAN-th key, every
 * FAN-th of those, and so on up to a level of at most FAN keys (1/63 more memory): a lookup
 * searches FAN keys per level, a few cache lines each.
 */
enum { FAN = 64, MAX_LEVELS = 8 };

struct campval_numbers {
    campval_allocator alloc; /* copy of the caller's, or all NULL for malloc */
    size_t count;
    size_t cap;     /* keys allocated (count, unless the allocator could not shrink them) */
    uint64_t *keys; /* count ascending distinct keys, a separate allocation */
    size_t levels;  /* index levels above the keys */
    size_t level_start[MAX_LEVELS], level_len[MAX_LEVELS]; /* into index[] */
    size_t index_len;
    uint64_t index[]; /* level 1 (every FAN-th key), level 2 (every FAN-th of level 1), ... */
};

enum {
    MAX_DIGITS = 15,   /* E.164 */
    MIN_DIGITS = 2,    /* as the e164 format */
    MAX_LINE = 1024,   /* bytes, line ending excluded */
    CHUNK = 1 << 16    /* campval_numbers_load reads this much at a time */
};

/* ---- one line -------------------------------------------------------------------------------- */

enum { LINE_SKIP = 0, LINE_NUMBER = 1, LINE_BAD = -1 };

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/*
 * Parse one line (without its '\n'; a '\r' before it is dropped): blank and '#' lines are
 * LINE_SKIP; "+" then 2 to 15 digits, the first not 0, with ' ', '-', '.', '(' and ')' allowed
 * between them and blanks around the whole, is LINE_NUMBER with *key; anything else LINE_BAD
 * with *why.
 */
static int parse_line(const char *s, size_t n, uint64_t *key, const char **why)
{
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n > MAX_LINE) {
        *why = "line is longer than 1024 bytes";
        return LINE_BAD;
    }
    while (n > 0 && is_blank(*s))
        s++, n--;
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    if (n == 0 || *s == '#')
        return LINE_SKIP;
    if (*s != '+') {
        *why = "expected '+' and the number's digits";
        return LINE_BAD;
    }
    uint64_t v = 0;
    int digits = 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (digits == 0 && c == '0') {
                *why = "a country code never starts with 0";
                return LINE_BAD;
            }
            if (++digits > MAX_DIGITS) {
                *why = "more than 15 digits";
                return LINE_BAD;
            }
            v = v * 10 + (uint64_t)(c - '0');
        } else if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')')) {
            *why = "unexpected character (only digits, spaces, '-', '.', '(' and ')' may follow "
                   "'+')";
            return LINE_BAD;
        }
    }
    if (digits < MIN_DIGITS) {
        *why = "fewer than 2 digits";
        return LINE_BAD;
    }
    *key = v;
    return LINE_NUMBER;
}

/* ---- building -------------------------------------------------------------------------------- */

typedef struct builder {
    const campval_allocator *a;
    uint64_t *keys;
    size_t n, cap;
    size_t line; /* lines consumed so far */
    campval_numbers_error *err;
} builder;

static void set_error(campval_numbers_error *err, size_t line, const char *msg)
{
    if (!err)
        return;
    err->line = line;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static campval_code reserve(builder *b, size_t more)
{
    if (more <= b->cap - b->n)
        return CAMPVAL_OK;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->n < more) {
        if (cap > SIZE_MAX / 2 / sizeof(uint64_t))
            return CAMPVAL_NOMEM;
        cap *= 2;
    }
    uint64_t *k = campval__realloc(b->a, b->keys, b->cap * sizeof *k, cap * sizeof *k);
    if (!k)
        return CAMPVAL_NOMEM;
    b->keys = k;
    b->cap = cap;
    return CAMPVAL_OK;
}

/* Consume the complete lines of p[0..n) (the last one too when `last`). Returns the bytes used. */
static campval_code add_lines(builder *b, const char *p, size_t n, int last, size_t *used)
{
    size_t pos = 0;
    for (;;) {
        const char *nl = memchr(p + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - p) : n;
        if (!nl && (!last || pos == n))
            break;
        uint64_t key;
        const char *why = NULL;
        b->line++;
        int rc = parse_line(p + pos, end - pos, &key, &why);
        if (rc == LINE_BAD) {
            set_error(b->err, b->line, why);
            return CAMPVAL_NUMBERS_SYNTAX;
        }
        if (rc == LINE_NUMBER) {
            if (reserve(b, 1) != CAMPVAL_OK)
                return CAMPVAL_NOMEM;
            b->keys[b->n++] = key;
        }
        pos = nl ? end + 1 : n;
        if (!nl)
            break;
    }
    *used = pos;
    return CAMPVAL_OK;
}

/* LSD radix sort of k[0..n) using tmp[0..n); the result ends up in k. */
static void radix_sort(uint64_t *k, uint64_t *tmp, size_t n)
{
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(k[i] >> shift) & 0xFF]++;
        if (count[(k[0] >> shift) & 0xFF] == n)
            continue; /* every key has this byte: the pass would not move anything */
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(k[i] >> shift) & 0xFF]++] = k[i];
        memcpy(k, tmp, n * sizeof *k);
    }
}

/* Give back the unused tail of the array; when the allocator cannot, keep it all. */
static void shrink(builder *b, size_t n)
{
    if (n == b->cap)
        return;
    uint64_t *k = campval__realloc(b->a, b->keys, b->cap * sizeof *k, n * sizeof *k);
    if (k)
        b->keys = k, b->cap = n;
}

/* Sort, drop duplicates, shrink, and wrap the keys in the set. */
static campval_code finish(builder *b, campval_numbers **out)
{
    const campval_allocator *a = b->a;
    size_t n = b->n;
    size_t sorted = 1;
    while (sorted < n && b->keys[sorted - 1] <= b->keys[sorted])
        sorted++;
    if (sorted < n) {
        shrink(b, n); /* so that the sort's scratch array is the only second copy */
        uint64_t *tmp = campval__malloc(a, n * sizeof *tmp);
        if (!tmp)
            return CAMPVAL_NOMEM;
        radix_sort(b->keys, tmp, n);
        campval__free(a, tmp, n * sizeof *tmp);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || b->keys[i] != b->keys[m - 1])
            b->keys[m++] = b->keys[i];
    if (m > 0)
        shrink(b, m);
    /* index sizes: each level keeps every FAN-th entry of the one below */
    size_t levels = 0, len[MAX_LEVELS], total = 0;
    for (size_t below = m; below > FAN && levels < MAX_LEVELS; below = len[levels++]) {
        len[levels] = (below + FAN - 1) / FAN;
        total += len[levels];
    }
    campval_numbers *s = campval__malloc(a, sizeof *s + total * sizeof(uint64_t));
    if (!s)
        return CAMPVAL_NOMEM;
    memset(s, 0, sizeof *s);
    s->levels = levels;
    s->index_len = total;
    for (size_t l = 0, at = 0; l < levels; l++) {
        const uint64_t *below = l == 0 ? b->keys : s->index + s->level_start[l - 1];
        s->level_start[l] = at;
        s->level_len[l] = len[l];
        for (size_t j = 0; j < len[l]; j++)
            s->index[at + j] = below[j * FAN];
        at += len[l];
    }
    if (a && a->malloc)
        s->alloc = *a;
    s->count = m;
    s->cap = b->cap;
    s->keys = b->keys;
    if (m == 0) {
        campval__free(a, b->keys, b->cap * sizeof *b->keys);
        s->keys = NULL, s->cap = 0;
    }
    b->keys = NULL, b->cap = 0;
    *out = s;
    return CAMPVAL_OK;
}

static campval_code fail(builder *b, campval_code rc)
{
    campval__free(b->a, b->keys, b->cap * sizeof *b->keys);
    b->keys = NULL, b->cap = 0;
    if (rc == CAMPVAL_NOMEM)
        set_error(b->err, 0, "out of memory");
    return rc;
}

/* ---- public API ------------------------------------------------------------------------------ */

campval_code campval_numbers_parse(const char *text, size_t len, const campval_allocator *a,
                                   campval_numbers **out, campval_numbers_error *err)
{
    if (err)
        err->line = 0, err->message[0] = '\0';
    if (!out || (!text && len)) {
        set_error(err, 0, "a required argument is NULL");
        return CAMPVAL_NULL_ARGUMENT;
    }
    *out = NULL;
    builder b = {a, NULL, 0, 0, 0, err};
    /* size the array once: at most one number per line that starts with '+' */
    size_t plus = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && is_blank(text[i]))
            i++;
        plus += i < len && text[i] == '+';
        const char *nl = memchr(text + i, '\n', len - i);
        i = nl ? (size_t)(nl - text) + 1 : len;
    }
    campval_code rc = reserve(&b, plus ? plus : 1);
    size_t used;
    if (rc == CAMPVAL_OK && len)
        rc = add_lines(&b, text, len, 1, &used);
    if (rc == CAMPVAL_OK)
        rc = finish(&b, out);
    return rc == CAMPVAL_OK ? rc : fail(&b, rc);
}

campval_code campval_numbers_load(const char *path, const campval_allocator *a,
                                  campval_numbers **out, campval_numbers_error *err)
{
    if (err)
        err->line = 0, err->message[0] = '\0';
    if (!out || !path) {
        set_error(err, 0, "a required argument is NULL");
        return CAMPVAL_NULL_ARGUMENT;
    }
    *out = NULL;
    /* A regular file only: a FIFO or a device (/dev/zero, a pipe that never ends) would be read
     * forever, the set growing with it. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block the open */
    if (fd < 0) {
        set_error(err, 0, strerror(errno));
        return CAMPVAL_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        set_error(err, 0, "not a regular file");
        close(fd);
        return CAMPVAL_IO;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        set_error(err, 0, strerror(errno));
        close(fd);
        return CAMPVAL_IO;
    }
    builder b = {a, NULL, 0, 0, 0, err};
    char *buf = campval__malloc(a, CHUNK);
    campval_code rc = buf ? CAMPVAL_OK : CAMPVAL_NOMEM;
    size_t have = 0;
    while (rc == CAMPVAL_OK) {
        size_t got = fread(buf + have, 1, CHUNK - have, f);
        if (got == 0 && ferror(f)) {
            set_error(err, 0, "read error");
            rc = CAMPVAL_IO;
            break;
        }
        have += got;
        int last = got == 0;
        size_t used = 0;
        rc = add_lines(&b, buf, have, last, &used);
        if (rc != CAMPVAL_OK || last)
            break;
        if (used == 0 && have == CHUNK) {
            /* a whole chunk without a line end: certainly over MAX_LINE */
            set_error(err, b.line + 1, "line is longer than 1024 bytes");
            rc = CAMPVAL_NUMBERS_SYNTAX;
            break;
        }
        memmove(buf, buf + used, have - used);
        have -= used;
    }
    fclose(f);
    campval__free(a, buf, CHUNK);
    if (rc == CAMPVAL_OK)
        rc = finish(&b, out);
    return rc == CAMPVAL_OK ? rc : fail(&b, rc);
}

size_t campval_numbers_count(const campval_numbers *s) { return s ? s->count : 0; }

size_t campval_numbers_memory(const campval_numbers *s)
{
    return s ? sizeof *s + (s->index_len + s->cap) * sizeof *s->keys : 0;
}

/* The last i in [lo, hi) with k[i] <= key; k[lo] <= key holds. */
static size_t last_at_most(const uint64_t *k, size_t lo, size_t hi, uint64_t key)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (k[mid] <= key)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int campval_numbers_contains(const campval_numbers *s, const char *e164, size_t len)
{
    uint64_t key;
    const char *why;
    if (!s || !e164 || memchr(e164, '\n', len) ||
        parse_line(e164, len, &key, &why) != LINE_NUMBER)
        return 0;
    if (s->count == 0 || key < s->keys[0])
        return 0;
    /* from the top level down: the last entry <= key, then its FAN children below */
    size_t lo = 0, hi = s->levels ? s->level_len[s->levels - 1] : s->count;
    for (size_t l = s->levels; l-- > 0;) {
        size_t i = last_at_most(s->index + s->level_start[l], lo, hi, key);
        size_t below = l ? s->level_len[l - 1] : s->count;
        lo = i * FAN;
        hi = lo + FAN < below ? lo + FAN : below;
    }
    return s->keys[last_at_most(s->keys, lo, hi, key)] == key;
}

void campval_numbers_free(campval_numbers *s)
{
    if (!s)
        return;
    campval_allocator a = s->alloc;
    const campval_allocator *ap = a.malloc ? &a : NULL;
    campval__free(ap, s->keys, s->cap * sizeof *s->keys);
    campval__free(ap, s, sizeof *s + s->index_len * sizeof *s->index);
}
