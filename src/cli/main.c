/*
 * campval command line: check payloads against built-in or file rules.
 *
 * Exit status: 0 every input valid (warnings allowed), 1 any input invalid (malformed JSON
 * included; with --fail-on warning, any warning too), 2 usage, I/O or rules errors.
 */
#include "cli.h"

static void usage(FILE *f)
{
    fputs("usage: campval check [options] [FILE|DIRECTORY ...|-]\n"
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
          "  --format text|json|problem|sarif|junit|github\n"
          "                                output format (default text); sarif, junit and\n"
          "                                github are for CI (see campval(1))\n"
          "  --color auto|always|never     colour in text output (default auto: a terminal,\n"
          "                                NO_COLOR unset and TERM not dumb)\n"
          "  --extension .EXT[,.EXT...]    files checked in directories (default\n"
          "                                .json,.jsonl,.ndjson)\n"
          "  --quiet                       print nothing; only the exit status\n"
          "  --first-error                 stop at the first error of each input\n"
          "  --max-errors N                errors reported per input (default 100)\n"
          "  --assert-formats              treat every \"format\" as an assertion\n"
          "  --registry URI_PREFIX=DIR     resolve references under URI_PREFIX from DIR\n"
          "  --max-size BYTES[K|M|G]       largest input, NDJSON line or rules file, and\n"
          "                                largest total of the files rules reference\n"
          "                                (default 64M); larger is an error (exit 2)\n"
          "  --ndjson                      each input line is one document (always so for\n"
          "                                .jsonl and .ndjson files); blank lines are\n"
          "                                skipped; a line over --max-size stops the\n"
          "                                reading (exit 2)\n"
          "  --allow-duplicate-keys        accept repeated member names (last one wins)\n"
          "  --syntax-only                 check strict JSON only, not the rules\n"
          "  --fail-on error|warning       what makes an input fail (exit 1): errors\n"
          "                                (default), or warnings as well\n"
          "  --no-warnings                 skip the checks rules mark as warnings\n"
          "                                (\"x-severity\": \"warning\"); none is reported\n"
          "  --at YYYY-MM-DD               the day the campaign runs, for calling hours and\n"
          "                                their DST (default: today)\n"
          "  --regions CC[,CC...]          regions contacts may be in (x-regions), e.g. US,CA;\n"
          "                                the summary then counts contacts per region\n"
          "  --suppress FILE               do-not-call list, one E.164 number per line\n"
          "                                (x-suppress: a contact on it is an error)\n"
          "  --suppress-as error|warning   severity of a contact on the --suppress list\n"
          "                                (default error)\n"
          "  --summary                     print only the batch summary line (inputs\n"
          "                                checked, valid, with warnings, invalid; counts\n"
          "                                per code), not the findings; with several\n"
          "                                inputs or --ndjson it ends the output anyway\n"
          "  --benchmark [--loop N]        time N runs of each input (of each NDJSON\n"
          "                                line, then of the whole stream): mean, min,\n"
          "                                max and standard deviation per run\n"
          "\n"
          "Options taking a value accept --opt VALUE and --opt=VALUE. A DIRECTORY is walked\n"
          "recursively in name order (symbolic links to directories are not followed).\n"
          "Inputs and rules must be regular files ('-' reads standard input). References in\n"
          "rules reach only files in the rules file's folder and the --registry folders.\n"
          "\n"
          "exit status: 0 all valid (warnings allowed), 1 any invalid (or, with --fail-on\n"
          "warning, any warning), 2 usage, I/O or rules error\n",
          f);
}

/* ---- validating ----------------------------------------------------------------------------- */

static int write_stdout(void *ctx, const char *data, size_t n)
{
    (void)ctx;
    return fwrite(data, 1, n, stdout) == n ? 0 : -1;
}

campval_workspace *cli_workspace_for(runner *r, size_t len)
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
    campval_workspace_set_preflight(r->ws, &r->o->pf); /* checked before any input was read */
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

/* Terminal colours: errors red, warnings magenta (as gcc), "valid" green, locations dim. */
#define SGR_ERROR "\033[1;31m"
#define SGR_WARNING "\033[1;35m"
#define SGR_VALID "\033[1;32m"
#define SGR_DIM "\033[2m"
#define SGR_OFF "\033[0m"

/* "NAME: valid" or "NAME: valid, N warnings"; `line` > 0: an NDJSON line, named with it. */
static void print_valid(const runner *r, const char *name, unsigned long line,
                        const campval_result *res)
{
    const char *on = r->color ? SGR_VALID : "", *off = r->color ? SGR_OFF : "";
    if (line > 0)
        printf("%s:%lu: %svalid%s", name, line, on, off);
    else
        printf("%s: %svalid%s", name, on, off);
    size_t w = res->found[CAMPVAL_SEVERITY_WARNING];
    if (w > 0)
        printf(", %s%zu warning%s%s", r->color ? SGR_WARNING : "", w, w == 1 ? "" : "s", off);
    putchar('\n');
}

/* Text output. Plain output that is not for a terminal is the library's own (the same bytes
 * campval_write_result gives every other caller); a terminal gets colours and the source line. */
static void print_text(runner *r, const char *name, unsigned long line, const char *doc,
                       size_t len, const campval_result *res)
{
    bool findings = res->error_count > 0 || res->errors_dropped > 0;
    if (!r->color && !isatty(STDOUT_FILENO)) {
        if (!findings && line > 0) {
            print_valid(r, name, line, res);
        } else if (res->valid && line > 0) {
            /* the library's "NAME: valid, N warnings" would not say which line: its findings
             * only (a result it takes as invalid ends without that line), then ours */
            campval_result shown = *res;
            shown.valid = 0;
            campval_write_result(r->ws, &shown, CAMPVAL_OUTPUT_TEXT, name, write_stdout, NULL);
            print_valid(r, name, line, res);
        } else {
            campval_write_result(r->ws, res, CAMPVAL_OUTPUT_TEXT, name, write_stdout, NULL);
        }
        return;
    }
    static char msg[8192], ptr[8192];
    for (size_t i = 0; i < res->error_count; i++) {
        const campval_error *e = &res->errors[i];
        bool warn = e->severity == CAMPVAL_SEVERITY_WARNING;
        campval_error_message(r->ws, e, msg, sizeof msg);
        campval_error_pointer(r->ws, e, ptr, sizeof ptr);
        printf("%s%s:%u:%u:%s %s%s:%s %s", r->color ? SGR_DIM : "", name, e->line, e->column,
               r->color ? SGR_OFF : "", r->color ? (warn ? SGR_WARNING : SGR_ERROR) : "",
               campval_severity_name(e->severity), r->color ? SGR_OFF : "", msg);
        if (*e->keyword)
            printf(" [%s]", e->keyword);
        if (e->token >= 0)
            printf(" at %s", ptr[0] ? ptr : "/ (root)");
        putchar('\n');
        show_source(r, doc, len, e);
    }
    if (res->errors_dropped) {
        size_t w = res->found[CAMPVAL_SEVERITY_WARNING];
        for (size_t i = 0; i < res->error_count; i++)
            w -= w > 0 && res->errors[i].severity == CAMPVAL_SEVERITY_WARNING;
        size_t e = res->errors_dropped > w ? res->errors_dropped - w : 0;
        if (w)
            printf("%s: %zu more error%s and %zu warning%s not shown\n", name, e,
                   e == 1 ? "" : "s", w, w == 1 ? "" : "s");
        else
            printf("%s: %zu more error%s not shown\n", name, e, e == 1 ? "" : "s");
    }
    if (res->valid)
        print_valid(r, name, line, res);
}

/* Whether an input fails (exit 1): an error, or with --fail-on warning a warning too. */
bool cli_fails(const runner *r, const campval_result *res)
{
    return !res->valid || (r->o->fail_on_warning && res->found[CAMPVAL_SEVERITY_WARNING] > 0);
}

uint32_t cli_flags_of(const opts *o)
{
    return (o->first_error ? CAMPVAL_FIRST_ERROR : 0) |
           (o->allow_dups ? CAMPVAL_ALLOW_DUPLICATE_KEYS : 0) |
           (o->syntax_only ? CAMPVAL_SYNTAX_ONLY : 0) |
           (o->no_warnings ? CAMPVAL_NO_WARNINGS : 0);
}

/* Validate one document; returns the exit status it contributes. `line` > 0: the document is
 * that line of an NDJSON stream, and errors report it as their line. */
static int check_doc(runner *r, const char *name, const char *doc, size_t len, unsigned long line)
{
    campval_workspace *ws = cli_workspace_for(r, len);
    campval_result res;
    campval_code rc = ws ? campval_validate(r->schema, ws, doc, len, cli_flags_of(r->o), &res)
                         : CAMPVAL_NOMEM;
    if (campval_code_class(rc) == CAMPVAL_CLASS_USAGE || campval_code_class(rc) == CAMPVAL_CLASS_INTERNAL) {
        /* not checked: named with its line, counted in the summary as not read */
        if (line > 0)
            fprintf(stderr, "campval: %s:%lu: %s\n", name, line, campval_strerror(rc));
        else
            fprintf(stderr, "campval: %s: %s\n", name, campval_strerror(rc));
        r->sum.unread++;
        return EXIT_USAGE;
    }
    if (line > 0) /* our own workspace's error list: positions within the stream */
        for (size_t i = 0; i < res.error_count; i++)
            ((campval_error *)res.errors)[i].line = (uint32_t)line;
    cli_count_doc(r, &res);
    if (r->o->pf.regions && campval_code_class(rc) != CAMPVAL_CLASS_SYNTAX)
        campval_contact_regions(ws, cli_count_region, &r->sum);
    if (r->o->ci != CI_NONE) {
        cli_ci_doc(r, name, line, &res);
    } else if (!r->o->quiet && !r->o->summary_only) {
        /* Text output says FILE:LINE:COLUMN already; the other formats name the line. */
        char label[PATH_MAX + 32];
        if (r->o->format != CAMPVAL_OUTPUT_TEXT && line > 0)
            snprintf(label, sizeof label, "%s:%lu", name, line);
        else
            snprintf(label, sizeof label, "%s", name);
        if (r->o->format == CAMPVAL_OUTPUT_TEXT)
            print_text(r, name, line, doc, len, &res);
        else
            campval_write_result(ws, &res, r->o->format, label, write_stdout, NULL);
    }
    return cli_fails(r, &res) ? EXIT_INVALID : EXIT_VALID;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Checks one NDJSON line; blank lines (only spaces, tabs or a CR) separate nothing and are
 * skipped, as most NDJSON writers end a stream with one. */
static int finish_line(runner *r, const char *name, char *line, size_t len, unsigned long lineno)
{
    if (len > 0 && line[len - 1] == '\r')
        len--;
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
        k++;
    if (k == len)
        return EXIT_VALID;
    return check_doc(r, name, line, len, lineno);
}

/* Lines are read in chunks into a buffer that never grows past --max-size. A longer line stops
 * the reading with exit 2, its number reported: skipping to its newline could take forever
 * (/dev/zero has none). A read or allocation failure stops with exit 2 as well: no line is ever
 * taken as valid without being checked. */
static int check_ndjson(runner *r, const char *name, int fd)
{
    size_t max = r->o->max_size, cap = 0, len = 0;
    char *chunk = malloc(READ_CHUNK), *line = NULL;
    unsigned long lineno = 0;
    int status = EXIT_VALID;
    if (!chunk) {
        fprintf(stderr, "campval: %s: %s\n", name, strerror(ENOMEM));
        return EXIT_USAGE;
    }
    for (;;) {
        ssize_t got = cli_read_some(fd, chunk, READ_CHUNK);
        if (got < 0) {
            fprintf(stderr, "campval: %s:%lu: read error: %s\n", name, lineno + 1,
                    strerror(errno));
            r->sum.unread++;
            status = EXIT_USAGE;
            break;
        }
        if (got == 0) { /* a last line without its newline is still a line */
            if (len > 0) {
                int st = finish_line(r, name, line, len, ++lineno);
                status = st > status ? st : status;
            }
            break;
        }
        const char *p = chunk, *end = chunk + got;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = (size_t)((nl ? nl : end) - p);
            if (n > max - len) {
                fprintf(stderr, "campval: %s:%lu: line is too large: the limit (--max-size) is "
                                "%zu bytes; stopped reading [%s]\n", name, lineno + 1, max,
                        campval_code_name(CAMPVAL_LIMIT_INPUT));
                r->sum.unread++;
                status = EXIT_USAGE;
                goto done;
            }
            if (len + n > cap) {
                size_t grown = cap ? cap : READ_CHUNK;
                while (grown < len + n)
                    grown = grown > max / 2 ? max : grown * 2;
                char *b = realloc(line, grown);
                if (!b) {
                    fprintf(stderr, "campval: %s:%lu: %s\n", name, lineno + 1, strerror(ENOMEM));
                    r->sum.unread++;
                    status = EXIT_USAGE;
                    goto done;
                }
                line = b;
                cap = grown;
            }
            if (n > 0)
                memcpy(line + len, p, n);
            len += n;
            if (!nl)
                break;
            int st = finish_line(r, name, line, len, ++lineno);
            status = st > status ? st : status;
            len = 0;
            p = nl + 1;
        }
    }
done:
    free(line);
    free(chunk);
    return status;
}

static int check_input(runner *r, const char *path);

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Whether a file found in a directory is one --extension names (".json" or "json"). */
static bool wanted(const char *exts, const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t bl = strlen(base);
    for (const char *p = exts; *p;) {
        size_t n = strcspn(p, ",");
        size_t dot = p[0] == '.' ? 0 : 1;
        if (n > 0 && bl > n + dot && strncmp(base + bl - n, p, n) == 0 &&
            (dot == 0 || base[bl - n - 1] == '.'))
            return true;
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}


/* Checks the wanted files under `dir`, in byte order of names so that output is stable.
 * Symbolic links to directories are not followed (no loops, no leaving the tree); FIFOs,
 * devices and sockets are skipped: only regular files (or links to them) are read. */
static int walk_dir(runner *r, const char *dir)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, by_name);
    if (n < 0) {
        fprintf(stderr, "campval: %s: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    int status = EXIT_VALID;
    size_t dl = strlen(dir);
    for (int k = 0; k < n; k++) {
        const char *e = ents[k]->d_name;
        char path[PATH_MAX];
        struct stat st;
        int st_code = EXIT_VALID;
        if (strcmp(e, ".") == 0 || strcmp(e, "..") == 0) {
            /* skip */
        } else if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir,
                                    dl && dir[dl - 1] == '/' ? "" : "/", e) >= sizeof path) {
            fprintf(stderr, "campval: %s/%s: file name too long\n", dir, e);
            st_code = EXIT_USAGE;
        } else if (lstat(path, &st) != 0) {
            fprintf(stderr, "campval: %s: %s\n", path, strerror(errno));
            st_code = EXIT_USAGE;
        } else if (S_ISDIR(st.st_mode)) {
            st_code = walk_dir(r, path);
        } else if ((S_ISREG(st.st_mode) ||
                    (S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISREG(st.st_mode))) &&
                   wanted(r->o->extensions, e)) {
            r->walked++;
            st_code = check_input(r, path);
        }
        status = st_code > status ? st_code : status;
        free(ents[k]);
    }
    free(ents);
    return status;
}

/* A command-line argument: a directory is walked, anything else read as an input. */
static int check_arg(runner *r, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        unsigned long before = r->walked;
        int status = walk_dir(r, path);
        if (r->walked == before) /* likely a mistake in CI: say so, but it is no failure */
            fprintf(stderr, "campval: %s: no files with the extensions %s\n", path,
                    r->o->extensions);
        return status;
    }
    return check_input(r, path);
}

static int check_input(runner *r, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    read_fail f;
    if (r->o->ndjson || has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson")) {
        if (r->o->benchmark) {
            int status = cli_bench_ndjson(r, name, path);
            r->sum.unread += status == EXIT_USAGE;
            return status;
        }
        struct stat st;
        int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : cli_open_regular(path, 0, &st, &f);
        if (fd < 0) {
            cli_print_read_fail(name, &f, r->o->max_size);
            cli_ci_unread(r, name, &f);
            r->sum.unread++;
            return EXIT_USAGE;
        }
        int status = check_ndjson(r, name, fd);
        if (fd != STDIN_FILENO)
            close(fd);
        return status;
    }
    size_t len = 0;
    char *doc = NULL;
    if (!cli_read_path(path, 0, r->o->max_size, &doc, &len, &f)) {
        cli_print_read_fail(name, &f, r->o->max_size);
        cli_ci_unread(r, name, &f);
        r->sum.unread++;
        return EXIT_USAGE;
    }
    int st = r->o->benchmark ? cli_bench_doc(r, name, doc, len) : check_doc(r, name, doc, len, 0);
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

/* YYYY-MM-DD as a Unix time at noon UTC of that day (the checks only use its date). */
static bool parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    /* digits exactly where they belong: sscanf's %d would also take a sign or a space */
    for (int i = 0; i < 10 && s[i]; i++)
        if ((i == 4 || i == 7) != (s[i] < '0' || s[i] > '9'))
            return false;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
        s[7] != '-' || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > (m == 2 ? 28 + (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) : 30 + ((m + m / 8) % 2)))
        return false;
    /* days from civil (H. Hinnant), for years from 1970 */
    int yy = y - (m <= 2);
    int era = yy / 400, yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t days = (int64_t)era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    *out = days * 86400 + 12 * 3600;
    return true;
}

/* BYTES with an optional K, M or G (KiB, MiB, GiB); at most what campval_validate accepts. */
static bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    if (s[0] < '0' || s[0] > '9')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return false;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end || v == 0 || v > (CAMPVAL_MAX_INPUT >> shift))
        return false;
    *out = (size_t)(v << shift);
    return true;
}

/* Registry folders are compared by realpath, like the rules folder. */
static bool resolve_registry(opts *o)
{
    for (size_t m = 0; m < o->nmaps; m++) {
        struct stat st;
        o->maps[m].real = realpath(o->maps[m].dir, NULL);
        if (!o->maps[m].real || stat(o->maps[m].real, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "campval: --registry %s=%s: %s\n", o->maps[m].prefix, o->maps[m].dir,
                    o->maps[m].real ? "not a directory" : strerror(errno));
            return false;
        }
    }
    return true;
}

static void free_registry(opts *o)
{
    for (size_t m = 0; m < o->nmaps; m++) {
        free((char *)o->maps[m].prefix);
        free(o->maps[m].real);
    }
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

static const char *const value_options[] = {"--rules", "--format", "--color", "--extension",
                                            "--loop", "--max-errors", "--max-size", "--dialect",
                                            "--registry", "--fail-on", "--at", "--regions",
                                            "--suppress", "--suppress-as"};

/* `--name VALUE` or `--name=VALUE`: true when argv[*i] is option `name`, with *val its value
 * (the next argument consumed in the first form). */
static bool opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *val = a + n + 1;
        return true;
    }
    if (a[n] != '\0' || *i + 1 >= argc)
        return false;
    *val = argv[++*i];
    return true;
}

/* A value option last on the line, with nothing after it. */
static bool val_missing(int argc, char **argv, int i)
{
    for (size_t k = 0; k < sizeof value_options / sizeof *value_options; k++)
        if (strcmp(argv[i], value_options[k]) == 0)
            return i + 1 >= argc;
    return false;
}

/* Not an exit status: what the steps of `campval check` return when the command goes on. */
#define GO_ON (-1)

/* --format: a library output format or a CI one (CI_NONE unless it is one). */
static bool set_format(opts *o, const char *val)
{
    o->ci = CI_NONE;
    if (strcmp(val, "text") == 0)
        o->format = CAMPVAL_OUTPUT_TEXT;
    else if (strcmp(val, "json") == 0)
        o->format = CAMPVAL_OUTPUT_JSON;
    else if (strcmp(val, "problem") == 0)
        o->format = CAMPVAL_OUTPUT_PROBLEM;
    else if (strcmp(val, "sarif") == 0)
        o->ci = CI_SARIF;
    else if (strcmp(val, "junit") == 0)
        o->ci = CI_JUNIT;
    else if (strcmp(val, "github") == 0)
        o->ci = CI_GITHUB;
    else
        return false;
    return true;
}

static bool set_color(opts *o, const char *val)
{
    if (strcmp(val, "auto") == 0)
        o->color = COLOR_AUTO;
    else if (strcmp(val, "always") == 0)
        o->color = COLOR_ALWAYS;
    else if (strcmp(val, "never") == 0)
        o->color = COLOR_NEVER;
    else
        return false;
    return true;
}

static bool set_dialect(opts *o, const char *val)
{
    if (strcmp(val, "2020-12") == 0)
        o->dialect = CAMPVAL_DIALECT_2020_12;
    else if (strcmp(val, "2019-09") == 0)
        o->dialect = CAMPVAL_DIALECT_2019_09;
    else if (strcmp(val, "draft7") == 0)
        o->dialect = CAMPVAL_DIALECT_DRAFT7;
    else
        return false;
    return true;
}

/* One option, argv[*i], into `o` (*i moves past a value given as the next argument): GO_ON,
 * or the exit status to stop with (--help: 0). */
static int parse_option(int argc, char **argv, int *i, opts *o)
{
    const char *a = argv[*i];
    const char *val = NULL;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        usage(stdout);
        return EXIT_VALID;
    } else if (opt_value(argc, argv, i, "--rules", &val)) {
        o->rules = val;
    } else if (opt_value(argc, argv, i, "--format", &val)) {
        if (!set_format(o, val)) {
            fprintf(stderr, "campval: unknown format '%s' (text, json, problem, sarif, "
                            "junit or github)\n", val);
            return EXIT_USAGE;
        }
    } else if (opt_value(argc, argv, i, "--color", &val)) {
        if (!set_color(o, val)) {
            fprintf(stderr, "campval: --color takes auto, always or never\n");
            return EXIT_USAGE;
        }
    } else if (opt_value(argc, argv, i, "--extension", &val)) {
        o->extensions = val;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
        o->quiet = true;
    } else if (strcmp(a, "--first-error") == 0) {
        o->first_error = true;
    } else if (strcmp(a, "--assert-formats") == 0) {
        o->assert_formats = true;
    } else if (strcmp(a, "--ndjson") == 0) {
        o->ndjson = true;
    } else if (strcmp(a, "--allow-duplicate-keys") == 0) {
        o->allow_dups = true;
    } else if (strcmp(a, "--syntax-only") == 0) {
        o->syntax_only = true;
    } else if (opt_value(argc, argv, i, "--fail-on", &val)) {
        if (strcmp(val, "error") == 0 || strcmp(val, "warning") == 0) {
            o->fail_on_warning = val[0] == 'w';
        } else {
            fprintf(stderr, "campval: --fail-on takes error or warning\n");
            return EXIT_USAGE;
        }
    } else if (strcmp(a, "--no-warnings") == 0) {
        o->no_warnings = true;
    } else if (opt_value(argc, argv, i, "--at", &val)) {
        if (!parse_date(val, &o->pf.at)) {
            fprintf(stderr, "campval: --at takes a date, YYYY-MM-DD\n");
            return EXIT_USAGE;
        }
    } else if (opt_value(argc, argv, i, "--regions", &val)) {
        o->pf.regions = val;
    } else if (opt_value(argc, argv, i, "--suppress", &val)) {
        o->suppress_path = val;
    } else if (opt_value(argc, argv, i, "--suppress-as", &val)) {
        if (strcmp(val, "error") == 0 || strcmp(val, "warning") == 0) {
            o->pf.flags = val[0] == 'w' ? CAMPVAL_PREFLIGHT_SUPPRESS_AS_WARNING : 0;
        } else {
            fprintf(stderr, "campval: --suppress-as takes error or warning\n");
            return EXIT_USAGE;
        }
    } else if (strcmp(a, "--summary") == 0) {
        o->summary_only = true;
    } else if (strcmp(a, "--benchmark") == 0) {
        o->benchmark = true;
    } else if (opt_value(argc, argv, i, "--loop", &val)) {
        if (!parse_ulong(val, &o->loop) || o->loop == 0) {
            fprintf(stderr, "campval: --loop takes a positive number\n");
            return EXIT_USAGE;
        }
    } else if (opt_value(argc, argv, i, "--max-errors", &val)) {
        if (!parse_ulong(val, &o->max_errors) || o->max_errors == 0 || o->max_errors > 1000000) {
            fprintf(stderr, "campval: --max-errors takes a number from 1 to 1000000\n");
            return EXIT_USAGE;
        }
    } else if (opt_value(argc, argv, i, "--max-size", &val)) {
        if (!parse_size(val, &o->max_size)) {
            fprintf(stderr, "campval: --max-size takes a number of bytes from 1 to %zu, "
                            "optionally with K, M or G (KiB, MiB, GiB)\n",
                    (size_t)CAMPVAL_MAX_INPUT);
            return EXIT_USAGE;
        }
    } else if (opt_value(argc, argv, i, "--dialect", &val)) {
        if (!set_dialect(o, val)) {
            fprintf(stderr, "campval: unknown dialect '%s'\n", val);
            return EXIT_USAGE;
        }
    } else if (opt_value(argc, argv, i, "--registry", &val)) {
        const char *eq = strchr(val, '=');
        if (!eq || eq == val || o->nmaps == sizeof o->maps / sizeof *o->maps) {
            fprintf(stderr, "campval: --registry takes URI_PREFIX=DIR\n");
            return EXIT_USAGE;
        }
        char *prefix = strndup(val, (size_t)(eq - val));
        if (!prefix)
            return EXIT_USAGE;
        o->maps[o->nmaps++] = (mapping){prefix, eq + 1, NULL};
    } else {
        fprintf(stderr, "campval: unknown or incomplete option '%s'\n", a);
        usage(stderr);
        return EXIT_USAGE;
    }
    return GO_ON;
}

/* The defaults, then the options up to the first input ("--" ends them too); *first: that
 * input's index in argv. GO_ON, or the exit status to stop with. */
static int parse_opts(int argc, char **argv, opts *o, int *first)
{
    memset(o, 0, sizeof *o);
    o->rules = "campaign_create";
    o->max_errors = CAMPVAL_DEFAULT_MAX_ERRORS;
    o->max_size = DEFAULT_MAX_SIZE;
    o->extensions = ".json,.jsonl,.ndjson";
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0)
            break;
        if (val_missing(argc, argv, i)) {
            fprintf(stderr, "campval: option '%s' needs a value\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
        int st = parse_option(argc, argv, &i, o);
        if (st != GO_ON)
            return st;
    }
    *first = i;
    if (o->summary_only && o->ci != CI_NONE) {
        fprintf(stderr, "campval: --summary works with the text, json and problem formats\n");
        return EXIT_USAGE;
    }
    return GO_ON;
}

/* The --suppress list, loaded once into o->pf (*dnc: for the caller to free), and the
 * campaign-wide settings checked. GO_ON, or the exit status to stop with. */
static int load_preflight(opts *o, campval_numbers **dnc)
{
    if (o->suppress_path) {
        campval_numbers_error ne;
        campval_code rc = campval_numbers_load(o->suppress_path, NULL, dnc, &ne);
        if (rc != CAMPVAL_OK) {
            if (ne.line > 0)
                fprintf(stderr, "campval: %s:%zu: %s\n", o->suppress_path, ne.line, ne.message);
            else
                fprintf(stderr, "campval: %s: %s\n", o->suppress_path,
                        ne.message[0] ? ne.message : campval_strerror(rc));
            return EXIT_USAGE;
        }
        o->pf.suppress = *dnc;
    }
    if (o->pf.regions || o->pf.at) { /* refuse bad settings before reading any input */
        campval_workspace *probe;
        campval_limits lim;
        campval_limits_default(&lim);
        lim.max_tokens = 64;
        campval_code rc = campval_workspace_create(&lim, NULL, &probe);
        if (rc == CAMPVAL_OK)
            rc = campval_workspace_set_preflight(probe, &o->pf);
        campval_workspace_destroy(probe);
        if (rc != CAMPVAL_OK) {
            fprintf(stderr, "campval: --regions: %s\n",
                    rc == CAMPVAL_BAD_ARGUMENT ? "expected region codes such as US,CA"
                                               : "this build has no libphonenumber, which decides "
                                                 "a number's region");
            return EXIT_USAGE;
        }
    }
    return GO_ON;
}

/* Compiles the rules, checks the `n` inputs (standard input when there are none), then ends
 * the CI output and prints the summary; returns the exit status. */
static int run_checks(opts *o, int n, char **inputs)
{
    runner r = {.o = o};
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    if (o->color == COLOR_AUTO)
        r.color = isatty(STDOUT_FILENO) && !(nc && nc[0]) && !(term && strcmp(term, "dumb") == 0);
    else
        r.color = o->color == COLOR_ALWAYS;
    r.color = r.color && o->format == CAMPVAL_OUTPUT_TEXT && o->ci == CI_NONE;
    double t0 = now();
    r.schema = resolve_registry(o) ? cli_compile_rules(o) : NULL;
    if (!r.schema)
        return EXIT_USAGE;
    if (o->benchmark) {
        printf("rules=%s compile_us=%.1f schema_bytes=%zu", o->rules, (now() - t0) * 1e6,
               campval_schema_memory(r.schema));
        cli_bench_begin(&r);
        printf(" clock_us=%.3f\n", r.clock_ns / 1e3);
    }
    int status = EXIT_VALID;
    cli_ci_begin(&r);
    if (n <= 0) {
        status = check_input(&r, "-");
    } else {
        for (int k = 0; k < n; k++) {
            int st = check_arg(&r, inputs[k]);
            if (st > status)
                status = st;
        }
    }
    cli_ci_end(&r);
    if (cli_want_summary(&r))
        cli_print_summary(&r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "campval: writing the output: %s\n", strerror(errno));
        status = EXIT_USAGE;
    }
    campval_workspace_destroy(r.ws);
    campval_schema_free(r.schema);
    return status;
}

static int cmd_check(int argc, char **argv)
{
    opts o;
    campval_numbers *dnc = NULL;
    int first = argc;
    int status = parse_opts(argc, argv, &o, &first);
    if (status == GO_ON)
        status = load_preflight(&o, &dnc);
    if (status == GO_ON)
        status = run_checks(&o, argc - first, argv + first);
    campval_numbers_free(dnc);
    free_registry(&o);
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
