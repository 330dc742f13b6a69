/*
 * Bounded cost for every body (issue #13): each hostile class of input, built here at a size
 * where the old quadratic or flooded code would take seconds, must come back with the right
 * code after a number of work units linear in its size. Work units are counted, not timed, so
 * nothing here depends on the machine; bench/worst-case.sh has the timings.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campval.h"
#include "equal.h"
#include "hash.h"

/* ---- a growing text buffer -------------------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    if (!b->p) {
        b->cap = 4096;
        b->p = malloc(b->cap);
        cr_assert_not_null(b->p);
    }
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        cr_assert(k >= 0);
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = b->cap * 2 + (size_t)k + 64;
        b->p = realloc(b->p, b->cap);
        cr_assert_not_null(b->p);
    }
}

static campval_schema *compile(const char *rules)
{
    campval_schema *s;
    campval_compile_error err;
    campval_code rc = campval_schema_compile(rules, strlen(rules), NULL, &s, &err);
    cr_assert_eq(rc, CAMPVAL_OK, "rules: %s", err.message);
    return s;
}

/* Validate with limits big enough for the document; returns the first code, *out the result. */
static campval_code run(const campval_schema *s, const buf *b, uint32_t flags, campval_result *out,
                        campval_workspace **wsp)
{
    campval_limits lim;
    campval_limits_default(&lim);
    lim.max_tokens = 1u << 20;
    cr_assert_eq(campval_workspace_create(&lim, NULL, wsp), CAMPVAL_OK);
    return campval_validate(s, *wsp, b->p, b->n, flags, out);
}

static uint64_t budget_of(size_t len)
{
    return CAMPVAL_WORK_FIXED + (uint64_t)CAMPVAL_WORK_PER_BYTE * len;
}

static bool has_code(const campval_result *r, campval_code code)
{
    for (size_t i = 0; i < r->error_count; i++)
        if (r->errors[i].code == code)
            return true;
    return false;
}

/* ---- SipHash-2-4 ------------------------------------------------------------------------ */

/* The reference vectors (Aumasson and Bernstein): key 00..0f, message 00..len-1. */
static const uint64_t sip_vectors[16] = {
    0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull, 0x85676696d7fb7e2dull,
    0xcf2794e0277187b7ull, 0x18765564cd99a68dull, 0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull,
    0x93f5f5799a932462ull, 0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
    0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull, 0xa129ca6149be45e5ull,
};

Test(hash, siphash_reference_vectors)
{
    campval__hkey key = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
    unsigned char msg[16];
    for (unsigned i = 0; i < 16; i++)
        msg[i] = (unsigned char)i;
    for (size_t len = 0; len < 16; len++) {
        cr_expect_eq(campval__siphash(&key, msg, len), sip_vectors[len], "length %zu", len);
        /* fed in two pieces at every split point: the same hash */
        for (size_t cut = 0; cut <= len; cut++) {
            campval__sip st;
            campval__sip_init(&st, &key);
            campval__sip_update(&st, msg, cut);
            campval__sip_update(&st, msg + cut, len - cut);
            cr_expect_eq(campval__sip_final(&st), sip_vectors[len], "length %zu cut %zu", len, cut);
        }
    }
}

Test(hash, random_keys_differ)
{
    campval__hkey a, b;
    campval__hkey_random(&a);
    campval__hkey_random(&b);
    cr_expect(a.k0 != b.k0 || a.k1 != b.k1);
}

Test(hash, reduce_stays_in_range)
{
    for (uint32_t n = 1; n < 5000; n += 7)
        for (uint64_t h = 1; h; h <<= 1)
            cr_assert_lt(campval__hash_reduce(h * 0x9E3779B97F4A7C15ull, n), n);
}

/* ---- 1. uniqueItems over objects -------------------------------------------------------- */

/* The body from the issue: two objects with the same members in opposite orders, under the
 * built-in campaign rules. Pairwise member lookup made it 35 s at 1 MB. */
Test(budget, unique_items_objects_are_linear)
{
    const size_t members = 30000;
    buf b = {0};
    put(&b, "{\"call_retry_config\":{\"allowed_days\":[{");
    for (size_t i = 0; i < members; i++)
        put(&b, "%s\"m%09zu\":%zu", i ? "," : "", i, i);
    put(&b, "},{");
    for (size_t i = members; i-- > 0;)
        put(&b, "\"m%09zu\":%zu%s", i, i, i ? "," : "");
    put(&b, "}]}}");
    campval_schema *s;
    campval_compile_error err;
    cr_assert_eq(campval_schema_builtin("campaign_create", NULL, &s, &err), CAMPVAL_OK);
    campval_workspace *ws;
    campval_result r;
    run(s, &b, 0, &r, &ws);
    cr_expect(has_code(&r, CAMPVAL_UNIQUE_ITEMS), "the two objects are equal");
    cr_expect(!has_code(&r, CAMPVAL_LIMIT_EVALUATION));
    /* hash both, then one table lookup and one comparison per member */
    cr_expect_lt(r.work, 20 * members, "work %llu", (unsigned long long)r.work);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(b.p);
}

/* enum and const on objects compare through the same tables: a const object of many members
 * matches the instance written in the opposite order. */
Test(budget, const_object_any_order)
{
    const size_t members = 20000;
    buf rules = {0}, doc = {0};
    put(&rules, "{\"const\":{");
    for (size_t i = 0; i < members; i++)
        put(&rules, "%s\"k%zu\":[%zu,{\"x\":%zu}]", i ? "," : "", i, i, i);
    put(&rules, "}}");
    buf other = {0};
    put(&doc, "{");
    put(&other, "{");
    for (size_t i = members; i-- > 0;) {
        put(&doc, "\"k%zu\":[%zu.0,{\"x\":%zue0}]%s", i, i, i, i ? "," : "");
        put(&other, "\"k%zu\":[%zu.0,{\"x\":%zue0}]%s", i, i, i == 7 ? i + 1 : i, i ? "," : "");
    }
    put(&doc, "}");
    put(&other, "}");
    campval_schema *s = compile(rules.p);
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &doc, 0, &r, &ws), CAMPVAL_OK);
    cr_expect_lt(r.work, 30 * members, "work %llu", (unsigned long long)r.work);
    cr_expect_eq(campval_validate(s, ws, other.p, other.n, 0, &r), CAMPVAL_CONST, "one value differs");
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(rules.p);
    free(doc.p);
    free(other.p);
}

/* Number equality by value inside the keyed hash: 1, 1.0 and 10e-1 are the same item. */
Test(budget, unique_items_numbers_by_value)
{
    campval_schema *s = compile("{\"uniqueItems\":true}");
    buf b = {0};
    put(&b, "[");
    for (int i = 0; i < 100; i++)
        put(&b, "%d,", i + 2);
    put(&b, "1,{\"a\":[1.0]},{\"a\":[10e-1]}]");
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &b, 0, &r, &ws), CAMPVAL_UNIQUE_ITEMS);
    b.n = 0;
    put(&b, "[");
    for (int i = 0; i < 100; i++)
        put(&b, "%d.5,", i);
    put(&b, "-0,0.0]");
    cr_expect_eq(campval_validate(s, ws, b.p, b.n, 0, &r), CAMPVAL_UNIQUE_ITEMS, "-0 equals 0.0");
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(b.p);
}

/* ---- 2. member names chosen to collide ---------------------------------------------------- */

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    return h;
}

/* 4,096 names whose old hash (FNV-1a, fixed seed) agrees in the low 13 bits: every one of them
 * landed in the same run of the old 8,192-slot table. Under the keyed hash they cost what any
 * names cost. Syntax only: the duplicate check runs for every schema. */
Test(budget, colliding_member_names)
{
    const size_t count = 4096;
    buf b = {0};
    put(&b, "{");
    char name[32];
    size_t found = 0;
    for (unsigned i = 0; found < count; i++) {
        int n = snprintf(name, sizeof name, "n%08u", i);
        if ((fnv1a(name, (size_t)n) & 0x1FFF) == 0x0ABC)
        {
            put(&b, "%s\"%s\":%zu", found ? "," : "", name, found);
            found++;
        }
    }
    put(&b, ",\"n-dup\":1,\"n-dup\":2}");
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(NULL, &b, CAMPVAL_SYNTAX_ONLY, &r, &ws), CAMPVAL_JSON_DUPLICATE_KEY);
    /* about one probe per name at half load; quadratic would be millions */
    cr_expect_lt(r.work, 4 * count, "work %llu", (unsigned long long)r.work);
    cr_expect_eq(r.error_count, 1);
    campval_workspace_destroy(ws);
    free(b.p);
}

/* ---- 3. patterns summed over the document ------------------------------------------------- */

/* Each string backtracks to just under PCRE2's match limit (2^16 steps): the document is valid,
 * and used to take 20 s at 2 MB. Now every match is paid from one budget for the document. */
Test(budget, backtracking_items_share_one_budget)
{
    campval_schema *s = compile("{\"items\":{\"pattern\":\"^(?:(a+)+c|a+b)$\"}}");
    buf b = {0};
    put(&b, "[");
    for (int i = 0; i < 50000; i++)
        put(&b, "%s\"aaaaaaaaaaaaaaaab\"", i ? "," : "");
    put(&b, "]");
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &b, CAMPVAL_FIRST_ERROR, &r, &ws), CAMPVAL_LIMIT_EVALUATION);
    cr_expect_leq(r.work, budget_of(b.n));
    cr_expect_eq(r.errors[0].code, CAMPVAL_LIMIT_EVALUATION);
    /* the same pattern on strings it settles at once: valid, a few units a string */
    b.n = 0;
    put(&b, "[");
    for (int i = 0; i < 50000; i++)
        put(&b, "%s\"aaaaaaaaaaaaaaaac\"", i ? "," : "");
    put(&b, "]");
    cr_expect_eq(campval_validate(s, ws, b.p, b.n, 0, &r), CAMPVAL_OK);
    cr_expect_lt(r.work, 20 * 50000, "work %llu", (unsigned long long)r.work);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(b.p);
}

Test(budget, backtracking_member_names_share_one_budget)
{
    campval_schema *s = compile("{\"patternProperties\":{\"^(a+)+$\":true}}");
    buf b = {0};
    put(&b, "{");
    for (int i = 0; i < 30000; i++)
        put(&b, "%s\"aaaaaaaaaaaaaaaa!%07d\":0", i ? "," : "", i);
    put(&b, "}");
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &b, 0, &r, &ws), CAMPVAL_LIMIT_EVALUATION);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(b.p);
}

/* One match that alone needs more than PCRE2's per-match limit is LIMIT_REGEX, as before. */
Test(budget, one_long_match_is_limit_regex)
{
    campval_schema *s = compile("{\"pattern\":\"^(a+)+$\"}");
    buf b = {0};
    put(&b, "\"");
    for (int i = 0; i < 40; i++)
        put(&b, "a");
    put(&b, "!\"");
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &b, 0, &r, &ws), CAMPVAL_LIMIT_REGEX);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(b.p);
}

/* ---- 4. evaluation that explodes ---------------------------------------------------------- */

/* Every failing item explores 2^20 alternatives: the budget stops it, whatever the rules. */
Test(budget, exponential_alternatives)
{
    buf rules = {0};
    put(&rules, "{\"$defs\":{");
    for (int i = 0; i < 20; i++)
        put(&rules, "\"a%d\":{\"anyOf\":[{\"$ref\":\"#/$defs/a%d\"},{\"$ref\":\"#/$defs/a%d\"}]},", i,
            i + 1, i + 1);
    put(&rules, "\"a20\":{\"type\":\"string\"}},\"items\":{\"$ref\":\"#/$defs/a0\"}}");
    campval_schema *s = compile(rules.p);
    buf b = {0};
    put(&b, "[\"ok\",1,\"ok\"]");
    campval_workspace *ws;
    campval_result r;
    campval_code rc = run(s, &b, CAMPVAL_FIRST_ERROR, &r, &ws);
    cr_expect_eq(rc, CAMPVAL_LIMIT_EVALUATION);
    cr_expect_eq(r.work, budget_of(b.n), "the whole budget, and not a unit more");
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(rules.p);
    free(b.p);
}

/* ---- what ordinary documents use -------------------------------------------------------- */

/* The examples use a small fraction of their budget: the limit is far from real documents. */
Test(budget, examples_use_little)
{
    const char *root = getenv("CAMPVAL_SOURCE_ROOT");
    cr_assert_not_null(root);
    static const char *const files[] = {"campaign_create.json", "campaign_create_invalid.json",
                                        "campaign_response.json"};
    static const char *const rules[] = {"campaign_create", "campaign_create", "campaign"};
    for (size_t i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/examples/%s", root, files[i]);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "%s", path);
        buf b = {0};
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            put(&b, "%.*s", (int)n, chunk);
        fclose(f);
        campval_schema *s;
        campval_compile_error err;
        cr_assert_eq(campval_schema_builtin(rules[i], NULL, &s, &err), CAMPVAL_OK);
        campval_workspace *ws;
        campval_result r;
        run(s, &b, 0, &r, &ws);
        cr_expect(!has_code(&r, CAMPVAL_LIMIT_EVALUATION));
        cr_expect_lt(r.work, (uint64_t)CAMPVAL_WORK_PER_BYTE * b.n / 8 + 1000,
                     "%s: %llu units for %zu bytes", files[i], (unsigned long long)r.work, b.n);
        campval_workspace_destroy(ws);
        campval_schema_free(s);
        free(b.p);
    }
}

/* ---- 5. keywords that walk a large instance ---------------------------------------------- */

/*
 * Each object keyword walks every member of the instance each time it runs, whatever its
 * subschemas cost: these are true here, so they cost nothing, and before the walks were paid 2,000
 * branches over a 90,000-member object took 2 s on 137,000 units. Now each walk pays a unit per
 * member, and the budget stops the document after about a hundred branches.
 */
#define WIDE_MEMBERS 30000 /* "a", "b" and 30,000 more */
#define WIDE_BRANCHES 2000

/* {"allOf": [branch, branch, ...]} */
static void put_all_of(buf *rules, const char *branch, size_t branches)
{
    put(rules, "{\"allOf\":[");
    for (size_t i = 0; i < branches; i++)
        put(rules, "%s%s", i ? "," : "", branch);
    put(rules, "]}");
}

/* {"a":0,"b":1,"m000000":0,...}: WIDE_MEMBERS + 2 members */
static void put_wide_object(buf *b)
{
    put(b, "{\"a\":0,\"b\":1");
    for (size_t i = 0; i < WIDE_MEMBERS; i++)
        put(b, ",\"m%06zu\":%zu", i, i % 10);
    put(b, "}");
}

static void expect_walks_limited(const char *branch, uint32_t flags)
{
    buf rules = {0}, b = {0};
    put_all_of(&rules, branch, WIDE_BRANCHES);
    put_wide_object(&b);
    campval_schema *s = compile(rules.p);
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &b, flags, &r, &ws), CAMPVAL_LIMIT_EVALUATION, "%s: code %s", branch,
                 campval_code_name(r.code));
    cr_expect_leq(r.work, budget_of(b.n), "%s", branch);
    /* the same rules with one branch: a walk or two, far from the limit */
    rules.n = 0;
    put(&rules, "{\"allOf\":[%s]}", branch);
    campval_schema *one = compile(rules.p);
    cr_expect_eq(campval_validate(one, ws, b.p, b.n, flags, &r), CAMPVAL_OK, "%s", branch);
    cr_expect_lt(r.work, budget_of(b.n) / 20, "%s: work %llu", branch,
                 (unsigned long long)r.work);
    campval_workspace_destroy(ws);
    campval_schema_free(one);
    campval_schema_free(s);
    free(rules.p);
    free(b.p);
}

Test(budget, properties_walks_are_paid)
{
    expect_walks_limited("{\"properties\":{\"a\":true}}", 0);
}

Test(budget, required_walks_are_paid)
{
    expect_walks_limited("{\"required\":[\"a\"]}", 0);
}

Test(budget, additional_properties_walks_are_paid)
{
    expect_walks_limited("{\"additionalProperties\":true}", 0);
}

Test(budget, dependent_required_walks_are_paid)
{
    expect_walks_limited("{\"dependentRequired\":{\"a\":[\"b\"]}}", 0);
}

Test(budget, property_names_walks_are_paid)
{
    expect_walks_limited("{\"propertyNames\":{\"type\":\"string\"}}", 0);
}

/* Only repeated names (allowed by the flag) make minProperties count by walking; otherwise the
 * object's size is the count and nothing is walked. */
Test(budget, min_properties_walks_are_paid)
{
    expect_walks_limited("{\"minProperties\":2}", CAMPVAL_ALLOW_DUPLICATE_KEYS);
    char branch[64];
    snprintf(branch, sizeof branch, "{\"minProperties\":2,\"maxProperties\":%d}", WIDE_MEMBERS + 2);
    buf rules = {0}, b = {0};
    put_all_of(&rules, branch, WIDE_BRANCHES);
    put_wide_object(&b);
    campval_schema *s = compile(rules.p);
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &b, 0, &r, &ws), CAMPVAL_OK);
    cr_expect_lt(r.work, budget_of(b.n) / 20, "no walk: work %llu", (unsigned long long)r.work);
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(rules.p);
    free(b.p);
}

/* Arrays the same way: items whose subschema passes on its type alone, at no cost of its own
 * (an integer takes the full path, and paid before). */
Test(budget, items_walks_are_paid)
{
    const size_t count = 100000;
    buf rules = {0}, b = {0};
    put_all_of(&rules, "{\"items\":{\"type\":\"number\"}}", WIDE_BRANCHES);
    put(&b, "[");
    for (size_t i = 0; i < count; i++)
        put(&b, "%s%zu", i ? "," : "", i % 10);
    put(&b, "]");
    campval_schema *s = compile(rules.p);
    campval_workspace *ws;
    campval_result r;
    cr_expect_eq(run(s, &b, 0, &r, &ws), CAMPVAL_LIMIT_EVALUATION, "code %s",
                 campval_code_name(r.code));
    cr_expect_leq(r.work, budget_of(b.n));
    campval_workspace_destroy(ws);
    campval_schema_free(s);
    free(rules.p);
    free(b.p);
}

/* ---- generous sizing: real shapes of several MB stay far from the limit ------------------- */

/* Validates a generated document, valid under its rules, and expects it to use under half the
 * budget. */
static void expect_generous(const char *rules, const buf *b, const char *what)
{
    campval_schema *s = compile(rules);
    campval_workspace *ws;
    campval_result r;
    campval_code rc = run(s, b, 0, &r, &ws);
    cr_expect_eq(rc, CAMPVAL_OK, "%s: %s", what, campval_code_name(rc));
    cr_expect(!has_code(&r, CAMPVAL_LIMIT_EVALUATION), "%s", what);
    cr_expect_lt(r.work, budget_of(b->n) / 2, "%s: %llu units for %zu bytes", what,
                 (unsigned long long)r.work, b->n);
    cr_log_info("%s: %llu units for %zu bytes (budget %llu)", what, (unsigned long long)r.work,
                b->n, (unsigned long long)budget_of(b->n));
    campval_workspace_destroy(ws);
    campval_schema_free(s);
}

/* GeoJSON (RFC 7946): a FeatureCollection whose geometries are told apart by a oneOf, so every
 * coordinates array is walked by several branches. Coordinates come before the type, as some
 * writers put them, so no branch stops early. */
static const char geojson_rules[] =
    "{\"$defs\":{"
    "\"position\":{\"type\":\"array\",\"minItems\":2,\"maxItems\":3,\"items\":{\"type\":\"number\"}},"
    "\"positions\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/position\"}},"
    "\"ring\":{\"type\":\"array\",\"minItems\":4,\"items\":{\"$ref\":\"#/$defs/position\"}},"
    "\"polygon\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/ring\"}},"
    "\"geometry\":{\"oneOf\":["
    "{\"type\":\"object\",\"required\":[\"type\",\"coordinates\"],\"properties\":{"
    "\"type\":{\"const\":\"Point\"},\"coordinates\":{\"$ref\":\"#/$defs/position\"}}},"
    "{\"type\":\"object\",\"required\":[\"type\",\"coordinates\"],\"properties\":{"
    "\"type\":{\"const\":\"MultiPoint\"},\"coordinates\":{\"$ref\":\"#/$defs/positions\"}}},"
    "{\"type\":\"object\",\"required\":[\"type\",\"coordinates\"],\"properties\":{"
    "\"type\":{\"const\":\"LineString\"},\"coordinates\":{\"$ref\":\"#/$defs/positions\",\"minItems\":2}}},"
    "{\"type\":\"object\",\"required\":[\"type\",\"coordinates\"],\"properties\":{"
    "\"type\":{\"const\":\"MultiLineString\"},\"coordinates\":{\"type\":\"array\",\"items\":"
    "{\"$ref\":\"#/$defs/positions\"}}}},"
    "{\"type\":\"object\",\"required\":[\"type\",\"coordinates\"],\"properties\":{"
    "\"type\":{\"const\":\"Polygon\"},\"coordinates\":{\"$ref\":\"#/$defs/polygon\"}}},"
    "{\"type\":\"object\",\"required\":[\"type\",\"coordinates\"],\"properties\":{"
    "\"type\":{\"const\":\"MultiPolygon\"},\"coordinates\":{\"type\":\"array\",\"items\":"
    "{\"$ref\":\"#/$defs/polygon\"}}}}]},"
    "\"feature\":{\"type\":\"object\",\"required\":[\"type\",\"geometry\",\"properties\"],"
    "\"additionalProperties\":false,\"properties\":{\"type\":{\"const\":\"Feature\"},"
    "\"id\":{\"type\":[\"string\",\"integer\"]},\"geometry\":{\"$ref\":\"#/$defs/geometry\"},"
    "\"properties\":{\"type\":[\"object\",\"null\"],\"additionalProperties\":"
    "{\"type\":[\"string\",\"number\",\"boolean\",\"null\"]}}}}},"
    "\"type\":\"object\",\"required\":[\"type\",\"features\"],\"properties\":{"
    "\"type\":{\"const\":\"FeatureCollection\"},"
    "\"features\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/feature\"}}}}";

static void put_position(buf *b, size_t i, size_t j)
{
    put(b, "[%.6f,%.6f]", -122.0 + (double)((i * 7 + j * 13) % 1000) / 997.0,
        37.0 + (double)((i * 11 + j * 3) % 1000) / 991.0);
}

static void put_ring(buf *b, size_t i, size_t points)
{
    put(b, "[");
    for (size_t j = 0; j < points; j++) {
        put(b, "%s", j ? "," : "");
        put_position(b, i, j % (points - 1)); /* closed: the last position is the first */
    }
    put(b, "]");
}

Test(budget, geojson_is_far_from_the_limit)
{
    buf b = {0};
    put(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    for (size_t i = 0; b.n < 3000000; i++) {
        put(&b, "%s{\"type\":\"Feature\",\"id\":%zu,\"geometry\":{\"coordinates\":", i ? "," : "", i);
        static const char *const kinds[] = {"Point", "LineString", "Polygon", "MultiPolygon",
                                            "MultiPoint", "MultiLineString"};
        const char *kind = kinds[i % 6];
        switch (i % 6) {
        case 0:
            put_position(&b, i, 0);
            break;
        case 1:
        case 4:
            put_ring(&b, i, 40);
            break;
        case 2:
        case 5:
            put(&b, "[");
            put_ring(&b, i, 60);
            put(&b, ",");
            put_ring(&b, i + 1, 12);
            put(&b, "]");
            break;
        default:
            put(&b, "[[");
            put_ring(&b, i, 30);
            put(&b, "],[");
            put_ring(&b, i + 2, 30);
            put(&b, "]]");
        }
        put(&b, ",\"type\":\"%s\"},\"properties\":{\"name\":\"feature %zu\",\"area\":%zu.5,"
                "\"public\":%s,\"note\":null}}",
            kind, i, i * 3, i % 2 ? "true" : "false");
    }
    put(&b, "]}");
    expect_generous(geojson_rules, &b, "GeoJSON");
    free(b.p);
}

/* A Kubernetes-style list of Deployments under OpenAPI-style rules: $defs reached through $ref,
 * closed objects (additionalProperties false), maps (additionalProperties a schema), enums. */
static const char k8s_rules[] =
    "{\"$defs\":{"
    "\"labels\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\",\"maxLength\":63},"
    "\"propertyNames\":{\"pattern\":\"^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$\"}},"
    "\"meta\":{\"type\":\"object\",\"required\":[\"name\"],\"additionalProperties\":false,"
    "\"properties\":{\"name\":{\"type\":\"string\",\"pattern\":\"^[a-z0-9-]+$\"},"
    "\"namespace\":{\"type\":\"string\"},\"labels\":{\"$ref\":\"#/$defs/labels\"},"
    "\"annotations\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}},"
    "\"quantity\":{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\","
    "\"pattern\":\"^[0-9]+(m|Mi|Gi)?$\"}]},"
    "\"resources\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"limits\":{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#/$defs/quantity\"}},"
    "\"requests\":{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#/$defs/quantity\"}}}},"
    "\"env\":{\"type\":\"object\",\"required\":[\"name\"],\"additionalProperties\":false,"
    "\"properties\":{\"name\":{\"type\":\"string\"},\"value\":{\"type\":\"string\"}}},"
    "\"port\":{\"type\":\"object\",\"required\":[\"containerPort\"],\"additionalProperties\":false,"
    "\"properties\":{\"name\":{\"type\":\"string\"},\"containerPort\":{\"type\":\"integer\","
    "\"minimum\":1,\"maximum\":65535},\"protocol\":{\"enum\":[\"TCP\",\"UDP\",\"SCTP\"]}}},"
    "\"container\":{\"type\":\"object\",\"required\":[\"name\",\"image\"],"
    "\"additionalProperties\":false,\"properties\":{\"name\":{\"type\":\"string\"},"
    "\"image\":{\"type\":\"string\"},\"args\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"env\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/env\"}},"
    "\"ports\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/port\"}},"
    "\"resources\":{\"$ref\":\"#/$defs/resources\"},"
    "\"imagePullPolicy\":{\"enum\":[\"Always\",\"IfNotPresent\",\"Never\"]}}},"
    "\"deployment\":{\"type\":\"object\",\"required\":[\"apiVersion\",\"kind\",\"metadata\",\"spec\"],"
    "\"additionalProperties\":false,\"properties\":{\"apiVersion\":{\"const\":\"apps/v1\"},"
    "\"kind\":{\"const\":\"Deployment\"},\"metadata\":{\"$ref\":\"#/$defs/meta\"},"
    "\"spec\":{\"type\":\"object\",\"required\":[\"selector\",\"template\"],"
    "\"additionalProperties\":false,\"properties\":{\"replicas\":{\"type\":\"integer\",\"minimum\":0},"
    "\"selector\":{\"type\":\"object\",\"properties\":{\"matchLabels\":{\"$ref\":\"#/$defs/labels\"}}},"
    "\"template\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"metadata\":{\"$ref\":\"#/$defs/meta\"},\"spec\":{\"type\":\"object\",\"required\":[\"containers\"],"
    "\"properties\":{\"containers\":{\"type\":\"array\",\"minItems\":1,"
    "\"items\":{\"$ref\":\"#/$defs/container\"}}}}}}}}}}},"
    "\"type\":\"object\",\"required\":[\"apiVersion\",\"kind\",\"items\"],\"properties\":{"
    "\"apiVersion\":{\"const\":\"v1\"},\"kind\":{\"const\":\"List\"},"
    "\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/deployment\"}}}}";

Test(budget, kubernetes_list_is_far_from_the_limit)
{
    buf b = {0};
    put(&b, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
    for (size_t i = 0; b.n < 3000000; i++) {
        put(&b, "%s{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":"
                "\"svc-%zu\",\"namespace\":\"team-%zu\",\"labels\":{\"app\":\"svc-%zu\","
                "\"tier\":\"backend\",\"app.kubernetes.io/version\":\"1.%zu\"},\"annotations\":"
                "{\"deployment.kubernetes.io/revision\":\"%zu\"}},\"spec\":{\"replicas\":%zu,"
                "\"selector\":{\"matchLabels\":{\"app\":\"svc-%zu\"}},\"template\":{\"metadata\":"
                "{\"name\":\"svc-%zu\",\"labels\":{\"app\":\"svc-%zu\"}},\"spec\":{\"containers\":[",
            i ? "," : "", i, i % 40, i, i % 9, i % 50, i % 5, i, i, i);
        for (size_t k = 0; k < 2; k++) {
            put(&b, "%s{\"name\":\"c%zu\",\"image\":\"registry.example.com/svc-%zu:1.%zu\","
                    "\"imagePullPolicy\":\"IfNotPresent\",\"args\":[\"--port=80%02zu\","
                    "\"--log-level=info\",\"--workers=%zu\"],\"env\":[",
                k ? "," : "", k, i, i % 9, k, 2 + i % 6);
            for (size_t e = 0; e < 6; e++)
                put(&b, "%s{\"name\":\"VAR_%zu\",\"value\":\"value-%zu-%zu\"}", e ? "," : "", e,
                    i, e);
            put(&b, "],\"ports\":[{\"name\":\"http\",\"containerPort\":80%02zu,\"protocol\":\"TCP\"},"
                    "{\"containerPort\":9090}],\"resources\":{\"limits\":{\"cpu\":\"500m\","
                    "\"memory\":\"256Mi\"},\"requests\":{\"cpu\":%zu,\"memory\":\"128Mi\"}}}",
                k, 1 + k);
        }
        put(&b, "]}}}}");
    }
    put(&b, "]}");
    expect_generous(k8s_rules, &b, "Kubernetes list");
    free(b.p);
}
