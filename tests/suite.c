/*
 * Runs the official JSON Schema test suite through the library (and, with --cli, through the
 * campval command). Prints a per-file table and a total; a test that cannot run (a schema that
 * does not compile) counts as a failure. Exit status 0 only when every test passed.
 *
 * usage: suite SUITE_DIR DIALECT_DIR [--cli CAMPVAL] [--dialect D] FILE...
 *   FILE is relative to SUITE_DIR/tests/DIALECT_DIR (e.g. "ref.json", "optional/bignum.json");
 *   files under optional/format/ are run with formats asserted, except optional/format/unknown.json:
 *   it checks that an unknown format is only an annotation, while campval rejects an asserted
 *   unknown format at compile time (RULES_UNKNOWN_FORMAT).
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campval.h"
#include "internal.h"
#include "testutil.h"


/* Every allocation while campval_validate runs is counted (linked with --wrap=malloc etc.):
 * a test whose validation allocated fails, so the whole suite doubles as the proof that no
 * keyword allocates. */
static volatile bool counting;
static volatile unsigned long allocations;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n)
{
    allocations += counting;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m)
{
    allocations += counting;
    return __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n)
{
    allocations += counting;
    return __real_realloc(p, n);
}

static const char *remotes_dir;
static char *last_remote;

static int load_remote(void *ctx, const char *uri, const char **out, size_t *len)
{
    (void)ctx;
    static const char prefix[] = "http://localhost:1234/";
    free(last_remote);
    last_remote = NULL;
    if (strncmp(uri, prefix, sizeof prefix - 1) != 0)
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", remotes_dir, uri + sizeof prefix - 1);
    text t = slurp(path);
    if (!t.p)
        return -1;
    last_remote = t.p;
    *out = t.p;
    *len = t.n;
    return 0;
}

/* Raw bytes of a value token. */
static text raw(const campval__doc *d, uint32_t t)
{
    const campval__tok *k = &d->tok[t];
    int q = k->type == CAMPVAL__T_STRING;
    return (text){(char *)d->text + k->start - q, (size_t)(k->end - k->start + 2 * q)};
}

static int64_t member(const campval__doc *d, uint32_t obj, const char *name)
{
    uint32_t k = obj + 1;
    for (int m = 0; m < d->tok[obj].size; m++, k = d->next[k]) {
        size_t n = (size_t)(d->tok[k].end - d->tok[k].start);
        if (n == strlen(name) && memcmp(d->text + d->tok[k].start, name, n) == 0)
            return k + 1;
    }
    return -1;
}

static bool write_file(const char *path, const char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(p, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* Validate through the command line: exit 0 valid, 1 invalid. */
static int cli_valid(const char *cli, const char *dialect, const char *suite, text schema,
                     text data, bool formats)
{
    char sp[] = "/tmp/campval-suite-schema-XXXXXX", dp[] = "/tmp/campval-suite-data-XXXXXX";
    int sf = mkstemp(sp), df = mkstemp(dp);
    if (sf < 0 || df < 0)
        return -1;
    close(sf);
    close(df);
    int result = -1;
    if (write_file(sp, schema.p, schema.n) && write_file(dp, data.p, data.n)) {
        char reg[4200];
        snprintf(reg, sizeof reg, "http://localhost:1234/=%s/remotes", suite);
        pid_t pid = fork();
        if (pid == 0) {
            const char *args[16];
            int a = 0;
            args[a++] = cli;
            args[a++] = "check";
            args[a++] = "--quiet";
            args[a++] = "--rules";
            args[a++] = sp;
            args[a++] = "--registry";
            args[a++] = reg;
            if (dialect) {
                args[a++] = "--dialect";
                args[a++] = dialect;
            }
            if (formats)
                args[a++] = "--assert-formats";
            args[a++] = dp;
            args[a] = NULL;
            execv(cli, (char *const *)args);
            _exit(127);
        }
        int st;
        if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
            result = WEXITSTATUS(st);
    }
    unlink(sp);
    unlink(dp);
    return result;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: suite SUITE_DIR DIALECT_DIR [--cli CAMPVAL] FILE...\n");
        return 2;
    }
    const char *suite = argv[1], *dialect_dir = argv[2], *cli = NULL, *dialect = NULL;
    char remotes[4096];
    snprintf(remotes, sizeof remotes, "%s/remotes", suite);
    remotes_dir = remotes;
    int first = 3;
    while (first + 1 < argc && strncmp(argv[first], "--", 2) == 0) {
        if (strcmp(argv[first], "--cli") == 0)
            cli = argv[first + 1];
        else if (strcmp(argv[first], "--dialect") == 0)
            dialect = argv[first + 1];
        first += 2;
    }
    campval_dialect dia = CAMPVAL_DIALECT_2020_12;
    if (dialect && strcmp(dialect, "draft7") == 0)
        dia = CAMPVAL_DIALECT_DRAFT7;
    else if (dialect && strcmp(dialect, "2019-09") == 0)
        dia = CAMPVAL_DIALECT_2019_09;
    const bool verbose = getenv("SUITE_VERBOSE") != NULL;
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 1u << 22;
    campval_workspace *fws, *ws;
    if (campval_workspace_create(&lim, NULL, &fws) != CAMPVAL_OK ||
        campval_workspace_create(NULL, NULL, &ws) != CAMPVAL_OK)
        return 2;
    unsigned total_pass = 0, total_fail = 0;
    uint64_t max_work = 0; /* the most work units one test's validation spent */
    printf("%-48s %7s %7s\n", "file", "passed", "failed");
    for (int fi = first; fi < argc; fi++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/tests/%s/%s", suite, dialect_dir, argv[fi]);
        bool formats = strstr(argv[fi], "optional/format/") != NULL &&
                       strstr(argv[fi], "optional/format/unknown.json") == NULL;
        text file = slurp(path);
        unsigned pass = 0, fail = 0;
        campval_result fr;
        if (!file.p || campval_validate(NULL, fws, file.p, file.n, CAMPVAL_SYNTAX_ONLY, &fr) !=
                           CAMPVAL_OK) {
            printf("%-48s cannot read\n", argv[fi]);
            total_fail++;
            continue;
        }
        const campval__doc *d = &fws->doc;
        uint32_t g = 1;
        for (int gi = 0; gi < d->tok[0].size; gi++, g = d->next[g]) {
            int64_t sch = member(d, g, "schema"), tests = member(d, g, "tests"),
                    gdesc = member(d, g, "description");
            text stext = raw(d, (uint32_t)sch);
            campval_compile_options co = {0};
            co.flags = formats ? CAMPVAL_ASSERT_FORMATS : 0;
            co.loader = load_remote;
            co.dialect = dia;
            campval_schema *s = NULL;
            campval_compile_error err;
            campval_code rc = cli ? CAMPVAL_OK
                                  : campval_schema_compile(stext.p, stext.n, &co, &s, &err);
            uint32_t t = (uint32_t)tests + 1;
            for (int ti = 0; ti < d->tok[tests].size; ti++, t = d->next[t]) {
                int64_t data = member(d, t, "data"), valid = member(d, t, "valid"),
                        tdesc = member(d, t, "description");
                bool want = d->text[d->tok[valid].start] == 't';
                bool got = false, ran = rc == CAMPVAL_OK;
                if (ran && cli) {
                    int r = cli_valid(cli, dialect, suite, stext, raw(d, (uint32_t)data), formats);
                    ran = r == 0 || r == 1;
                    got = r == 0;
                } else if (ran) {
                    campval_result res;
                    text dt = raw(d, (uint32_t)data);
                    unsigned long before = allocations;
                    counting = true;
                    campval_code vr = campval_validate(s, ws, dt.p, dt.n, 0, &res);
                    counting = false;
                    got = vr == CAMPVAL_OK;
                    ran = campval_code_class(vr) == CAMPVAL_CLASS_OK ||
                          campval_code_class(vr) == CAMPVAL_CLASS_VIOLATION;
                    if (allocations != before) { /* after `ran`, so that it counts as a failure */
                        printf("  ALLOC %s: validation allocated %lu time(s)\n", argv[fi],
                               allocations - before);
                        ran = false;
                    }
                    if (res.work > max_work)
                        max_work = res.work;
                }
                if (ran && got == want) {
                    pass++;
                } else {
                    fail++;
                    text gd = raw(d, (uint32_t)gdesc), td = raw(d, (uint32_t)tdesc);
                    printf("  FAIL %s: %.*s / %.*s: expected %s, %s\n", argv[fi], (int)gd.n, gd.p,
                           (int)td.n, td.p, want ? "valid" : "invalid",
                           !ran ? (rc != CAMPVAL_OK ? err.message : "did not run")
                                : got ? "got valid" : "got invalid");
                    if (verbose && rc != CAMPVAL_OK)
                        printf("       compile: %s at %s\n", campval_code_name(rc), err.location);
                }
            }
            campval_schema_free(s);
        }
        printf("%-48s %7u %7u\n", argv[fi], pass, fail);
        total_pass += pass;
        total_fail += fail;
        free(file.p);
    }
    free(last_remote);
    campval_workspace_destroy(fws);
    campval_workspace_destroy(ws);
    printf("%-48s %7u %7u\n", "total", total_pass, total_fail);
    printf("most work units one validation spent: %llu (budget at least %u)\n",
           (unsigned long long)max_work, CAMPVAL_WORK_FIXED);
    /* The counter must see allocations when they happen, or the check above proves nothing. */
    counting = true;
    void *volatile probe = malloc(16);
    counting = false;
    free(probe);
    if (allocations == 0) {
        printf("allocation counter is not working\n");
        return 1;
    }
    return total_fail ? 1 : 0;
}
