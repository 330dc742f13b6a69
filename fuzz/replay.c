/*
 * replay — the main() a fuzz target links when libFuzzer is not in use, so that the seed corpus
 * (and every regression input added to it) runs as an ordinary test.
 *
 * Each argument is a file or a directory (read one level deep, in name order). Every file is
 * copied into a buffer of exactly its size, so a read past the end is caught by ASan as it would
 * be under libFuzzer. Fails when an input cannot be read or when nothing was replayed.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    fuzz_buf b = {NULL, 0, 0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fuzz_buf_put(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: read error\n", path);
        free(b.p);
        return -1;
    }
    uint8_t *exact = malloc(b.len ? b.len : 1);
    FUZZ_CHECK(exact != NULL, "out of memory");
    if (b.len)
        memcpy(exact, b.p, b.len);
    free(b.p);
    LLVMFuzzerTestOneInput(exact, b.len);
    free(exact);
    return 0;
}

static int replay_dir(const char *dir, size_t *count)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t len = strlen(dir) + strlen(name) + 2;
        char *path = malloc(len);
        FUZZ_CHECK(path != NULL, "out of memory");
        snprintf(path, len, "%s/%s", dir, name);
        struct stat st;
        if (name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(path) == 0)
                ++*count;
            else
                rc = -1;
        }
        free(path);
        free(list[i]);
    }
    free(list);
    return rc;
}

int main(int argc, char **argv)
{
    const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            rc |= replay_dir(argv[i], &count) != 0;
        } else if (replay_file(argv[i]) == 0) {
            count++;
        } else {
            rc = 1;
        }
    }
    printf("%s: replayed %zu inputs\n", self, count);
    if (count == 0) {
        fprintf(stderr, "%s: no inputs (usage: %s FILE|DIR ...)\n", self, self);
        return 1;
    }
    return rc;
}
