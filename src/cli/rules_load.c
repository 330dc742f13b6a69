/* The command line's rules loading: built-in names, files, FILE#pointer, confined references. */
#include "cli.h"

/* ---- rules loading -------------------------------------------------------------------------- */

/* References may only reach files inside the rules file's folder and the --registry folders
 * (all as realpath). Without the check, a `$ref` in rules someone else wrote reads any file
 * the user can: file:///etc/passwd, ../../secrets.json, /proc/self/environ. */
typedef struct loader_state {
    const opts *o;
    const char *rules_dir; /* realpath of the rules file's folder; NULL for built-in/URI rules */
    size_t budget;         /* bytes all referenced documents may still take */
    char *last;
} loader_state;

/* Removes empty, "." and ".." segments of an absolute path, looking at no file. */
static bool normalize_path(const char *in, char *out, size_t size)
{
    if (in[0] != '/' || size < 2)
        return false;
    size_t n = 0;
    const char *p = in;
    while (*p) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t sl = (size_t)(p - seg);
        if (sl == 0 || (sl == 1 && seg[0] == '.'))
            continue;
        if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--;
            continue;
        }
        if (n + 1 + sl + 1 > size)
            return false;
        out[n++] = '/';
        memcpy(out + n, seg, sl);
        n += sl;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return true;
}

static bool path_under(const char *path, const char *root)
{
    size_t rl = strlen(root);
    if (rl == 1 && root[0] == '/')
        return path[0] == '/';
    return strncmp(path, root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0');
}

static bool path_allowed(const loader_state *ls, const char *path)
{
    if (ls->rules_dir && path_under(path, ls->rules_dir))
        return true;
    for (size_t i = 0; i < ls->o->nmaps; i++)
        if (path_under(path, ls->o->maps[i].real))
            return true;
    return false;
}

/* The file a reference names: under a --registry folder, or a local file:// URI. Returns 1 for
 * a URI that names no local file (campval cannot resolve it), 0 with `path` set, or
 * CAMPVAL_RULES_REF_FORBIDDEN for a file:// URI on another host. */
static int uri_to_path(const loader_state *ls, const char *uri, char *path, size_t size)
{
    for (size_t i = 0; i < ls->o->nmaps; i++) {
        size_t pl = strlen(ls->o->maps[i].prefix);
        if (strncmp(uri, ls->o->maps[i].prefix, pl) == 0) {
            int w = snprintf(path, size, "%s/%s", ls->o->maps[i].real, uri + pl);
            return w >= 0 && (size_t)w < size ? 0 : 1;
        }
    }
    if (strncmp(uri, "file://", 7) != 0)
        return 1;
    const char *p = uri + 7;
    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return CAMPVAL_RULES_REF_FORBIDDEN;
    int w = snprintf(path, size, "%s", p);
    return w >= 0 && (size_t)w < size ? 0 : 1;
}

static int load(void *ctx, const char *uri, const char **text, size_t *len)
{
    loader_state *ls = ctx;
    free(ls->last);
    ls->last = NULL;
    char raw[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
    int rc = uri_to_path(ls, uri, raw, sizeof raw);
    if (rc != 0)
        return rc;
    /* First by the name alone, so a file outside is never even looked at; then by realpath,
     * so a symbolic link inside cannot lead outside. */
    if (!normalize_path(raw, path, sizeof path))
        return 1;
    if (!path_allowed(ls, path))
        return CAMPVAL_RULES_REF_FORBIDDEN;
    if (!realpath(path, real)) {
        fprintf(stderr, "campval: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!path_allowed(ls, real))
        return CAMPVAL_RULES_REF_FORBIDDEN;
    read_fail f;
    if (!cli_read_path(real, O_NOFOLLOW, ls->budget, &ls->last, len, &f)) {
        if (f.kind == READ_TOO_LARGE && ls->budget < ls->o->max_size)
            fprintf(stderr, "campval: %s: referenced rules documents together exceed --max-size "
                            "(%zu bytes) [%s]\n", real, ls->o->max_size,
                    campval_code_name(CAMPVAL_LIMIT_INPUT));
        else
            cli_print_read_fail(real, &f, ls->o->max_size);
        return 1;
    }
    ls->budget -= *len;
    *text = ls->last;
    return 0;
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

/* Appends `s` as the inside of a JSON string: quotes, backslashes and control characters are
 * escaped, so no byte of it can end the string or add members to the document around it. */
static char *json_escape(char *w, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            *w++ = '\\';
            *w++ = (char)*p;
        } else if (*p < 0x20 || *p == 0x7F) {
            w += sprintf(w, "\\u%04x", *p);
        } else {
            *w++ = (char)*p;
        }
    }
    return w;
}

/* A schema by reference: {"$ref": "<uri>"} with the URI escaped. */
static campval_code compile_wrapper(const char *uri, const campval_compile_options *co,
                                    campval_schema **s, campval_compile_error *err)
{
    size_t ul = strlen(uri);
    if (ul > (SIZE_MAX - 32) / 6)
        return CAMPVAL_NOMEM;
    char *wrapper = malloc(ul * 6 + 32);
    if (!wrapper)
        return CAMPVAL_NOMEM;
    char *w = wrapper + sprintf(wrapper, "{\"$ref\": \"");
    w = json_escape(w, uri);
    strcpy(w, "\"}");
    campval_code rc = campval_schema_compile(wrapper, strlen(wrapper), co, s, err);
    free(wrapper);
    return rc;
}

/* RFC 6901: empty, or '/'-separated tokens in which '~' is only ever "~0" or "~1". */
static bool valid_pointer(const char *p)
{
    if (*p && *p != '/')
        return false;
    for (; *p; p++)
        if (*p == '~' && p[1] != '0' && p[1] != '1')
            return false;
    return true;
}

/* A JSON Pointer as a URI fragment (RFC 3986 section 3.5 and RFC 6901 section 6): every byte
 * that is not a fragment character is percent-encoded, '%' itself included, so the compiler's
 * percent-decoding gives back exactly the pointer. `out` holds 3 * strlen(p) + 1 bytes. */
static void pointer_to_fragment(const char *p, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)p; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~!$&'()*+,;=:@/?", *c)) {
            *out++ = (char)*c;
        } else {
            *out++ = '%';
            *out++ = hex[*c >> 4];
            *out++ = hex[*c & 15];
        }
    }
    *out = '\0';
}

static bool plain_uri(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '\\')
            return false;
    return true;
}

/* Rules from FILE or FILE#/pointer: the references they make may reach the file's folder. */
static campval_code compile_file(const opts *o, loader_state *ls, campval_compile_options *co,
                                 campval_schema **s, campval_compile_error *err, bool *reported)
{
    *reported = true;
    char file[PATH_MAX];
    size_t fl = strcspn(o->rules, "#");
    if (fl >= sizeof file) {
        fprintf(stderr, "campval: --rules: file name too long\n");
        return CAMPVAL_BAD_ARGUMENT;
    }
    memcpy(file, o->rules, fl);
    file[fl] = '\0';
    const char *pointer = o->rules[fl] == '#' ? o->rules + fl + 1 : "";
    if (!valid_pointer(pointer)) {
        fprintf(stderr, "campval: --rules %s#...: the part after '#' is not a JSON Pointer "
                        "(RFC 6901: empty or starting with '/', '~' only as ~0 or ~1)\n", file);
        return CAMPVAL_BAD_ARGUMENT;
    }
    size_t len;
    char *text = NULL;
    read_fail f;
    if (!cli_read_path(file, 0, o->max_size, &text, &len, &f)) {
        if (f.kind == READ_ERRNO && f.err == ENOENT)
            fprintf(stderr, "campval: %s: %s (not a built-in rules set either; see 'campval "
                            "rules')\n", file, strerror(f.err));
        else
            cli_print_read_fail(file, &f, o->max_size);
        return CAMPVAL_IO;
    }
    char real[PATH_MAX], dir[PATH_MAX], base[PATH_MAX + 16];
    if (strcmp(file, "-") != 0 && realpath(file, real)) {
        snprintf(base, sizeof base, "file://%s", real);
        snprintf(dir, sizeof dir, "%s", real);
        char *slash = strrchr(dir, '/');
        if (slash == dir)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
        ls->rules_dir = dir;
    } else {
        /* Standard input has no folder: it may only reach the registry. */
        snprintf(base, sizeof base, "campval:///stdin.json");
    }
    co->base_uri = base;
    *reported = false;
    campval_code rc;
    if (*pointer) {
        /* A schema inside a bigger document: a tiny wrapper that references it; the loader
         * finds the document itself through its file:// URI. */
        size_t bl = strlen(base), pl = strlen(pointer);
        char *uri = malloc(bl + 1 + pl * 3 + 1);
        if (!uri) {
            free(text);
            return CAMPVAL_NOMEM;
        }
        memcpy(uri, base, bl);
        uri[bl] = '#';
        pointer_to_fragment(pointer, uri + bl + 1);
        co->base_uri = "campval:///wrapper.json";
        rc = compile_wrapper(uri, co, s, err);
        free(uri);
    } else {
        rc = campval_schema_compile(text, len, co, s, err);
    }
    free(text);
    ls->rules_dir = NULL; /* `dir` goes out of scope */
    return rc;
}

campval_schema *cli_compile_rules(const opts *o)
{
    campval_compile_options co = {0};
    loader_state ls = {o, NULL, o->max_size, NULL};
    co.flags = o->assert_formats ? CAMPVAL_ASSERT_FORMATS : 0;
    co.loader = load;
    co.loader_ctx = &ls;
    co.dialect = o->dialect;
    campval_schema *s = NULL;
    campval_compile_error err;
    campval_code rc;
    bool reported = false;
    if (campval_builtin_find(o->rules) >= 0) {
        rc = campval_schema_builtin(o->rules, &co, &s, &err);
    } else if (strncmp(o->rules, "http://", 7) == 0 || strncmp(o->rules, "https://", 8) == 0) {
        /* A URI: a built-in meta-schema (or one the registry maps), by reference. */
        if (!plain_uri(o->rules)) {
            fprintf(stderr, "campval: --rules: a URI may not contain spaces, quotes, "
                            "backslashes, control or non-ASCII characters\n");
            return NULL;
        }
        rc = compile_wrapper(o->rules, &co, &s, &err);
    } else {
        rc = compile_file(o, &ls, &co, &s, &err, &reported);
    }
    free(ls.last);
    if (rc != CAMPVAL_OK) {
        if (rc == CAMPVAL_NOMEM)
            fprintf(stderr, "campval: %s: out of memory\n", o->rules);
        else if (!reported)
            print_compile_error(o->rules, &err);
        return NULL;
    }
    return s;
}

