/* The command line's file reading: regular files only, bounded by --max-size. */
#include "cli.h"

/* ---- files ---------------------------------------------------------------------------------- */


static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

void cli_print_read_fail(const char *name, const read_fail *f, size_t max)
{
    if (f->kind == READ_TOO_LARGE)
        fprintf(stderr, "campval: %s: %s: the limit (--max-size) is %zu bytes [%s]\n", name,
                campval_strerror(CAMPVAL_LIMIT_INPUT), max, campval_code_name(CAMPVAL_LIMIT_INPUT));
    else if (f->kind == READ_NOT_REGULAR)
        fprintf(stderr, "campval: %s: is %s; only regular files (and '-' for standard input) "
                        "are read\n", name, file_kind(f->mode));
    else
        fprintf(stderr, "campval: %s: %s\n", name, strerror(f->err));
}

/* read(2) that retries interruptions and waits on a descriptor someone left non-blocking. */
ssize_t cli_read_some(int fd, char *buf, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0)
            return r;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -1;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, -1) < 0 && errno != EINTR)
            return -1;
    }
}

/* Reads all of `fd`, but never more than `max` bytes: the buffer grows by doubling up to max + 1
 * (one byte more tells "exactly max" from "too large"), so memory stays O(max). `hint`: the size
 * fstat reported, 0 if unknown. */
static bool read_fd(int fd, size_t max, size_t hint, char **out, size_t *len, read_fail *f)
{
    size_t cap = hint ? hint + 1 : READ_CHUNK;
    if (cap > max + 1)
        cap = max + 1;
    char *buf = malloc(cap);
    if (!buf) {
        *f = (read_fail){READ_ERRNO, ENOMEM, 0};
        return false;
    }
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            size_t grown = cap > (max + 1) / 2 ? max + 1 : cap * 2;
            char *b = realloc(buf, grown);
            if (!b) {
                free(buf);
                *f = (read_fail){READ_ERRNO, ENOMEM, 0};
                return false;
            }
            buf = b;
            cap = grown;
        }
        ssize_t r = cli_read_some(fd, buf + n, cap - n);
        if (r < 0) {
            *f = (read_fail){READ_ERRNO, errno, 0};
            free(buf);
            return false;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            *f = (read_fail){READ_TOO_LARGE, 0, 0};
            free(buf);
            return false;
        }
    }
    *out = buf;
    *len = n;
    return true;
}

/* Opens a regular file for reading; anything else (a FIFO, a device such as /dev/zero, a
 * directory) is refused before a byte is read: it may block, never end, or not be a document.
 * O_NONBLOCK keeps opening a FIFO without a writer from hanging. */
int cli_open_regular(const char *path, int extra_flags, struct stat *st, read_fail *f)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | extra_flags);
    if (fd < 0) {
        *f = (read_fail){READ_ERRNO, errno, 0};
        return -1;
    }
    if (fstat(fd, st) != 0) {
        *f = (read_fail){READ_ERRNO, errno, 0};
        close(fd);
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        *f = (read_fail){READ_NOT_REGULAR, 0, st->st_mode};
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads a whole document of at most `max` bytes: a regular file, or standard input for "-". */
bool cli_read_path(const char *path, int extra_flags, size_t max, char **out, size_t *len,
                      read_fail *f)
{
    struct stat st;
    if (strcmp(path, "-") == 0) {
        size_t hint = 0;
        if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
            off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
            if (at >= 0 && st.st_size >= at)
                hint = (size_t)(st.st_size - at);
        }
        if (hint > max) {
            *f = (read_fail){READ_TOO_LARGE, 0, 0};
            return false;
        }
        return read_fd(STDIN_FILENO, max, hint, out, len, f);
    }
    int fd = cli_open_regular(path, extra_flags, &st, f);
    if (fd < 0)
        return false;
    bool ok;
    if ((uintmax_t)st.st_size > max) { /* refused without reading */
        *f = (read_fail){READ_TOO_LARGE, 0, 0};
        ok = false;
    } else {
        ok = read_fd(fd, max, (size_t)st.st_size, out, len, f);
    }
    close(fd);
    return ok;
}

