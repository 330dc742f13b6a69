/* What the command line's files share: options, read failures, and the calls between them. */
#ifndef CAMPVAL_CLI_H
#define CAMPVAL_CLI_H

#define _XOPEN_SOURCE 700
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campval.h"

#define EXIT_VALID 0
#define EXIT_INVALID 1
#define EXIT_USAGE 2

#define DEFAULT_MAX_SIZE ((size_t)64 << 20)
#define READ_CHUNK ((size_t)1 << 16)
#define CODE_SLOTS 1000 /* campval codes are below 1000 */

typedef struct mapping {
    const char *prefix;
    const char *dir;
    char *real; /* realpath of dir */
} mapping;

typedef struct opts {
    const char *rules;
    campval_output format;
    enum { CI_NONE, CI_SARIF, CI_JUNIT, CI_GITHUB } ci; /* CLI-only formats; 0: `format` */
    enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color;
    const char *extensions; /* comma-separated, for files found in directories */
    bool quiet, first_error, assert_formats, ndjson, allow_dups, benchmark, syntax_only;
    bool fail_on_warning; /* --fail-on warning: a warning fails an input as an error does */
    bool no_warnings;     /* --no-warnings: CAMPVAL_NO_WARNINGS, warnings not even evaluated */
    bool summary_only;    /* --summary: the batch summary line and nothing per input */
    /* Campaign-wide checks: --at, --regions, --suppress (loaded once), --suppress-as. */
    campval_preflight pf;
    const char *suppress_path;
    unsigned long max_errors, loop;
    size_t max_size;
    campval_dialect dialect;
    mapping maps[32];
    size_t nmaps;
} opts;

/* Codes as dense indexes, so the summary counts them in an array sized by the code list. */
enum {
#define CODE_IX_(name, num, msg) IX_##name,
    CAMPVAL_CODES(CODE_IX_)
#undef CODE_IX_
    CODE_COUNT
};

/* The batch summary: fixed counters, nothing allocated however many inputs there are. */
typedef struct batch {
    unsigned long checked, valid, with_warnings, invalid, unread;
    unsigned long long found[2];          /* findings per severity, recorded or dropped */
    unsigned long long dropped;           /* findings not recorded (--max-errors) */
    unsigned long long count[CODE_COUNT][2]; /* recorded findings per code and severity */
    unsigned long regions[26 * 26];          /* contacts per region (with --regions); ZZ: none */
} batch;

typedef struct runner {
    const opts *o;
    campval_schema *schema;
    campval_workspace *ws;
    uint32_t ws_tokens;
    bool color;
    /* CI formats: codes seen (SARIF rules), results written, inputs and failed inputs. */
    bool used[CODE_SLOTS];
    unsigned long results, inputs, failures;
    unsigned long walked; /* files found in directories */
    double clock_ns;      /* --benchmark: what timing one run costs, taken off each run */
    batch sum;            /* the summary line */
} runner;

/* Why a read failed: an errno, a file that is not a regular file, or more than the limit. */
typedef struct read_fail {
    enum { READ_ERRNO, READ_NOT_REGULAR, READ_TOO_LARGE } kind;
    int err;
    mode_t mode;
} read_fail;

void cli_print_read_fail(const char *name, const read_fail *f, size_t max);
ssize_t cli_read_some(int fd, char *buf, size_t n);
int cli_open_regular(const char *path, int extra_flags, struct stat *st, read_fail *f);
bool cli_read_path(const char *path, int extra_flags, size_t max, char **out, size_t *len,
                   read_fail *f);
campval_schema *cli_compile_rules(const opts *o);

/* main.c */
bool cli_fails(const runner *r, const campval_result *res);
uint32_t cli_flags_of(const opts *o);
/* The runner's workspace, replaced by a larger one when a `len`-byte document may not fit. */
campval_workspace *cli_workspace_for(runner *r, size_t len);

/* bench.c: --benchmark. begin measures the clock once; then a document, or an NDJSON input
 * (each line, then all of them as one run); each returns the input's exit status. */
void cli_bench_begin(runner *r);
int cli_bench_doc(runner *r, const char *name, const char *doc, size_t len);
int cli_bench_ndjson(runner *r, const char *name, const char *path);

/* ci.c: written before the first input, each input (or NDJSON line) and after the last */
void cli_ci_begin(runner *r);
void cli_ci_doc(runner *r, const char *name, unsigned long line, const campval_result *res);
void cli_ci_unread(runner *r, const char *name, const read_fail *f);
void cli_ci_end(runner *r);

/* summary.c */
void cli_count_doc(runner *r, const campval_result *res);
void cli_count_region(void *ctx, const char region[2]);
bool cli_want_summary(const runner *r);
void cli_print_summary(const runner *r);

#endif /* CAMPVAL_CLI_H */
