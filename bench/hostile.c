/*
 * Writes the hostile bodies of issue #13 and a benign body of the same size and shape for each,
 * with the rules they run under, into a directory (bench/worst-case.sh times them):
 *
 *   CLASS.rules.json    rules ("campaign_create" in CLASS.rules.name instead for built-ins)
 *   CLASS.hostile.json  the body an attacker sends
 *   CLASS.benign.json   an ordinary body of about the same size under the same rules (or under
 *                       CLASS.benign.rules.json when the rules are what make the body hostile)
 *
 * usage: hostile OUTDIR [BYTES]   (BYTES: target size of each body, default 1048000)
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t target = 1048000;
static const char *outdir;

static FILE *open_out(const char *cls, const char *what)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", outdir, cls, what);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    return f;
}

static void write_text(const char *cls, const char *what, const char *text)
{
    FILE *f = open_out(cls, what);
    fputs(text, f);
    fclose(f);
}

/* The member-name hash campval used before (FNV-1a, fixed seed), to rebuild the flood. */
static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* uniqueItems over two objects with the same members in opposite orders. */
static void unique_objects(void)
{
    const char *cls = "unique-objects";
    write_text(cls, "rules.name", "campaign_create");
    size_t members = (target - 64) / 16; /* "m000000000":0, is 15-16 bytes, two objects */
    for (int benign = 0; benign < 2; benign++) {
        FILE *f = open_out(cls, benign ? "benign.json" : "hostile.json");
        fputs("{\"call_retry_config\":{\"allowed_days\":[{", f);
        for (size_t i = 0; i < members / 2; i++)
            fprintf(f, "%s\"m%09zu\":0", i ? "," : "", i);
        fputs("},{", f);
        for (size_t i = 0; i < members / 2; i++) /* benign: other names, hostile: reversed */
            fprintf(f, "%s\"%c%09zu\":0", i ? "," : "", benign ? 'n' : 'm', members / 2 - 1 - i);
        fputs("}]}}\n", f);
        fclose(f);
    }
}

/* Member names whose old hash agrees in the low 16 bits (the old table of 65,536 slots). */
static void duplicate_flood(void)
{
    const char *cls = "name-flood";
    write_text(cls, "rules.name", "campaign_create");
    size_t count = target / 32;
    FILE *h = open_out(cls, "hostile.json"), *b = open_out(cls, "benign.json");
    fputc('{', h);
    fputc('{', b);
    char name[64];
    size_t found = 0;
    const uint64_t want = 0x1234;
    for (uint64_t i = 0; found < count; i++) {
        int n = snprintf(name, sizeof name, "x%020llu", (unsigned long long)i);
        uint64_t base = fnv1a(name, (size_t)n);
        /* a 4-letter suffix brings the low 16 bits to `want`: the first one that does */
        for (uint32_t sfx = 0; sfx < 26u * 26 * 26 * 26; sfx++) {
            uint64_t st = base;
            uint32_t v = sfx;
            for (int j = 0; j < 4; j++, v /= 26) {
                name[n + j] = (char)('a' + v % 26);
                st = (st ^ (unsigned char)name[n + j]) * 0x100000001b3ull;
            }
            if ((st & 0xFFFF) == want) {
                fprintf(h, "%s\"%.*s\":0", found ? "," : "", n + 4, name);
                fprintf(b, "%s\"y%020zu%04zu\":0", found ? "," : "", found, found % 10000);
                found++;
                break;
            }
        }
    }
    fputs("}\n", h);
    fputs("}\n", b);
    fclose(h);
    fclose(b);
}

/* Strings that each stay just under PCRE2's match limit with a backtracking pattern. */
static void regex_items(void)
{
    const char *cls = "regex-items";
    write_text(cls, "rules.json", "{\"items\": {\"pattern\": \"^(?:(a+)+c|a+b)$\"}}\n");
    size_t count = target / 20;
    for (int benign = 0; benign < 2; benign++) {
        FILE *f = open_out(cls, benign ? "benign.json" : "hostile.json");
        fputc('[', f);
        for (size_t i = 0; i < count; i++)
            fprintf(f, "%s\"aaaaaaaaaaaaaaaa%c\"", i ? "," : "", benign ? 'c' : 'b');
        fputs("]\n", f);
        fclose(f);
    }
}

/* The same through patternProperties: every member name runs the pattern. */
static void regex_names(void)
{
    const char *cls = "regex-names";
    write_text(cls, "rules.json", "{\"patternProperties\": {\"^(a+)+$\": true}}\n");
    size_t count = target / 30;
    for (int benign = 0; benign < 2; benign++) {
        FILE *f = open_out(cls, benign ? "benign.json" : "hostile.json");
        fputc('{', f);
        for (size_t i = 0; i < count; i++)
            fprintf(f, "%s\"%s!%07zu\":0", i ? "," : "",
                    benign ? "bbbbbbbbbbbbbbbb" : "aaaaaaaaaaaaaaaa", i);
        fputs("}\n", f);
        fclose(f);
    }
}

/* Rules whose every failing item explores 2^20 alternatives. */
static void evaluation(void)
{
    const char *cls = "evaluation";
    FILE *r = open_out(cls, "rules.json");
    fputs("{\"$defs\": {", r);
    for (int i = 0; i < 20; i++)
        fprintf(r, "\"a%d\": {\"anyOf\": [{\"$ref\": \"#/$defs/a%d\"}, {\"$ref\": \"#/$defs/a%d\"}]},",
                i, i + 1, i + 1);
    fputs("\"a20\": {\"type\": \"string\"}}, \"items\": {\"$ref\": \"#/$defs/a0\"}}\n", r);
    fclose(r);
    size_t count = target / 4;
    for (int benign = 0; benign < 2; benign++) {
        FILE *f = open_out(cls, benign ? "benign.json" : "hostile.json");
        fputc('[', f);
        for (size_t i = 0; i < count; i++)
            fprintf(f, "%s%s", i ? "," : "", benign ? "\"\"" : "1 ");
        fputs("]\n", f);
        fclose(f);
    }
}

/* Object keywords that each walk every member of one large object: 2,000 branches, a mix of the
 * object keywords whose subschemas cost nothing. The benign body is the same object under the
 * same keywords once, so the ratio is what the extra walks cost before the budget stops them. */
static void object_branches(void)
{
    const char *cls = "object-branches";
    static const char *const mix[] = {
        "{\"properties\": {\"a\": true}}", "{\"required\": [\"a\"]}",
        "{\"additionalProperties\": true}", "{\"dependentRequired\": {\"a\": [\"b\"]}}",
        "{\"propertyNames\": {\"type\": \"string\"}}"};
    size_t count = (target - 32) / 13; /* "m0000000":0, is 13 bytes */
    for (int benign = 0; benign < 2; benign++) {
        /* the hostile rules, and the benign body under rules with one branch of each keyword */
        FILE *r = open_out(cls, benign ? "benign.rules.json" : "rules.json");
        fputs("{\"allOf\": [", r);
        size_t branches = benign ? 5 : 2000;
        for (size_t i = 0; i < branches; i++)
            fprintf(r, "%s%s", i ? ", " : "", mix[i % 5]);
        fputs("]}\n", r);
        fclose(r);
        FILE *f = open_out(cls, benign ? "benign.json" : "hostile.json");
        fputs("{\"a\":0,\"b\":0", f);
        for (size_t i = 0; i < count; i++)
            fprintf(f, ",\"m%07zu\":0", i);
        fputs("}\n", f);
        fclose(f);
    }
}

/* Phone numbers whose first digits could start a national prefix (+1 then 1): before they
 * were read by replaying that step, each went through libphonenumber's Parse (35-85 us). The
 * benign body has the same shape with ordinary North American numbers. */
static void national_prefix(void)
{
    const char *cls = "national-prefix";
    write_text(cls, "rules.name", "campaign_create");
    /* {"to_phone_number":"+11nnnnnnnnn","prompt_variables":{}}, is 57 bytes: valid requests */
    size_t contacts = (target - 128) / 57;
    for (int benign = 0; benign < 2; benign++) {
        FILE *f = open_out(cls, benign ? "benign.json" : "hostile.json");
        fputs("{\"assistant_id\":\"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e\",\"name\":\"n\","
              "\"launch\":false,\"contacts\":[", f);
        for (size_t i = 0; i < contacts; i++)
            fprintf(f, "%s{\"to_phone_number\":\"+1%s%09zu\",\"prompt_variables\":{}}", i ? "," : "",
                    benign ? "4" : "1", i);
        fputs("]}\n", f);
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hostile OUTDIR [BYTES]\n");
        return 2;
    }
    outdir = argv[1];
    if (argc > 2)
        target = strtoull(argv[2], NULL, 10);
    unique_objects();
    duplicate_flood();
    regex_items();
    regex_names();
    evaluation();
    object_branches();
    national_prefix();
    return 0;
}
