/*
 * Eight threads share one compiled schema, each with its own workspace, and validate the
 * examples over and over; every result must equal the single-threaded one. Run under
 * ThreadSanitizer by CI, it proves the compiled schema is read-only during validation.
 * Ends with "N passed, N failed" (one check per thread).
 */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"
#include "testutil.h"

#define THREADS 8
#define ROUNDS 200

typedef struct doc {
    char *text;
    size_t len;
    campval_code want;
    size_t want_errors;   /* findings, errors and warnings */
    size_t want_severe;   /* of which errors */
} doc;

static doc docs[4];
static size_t ndocs;
static const campval_schema *shared;


static void *worker(void *arg)
{
    long bad = 0;
    campval_workspace *ws;
    if (campval_workspace_create(NULL, NULL, &ws) != CAMPVAL_OK)
        return (void *)1;
    unsigned seed = (unsigned)(size_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        const doc *d = &docs[(seed + (unsigned)r) % ndocs];
        campval_result res;
        uint32_t flags = (r & 1) ? CAMPVAL_FIRST_ERROR : 0;
        campval_code rc = campval_validate(shared, ws, d->text, d->len, flags, &res);
        /* first-error mode: one error, and the warnings met before it (which vary) */
        size_t want = flags ? (d->want_severe ? 1 : 0) : d->want_errors;
        size_t got = flags ? res.found[CAMPVAL_SEVERITY_ERROR] : res.error_count;
        char ptr[256], msg[512];
        for (size_t i = 0; i < res.error_count; i++) { /* rendering reads the schema too */
            campval_error_pointer(ws, &res.errors[i], ptr, sizeof ptr);
            campval_error_message(ws, &res.errors[i], msg, sizeof msg);
        }
        if ((rc == CAMPVAL_OK) != (d->want == CAMPVAL_OK) || got != want)
            bad++;
    }
    campval_workspace_destroy(ws);
    return (void *)bad;
}

/* The stack the header promises: a recursive schema over a document as deep as the workspace
 * allows, in a thread with a fixed stack. A shortfall crashes the test. Sanitizers make frames
 * several times larger, so their builds skip it. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define STACK_CHECK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define STACK_CHECK 0
#endif
#endif
#ifndef STACK_CHECK
#define STACK_CHECK 1
#endif

/*
 * Recursive rules that drive evaluation as deep as the limits let it go, one per path through
 * the engine's recursion (applicators call eval through different helpers), each with a
 * document nested max_depth levels deep that it accepts.
 */
typedef struct deep_case {
    const char *name;
    const char *rules;
    const char *open, *close; /* one level of the document */
    const char *leaf;
} deep_case;

static const deep_case deep_cases[] = {
    {"items", "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}", "[", "]", ""},
    {"anyOf+unevaluatedProperties",
     "{\"anyOf\":[{\"properties\":{\"a\":{\"$ref\":\"#\"}}},{\"type\":\"null\"}],"
     "\"unevaluatedProperties\":false}",
     "{\"a\":", "}", "null"},
    {"oneOf+if/then+pattern",
     "{\"oneOf\":[{\"type\":\"object\",\"if\":{\"required\":[\"a\"]},"
     "\"then\":{\"properties\":{\"a\":{\"$ref\":\"#\"}}}},{\"type\":\"string\",\"pattern\":\"^(a|b)+$\"}]}",
     "{\"a\":", "}", "\"abab\""},
    {"allOf+$defs+additionalProperties",
     "{\"allOf\":[{\"$ref\":\"#/$defs/x\"}],\"$defs\":{\"x\":{\"additionalProperties\":"
     "{\"$ref\":\"#\"},\"uniqueItems\":true}}}",
     "{\"k\":", "}", "1"},
    {"$dynamicRef+unevaluatedItems",
     "{\"$dynamicAnchor\":\"n\",\"prefixItems\":[{\"$dynamicRef\":\"#n\"}],"
     "\"unevaluatedItems\":false,\"contains\":{\"not\":{\"type\":\"string\"}}}",
     "[", "]", "1"},
};

typedef struct deep {
    const campval_schema *schema;
    const deep_case *dc;
    uint32_t depth;
    campval_code rc;
} deep;

static void *deep_worker(void *arg)
{
    deep *d = arg;
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_depth = d->depth;
    campval_workspace *ws;
    size_t lo = strlen(d->dc->open), lc = strlen(d->dc->close), ll = strlen(d->dc->leaf);
    size_t n = (lo + lc) * d->depth + ll;
    char *text_ = malloc(n);
    if (!text_ || campval_workspace_create(&lim, NULL, &ws) != CAMPVAL_OK) {
        free(text_);
        d->rc = CAMPVAL_NOMEM;
        return NULL;
    }
    /* depth containers: max_depth counts containers, the leaf is a scalar inside the last one */
    for (uint32_t i = 0; i < d->depth; i++) {
        memcpy(text_ + i * lo, d->dc->open, lo);
        memcpy(text_ + n - (i + 1) * lc, d->dc->close, lc);
    }
    memcpy(text_ + lo * d->depth, d->dc->leaf, ll);
    campval_result res;
    d->rc = campval_validate(d->schema, ws, text_, n, 0, &res);
    campval_workspace_destroy(ws);
    free(text_);
    return NULL;
}

#define PAINT 0xA5

/*
 * Runs one case at `depth` in a thread whose stack is exactly `stack` bytes above a guard page
 * (an overflow faults), painted first so that the bytes the run touched can be counted.
 * Rules that take more than two evaluation levels per nesting level stop at the evaluation
 * depth limit (CAMPVAL_LIMIT_EVALUATION) before the document's end: that is the deepest the
 * stack can get. Returns the bytes used, or 0 when the thread could not run or the result was
 * anything else.
 */
static size_t deep_in_stack(const deep_case *dc, uint32_t depth, size_t stack)
{
    campval_schema *s;
    campval_compile_error err;
    if (campval_schema_compile(dc->rules, strlen(dc->rules), NULL, &s, &err) != CAMPVAL_OK) {
        printf("%s: %s\n", dc->name, err.message);
        return 0;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    stack = (stack + page - 1) / page * page;
    unsigned char *mem = mmap(NULL, stack + page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        campval_schema_free(s);
        return 0;
    }
    mprotect(mem, page, PROT_NONE); /* stacks grow down: the guard is below */
    memset(mem + page, PAINT, stack);
    deep d = {s, dc, depth, CAMPVAL_INTERNAL};
    pthread_attr_t attr;
    pthread_t th;
    bool ok = pthread_attr_init(&attr) == 0 && pthread_attr_setstack(&attr, mem + page, stack) == 0 &&
              pthread_create(&th, &attr, deep_worker, &d) == 0 && pthread_join(th, NULL) == 0 &&
              (d.rc == CAMPVAL_OK || d.rc == CAMPVAL_LIMIT_EVALUATION);
    size_t untouched = 0;
    while (untouched < stack && mem[page + untouched] == PAINT)
        untouched++;
    munmap(mem, stack + page);
    campval_schema_free(s);
    if (!ok)
        printf("%s at depth %u: %s\n", dc->name, depth, campval_code_name(d.rc));
    return ok ? stack - untouched : 0;
}

/* Every case, at the default depth and at the ceiling, in a thread with the stack the header
 * says it needs: it must pass, and use no more than the header says. */
static void stack_checks(unsigned *passed, unsigned *failed)
{
    static const uint32_t depths[] = {CAMPVAL_DEFAULT_MAX_DEPTH, CAMPVAL_MAX_DEPTH_CEILING};
    for (size_t i = 0; i < sizeof deep_cases / sizeof *deep_cases; i++) {
        for (size_t j = 0; j < 2; j++) {
            uint32_t depth = depths[j];
            size_t need = CAMPVAL_STACK_NEEDED(depth);
            size_t used = deep_in_stack(&deep_cases[i], depth, need);
            bool ok = used > 0 && used <= need;
            printf("stack %-34s depth %4u: %7zu bytes used of %7zu (%zu per evaluation level) %s\n",
                   deep_cases[i].name, depth, used, need, used / (2 * depth + 64), ok ? "ok" : "FAILED");
            *passed += ok;
            *failed += !ok;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_threads SOURCE_ROOT\n");
        return 2;
    }
    static const char *const files[] = {"campaign_create.json", "campaign_create_invalid.json",
                                        "campaign_create_malformed.json", "campaign_response.json"};
    campval_schema *s;
    campval_compile_error err;
    if (campval_schema_builtin("campaign_create", NULL, &s, &err) != CAMPVAL_OK)
        return 2;
    shared = s;
    campval_workspace *ws;
    if (campval_workspace_create(NULL, NULL, &ws) != CAMPVAL_OK)
        return 2;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/examples/%s", argv[1], files[i]);
        doc *d = &docs[ndocs];
        text t = slurp(path);
        if (!t.p)
            return 2;
        d->text = t.p;
        d->len = t.n;
        campval_result res;
        d->want = campval_validate(s, ws, d->text, d->len, 0, &res);
        d->want_errors = res.error_count;
        d->want_severe = res.found[CAMPVAL_SEVERITY_ERROR];
        ndocs++;
    }
    campval_workspace_destroy(ws);
    pthread_t th[THREADS];
    for (long i = 0; i < THREADS; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)i) != 0)
            return 2;
    unsigned passed = 0, failed = 0;
    for (int i = 0; i < THREADS; i++) {
        void *bad;
        pthread_join(th[i], &bad);
        if (bad) {
            failed++;
            printf("thread %d: %ld results differ from the single-threaded ones\n", i, (long)bad);
        } else {
            passed++;
        }
    }
    if (STACK_CHECK)
        stack_checks(&passed, &failed);
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i].text);
    campval_schema_free(s);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
