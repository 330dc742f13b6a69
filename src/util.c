/* Small shared helpers: allocator hooks, line/column, bounded text building. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"

void *campval__malloc(const campval_allocator *a, size_t size)
{
    if (size == 0)
        size = 1;
    return a && a->malloc ? a->malloc(a->ctx, size) : malloc(size);
}

void *campval__realloc(const campval_allocator *a, void *p, size_t old_size, size_t new_size)
{
    if (!a || !a->malloc)
        return realloc(p, new_size ? new_size : 1);
    if (a->realloc)
        return a->realloc(a->ctx, p, old_size, new_size);
    void *q = a->malloc(a->ctx, new_size ? new_size : 1);
    if (q && p) {
        memcpy(q, p, old_size < new_size ? old_size : new_size);
        a->free(a->ctx, p, old_size);
    }
    return q;
}

void campval__free(const campval_allocator *a, void *p, size_t size)
{
    if (!p)
        return;
    if (a && a->malloc) {
        if (a->free)
            a->free(a->ctx, p, size);
    } else {
        free(p);
    }
}

void campval__line_col(const char *text, size_t len, size_t offset, uint32_t *line, uint32_t *col)
{
    if (offset > len)
        offset = len;
    uint32_t l = 1;
    size_t bol = 0;
    const char *p = text, *end = text + offset;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        l++;
        p++;
        bol = (size_t)(p - text);
    }
    *line = l;
    *col = (uint32_t)(offset - bol + 1);
}

void campval__sb_init(campval__sb *sb, char *buf, size_t size)
{
    sb->buf = buf;
    sb->size = buf ? size : 0;
    sb->len = 0;
    if (sb->size)
        buf[0] = '\0';
}

void campval__sb_put(campval__sb *sb, const char *s, size_t n)
{
    if (sb->len < sb->size) {
        size_t room = sb->size - 1 - sb->len;
        size_t k = n < room ? n : room;
        memcpy(sb->buf + sb->len, s, k);
        sb->buf[sb->len + k] = '\0';
    }
    sb->len += n;
}

void campval__sb_puts(campval__sb *sb, const char *s) { campval__sb_put(sb, s, strlen(s)); }

void campval__sb_printf(campval__sb *sb, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    campval__sb_put(sb, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

size_t campval__sb_finish(campval__sb *sb)
{
    /* Keep UTF-8 whole: a cut in the middle of a sequence drops the partial sequence. */
    if (sb->size && sb->len >= sb->size) {
        size_t end = sb->size - 1;
        size_t k = end;
        while (k > 0 && ((unsigned char)sb->buf[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > 0 && (unsigned char)sb->buf[k - 1] >= 0xC0) {
            unsigned char lead = (unsigned char)sb->buf[k - 1];
            size_t need = campval__utf8_lead_len(lead);
            if (end - (k - 1) < need)
                sb->buf[k - 1] = '\0';
        }
    }
    return sb->len;
}
