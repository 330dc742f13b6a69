/*
 * campval command line: check payloads against built-in or file rules.
 *
 * Exit status: 0 every input valid, 1 any input invalid (malformed JSON included),
 * 2 usage, I/O or rules errors.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "campval.h"

#define EXIT_VALID 0
#define EXIT_INVALID 1
#define EXIT_USAGE 2

typedef struct mapping {
    const char *prefix;
    const char *dir;
} mapping;

typedef struct opts {
    const char *rules;
    campval_output format;
    bool quiet, first_error, assert_formats, ndjson, allow_dups, benchmark, syntax_only;
    unsigned long max_errors, loop;
    campval_dialect dialect;
    mapping maps[32];
    size_t nmaps;
} opts;

static void usage(FILE *f)
{
    fputs("usage: campval check [options] [FILE ...|-]\n"
          "       campval rules\n"
          "       campval --help | --version\n"
          "\n"
          "Validate JSON payloads of the campaign API (strict RFC 8259 JSON, then JSON Schema\n"
          "2020-12 rules). With no FILE, or FILE '-', read standard input.\n"
          "\n"
          "options:\n"
          "  --rules NAME|FILE[#/pointer]|URI\n"
          "                                built-in rules set (default campaign_create), a\n"
          "                                schema file, optionally a schema inside it (such\n"
          "                                as openapi.json#/components/schemas/Name), or a\n"
          "                                meta-schema URI to check a schema itself\n"
          "  --dialect 2020-12|2019-09|draft7  for schemas without $schema (default 2020-12)\n"
          "  --format text|json|problem    output format (default text)\n"
          "  --quiet                       print nothing; only the exit status\n"
          "  --first-error                 stop at the first error of each input\n"
          "  --max-errors N                errors reported per input (default 100)\n"
          "  --assert-formats              treat every \"format\" as an assertion\n"
          "  --registry URI_PREFIX=DIR     resolve references under URI_PREFIX from DIR\n"
          "  --ndjson                      each input line is one document\n"
          "  --allow-duplicate-keys        accept repeated member names (last one wins)\n"
          "  --syntax-only                 check strict JSON only, not the rules\n"
          "  --benchmark [--loop N]        time N validations of each input\n"
          "\n"
          "exit status: 0 all valid, 1 any invalid, 2 usage, I/O or rules error\n",
          f);
}

/* ---- files ---------------------------------------------------------------------------------- */

static char *read_stream(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            if (cap > SIZE_MAX / 2) {
                free(buf);
                return NULL;
            }
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                return NULL;
            }
            buf = b;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static char *read_file(const char *path, size_t *len)
{
    if (strcmp(path, "-") == 0)
        return read_stream(stdin, len);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = read_stream(f, len);
    fclose(f);
    return b;
}

/* ---- rules loading -------------------------------------------------------------------------- */

typedef struct loader_state {
    const opts *o;
    char *last;
} loader_state;

static int load(void *ctx, const char *uri, const char **text, size_t *len)
{
    loader_state *ls = ctx;
    free(ls->last);
    ls->last = NULL;
    char path[PATH_MAX];
    path[0] = '\0';
    for (size_t i = 0; i < ls->o->nmaps && !path[0]; i++) {
        size_t pl = strlen(ls->o->maps[i].prefix);
        if (strncmp(uri, ls->o->maps[i].prefix, pl) == 0)
            snprintf(path, sizeof path, "%s/%s", ls->o->maps[i].dir, uri + pl);
    }
    if (!path[0] && strncmp(uri, "file://", 7) == 0)
        snprintf(path, sizeof path, "%s", uri + 7);
    if (!path[0] || strstr(path, "/../"))
        return -1;
    ls->last = read_file(path, len);
    if (!ls->last)
        return -1;
    *text = ls->last;
    return 0;
}

static bool is_builtin(const char *name)
{
    size_t n = strcspn(name, "#");
    for (size_t i = 0; i < campval_builtin_count(); i++) {
        const char *b = campval_builtin_name(i, NULL);
        if (strlen(b) == n && strncmp(b, name, n) == 0)
            return true;
    }
    return false;
}

static void print_compile_error(const char *rules, const campval_compile_error *e)
{
    const char *doc = e->document[0] ? e->document : rules;
    if (e->line)
        fprintf(stderr, "campval: %s:%u:%u: %s", doc, e->line, e->column, e->message);
    else
        fprintf(stderr, "campval: %s: %s", doc, e->message);
    if (e->location[0])
        fprintf(stderr, " (at %s)", e->location);
    fprintf(stderr, " [%s]\n", campval_code_name(e->code));
}

static campval_schema *compile_rules(const opts *o)
{
    campval_compile_options co = {0};
    loader_state ls = {o, NULL};
    co.flags = o->assert_formats ? CAMPVAL_ASSERT_FORMATS : 0;
    co.loader = load;
    co.loader_ctx = &ls;
    co.dialect = o->dialect;
    campval_schema *s = NULL;
    campval_compile_error err;
    campval_code rc;
    if (is_builtin(o->rules)) {
        rc = campval_schema_builtin(o->rules, &co, &s, &err);
    } else if (strncmp(o->rules, "http://", 7) == 0 || strncmp(o->rules, "https://", 8) == 0) {
        /* A URI: a built-in meta-schema (or one the registry maps), by reference. */
        size_t wl = strlen(o->rules) * 2 + 32;
        char *wrapper = malloc(wl);
        if (!wrapper)
            return NULL;
        char *w = wrapper + sprintf(wrapper, "{\"$ref\": \"");
        for (const char *p = o->rules; *p; p++) { /* a URI needs no escaping but quotes */
            if (*p == '"' || *p == '\\')
                *w++ = '\\';
            *w++ = *p;
        }
        strcpy(w, "\"}");
        rc = campval_schema_compile(wrapper, strlen(wrapper), &co, &s, &err);
        free(wrapper);
    } else {
        char file[PATH_MAX];
        snprintf(file, sizeof file, "%s", o->rules);
        char *hash = strchr(file, '#');
        if (hash)
            *hash++ = '\0';
        size_t len;
        char *text = read_file(file, &len);
        if (!text) {
            fprintf(stderr, "campval: %s: %s (not a built-in rules set either; see "
                            "'campval rules')\n", file, strerror(errno ? errno : ENOENT));
            return NULL;
        }
        char real[PATH_MAX], base[PATH_MAX + 16];
        if (realpath(file, real))
            snprintf(base, sizeof base, "file://%s", real);
        else
            snprintf(base, sizeof base, "file://%s", file);
        co.base_uri = base;
        if (hash && *hash) {
            /* A schema inside a bigger document: compile a tiny wrapper that references it. */
            char *wrapper = NULL;
            size_t wl = strlen(base) + strlen(hash) + 32;
            wrapper = malloc(wl);
            if (!wrapper) {
                free(text);
                return NULL;
            }
            snprintf(wrapper, wl, "{\"$ref\": \"%s#%s\"}", base, hash);
            /* The loader finds the document itself through its file:// URI. */
            co.base_uri = "campval:///wrapper.json";
            rc = campval_schema_compile(wrapper, strlen(wrapper), &co, &s, &err);
            free(wrapper);
        } else {
            rc = campval_schema_compile(text, len, &co, &s, &err);
        }
        free(text);
    }
    free(ls.last);
    if (rc != CAMPVAL_OK) {
        print_compile_error(o->rules, &err);
        return NULL;
    }
    return s;
}

/* ---- validating ----------------------------------------------------------------------------- */

static int write_stdout(void *ctx, const char *data, size_t n)
{
    (void)ctx;
    return fwrite(data, 1, n, stdout) == n ? 0 : -1;
}

typedef struct runner {
    const opts *o;
    campval_schema *schema;
    campval_workspace *ws;
    uint32_t ws_tokens;
    bool color;
} runner;

static campval_workspace *workspace_for(runner *r, size_t len)
{
    /* Every token needs at least two bytes ("1,"), so this many always suffice. */
    uint64_t want = (uint64_t)len / 2 + 2;
    if (want > 0x3FFFFFFF)
        want = 0x3FFFFFFF;
    if (r->ws && r->ws_tokens >= want)
        return r->ws;
    campval_workspace_destroy(r->ws);
    r->ws = NULL;
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = (uint32_t)(want < 1024 ? 1024 : want);
    lim.max_errors = (uint32_t)(r->o->max_errors ? r->o->max_errors : 1);
    if (campval_workspace_create(&lim, NULL, &r->ws) != CAMPVAL_OK)
        return NULL;
    r->ws_tokens = lim.max_tokens;
    return r->ws;
}

/* The offending line with a caret under the column, for people at a terminal. */
static void show_source(const runner *r, const char *doc, size_t len, const campval_error *e)
{
    size_t off = e->offset > len ? len : e->offset;
    size_t bol = off, eol = off;
    while (bol > 0 && doc[bol - 1] != '\n')
        bol--;
    while (eol < len && doc[eol] != '\n')
        eol++;
    if (eol - bol > 200) { /* long lines (minified JSON): a window around the column */
        bol = off > 80 ? off - 80 : bol;
        eol = eol - off > 80 ? off + 80 : eol;
    }
    fputs("    ", stdout);
    for (size_t i = bol; i < eol; i++)
        putchar((unsigned char)doc[i] < 0x20 ? ' ' : doc[i]);
    fputs("\n    ", stdout);
    for (size_t i = bol; i < off; i++)
        if (((unsigned char)doc[i] & 0xC0) != 0x80)
            putchar(' ');
    fputs(r->color ? "\033[1;32m^\033[0m\n" : "^\n", stdout);
}

static void print_text(runner *r, const char *name, const char *doc, size_t len,
                       const campval_result *res)
{
    if (!r->color && !isatty(STDOUT_FILENO)) {
        campval_write_result(r->ws, res, CAMPVAL_OUTPUT_TEXT, name, write_stdout, NULL);
        return;
    }
    if (res->valid) {
        printf("%s: %svalid%s\n", name, r->color ? "\033[1;32m" : "", r->color ? "\033[0m" : "");
        return;
    }
    static char msg[8192], ptr[8192];
    for (size_t i = 0; i < res->error_count; i++) {
        const campval_error *e = &res->errors[i];
        campval_error_message(r->ws, e, msg, sizeof msg);
        campval_error_pointer(r->ws, e, ptr, sizeof ptr);
        printf("%s%s:%u:%u:%s %serror:%s %s", r->color ? "\033[1m" : "", name, e->line, e->column,
               r->color ? "\033[0m" : "", r->color ? "\033[1;31m" : "", r->color ? "\033[0m" : "",
               msg);
        if (*e->keyword)
            printf(" [%s]", e->keyword);
        if (e->token >= 0)
            printf(" at %s", ptr[0] ? ptr : "/ (root)");
        putchar('\n');
        show_source(r, doc, len, e);
    }
    if (res->errors_dropped)
        printf("%s: %zu more errors not shown\n", name, res->errors_dropped);
}

static uint32_t flags_of(const opts *o)
{
    return (o->first_error ? CAMPVAL_FIRST_ERROR : 0) |
           (o->allow_dups ? CAMPVAL_ALLOW_DUPLICATE_KEYS : 0) |
           (o->syntax_only ? CAMPVAL_SYNTAX_ONLY : 0);
}

/* Validate one document; returns the exit status it contributes. `line` > 0: the document is
 * that line of an NDJSON stream, and errors report it as their line. */
static int check_doc(runner *r, const char *name, const char *doc, size_t len, unsigned long line)
{
    campval_workspace *ws = workspace_for(r, len);
    if (!ws) {
        fprintf(stderr, "campval: %s: out of memory\n", name);
        return EXIT_USAGE;
    }
    campval_result res;
    campval_code rc = campval_validate(r->schema, ws, doc, len, flags_of(r->o), &res);
    if (campval_code_class(rc) == CAMPVAL_CLASS_USAGE || campval_code_class(rc) == CAMPVAL_CLASS_INTERNAL) {
        fprintf(stderr, "campval: %s: %s\n", name, campval_strerror(rc));
        return EXIT_USAGE;
    }
    if (line > 0) /* our own workspace's error list: positions within the stream */
        for (size_t i = 0; i < res.error_count; i++)
            ((campval_error *)res.errors)[i].line = (uint32_t)line;
    if (!r->o->quiet) {
        if (r->o->format == CAMPVAL_OUTPUT_TEXT && line > 0 && res.valid)
            printf("%s:%lu: valid\n", name, line);
        else if (r->o->format == CAMPVAL_OUTPUT_TEXT)
            print_text(r, name, doc, len, &res);
        else
            campval_write_result(ws, &res, r->o->format, name, write_stdout, NULL);
    }
    return res.valid ? EXIT_VALID : EXIT_INVALID;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_doc(runner *r, const char *name, const char *doc, size_t len)
{
    campval_workspace *ws = workspace_for(r, len);
    if (!ws)
        return EXIT_USAGE;
    campval_result res;
    unsigned long loop = r->o->loop ? r->o->loop : 1000;
    campval_validate(r->schema, ws, doc, len, flags_of(r->o), &res); /* warm up */
    double t0 = now();
    for (unsigned long i = 0; i < loop; i++)
        campval_validate(r->schema, ws, doc, len, flags_of(r->o), &res);
    double dt = now() - t0;
    double us = dt * 1e6 / (double)loop;
    printf("%s: bytes=%zu tokens=%zu valid=%s code=%s work=%llu budget=%llu loop=%lu us_per_validation=%.3f "
           "MB/s=%.1f\n",
           name, len, res.token_count, res.valid ? "true" : "false",
           campval_code_name(res.error_count ? res.errors[0].code : CAMPVAL_OK),
           (unsigned long long)res.work,
           (unsigned long long)(CAMPVAL_WORK_FIXED + (uint64_t)CAMPVAL_WORK_PER_BYTE * len), loop, us, (double)len * (double)loop / dt / 1e6);
    return res.valid ? EXIT_VALID : EXIT_INVALID;
}

static int check_ndjson(runner *r, const char *name, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = EXIT_VALID;
    unsigned long lineno = 0;
    char label[PATH_MAX + 32];
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        if (len > 0 && line[len - 1] == '\n')
            len--;
        if (len > 0 && line[len - 1] == '\r')
            len--;
        /* Text output says FILE:LINE:COLUMN already; the other formats name the line. */
        if (r->o->format == CAMPVAL_OUTPUT_TEXT)
            snprintf(label, sizeof label, "%s", name);
        else
            snprintf(label, sizeof label, "%s:%lu", name, lineno);
        int st = check_doc(r, label, line, len, lineno);
        if (st > status)
            status = st;
    }
    free(line);
    if (ferror(f)) {
        fprintf(stderr, "campval: %s: read error\n", name);
        return EXIT_USAGE;
    }
    return status;
}

static int check_input(runner *r, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (r->o->ndjson) {
        FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "campval: %s: %s\n", path, strerror(errno));
            return EXIT_USAGE;
        }
        int st = check_ndjson(r, name, f);
        if (f != stdin)
            fclose(f);
        return st;
    }
    size_t len = 0;
    errno = 0;
    char *doc = read_file(path, &len);
    if (!doc) {
        fprintf(stderr, "campval: %s: %s\n", path, strerror(errno ? errno : EIO));
        return EXIT_USAGE;
    }
    int st = r->o->benchmark ? bench_doc(r, name, doc, len) : check_doc(r, name, doc, len, 0);
    free(doc);
    return st;
}

/* ---- arguments ------------------------------------------------------------------------------ */

static bool parse_ulong(const char *s, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return false;
    *out = v;
    return true;
}

static int cmd_rules(void)
{
    for (size_t i = 0; i < campval_builtin_count(); i++) {
        const char *desc = "";
        const char *name = campval_builtin_name(i, &desc);
        printf("%-24s %s\n", name, desc);
    }
    return 0;
}

static int cmd_check(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.rules = "campaign_create";
    o.max_errors = CAMPVAL_DEFAULT_MAX_ERRORS;
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0)
            break;
        if (strcmp(a, "--rules") == 0 && val) {
            o.rules = val;
            i++;
        } else if (strcmp(a, "--format") == 0 && val) {
            if (strcmp(val, "text") == 0)
                o.format = CAMPVAL_OUTPUT_TEXT;
            else if (strcmp(val, "json") == 0)
                o.format = CAMPVAL_OUTPUT_JSON;
            else if (strcmp(val, "problem") == 0)
                o.format = CAMPVAL_OUTPUT_PROBLEM;
            else {
                fprintf(stderr, "campval: unknown format '%s' (text, json or problem)\n", val);
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o.quiet = true;
        } else if (strcmp(a, "--first-error") == 0) {
            o.first_error = true;
        } else if (strcmp(a, "--assert-formats") == 0) {
            o.assert_formats = true;
        } else if (strcmp(a, "--ndjson") == 0) {
            o.ndjson = true;
        } else if (strcmp(a, "--allow-duplicate-keys") == 0) {
            o.allow_dups = true;
        } else if (strcmp(a, "--syntax-only") == 0) {
            o.syntax_only = true;
        } else if (strcmp(a, "--benchmark") == 0) {
            o.benchmark = true;
        } else if (strcmp(a, "--loop") == 0 && val) {
            if (!parse_ulong(val, &o.loop) || o.loop == 0) {
                fprintf(stderr, "campval: --loop takes a positive number\n");
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--max-errors") == 0 && val) {
            if (!parse_ulong(val, &o.max_errors) || o.max_errors == 0 || o.max_errors > 1000000) {
                fprintf(stderr, "campval: --max-errors takes a number from 1 to 1000000\n");
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--dialect") == 0 && val) {
            if (strcmp(val, "2020-12") == 0)
                o.dialect = CAMPVAL_DIALECT_2020_12;
            else if (strcmp(val, "2019-09") == 0)
                o.dialect = CAMPVAL_DIALECT_2019_09;
            else if (strcmp(val, "draft7") == 0)
                o.dialect = CAMPVAL_DIALECT_DRAFT7;
            else {
                fprintf(stderr, "campval: unknown dialect '%s'\n", val);
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--registry") == 0 && val) {
            const char *eq = strchr(val, '=');
            if (!eq || eq == val || o.nmaps == sizeof o.maps / sizeof *o.maps) {
                fprintf(stderr, "campval: --registry takes URI_PREFIX=DIR\n");
                return EXIT_USAGE;
            }
            char *prefix = strndup(val, (size_t)(eq - val));
            if (!prefix)
                return EXIT_USAGE;
            o.maps[o.nmaps++] = (mapping){prefix, eq + 1};
            i++;
        } else {
            fprintf(stderr, "campval: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    runner r = {&o, NULL, NULL, 0, false};
    const char *nc = getenv("NO_COLOR");
    r.color = isatty(STDOUT_FILENO) && !(nc && nc[0]) && o.format == CAMPVAL_OUTPUT_TEXT;
    double t0 = now();
    r.schema = compile_rules(&o);
    if (!r.schema)
        return EXIT_USAGE;
    if (o.benchmark)
        printf("rules=%s compile_us=%.1f schema_bytes=%zu\n", o.rules, (now() - t0) * 1e6,
               campval_schema_memory(r.schema));
    int status = EXIT_VALID;
    if (i >= argc) {
        status = check_input(&r, "-");
    } else {
        for (; i < argc; i++) {
            int st = check_input(&r, argv[i]);
            if (st > status)
                status = st;
        }
    }
    fflush(stdout);
    campval_workspace_destroy(r.ws);
    campval_schema_free(r.schema);
    for (size_t m = 0; m < o.nmaps; m++)
        free((char *)o.maps[m].prefix);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("campval %s\n", campval_version());
        return 0;
    }
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules();
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    fprintf(stderr, "campval: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
