/* Number lists (src/numbers.c): the file format, lookups, failing closed, allocation. */
#define _DEFAULT_SOURCE /* mkstemp, strdup */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campval.h"
#include "testutil.h"

static campval_numbers *parse_ok(const char *body)
{
    campval_numbers *s = NULL;
    campval_numbers_error e;
    campval_code rc = campval_numbers_parse(body, strlen(body), NULL, &s, &e);
    cr_assert_eq(rc, CAMPVAL_OK, "%s: line %zu: %s", campval_code_name(rc), e.line, e.message);
    cr_assert_not_null(s);
    return s;
}

static int has(const campval_numbers *s, const char *n)
{
    return campval_numbers_contains(s, n, strlen(n));
}

/* Parse must fail on `line` with a message containing `what`. */
static void parse_bad(const char *body, size_t line, const char *what)
{
    campval_numbers *s = (campval_numbers *)1;
    campval_numbers_error e;
    campval_code rc = campval_numbers_parse(body, strlen(body), NULL, &s, &e);
    cr_expect_eq(rc, CAMPVAL_NUMBERS_SYNTAX, "%s: %s", body, campval_code_name(rc));
    cr_expect_null(s);
    cr_expect_eq(e.line, line, "%s: line %zu, expected %zu", body, e.line, line);
    cr_expect(strstr(e.message, what) != NULL, "%s: message \"%s\"", body, e.message);
}

Test(format, numbers_separators_comments_crlf)
{
    campval_numbers *s = parse_ok("# do not call\n"
                                  "+14155550123\r\n"
                                  "\n"
                                  "   \t\n"
                                  "  # indented comment\n"
                                  "+1 (212) 555-0199\r\n"
                                  "+33.1.42.68.53.00\n"
                                  "  +44 20 7946 0958  \n"
                                  "+14155550123\n" /* duplicate */
                                  "+1-415-555-0123"); /* duplicate, no final newline */
    cr_expect_eq(campval_numbers_count(s), 4);
    cr_expect(has(s, "+14155550123"));
    cr_expect(has(s, "+12125550199"));
    cr_expect(has(s, "+33142685300"));
    cr_expect(has(s, "+442079460958"));
    /* contains normalises the same way */
    cr_expect(has(s, "+1 (415) 555-0123"));
    cr_expect(has(s, " +33 1 42 68 53 00\r"));
    cr_expect(!has(s, "+14155550124"));
    cr_expect(!has(s, "+1415555012"));
    cr_expect(!has(s, "+141555501230"));
    /* same digits, different split between country code and number: one key, by design */
    cr_expect(has(s, "+141 555 501 23"));
    /* not numbers: never "in the list" */
    cr_expect(!has(s, "14155550123"));
    cr_expect(!has(s, ""));
    cr_expect(!has(s, "# +14155550123"));
    cr_expect(!has(s, "+14155550123\n"));
    cr_expect(!campval_numbers_contains(s, NULL, 3));
    cr_expect(!campval_numbers_contains(NULL, "+14155550123", 12));
    cr_expect_geq(campval_numbers_memory(s), 4 * sizeof(uint64_t));
    campval_numbers_free(s);
    campval_numbers_free(NULL);
}

Test(format, bad_lines_fail_the_load_with_their_line)
{
    parse_bad("+14155550123\n14155550124\n", 2, "expected '+'");
    parse_bad("+14155550123\r\n\r\n+1415x5550124\r\n", 3, "unexpected character");
    parse_bad("+1234567890123456\n", 1, "more than 15 digits");
    parse_bad("\n\n\n+0123456\n", 4, "never starts with 0");
    parse_bad("+\n", 1, "fewer than 2 digits");
    parse_bad("+1\n", 1, "fewer than 2 digits");
    parse_bad("+1 415\n+44 20+7946\n", 2, "unexpected character");
    parse_bad("+14155550123 # trailing comment\n", 1, "unexpected character");
    parse_bad("++14155550123\n", 1, "unexpected character");
    parse_bad("+1\r4155550123\n", 1, "unexpected character");
    /* the first bad line is reported, even when later lines are bad too */
    parse_bad("+33142685300\nabc\ndef\n", 2, "expected '+'");
    /* 15 digits is the maximum E.164 allows, and fine */
    campval_numbers *s = parse_ok("+123456789012345\n+12\n");
    cr_expect_eq(campval_numbers_count(s), 2);
    cr_expect(has(s, "+123456789012345"));
    cr_expect(has(s, "+12"));
    campval_numbers_free(s);
}

Test(format, embedded_nul_is_an_error)
{
    static const char body[] = "+14155550123\n+1415\0" "5550124\n";
    campval_numbers *s;
    campval_numbers_error e;
    cr_expect_eq(campval_numbers_parse(body, sizeof body - 1, NULL, &s, &e), CAMPVAL_NUMBERS_SYNTAX);
    cr_expect_eq(e.line, 2);
    s = parse_ok("+14155550124\n");
    cr_expect(!campval_numbers_contains(s, "+1415\0" "5550124", 12));
    cr_expect(campval_numbers_contains(s, "+14155550124", 12));
    campval_numbers_free(s);
}

Test(format, long_lines)
{
    char *body = malloc(3000);
    memset(body, ' ', 2000);
    memcpy(body + 2000, "+14155550123\n", 14);
    campval_numbers *s;
    campval_numbers_error e;
    cr_expect_eq(campval_numbers_parse(body, strlen(body), NULL, &s, &e), CAMPVAL_NUMBERS_SYNTAX);
    cr_expect_eq(e.line, 1);
    cr_expect(strstr(e.message, "1024") != NULL, "%s", e.message);
    free(body);
}

Test(format, empty_lists)
{
    campval_numbers *s = parse_ok("");
    cr_expect_eq(campval_numbers_count(s), 0);
    cr_expect(!has(s, "+14155550123"));
    campval_numbers_free(s);
    s = parse_ok("# nothing yet\n\n\r\n");
    cr_expect_eq(campval_numbers_count(s), 0);
    campval_numbers_free(s);
    cr_expect_eq(campval_numbers_parse(NULL, 0, NULL, &s, NULL), CAMPVAL_OK);
    cr_expect_eq(campval_numbers_count(s), 0);
    campval_numbers_free(s);
}

Test(format, null_arguments)
{
    campval_numbers *s;
    campval_numbers_error e;
    cr_expect_eq(campval_numbers_parse(NULL, 3, NULL, &s, &e), CAMPVAL_NULL_ARGUMENT);
    cr_expect_eq(campval_numbers_parse("+12", 3, NULL, NULL, &e), CAMPVAL_NULL_ARGUMENT);
    cr_expect_eq(campval_numbers_load(NULL, NULL, &s, &e), CAMPVAL_NULL_ARGUMENT);
    cr_expect_eq(campval_numbers_load("/x", NULL, NULL, &e), CAMPVAL_NULL_ARGUMENT);
    cr_expect_eq(campval_numbers_count(NULL), 0);
    cr_expect_eq(campval_code_class(CAMPVAL_NUMBERS_SYNTAX), CAMPVAL_CLASS_RULES);
    cr_expect_str_eq(campval_code_name(CAMPVAL_NUMBERS_SYNTAX), "NUMBERS_SYNTAX");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Keys in random order, many duplicates: the radix sort's result against qsort's. */
Test(sort, random_order_and_duplicates)
{
    enum { N = 200000 };
    size_t cap = (size_t)N * 20;
    char *body = malloc(cap), *p = body;
    uint64_t *keys = malloc(N * sizeof *keys);
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* 2 to 15 digits, the first non-zero; every tenth a repeat of an earlier one */
        uint64_t k = i % 10 == 9 ? keys[x % (uint64_t)i] : 10 + x % 999999999999990u;
        if (i % 1000 == 0)
            k = 10 + x % 90; /* short ones too */
        keys[i] = k;
        p += sprintf(p, "+%llu\n", (unsigned long long)k);
    }
    campval_numbers *s;
    campval_numbers_error e;
    cr_assert_eq(campval_numbers_parse(body, (size_t)(p - body), NULL, &s, &e), CAMPVAL_OK, "%s",
                 e.message);
    for (int i = 0; i < N; i++) {
        char num[24];
        int n = sprintf(num, "+%llu", (unsigned long long)keys[i]);
        cr_assert(campval_numbers_contains(s, num, (size_t)n), "%s", num);
    }
    qsort(keys, N, sizeof *keys, cmp_u64);
    size_t distinct = 0;
    for (int i = 0; i < N; i++)
        distinct += i == 0 || keys[i] != keys[i - 1];
    /* absent keys: between and around the present ones */
    for (int i = 0; i + 1 < N; i += 97) {
        uint64_t k = keys[i] + 1;
        if (bsearch(&k, keys, N, sizeof *keys, cmp_u64))
            continue;
        char num[24];
        int n = sprintf(num, "+%llu", (unsigned long long)k);
        cr_assert(!campval_numbers_contains(s, num, (size_t)n), "%s", num);
    }
    /* equal counts and every key found: the set is exactly the distinct keys */
    cr_expect_eq(campval_numbers_count(s), distinct);
    campval_numbers_free(s);
    free(keys);
    free(body);
}

/* ---- files ----------------------------------------------------------------------------------- */

static char *temp_file(const char *body, size_t len)
{
    char *path = strdup("/tmp/campval-numbers-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, body, len), (ssize_t)len);
    close(fd);
    return path;
}

Test(file, load_matches_parse_across_chunk_boundaries)
{
    /* more than one 64 KiB chunk, with lines cut at every boundary position */
    size_t cap = 400000, len = 0;
    char *body = malloc(cap);
    for (int i = 0; len < cap - 64; i++)
        len += (size_t)sprintf(body + len, i % 7 == 0 ? "# comment %d\r\n" : "+1 415 %07d\r\n", i);
    char *path = temp_file(body, len);
    campval_numbers *a, *b;
    campval_numbers_error e;
    cr_assert_eq(campval_numbers_load(path, NULL, &a, &e), CAMPVAL_OK, "%zu: %s", e.line,
                 e.message);
    cr_assert_eq(campval_numbers_parse(body, len, NULL, &b, &e), CAMPVAL_OK);
    cr_expect_eq(campval_numbers_count(a), campval_numbers_count(b));
    cr_expect_gt(campval_numbers_count(a), 20000);
    cr_expect(has(a, "+14150000001"));
    cr_expect(!has(a, "+14150000007"));
    campval_numbers_free(a);
    campval_numbers_free(b);
    unlink(path);
    free(path);

    /* a bad line far into the file reports its line number */
    len = (size_t)sprintf(body, "+14155550123\n");
    for (int i = 0; i < 9000; i++)
        len += (size_t)sprintf(body + len, "+4420%07d\n", i);
    len += (size_t)sprintf(body + len, "+44 20 oops\n");
    path = temp_file(body, len);
    cr_expect_eq(campval_numbers_load(path, NULL, &a, &e), CAMPVAL_NUMBERS_SYNTAX);
    cr_expect_eq(e.line, 9002);
    cr_expect_null(a);
    unlink(path);
    free(path);

    /* a line with no end that is longer than a chunk */
    memset(body, '+', 70000);
    path = temp_file(body, 70000);
    cr_expect_eq(campval_numbers_load(path, NULL, &a, &e), CAMPVAL_NUMBERS_SYNTAX);
    cr_expect_eq(e.line, 1);
    unlink(path);
    free(path);
    free(body);
}

Test(file, missing_file_and_directory)
{
    campval_numbers *s;
    campval_numbers_error e;
    cr_expect_eq(campval_numbers_load("/nonexistent/dnc.txt", NULL, &s, &e), CAMPVAL_IO);
    cr_expect_null(s);
    cr_expect_eq(e.line, 0);
    cr_expect_neq(e.message[0], '\0');
    cr_expect_eq(campval_numbers_load("/tmp", NULL, &s, &e), CAMPVAL_IO, "a directory");
    char *path = temp_file("", 0);
    cr_expect_eq(campval_numbers_load(path, NULL, &s, &e), CAMPVAL_OK);
    cr_expect_eq(campval_numbers_count(s), 0);
    campval_numbers_free(s);
    unlink(path);
    free(path);
}

/* ---- allocation ------------------------------------------------------------------------------ */


/* An unsorted list with duplicates, so that every allocation (array, shrink, sort scratch,
 * final shrink, the set) happens. */
static const char list[] = "+33142685300\n+14155550123\n+12125550199\n+14155550123\n"
                           "# comment\n+442079460958\n+33142685300\n";

static void every_failure(campval_allocator a, counting_alloc *c, int from_file)
{
    char *path = from_file ? temp_file(list, sizeof list - 1) : NULL;
    size_t needed;
    {
        c->calls = 0, c->fail_at = 0;
        campval_numbers *s;
        campval_code rc = from_file ? campval_numbers_load(path, &a, &s, NULL)
                                    : campval_numbers_parse(list, sizeof list - 1, &a, &s, NULL);
        cr_assert_eq(rc, CAMPVAL_OK);
        cr_expect_eq(campval_numbers_count(s), 4);
        cr_expect_gt(c->live_bytes, 0);
        campval_numbers_free(s);
        cr_expect_eq(c->live_bytes, 0, "free returns every byte, sizes matching");
        needed = c->calls;
    }
    cr_assert_geq(needed, 3);
    size_t nomem_free = 0;
    for (size_t k = 1; k <= needed; k++) {
        c->calls = 0, c->fail_at = k;
        campval_numbers *s = (campval_numbers *)1;
        campval_numbers_error e;
        campval_code rc = from_file ? campval_numbers_load(path, &a, &s, &e)
                                    : campval_numbers_parse(list, sizeof list - 1, &a, &s, &e);
        if (rc == CAMPVAL_OK) {
            /* only a shrink failed: the set keeps the larger block */
            nomem_free++;
            cr_expect_eq(campval_numbers_count(s), 4);
            cr_expect(has(s, "+442079460958"));
            campval_numbers_free(s);
        } else {
            cr_expect_eq(rc, CAMPVAL_NOMEM, "failing call %zu of %zu gave %s", k, needed,
                         campval_code_name(rc));
            cr_expect_null(s);
            cr_expect_str_eq(e.message, "out of memory");
        }
        cr_expect_eq(c->live_bytes, 0, "failing call %zu leaked %zu bytes", k, c->live_bytes);
    }
    cr_expect_lt(nomem_free, needed, "most failures are NOMEM");
    if (path) {
        unlink(path);
        free(path);
    }
}

Test(memory, allocation_failures_leak_nothing)
{
    counting_alloc c = {0, 0, 0};
    every_failure((campval_allocator){ca_malloc, NULL, ca_free, &c}, &c, 0);
    every_failure((campval_allocator){ca_malloc, ca_realloc, ca_free, &c}, &c, 0);
    every_failure((campval_allocator){ca_malloc, NULL, ca_free, &c}, &c, 1);
    every_failure((campval_allocator){ca_malloc, ca_realloc, ca_free, &c}, &c, 1);
}

Test(memory, errors_free_everything)
{
    counting_alloc c = {0, 0, 0};
    campval_allocator a = {ca_malloc, ca_realloc, ca_free, &c};
    campval_numbers *s;
    cr_expect_eq(campval_numbers_parse("+12\n+13\nx\n", 10, &a, &s, NULL), CAMPVAL_NUMBERS_SYNTAX);
    cr_expect_eq(c.live_bytes, 0);
    char *path = temp_file("+12\nx\n", 6);
    cr_expect_eq(campval_numbers_load(path, &a, &s, NULL), CAMPVAL_NUMBERS_SYNTAX);
    cr_expect_eq(c.live_bytes, 0);
    unlink(path);
    free(path);
}
