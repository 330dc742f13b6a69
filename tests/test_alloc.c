/*
 * campval_validate allocates nothing (header, "Validate API"; STYLE.md point 3).
 *
 * The counter sees every allocation in the process, not only the library's own calls:
 *   - normally the test program defines malloc, calloc, realloc, free and the aligned variants
 *     itself, forwarding to glibc's __libc_* entry points. Symbols of the executable take
 *     precedence over every shared library, so allocations made inside libpcre2, libstdc++
 *     (operator new) or libc itself are counted too; `-Wl,--wrap` would only see the calls
 *     made from libcampval.a.
 *   - under AddressSanitizer, which owns malloc, the sanitizer's allocation hooks count instead.
 * Counting is per thread and only inside an explicit window, because Criterion allocates too.
 * The sanity tests prove the window does see allocations, so the zero counts mean something.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <criterion/criterion.h>

#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"

/* ---- the counter --------------------------------------------------------------------------- */

static _Thread_local int window;          /* counting when non-zero */
static _Thread_local size_t alloc_calls;  /* malloc-family calls seen in the window */
static _Thread_local size_t free_calls;   /* free of a non-NULL pointer seen in the window */

#if defined(__SANITIZE_ADDRESS__)
#define COUNT_WITH_SANITIZER_HOOKS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COUNT_WITH_SANITIZER_HOOKS 1
#endif
#endif

#ifdef COUNT_WITH_SANITIZER_HOOKS
/* From <sanitizer/allocator_interface.h>, declared here so that gcc's headers are not needed. */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));

static void on_malloc(const volatile void *p, size_t n)
{
    (void)p;
    (void)n;
    if (window)
        alloc_calls++;
}

static void on_free(const volatile void *p)
{
    if (window && p)
        free_calls++;
}

static void install_counter(void)
{
    static int done;
    if (!done)
        cr_assert_neq(__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free), 0,
                      "sanitizer allocation hooks unavailable");
    done = 1;
}
#else
/* glibc's own allocator under its internal names (exported since GLIBC_2.0). */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

void *memalign(size_t align, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);

#define SEEN() (window ? (void)alloc_calls++ : (void)0)

void *malloc(size_t size)
{
    SEEN();
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    SEEN();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    SEEN();
    return __libc_realloc(p, size);
}

void free(void *p)
{
    if (window && p)
        free_calls++;
    __libc_free(p);
}

void *memalign(size_t align, size_t size)
{
    SEEN();
    return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    SEEN();
    return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
    SEEN();
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = __libc_memalign(align, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t size)
{
    SEEN();
    return __libc_valloc(size);
}

void *pvalloc(size_t size)
{
    SEEN();
    return __libc_pvalloc(size);
}

static void install_counter(void) {}
#endif

static void window_open(void)
{
    alloc_calls = free_calls = 0;
    window = 1;
}

static size_t window_close(void)
{
    window = 0;
    return alloc_calls + free_calls;
}

/* ---- fixtures ------------------------------------------------------------------------------ */

typedef struct file {
    char *data;
    size_t len;
} file;

static file load(const char *rel)
{
    const char *root = getenv("CAMPVAL_SOURCE_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s (set CAMPVAL_SOURCE_ROOT)", path);
    file r = {NULL, 0};
    size_t cap = 0;
    for (;;) {
        if (r.len == cap) {
            cap = cap ? cap * 2 : 65536;
            r.data = realloc(r.data, cap);
            cr_assert_not_null(r.data);
        }
        size_t n = fread(r.data + r.len, 1, cap - r.len, f);
        if (n == 0)
            break;
        r.len += n;
    }
    fclose(f);
    return r;
}

static campval_workspace *ws;

static void setup(void)
{
    install_counter();
    cr_assert_eq(campval_workspace_create(NULL, NULL, &ws), CAMPVAL_OK);
}

static void teardown(void)
{
    campval_workspace_destroy(ws);
    ws = NULL;
}

TestSuite(alloc, .init = setup, .fini = teardown);

static campval_schema *builtin(const char *name)
{
    campval_schema *s;
    campval_compile_error e;
    campval_code rc = campval_schema_builtin(name, NULL, &s, &e);
    cr_assert_eq(rc, CAMPVAL_OK, "%s: %s %s", name, campval_code_name(rc), e.message);
    return s;
}

static campval_schema *compile(const char *rules, uint32_t flags)
{
    campval_schema *s;
    campval_compile_error e;
    campval_compile_options opt = {flags, NULL, NULL, NULL, CAMPVAL_DIALECT_2020_12, NULL};
    campval_code rc = campval_schema_compile(rules, strlen(rules), &opt, &s, &e);
    cr_assert_eq(rc, CAMPVAL_OK, "%s: %s %s at %s", rules, campval_code_name(rc), e.message,
                 e.location);
    return s;
}

static int null_writer(void *ctx, const char *data, size_t n)
{
    (void)data;
    *(size_t *)ctx += n;
    return 0;
}

/*
 * Validate in a counting window and return the code. Rendering the errors (pointer, message and
 * all three output formats) is documented to allocate nothing as well, so it is counted in a
 * second window.
 */
static campval_code validate_counted(const campval_schema *s, campval_workspace *w,
                                     const char *json, size_t len, uint32_t flags,
                                     campval_result *res)
{
    window_open();
    campval_code rc = campval_validate(s, w, json, len, flags, res);
    size_t n = window_close();
    cr_assert_eq(n, 0, "campval_validate allocated or freed %zu times (%zu allocations, flags %#x, "
                 "result %s)", n, alloc_calls, flags, campval_code_name(rc));

    char buf[512];
    size_t written = 0;
    window_open();
    for (size_t i = 0; i < res->error_count; i++) {
        campval_error_pointer(w, &res->errors[i], buf, sizeof buf);
        campval_error_message(w, &res->errors[i], buf, sizeof buf);
    }
    campval_write_result(w, res, CAMPVAL_OUTPUT_TEXT, "doc.json", null_writer, &written);
    campval_write_result(w, res, CAMPVAL_OUTPUT_JSON, "doc.json", null_writer, &written);
    campval_write_result(w, res, CAMPVAL_OUTPUT_PROBLEM, NULL, null_writer, &written);
    n = window_close();
    cr_assert_eq(n, 0, "rendering %zu errors allocated %zu times", res->error_count, n);
    cr_assert_gt(written, 0);
    return rc;
}

static campval_code validate_str(const campval_schema *s, const char *json, uint32_t flags,
                                 campval_result *res)
{
    return validate_counted(s, ws, json, strlen(json), flags, res);
}

/* ---- the counter works --------------------------------------------------------------------- */

Test(alloc, sanity_counter_sees_direct_calls)
{
    /* through volatile pointers: the compiler may not elide a malloc/free pair */
    void *(*volatile m)(size_t) = malloc;
    void *(*volatile c)(size_t, size_t) = calloc;
    void *(*volatile r)(void *, size_t) = realloc;
    void (*volatile f)(void *) = free;
    int (*volatile pm)(void **, size_t, size_t) = posix_memalign;
    void *(*volatile aa)(size_t, size_t) = aligned_alloc;

    window_open();
    void *p = m(10);
    size_t n = window_close();
    cr_assert_eq(n, 1, "a malloc inside the window was not counted");
    f(p);

    window_open();
    p = c(2, 8);
    p = r(p, 4096);
    f(p);
    n = window_close();
    /* a realloc that moves counts as realloc (interposed) or as malloc + free (sanitizer hooks) */
    cr_assert_eq(alloc_calls, 2);
    cr_assert_geq(free_calls, 1);
    cr_assert_geq(n, 3);

    window_open();
    void *q = NULL;
    cr_assert_eq(pm(&q, 64, 100), 0);
    f(q);
    q = aa(64, 128);
    f(q);
    n = window_close();
    cr_assert_geq(alloc_calls, 2);
    cr_assert_eq(free_calls, 2);

    /* outside the window nothing is counted */
    p = m(10);
    f(p);
    cr_assert_eq(alloc_calls + free_calls, n);
}

Test(alloc, sanity_counter_sees_library_calls)
{
    /* libc's own internal allocation (another shared object) */
    char *(*volatile dup)(const char *) = strdup;
    window_open();
    char *d = dup("campval");
    size_t n = window_close();
    cr_assert_geq(n, 1, "strdup inside the window was not counted");
    free(d);

    /* campval's allocating entry points (in libcampval.a) */
    campval_workspace *w;
    window_open();
    cr_assert_eq(campval_workspace_create(NULL, NULL, &w), CAMPVAL_OK);
    n = window_close();
    cr_assert_geq(n, 1, "campval_workspace_create's allocation was not counted");
    window_open();
    campval_workspace_destroy(w);
    n = window_close();
    cr_assert_geq(n, 1, "campval_workspace_destroy's free was not counted");

    campval_schema *s;
    static const char rules[] = "{\"pattern\":\"^a+$\"}";
    window_open();
    cr_assert_eq(campval_schema_compile(rules, sizeof rules - 1, NULL, &s, NULL), CAMPVAL_OK);
    n = window_close();
    cr_assert_geq(n, 1, "compiling rules (PCRE2 included) was not counted");
    campval_schema_free(s);
}

/* A validation that does allocate would be caught: the check is not vacuous. */
static void *(*volatile sneaky_malloc)(size_t) = malloc;

Test(alloc, sanity_window_catches_an_allocation)
{
    campval_schema *s = builtin("campaign_create");
    file f = load("examples/campaign_create.json");
    campval_result res;
    window_open();
    campval_validate(s, ws, f.data, f.len, 0, &res);
    void *leak = sneaky_malloc(1);
    size_t n = window_close();
    cr_assert_eq(n, 1);
    free(leak);
    free(f.data);
    campval_schema_free(s);
}

/*
 * The documented exception: x-phone validates through libphonenumber, which allocates (C++, in a
 * shared library). The counter must see those allocations made from inside campval_validate;
 * a `-Wl,--wrap` counter would not.
 */
Test(alloc, sanity_xphone_allocations_are_seen)
{
    campval_schema *s;
    campval_code rc = campval_schema_builtin("campaign_create_strict", NULL, &s, NULL);
    if (rc == CAMPVAL_RULES_UNSUPPORTED || rc == CAMPVAL_RULES_UNKNOWN_BUILTIN)
        cr_skip_test("no x-phone in this build (%s)", campval_code_name(rc));
    cr_assert_eq(rc, CAMPVAL_OK, "%s", campval_code_name(rc));
    file f = load("examples/campaign_create.json");
    campval_result res;
    size_t n = 0;
    for (int round = 0; round < 2; round++) {
        window_open();
        campval_validate(s, ws, f.data, f.len, 0, &res);
        n += window_close();
    }
    cr_assert_gt(n, 0, "x-phone validation allocates inside libphonenumber, the counter saw none");
    free(f.data);
    campval_schema_free(s);
}

/* ---- built-in rules and the example payloads ----------------------------------------------- */

Test(alloc, campaign_create_valid)
{
    campval_schema *s = builtin("campaign_create");
    file f = load("examples/campaign_create.json");
    campval_result res;
    for (int round = 0; round < 3; round++) { /* first use of the workspace included */
        cr_assert_eq(validate_counted(s, ws, f.data, f.len, 0, &res), CAMPVAL_OK);
        cr_assert_eq(res.valid, 1);
        cr_assert_eq(validate_counted(s, ws, f.data, f.len, CAMPVAL_FIRST_ERROR, &res),
                     CAMPVAL_OK);
    }
    free(f.data);
    campval_schema_free(s);
}

Test(alloc, campaign_create_invalid)
{
    campval_schema *s = builtin("campaign_create");
    file f = load("examples/campaign_create_invalid.json");
    campval_result res;
    campval_code rc = validate_counted(s, ws, f.data, f.len, 0, &res);
    cr_assert_neq(rc, CAMPVAL_OK);
    cr_assert_gt(res.error_count, 1, "all-errors mode should list several errors");
    size_t all = res.error_count;
    rc = validate_counted(s, ws, f.data, f.len, CAMPVAL_FIRST_ERROR, &res);
    cr_assert_neq(rc, CAMPVAL_OK);
    cr_assert_eq(res.error_count, 1);
    cr_assert_lt(res.error_count, all);
    free(f.data);
    campval_schema_free(s);
}

Test(alloc, campaign_rules)
{
    campval_schema *s = builtin("campaign");
    const char *files[] = {"examples/campaign_response.json", "examples/campaign_create.json",
                           "examples/campaign_create_invalid.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        file f = load(files[i]);
        campval_result res;
        validate_counted(s, ws, f.data, f.len, 0, &res);
        validate_counted(s, ws, f.data, f.len, CAMPVAL_FIRST_ERROR, &res);
        free(f.data);
    }
    file f = load("examples/campaign_response.json");
    campval_result res;
    cr_assert_eq(validate_counted(s, ws, f.data, f.len, 0, &res), CAMPVAL_OK);
    free(f.data);
    campval_schema_free(s);
}

Test(alloc, malformed_json)
{
    campval_schema *s = builtin("campaign_create");
    file f = load("examples/campaign_create_malformed.json");
    campval_result res;
    cr_assert_eq(campval_code_class(validate_counted(s, ws, f.data, f.len, 0, &res)),
                 CAMPVAL_CLASS_SYNTAX);
    validate_counted(NULL, ws, f.data, f.len, CAMPVAL_SYNTAX_ONLY, &res);
    free(f.data);

    static const struct {
        const char *doc;
        size_t len;
    } bad[] = {
        {"", 0}, {"[1,]", 4}, {"{\"a\" 1}", 7}, {"\"\\uD800\"", 8}, {"\"\xC0\x80\"", 4},
        {"[1]\0", 4}, {"\xEF\xBB\xBF{}", 5}, {"01", 2}, {"tru", 3}, {"[}", 2}, {"/**/1", 5},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        campval_code rc = validate_counted(s, ws, bad[i].doc, bad[i].len, 0, &res);
        cr_assert_eq(campval_code_class(rc), CAMPVAL_CLASS_SYNTAX, "case %zu: %s", i,
                     campval_code_name(rc));
    }
    /* limits */
    char deep[400];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 200);
    cr_assert_eq(validate_counted(s, ws, deep, sizeof deep, 0, &res), CAMPVAL_LIMIT_DEPTH);
    cr_assert_eq(validate_counted(s, ws, "{", CAMPVAL_MAX_INPUT + 1, 0, &res),
                 CAMPVAL_LIMIT_INPUT);
    campval_schema_free(s);
}

Test(alloc, duplicate_keys)
{
    campval_schema *s = builtin("campaign_create");
    file f = load("examples/campaign_create.json");
    /* repeat "name" right after the opening brace */
    size_t len = f.len + 16;
    char *doc = malloc(len);
    cr_assert_not_null(doc);
    const char *brace = memchr(f.data, '{', f.len);
    size_t head = (size_t)(brace - f.data) + 1;
    memcpy(doc, f.data, head);
    memcpy(doc + head, "\"name\":\"x\",    ", 15);
    memcpy(doc + head + 15, f.data + head, f.len - head);
    len = f.len + 15;
    campval_result res;
    cr_assert_eq(validate_counted(s, ws, doc, len, 0, &res), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(validate_counted(s, ws, doc, len, CAMPVAL_FIRST_ERROR, &res),
                 CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(validate_counted(s, ws, doc, len, CAMPVAL_ALLOW_DUPLICATE_KEYS, &res),
                 CAMPVAL_OK);
    /* the hashed path (more than 16 members) */
    char big[4096];
    size_t o = 0;
    big[o++] = '{';
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(big + o, sizeof big - o, "\"k%d\":%d,", i % 60, i);
    big[o - 1] = '}';
    campval_schema *open = compile("{\"type\":\"object\",\"additionalProperties\":{\"type\":"
                                   "\"integer\"},\"minProperties\":2}", 0);
    cr_assert_eq(validate_counted(open, ws, big, o, 0, &res), CAMPVAL_JSON_DUPLICATE_KEY);
    cr_assert_eq(res.error_count, 40);
    cr_assert_eq(validate_counted(open, ws, big, o, CAMPVAL_ALLOW_DUPLICATE_KEYS, &res),
                 CAMPVAL_OK);
    campval_schema_free(open);
    free(doc);
    free(f.data);
    campval_schema_free(s);
}

/* ---- rules that need scratch state --------------------------------------------------------- */

static const char dynamic_rules[] =
    "{"
    "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
    "\"$id\":\"https://example.com/root\","
    "\"$ref\":\"list\","
    "\"$defs\":{"
    "  \"item\":{\"$dynamicAnchor\":\"item\",\"type\":\"string\",\"pattern\":\"^[a-z]+\\\\d*$\"},"
    "  \"list\":{\"$id\":\"list\",\"type\":\"object\","
    "    \"$defs\":{\"item\":{\"$dynamicAnchor\":\"item\"}},"
    "    \"properties\":{"
    "      \"items\":{\"type\":\"array\",\"items\":{\"$dynamicRef\":\"#item\"},"
    "                 \"uniqueItems\":true,\"contains\":{\"const\":\"a\"},\"maxContains\":2},"
    "      \"choice\":{\"anyOf\":[{\"type\":\"integer\",\"multipleOf\":3},"
    "                             {\"type\":\"string\",\"format\":\"date-time\"},"
    "                             {\"type\":\"array\",\"prefixItems\":[{\"type\":\"null\"}],"
    "                              \"unevaluatedItems\":false}]},"
    "      \"one\":{\"oneOf\":[{\"minimum\":0},{\"maximum\":10}]},"
    "      \"when\":{\"if\":{\"required\":[\"kind\"]},"
    "                \"then\":{\"properties\":{\"kind\":{\"enum\":[\"x\",\"y\",{\"z\":[1]}]}}},"
    "                \"else\":{\"not\":{\"required\":[\"other\"]}}}"
    "    },"
    "    \"patternProperties\":{\"^x-[a-z]+$\":{\"type\":\"string\",\"maxLength\":8},"
    "                           \"^n_\\\\d+$\":{\"type\":\"number\",\"exclusiveMaximum\":1e300}},"
    "    \"propertyNames\":{\"minLength\":1,\"pattern\":\"^[\\\\p{L}_\\\\-0-9]+$\"},"
    "    \"dependentRequired\":{\"one\":[\"choice\"]},"
    "    \"dependentSchemas\":{\"when\":{\"minProperties\":2}},"
    "    \"unevaluatedProperties\":false"
    "  }"
    "}"
    "}";

Test(alloc, applicators_and_annotations)
{
    campval_schema *s = compile(dynamic_rules, CAMPVAL_ASSERT_FORMATS);
    static const char *const valid[] = {
        "{\"items\":[\"a\",\"b1\",\"c22\"],\"choice\":9,\"one\":-5,\"x-tag\":\"short\","
        "\"n_1\":1.5e10}",
        "{\"items\":[\"a\"],\"choice\":\"2024-02-29T12:00:00Z\",\"when\":{\"kind\":\"y\"},"
        "\"\xC3\xA9t\xC3\xA9\":null}" /* unevaluated: must fail below */,
        "{\"choice\":[null],\"when\":{\"kind\":{\"z\":[1]}},\"one\":20}",
    };
    static const char *const invalid[] = {
        "{\"items\":[\"a\",\"a\"],\"choice\":10}",
        "{\"items\":[\"b\",\"B\"],\"choice\":\"2024-02-30T12:00:00Z\"}",
        "{\"items\":[\"a\",1,{}],\"choice\":[null,1],\"one\":5,\"x-TAG\":1,\"x-long\":"
        "\"123456789\",\"\":0,\"n_2\":1e301}",
        "{\"when\":{\"other\":1},\"one\":1,\"extra\":true,\"more\":[1,2,3]}",
        "{\"items\":[\"\\u0061\",\"\\u0062\\u0031\",\"a\",\"a\"],\"choice\":[null],"
        "\"when\":{\"kind\":\"q\"}}",
    };
    campval_result res;
    cr_assert_eq(validate_str(s, valid[0], 0, &res), CAMPVAL_OK);
    cr_assert_eq(validate_str(s, valid[2], 0, &res), CAMPVAL_OK);
    cr_assert_eq(validate_str(s, valid[1], 0, &res), CAMPVAL_UNEVALUATED_PROPERTY);
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        cr_assert_neq(validate_str(s, invalid[i], 0, &res), CAMPVAL_OK, "invalid[%zu]", i);
        cr_assert_neq(validate_str(s, invalid[i], CAMPVAL_FIRST_ERROR, &res), CAMPVAL_OK);
    }
    campval_schema_free(s);
}

Test(alloc, unique_items_large)
{
    campval_schema *s = compile("{\"uniqueItems\":true,\"items\":{\"type\":[\"number\",\"object\","
                                "\"string\"]}}", 0);
    size_t cap = 1 << 20, o = 0;
    char *doc = malloc(cap);
    cr_assert_not_null(doc);
    doc[o++] = '[';
    for (int i = 0; i < 20000; i++)
        o += (size_t)snprintf(doc + o, cap - o, "%s{\"k\":%d,\"s\":\"v%d\"}", i ? "," : "", i, i);
    doc[o++] = ']';
    campval_result res;
    cr_assert_eq(validate_counted(s, ws, doc, o, 0, &res), CAMPVAL_OK);
    /* numbers equal by value: 1 and 1.0e0 */
    cr_assert_eq(validate_str(s, "[1,\"1\",1.0e0]", 0, &res), CAMPVAL_UNIQUE_ITEMS);
    free(doc);
    campval_schema_free(s);
}

Test(alloc, strings_numbers_and_formats)
{
    campval_schema *s = compile(
        "{\"type\":\"object\",\"properties\":{"
        "\"p\":{\"type\":\"string\",\"pattern\":\"^[ab]*c$\"},"
        "\"q\":{\"type\":\"string\",\"pattern\":\"^(a|b)*c$\"},"
        "\"e\":{\"format\":\"email\"},\"u\":{\"format\":\"uri\"},\"h\":{\"format\":\"hostname\"},"
        "\"i\":{\"format\":\"ipv6\"},\"d\":{\"format\":\"duration\"},\"r\":{\"format\":\"regex\"},"
        "\"t\":{\"format\":\"iana-timezone\"},\"ph\":{\"format\":\"e164\"},"
        "\"id\":{\"format\":\"uuid\"},\"tod\":{\"format\":\"time-of-day\"},"
        "\"m\":{\"multipleOf\":0.01,\"minimum\":-1e400,\"maximum\":1e400},"
        "\"big\":{\"type\":\"integer\",\"multipleOf\":7}}}",
        CAMPVAL_ASSERT_FORMATS);
    campval_result res;
    cr_assert_eq(validate_str(s,
                              "{\"p\":\"ababc\",\"e\":\"a@example.com\",\"u\":\"https://x.y/z?q#f\","
                              "\"h\":\"example.com\",\"i\":\"::1\",\"d\":\"P1DT2H\",\"r\":\"^a+$\","
                              "\"t\":\"Europe/Paris\",\"ph\":\"+14155550123\",\"id\":"
                              "\"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e\",\"tod\":\"2pm\","
                              "\"m\":12345678901234567890.25,\"big\":7000000000000000000000000000007}",
                              0, &res),
                 CAMPVAL_OK);
    validate_str(s,
                 "{\"p\":\"\\u0061\\u0062x\",\"e\":\"no\",\"u\":\"rel\",\"h\":\"-x\",\"i\":\":::\","
                 "\"d\":\"P\",\"r\":\"(\",\"t\":\"Mars/Base\",\"ph\":\"+1 415\",\"id\":\"x\","
                 "\"tod\":\"25:00\",\"m\":0.001,\"big\":1e400}",
                 0, &res);
    cr_assert_geq(res.error_count, 12);
    /* a pattern on a long escaped string is unescaped into the workspace */
    size_t n = 10000, o = 0;
    char *doc = malloc(100000);
    cr_assert_not_null(doc);
    o += (size_t)sprintf(doc, "{\"p\":\"");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(doc + o, "\\u0061");
    o += (size_t)sprintf(doc + o, "c\"}");
    cr_assert_eq(validate_counted(s, ws, doc, o, 0, &res), CAMPVAL_OK);
    /* ... too long for the workspace's string buffer */
    o = (size_t)sprintf(doc, "{\"p\":\"");
    for (size_t i = 0; i < 70000; i++)
        doc[o++] = 'a';
    o += (size_t)sprintf(doc + o, "\\u0063\"}");
    cr_assert_eq(validate_counted(s, ws, doc, o, 0, &res), CAMPVAL_LIMIT_STRING);
    /* ... and a match that reaches PCRE2's limits (its frames live in the workspace) */
    o = (size_t)sprintf(doc, "{\"q\":\"");
    for (size_t i = 0; i < 60000; i++)
        doc[o++] = i % 2 ? 'a' : 'b';
    o += (size_t)sprintf(doc + o, "c\"}");
    campval_code rc = validate_counted(s, ws, doc, o, 0, &res);
    cr_assert_eq(rc, CAMPVAL_LIMIT_REGEX, "%s", campval_code_name(rc));
    free(doc);
    campval_schema_free(s);
}

/* ---- a workspace in caller memory ---------------------------------------------------------- */

static _Alignas(max_align_t) unsigned char arena[4u << 20];

Test(alloc, workspace_in_caller_memory)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 20000;
    size_t need = campval_workspace_size(&lim);
    cr_assert_gt(need, 0);
    cr_assert_leq(need, sizeof arena, "arena too small: %zu needed", need);
    campval_workspace *w;
    window_open();
    campval_code rc = campval_workspace_init(arena, sizeof arena, &lim, &w);
    size_t n = window_close();
    cr_assert_eq(rc, CAMPVAL_OK);
    cr_assert_eq(n, 0, "campval_workspace_init allocated");
    cr_assert(w != NULL && (void *)w >= (void *)arena && (void *)w < (void *)(arena + sizeof arena));

    campval_schema *s = builtin("campaign_create");
    file good = load("examples/campaign_create.json");
    file bad = load("examples/campaign_create_invalid.json");
    campval_result res;
    cr_assert_eq(validate_counted(s, w, good.data, good.len, 0, &res), CAMPVAL_OK);
    cr_assert_eq(res.valid, 1);
    cr_assert_gt(res.token_count, 10);
    campval_code first = validate_counted(s, w, bad.data, bad.len, 0, &res);
    cr_assert_neq(first, CAMPVAL_OK);
    cr_assert_gt(res.error_count, 1);
    /* the same answers as a heap workspace */
    campval_result res2;
    cr_assert_eq(validate_counted(s, ws, bad.data, bad.len, 0, &res2), first);
    cr_assert_eq(res2.error_count, res.error_count);
    for (size_t i = 0; i < res.error_count; i++) {
        cr_assert_eq(res.errors[i].code, res2.errors[i].code);
        cr_assert_eq(res.errors[i].offset, res2.errors[i].offset);
    }
    /* the token limit of this workspace is its own */
    char *many = malloc(2 * 20001 + 2);
    cr_assert_not_null(many);
    size_t o = 0;
    many[o++] = '[';
    for (int i = 0; i < 20000; i++) {
        many[o++] = '0';
        many[o++] = ',';
    }
    many[o - 1] = ']';
    cr_assert_eq(validate_counted(NULL, w, many, o, CAMPVAL_SYNTAX_ONLY, &res),
                 CAMPVAL_LIMIT_TOKENS);
    free(many);
    free(good.data);
    free(bad.data);
    campval_schema_free(s);
}
