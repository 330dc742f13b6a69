/*
 * fuzz_numbers — campval_numbers_parse on arbitrary bytes.
 *
 * Invariants beyond "no crash": the code is OK, NUMBERS_SYNTAX or NOMEM only; a syntax error
 * names a line that exists (1 .. lines in the input) and a non-empty message, and every line
 * before it is acceptable to an independent reading of the format below; on success every line
 * that reads as a number is in the set, the count is at most the number of such lines, and
 * contains() agrees with that reading for a probe derived from each line.
 */
#include "fuzz.h"

#define MAX_INPUT 65536u

/* The format, written again from the header's description: -1 bad, 0 skipped, 1 number. */
static int oracle_line(const char *s, size_t n, uint64_t *key)
{
    if (n && s[n - 1] == '\r')
        n--;
    if (n > 1024)
        return -1;
    size_t b = 0, e = n;
    while (b < e && (s[b] == ' ' || s[b] == '\t'))
        b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (b == e || s[b] == '#')
        return 0;
    if (s[b] != '+')
        return -1;
    uint64_t v = 0;
    int digits = 0;
    for (size_t i = b + 1; i < e; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if ((digits == 0 && s[i] == '0') || ++digits > 15)
                return -1;
            v = v * 10 + (uint64_t)(s[i] - '0');
        } else if (!strchr(" -.()", s[i]) || s[i] == '\0') {
            return -1;
        }
    }
    *key = v;
    return digits >= 2 ? 1 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    const char *text = (const char *)data;
    campval_numbers *s = NULL;
    campval_numbers_error err;
    campval_code rc = campval_numbers_parse(text, size, NULL, &s, &err);
    FUZZ_CHECK(rc == CAMPVAL_OK || rc == CAMPVAL_NUMBERS_SYNTAX || rc == CAMPVAL_NOMEM,
               "code %s", campval_code_name(rc));
    FUZZ_CHECK((rc == CAMPVAL_OK) == (s != NULL), "rc %d, set %p", (int)rc, (void *)s);
    FUZZ_CHECK(fuzz_strnlen(err.message, sizeof err.message) < sizeof err.message,
               "message not terminated");

    size_t line = 0, numbers = 0, pos = 0;
    int first_bad = 0;
    while (pos < size) {
        const char *nl = memchr(text + pos, '\n', size - pos);
        size_t end = nl ? (size_t)(nl - text) : size;
        uint64_t key;
        line++;
        int r = oracle_line(text + pos, end - pos, &key);
        if (r < 0 && !first_bad) {
            first_bad = 1;
            FUZZ_CHECK(rc == CAMPVAL_NUMBERS_SYNTAX && err.line == line,
                       "line %zu is bad, got %s at line %zu", line, campval_code_name(rc),
                       err.line);
        }
        if (r == 1 && s) {
            numbers++;
            char probe[24];
            int k = snprintf(probe, sizeof probe, "+%llu", (unsigned long long)key);
            FUZZ_CHECK(campval_numbers_contains(s, probe, (size_t)k) == 1, "line %zu: %s missing",
                       line, probe);
            FUZZ_CHECK(campval_numbers_contains(s, text + pos, end - pos) == 1,
                       "line %zu as written is missing", line);
            /* a neighbour is present only if some line says so: not checked, but must not crash */
            probe[k - 1] = probe[k - 1] == '9' ? '8' : (char)(probe[k - 1] + 1);
            (void)campval_numbers_contains(s, probe, (size_t)k);
        }
        if (!nl)
            break;
        pos = end + 1;
    }
    if (rc == CAMPVAL_NUMBERS_SYNTAX)
        FUZZ_CHECK(first_bad && err.message[0], "syntax error at %zu without a bad line",
                   err.line);
    if (rc == CAMPVAL_OK) {
        FUZZ_CHECK(!first_bad, "accepted a bad line");
        FUZZ_CHECK(campval_numbers_count(s) <= numbers, "%zu numbers from %zu lines",
                   campval_numbers_count(s), numbers);
        FUZZ_CHECK(numbers == 0 || campval_numbers_count(s) > 0, "lost every number");
    }
    campval_numbers_free(s);
    return 0;
}
