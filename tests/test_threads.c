/*
 * Eight threads share one compiled schema, each with its own workspace, and validate the
 * examples over and over; every result must equal the single-threaded one. Run under
 * ThreadSanitizer by CI, it proves the compiled schema is read-only during validation.
 * Ends with "N passed, N failed" (one check per thread).
 */
#define _XOPEN_SOURCE 700
#include <pthread.h>
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
    size_t want_errors;
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
        size_t want = (flags && d->want_errors) ? 1 : d->want_errors;
        char ptr[256], msg[512];
        for (size_t i = 0; i < res.error_count; i++) { /* rendering reads the schema too */
            campval_error_pointer(ws, &res.errors[i], ptr, sizeof ptr);
            campval_error_message(ws, &res.errors[i], msg, sizeof msg);
        }
        if ((rc == CAMPVAL_OK) != (d->want == CAMPVAL_OK) || res.error_count != want)
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

typedef struct deep {
    const campval_schema *schema;
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
    char *text_ = malloc(2 * (size_t)d->depth);
    if (!text_ || campval_workspace_create(&lim, NULL, &ws) != CAMPVAL_OK) {
        free(text_);
        d->rc = CAMPVAL_NOMEM;
        return NULL;
    }
    memset(text_, '[', d->depth);
    memset(text_ + d->depth, ']', d->depth);
    campval_result res;
    d->rc = campval_validate(d->schema, ws, text_, 2 * (size_t)d->depth, 0, &res);
    campval_workspace_destroy(ws);
    free(text_);
    return NULL;
}

static bool deep_in_stack(uint32_t depth, size_t stack)
{
    static const char rules[] = "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}";
    campval_schema *s;
    campval_compile_error err;
    if (campval_schema_compile(rules, sizeof rules - 1, NULL, &s, &err) != CAMPVAL_OK)
        return false;
    deep d = {s, depth, CAMPVAL_INTERNAL};
    pthread_attr_t attr;
    pthread_t th;
    bool ok = pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, stack) == 0 &&
              pthread_create(&th, &attr, deep_worker, &d) == 0 && pthread_join(th, NULL) == 0 &&
              d.rc == CAMPVAL_OK;
    campval_schema_free(s);
    return ok;
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
    if (STACK_CHECK) {
        bool a = deep_in_stack(CAMPVAL_DEFAULT_MAX_DEPTH, 256 * 1024);
        bool b = deep_in_stack(CAMPVAL_MAX_DEPTH_CEILING, 2 * 1024 * 1024);
        printf("depth %u in a 256 KiB stack: %s\ndepth %u in a 2 MiB stack: %s\n",
               CAMPVAL_DEFAULT_MAX_DEPTH, a ? "ok" : "FAILED", CAMPVAL_MAX_DEPTH_CEILING,
               b ? "ok" : "FAILED");
        passed += a + b;
        failed += !a + !b;
    }
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i].text);
    campval_schema_free(s);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
