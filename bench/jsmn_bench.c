/*
 * Lower bound for campval: jsmn alone, configured as campval uses it (JSMN_STRICT +
 * JSMN_PARENT_LINKS), tokenizing each payload many times. No lexical checks, no rules:
 * "campval / jsmn" in the benchmark table is what strictness and validation cost on top.
 *
 * usage: jsmn_bench MIN_SECONDS FILE...  (a FILE ending in .ndjson is tokenized line by line
 * and reported per line)
 * prints per FILE: "<file>: docs=N tokens=T loop=L us_per_op=X MB/s=Y"
 */
#define _POSIX_C_SOURCE 200809L
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct doc {
    const char *text;
    size_t len;
} doc;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                free(buf);
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Tokenize every document once; returns the total token count, -1 on a jsmn error. */
static long tokenize_all(const doc *docs, size_t ndocs, jsmntok_t *tok, unsigned cap)
{
    long total = 0;
    for (size_t i = 0; i < ndocs; i++) {
        jsmn_parser p;
        jsmn_init(&p);
        int r = jsmn_parse(&p, docs[i].text, docs[i].len, tok, cap);
        if (r < 0)
            return -1;
        total += r;
    }
    return total;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: jsmn_bench MIN_SECONDS FILE...\n");
        return 2;
    }
    double min_sec = atof(argv[1]);
    for (int a = 2; a < argc; a++) {
        size_t len;
        char *text = read_all(argv[a], &len);
        if (!text) {
            perror(argv[a]);
            return 2;
        }
        size_t ndocs = 0, dcap = 1;
        doc *docs = malloc(sizeof *docs);
        if (!docs)
            return 2;
        const char *dot = strrchr(argv[a], '.');
        if (dot && strcmp(dot, ".ndjson") == 0) {
            size_t start = 0;
            for (size_t i = 0; i <= len; i++) {
                if (i < len && text[i] != '\n')
                    continue;
                if (i > start) {
                    if (ndocs == dcap && !(docs = realloc(docs, (dcap *= 2) * sizeof *docs)))
                        return 2;
                    docs[ndocs++] = (doc){text + start, i - start};
                }
                start = i + 1;
            }
        } else {
            docs[ndocs++] = (doc){text, len};
        }
        /* Size the token array as campval's workspace is sized: once, up front. */
        unsigned cap = 0;
        for (size_t i = 0; i < ndocs; i++) {
            jsmn_parser p;
            jsmn_init(&p);
            int r = jsmn_parse(&p, docs[i].text, docs[i].len, NULL, 0);
            if (r < 0) {
                fprintf(stderr, "%s: jsmn error %d\n", argv[a], r);
                return 1;
            }
            if ((unsigned)r > cap)
                cap = (unsigned)r;
        }
        jsmntok_t *tok = malloc((cap ? cap : 1) * sizeof *tok);
        if (!tok)
            return 2;
        long tokens = tokenize_all(docs, ndocs, tok, cap); /* warm-up */
        /* Double the loop until a run lasts long enough to time. */
        unsigned long loop = 1;
        double dt;
        for (;;) {
            double t0 = now();
            for (unsigned long i = 0; i < loop; i++)
                if (tokenize_all(docs, ndocs, tok, cap) < 0)
                    return 1;
            dt = now() - t0;
            if (dt >= min_sec)
                break;
            unsigned long next = dt > 0.01 ? (unsigned long)((double)loop * min_sec * 1.1 / dt) + 1
                                           : loop * 8;
            loop = next > loop ? next : loop + 1;
        }
        printf("%s: docs=%zu tokens=%ld loop=%lu us_per_op=%.3f MB/s=%.1f\n", argv[a], ndocs,
               tokens, loop, dt * 1e6 / (double)loop / (double)ndocs,
               (double)len * (double)loop / dt / 1e6);
        free(tok);
        free(docs);
        free(text);
    }
    return 0;
}
