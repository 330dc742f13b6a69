/* The shape of the generated pattern cases (tests/data/regex_cases.inc), shared by the tests
 * that read them. */
#ifndef CAMPVAL_TEST_REGEX_CASE_H
#define CAMPVAL_TEST_REGEX_CASE_H

#include <stddef.h>

struct regex_case {
    const char *desc;
    const char *pattern;
    size_t pattern_len;
    const char *subject;
    size_t subject_len;
    int match;
};

struct regex_object_case {
    const char *desc;
    unsigned npatterns;
    const char *pattern[4];
    size_t pattern_len[4];
    int additional_false;
    unsigned nkeys;
    const char *key[4];
    size_t key_len[4];
    unsigned char satisfies[4][4]; /* [key][pattern]: the member value passes that subschema */
    int valid;
};

#endif /* CAMPVAL_TEST_REGEX_CASE_H */
