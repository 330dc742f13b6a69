/*
 * --benchmark: time validations of each input and print one line of figures for it. An NDJSON
 * input gets a line for each of its documents and one for the stream as a whole (one run = every
 * document once). Each line gives the mean over the --loop runs and their spread (minimum,
 * maximum, standard deviation), as Blaze's `jsonschema validate --benchmark` does.
 */
#include "cli.h"

#include <math.h>

/* Runs are timed one by one, so each one also pays for one clock read and the bookkeeping below;
 * that cost, measured once (clock_us=), is taken off every run. */
static uint64_t ns_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sums relative to the first run (shifted data), so that the variance of runs of a few hundred
 * nanoseconds does not cancel out over millions of them; nothing is stored per run. */
typedef struct stats {
    unsigned long n;
    double shift, sum, sumsq, min, max; /* nanoseconds */
} stats;

static void stats_add(stats *s, double x)
{
    if (s->n == 0)
        s->shift = s->min = s->max = x;
    double d = x - s->shift;
    s->n++;
    s->sum += d;
    s->sumsq += d * d;
    s->min = x < s->min ? x : s->min;
    s->max = x > s->max ? x : s->max;
}

static double stats_mean(const stats *s)
{
    return s->n ? s->shift + s->sum / (double)s->n : 0;
}

/* The sample standard deviation; 0 for a single run. */
static double stats_stddev(const stats *s)
{
    if (s->n < 2)
        return 0;
    double n = (double)s->n, var = (s->sumsq - s->sum * s->sum / n) / (n - 1);
    return var > 0 ? sqrt(var) : 0;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The cost of an empty run in the timing loop of `measure`: the median of many (the mean would
 * take in a preemption or two). */
void cli_bench_begin(runner *r)
{
    enum { ROUNDS = 1001 };
    uint64_t d[ROUNDS];
    stats s = {0};
    uint64_t t = ns_now();
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t u = ns_now();
        stats_add(&s, (double)(u - t));
        d[i] = u - t;
        t = u;
    }
    qsort(d, ROUNDS, sizeof d[0], by_value);
    r->clock_ns = (double)d[ROUNDS / 2];
}

/* One document of an input: where it starts, its length and its line (0: a whole file). */
typedef struct doc_span {
    const char *at;
    size_t len;
    unsigned long line;
} doc_span;

/* What a set of runs found: the figures, and the verdict of the last run. */
typedef struct measured {
    stats st;
    campval_result res;      /* the last document's, for a single document */
    unsigned long invalid;   /* documents invalid in the last run */
    unsigned long first_bad; /* the first of them (its line), 0 if none */
} measured;

/* One warm-up run, then `loop` timed runs, each validating every document of `docs` once. */
static void measure(runner *r, campval_workspace *ws, const doc_span *docs, size_t count,
                    unsigned long loop, measured *m)
{
    uint32_t flags = cli_flags_of(r->o);
    for (size_t k = 0; k < count; k++)
        campval_validate(r->schema, ws, docs[k].at, docs[k].len, flags, &m->res);
    memset(&m->st, 0, sizeof m->st);
    uint64_t t = ns_now();
    for (unsigned long i = 0; i < loop; i++) {
        for (size_t k = 0; k < count; k++)
            campval_validate(r->schema, ws, docs[k].at, docs[k].len, flags, &m->res);
        uint64_t u = ns_now();
        stats_add(&m->st, (double)(u - t) - r->clock_ns);
        t = u;
    }
    m->invalid = 0;
    m->first_bad = 0;
    if (count == 1) {
        m->invalid = !m->res.valid;
        m->first_bad = m->invalid ? docs[0].line : 0;
        return;
    }
    /* The verdicts, once more, outside the timing: the runs keep only the last result. */
    campval_result res;
    for (size_t k = 0; k < count; k++) {
        campval_validate(r->schema, ws, docs[k].at, docs[k].len, flags, &res);
        if (!res.valid && m->invalid++ == 0)
            m->first_bad = docs[k].line;
    }
}

/* " mean_us=... min_us=... max_us=... stddev_us=... rsd_pct=...": the spread over the runs
 * (rsd_pct: the standard deviation in percent of the mean). */
static void print_spread(const stats *s)
{
    double mean = stats_mean(s), sd = stats_stddev(s);
    printf(" mean_us=%.3f min_us=%.3f max_us=%.3f stddev_us=%.3f rsd_pct=%.1f",
           (mean > 0 ? mean : 0) / 1e3, (s->min > 0 ? s->min : 0) / 1e3,
           (s->max > 0 ? s->max : 0) / 1e3, sd / 1e3, mean > 0 ? 100 * sd / mean : 0);
}

static unsigned long loop_of(const runner *r)
{
    return r->o->loop ? r->o->loop : 1000;
}

/* "NAME: bytes=... us_per_validation=... MB/s=..." and the spread; `line` > 0: an NDJSON line,
 * named "NAME:LINE". us_per_validation is the mean (the field scripts read). */
static void print_doc(const char *name, const doc_span *d, unsigned long loop, const measured *m)
{
    const campval_result *res = &m->res;
    double us = stats_mean(&m->st) / 1e3;
    us = us > 0 ? us : 0;
    if (d->line > 0)
        printf("%s:%lu:", name, d->line);
    else
        printf("%s:", name);
    printf(" bytes=%zu tokens=%zu valid=%s code=%s work=%llu budget=%llu loop=%lu "
           "us_per_validation=%.3f MB/s=%.1f",
           d->len, res->token_count, res->valid ? "true" : "false",
           campval_code_name(res->error_count ? res->errors[0].code : CAMPVAL_OK),
           (unsigned long long)res->work,
           (unsigned long long)(CAMPVAL_WORK_FIXED + (uint64_t)CAMPVAL_WORK_PER_BYTE * d->len),
           loop, us, us > 0 ? (double)d->len / us : 0);
    print_spread(&m->st);
    putchar('\n');
}

int cli_bench_doc(runner *r, const char *name, const char *doc, size_t len)
{
    campval_workspace *ws = cli_workspace_for(r, len);
    if (!ws) {
        fprintf(stderr, "campval: %s: out of memory\n", name);
        return EXIT_USAGE;
    }
    doc_span d = {doc, len, 0};
    measured m;
    measure(r, ws, &d, 1, loop_of(r), &m);
    print_doc(name, &d, loop_of(r), &m);
    return m.invalid ? EXIT_INVALID : EXIT_VALID;
}

/* The documents of an NDJSON text: its lines without their CR, blank ones (spaces, tabs, CRs)
 * skipped as check_ndjson skips them. *count: how many; NULL when out of memory. */
static doc_span *split_lines(const char *text, size_t len, size_t *count, size_t *longest)
{
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    doc_span *docs = malloc(cap * sizeof *docs);
    if (!docs)
        return NULL;
    size_t n = 0, max = 0;
    unsigned long lineno = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t k = (size_t)((nl ? nl : end) - p), l = k;
        lineno++;
        if (l > 0 && p[l - 1] == '\r')
            l--;
        size_t blank = 0;
        while (blank < l && (p[blank] == ' ' || p[blank] == '\t' || p[blank] == '\r'))
            blank++;
        if (blank < l) {
            docs[n++] = (doc_span){p, l, lineno};
            max = l > max ? l : max;
        }
        p += k + 1;
    }
    *count = n;
    *longest = max;
    return docs;
}

/* The stream is read whole (at most --max-size bytes): the runs over all its documents must not
 * time reading. Each document is measured on its own, then the stream as one run. */
int cli_bench_ndjson(runner *r, const char *name, const char *path)
{
    char *text = NULL;
    size_t len = 0, count = 0, longest = 0;
    read_fail f;
    if (!cli_read_path(path, 0, r->o->max_size, &text, &len, &f)) {
        cli_print_read_fail(name, &f, r->o->max_size);
        return EXIT_USAGE;
    }
    doc_span *docs = split_lines(text, len, &count, &longest);
    campval_workspace *ws = docs ? cli_workspace_for(r, longest) : NULL;
    if (!ws) {
        fprintf(stderr, "campval: %s: out of memory\n", name);
        free(docs);
        free(text);
        return EXIT_USAGE;
    }
    unsigned long loop = loop_of(r);
    measured m;
    for (size_t k = 0; k < count; k++) {
        measure(r, ws, &docs[k], 1, loop, &m);
        print_doc(name, &docs[k], loop, &m);
    }
    measure(r, ws, docs, count, loop, &m);
    double us = stats_mean(&m.st) / 1e3;
    us = us > 0 ? us : 0;
    printf("%s: lines=%zu bytes=%zu valid=%s invalid_lines=%lu first_invalid_line=%lu loop=%lu "
           "us_per_run=%.3f us_per_line=%.3f MB/s=%.1f",
           name, count, len, m.invalid ? "false" : "true", m.invalid, m.first_bad, loop, us,
           count ? us / (double)count : 0, us > 0 ? (double)len / us : 0);
    print_spread(&m.st);
    putchar('\n');
    free(docs);
    free(text);
    return m.invalid ? EXIT_INVALID : EXIT_VALID;
}
