/*
 * Error text, made on request from what an error records (code, token, compiled keyword, aux):
 * validation itself builds no strings. Messages name what was found and what was expected, and
 * for a misspelt member or enum value the closest allowed one.
 */
#include <string.h>

#include "equal.h"
#include "format.h"
#include "jstring.h"
#include "keywords.h"
#include "phone_rule.h"
#include "pointer.h"
#include "preflight.h"
#include "schema.h"
#include "utf8.h"

size_t campval_error_pointer(const campval_workspace *ws, const campval_error *err, char *buf,
                             size_t size)
{
    campval__sb sb;
    campval__sb_init(&sb, buf, size);
    if (ws && err && ws->magic == CAMPVAL__WS_MAGIC && err->token >= 0 &&
        (uint32_t)err->token < ws->doc.count)
        campval__pointer_render(&ws->doc, (uint32_t)err->token, &sb);
    return campval__sb_finish(&sb);
}

/* Quote bytes for a message, cut at `max` bytes (whole UTF-8 sequences) with "...". */
static void quote(campval__sb *sb, const char *s, size_t n, size_t max)
{
    campval__sb_puts(sb, "\"");
    size_t k = n;
    if (k > max) {
        k = campval__utf8_cut((const unsigned char *)s, max);
    }
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            campval__sb_put(sb, e, 2);
        } else if (c < 0x20) {
            campval__sb_printf(sb, "\\u%04x", c);
        } else {
            campval__sb_put(sb, s + i, 1);
        }
    }
    campval__sb_puts(sb, k < n ? "\"..." : "\"");
}

/* A string token's unescaped text, cut to what fits in tmp. */
static size_t token_text(const campval__doc *d, uint32_t t, char *tmp, size_t cap)
{
    campval__str s = {d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                      (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
    if (s.len > cap) /* long values: show the start, cut between whole characters */
        s.len = campval__str_safe_cut(s, cap);
    return campval__str_unescape(s, tmp);
}

/* A string token quoted for a message: its start, then "..." whenever anything was left out
 * (the raw text cut to fit tmp, or the unescaped text cut by quote). */
static void quote_token(campval__sb *sb, const campval__doc *d, uint32_t t)
{
    char tmp[128];
    size_t n = token_text(d, t, tmp, sizeof tmp);
    quote(sb, tmp, n, 80);
    if (n <= 80 && (size_t)(d->tok[t].end - d->tok[t].start) > sizeof tmp)
        campval__sb_puts(sb, "...");
}

/* Numbers up to this many bytes are shown whole; longer ones are cut by campval__num_show. */
#define NUM_SHOWN 100
/* Bytes of a string, object or array from the rules shown before "...". */
#define RULES_VALUE_SHOWN 80

/* A number token as written when it fits, else its exact value cut in the middle, keeping
 * the exponent (never a prefix that reads as another number). */
static void show_number(campval__sb *sb, const char *text, size_t n)
{
    campval__num num;
    char tmp[NUM_SHOWN + 1];
    if (n <= NUM_SHOWN || campval__num_parse(text, n, &num) != 0) {
        campval__sb_put(sb, text, n);
        return;
    }
    size_t len = campval__num_show(&num, NUM_SHOWN, tmp, sizeof tmp);
    campval__sb_put(sb, tmp, len < sizeof tmp ? len : sizeof tmp - 1);
}

static void show_value(campval__sb *sb, const campval__doc *d, uint32_t t)
{
    const campval__tok *k = &d->tok[t];
    if (k->type == CAMPVAL__T_STRING) {
        quote_token(sb, d, t);
    } else if (k->type == CAMPVAL__T_PRIMITIVE) {
        show_number(sb, d->text + k->start, (size_t)(k->end - k->start));
    } else {
        campval__sb_puts(sb, k->type == CAMPVAL__T_OBJECT ? "an object" : "an array");
    }
}

/* A const or enum value as the rules spell it. Strings, objects and arrays longer than
 * RULES_VALUE_SHOWN are cut before a whole character and outside any escape, then "..." */
static void show_rules_value(campval__sb *sb, const campval__rdoc *r, const campval__tok *vt)
{
    bool str = vt->type == CAMPVAL__T_STRING;
    const char *text = r->text + vt->start - str;
    size_t n = (size_t)(vt->end - vt->start) + 2 * str;
    if (vt->type == CAMPVAL__T_PRIMITIVE) {
        show_number(sb, text, n);
        return;
    }
    if (n <= RULES_VALUE_SHOWN) {
        campval__sb_put(sb, text, n);
        return;
    }
    size_t cut = 0;
    for (;;) {
        unsigned char c = (unsigned char)text[cut];
        size_t unit = c == '\\' ? (text[cut + 1] == 'u' ? 6 : 2)
                      : campval__utf8_lead_len(c);
        if (cut + unit > RULES_VALUE_SHOWN)
            break;
        cut += unit;
    }
    campval__sb_put(sb, text, cut);
    campval__sb_puts(sb, str ? "\"..." : "...");
}

static const char *type_name(uint32_t bit)
{
    switch (bit) {
    case CAMPVAL__TY_NULL: return "null";
    case CAMPVAL__TY_BOOLEAN: return "boolean";
    case CAMPVAL__TY_OBJECT: return "object";
    case CAMPVAL__TY_ARRAY: return "array";
    case CAMPVAL__TY_NUMBER: return "number";
    case CAMPVAL__TY_STRING: return "string";
    default: return "integer";
    }
}

/* Edit distance, for "did you mean". Short strings only; larger ones are not typos. */
static size_t distance(const char *a, size_t an, const char *b, size_t bn)
{
    size_t row[65];
    if (an > 64 || bn > 64)
        return SIZE_MAX;
    for (size_t j = 0; j <= bn; j++)
        row[j] = j;
    for (size_t i = 1; i <= an; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= bn; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (up + 1 < best)
                best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[bn];
}

size_t campval__edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
    return distance(a, an, b, bn);
}

typedef struct suggest {
    const char *best;
    size_t best_len, best_dist;
} suggest;

static void consider(suggest *sg, const char *want, size_t wn, const char *cand, size_t cn)
{
    size_t dist = distance(want, wn, cand, cn);
    size_t limit = wn / 3 > 2 ? wn / 3 : 2;
    if (dist <= limit && dist < sg->best_dist) {
        sg->best = cand;
        sg->best_len = cn;
        sg->best_dist = dist;
    }
}

static void did_you_mean(campval__sb *sb, const suggest *sg)
{
    if (!sg->best)
        return;
    campval__sb_puts(sb, "; did you mean ");
    quote(sb, sg->best, sg->best_len, 80);
    campval__sb_puts(sb, "?");
}

static void bound(campval__sb *sb, const char *op, const campval__num *n)
{
    char num[NUM_SHOWN + 1];
    size_t len = campval__num_show(n, NUM_SHOWN, num, sizeof num);
    campval__sb_printf(sb, "%s ", op);
    campval__sb_put(sb, num, len < sizeof num ? len : sizeof num - 1);
}

static void enum_message(campval__sb *sb, const campval_workspace *ws, const campval__kw *kw,
                         uint32_t t)
{
    const campval_schema *s = ws->schema;
    const campval__doc *d = &ws->doc;
    uint32_t n = kw->u.values.count;
    campval__sb_puts(sb, kw->op == OP_CONST ? "must be " : "must be one of ");
    suggest sg = {NULL, 0, SIZE_MAX};
    char want[128];
    size_t wn = 0;
    bool is_str = d->tok[t].type == CAMPVAL__T_STRING;
    if (is_str)
        wn = token_text(d, t, want, 64);
    for (uint32_t i = 0; i < n; i++) {
        const campval__value *v = &s->values[kw->u.values.first + i];
        const campval__rdoc *r = &s->docs[v->doc];
        const campval__tok *vt = &r->tok[v->tok];
        if (i > 0)
            campval__sb_puts(sb, ", ");
        if (i == 8) {
            campval__sb_printf(sb, "... (%u values)", n);
            break;
        }
        show_rules_value(sb, r, vt);
    }
    if (is_str) {
        for (uint32_t i = 0; i < n; i++) {
            const campval__value *v = &s->values[kw->u.values.first + i];
            const campval__rdoc *r = &s->docs[v->doc];
            const campval__tok *vt = &r->tok[v->tok];
            if (vt->type == CAMPVAL__T_STRING && !(r->flags[v->tok] & CAMPVAL__F_ESCAPED))
                consider(&sg, want, wn, r->text + vt->start, (size_t)(vt->end - vt->start));
        }
    }
    campval__sb_puts(sb, ", found ");
    show_value(sb, d, t);
    did_you_mean(sb, &sg);
}

static void additional_message(campval__sb *sb, const campval_workspace *ws, const campval__kw *kw,
                               uint32_t key)
{
    const campval_schema *s = ws->schema;
    char want[128];
    size_t wn = token_text(&ws->doc, key, want, 64);
    campval__sb_puts(sb, "unknown member ");
    quote_token(sb, &ws->doc, key);
    suggest sg = {NULL, 0, SIZE_MAX};
    for (uint32_t i = 0; i < kw->u.object.names_count; i++) {
        const campval__name *nm = &s->names[kw->u.object.names_first + i];
        if (nm->property >= 0)
            consider(&sg, want, wn, nm->text, nm->len);
    }
    if (sg.best) {
        did_you_mean(sb, &sg);
    } else {
        campval__sb_puts(sb, " (not allowed here)");
    }
}

/* Explains an x-phone failure, naming the region and type libphonenumber found. Runs the
 * check again: rendering is off the validation path, and the verdict is deterministic. */
static void phone_message(campval__sb *sb, const campval_workspace *ws, const campval__kw *kw,
                          uint32_t t, campval_code code)
{
    char num[128];
    size_t n = token_text(&ws->doc, t, num, 64);
    campval__phone_info info;
    quote_token(sb, &ws->doc, t);
    if (campval__phone_verdict(ws->schema, kw, num, n, &info) != code) {
        campval__sb_printf(sb, ": %s", campval_strerror(code));
        return;
    }
    const char *type = info.type >= 0 ? campval__phone_type_name(info.type) : NULL;
    switch (code) {
    case CAMPVAL_PHONE_IMPOSSIBLE:
        campval__sb_puts(sb, " cannot be a phone number: wrong length for its country code");
        break;
    case CAMPVAL_PHONE_INVALID:
        campval__sb_puts(sb, info.rewritten ? " is not valid as written (a national prefix "
                                              "follows the country code)"
                                            : " is not a valid phone number (no such number range)");
        break;
    case CAMPVAL_PHONE_REGION:
        campval__sb_printf(sb, " is from region %s, which is not allowed",
                           info.region[0] ? info.region : "unknown");
        break;
    default:
        campval__sb_printf(sb, " is a %s number, which is not allowed", type ? type : "unknown");
        break;
    }
}

/* ---- one renderer per message id (src/keywords.h, column msg) ------------------------------ */

typedef struct msgctx {
    campval__sb *sb;
    const campval_workspace *ws;
    const campval_schema *s;
    const campval__doc *d;
    const campval__kw *kw; /* the compiled keyword that reported */
    const campval_error *err;
    uint32_t t; /* the offending token */
} msgctx;

static void msg_plain(const msgctx *m)
{
    campval__sb_puts(m->sb, campval_strerror(m->err->code));
}

static void msg_type(const msgctx *m)
{
    campval__sb_puts(m->sb, "expected ");
    bool first = true;
    for (uint32_t bit = 1; bit <= CAMPVAL__TY_INTEGER; bit <<= 1) {
        if (!(m->kw->u.types & bit))
            continue;
        campval__sb_printf(m->sb, "%s%s", first ? "" : " or ", type_name(bit));
        first = false;
    }
    uint32_t found = campval__json_type(m->d, m->t);
    campval__sb_printf(m->sb, ", found %s", type_name(found));
    if (found & (CAMPVAL__TY_STRING | CAMPVAL__TY_NUMBER | CAMPVAL__TY_BOOLEAN)) {
        campval__sb_puts(m->sb, " ");
        show_value(m->sb, m->d, m->t);
    }
}

static void msg_values(const msgctx *m)
{
    enum_message(m->sb, m->ws, m->kw, m->t);
}

static void msg_required(const msgctx *m)
{
    campval__sb_puts(m->sb, "missing required member ");
    int32_t aux = m->err->aux;
    if (aux >= 0 && (uint32_t)aux < m->s->name_count)
        quote(m->sb, m->s->names[aux].text, m->s->names[aux].len, 80);
}

static void msg_dependent(const msgctx *m)
{
    campval__sb_puts(m->sb, "missing member ");
    int32_t aux = m->err->aux;
    if (aux >= 0 && (uint32_t)aux < m->s->name_ref_count) {
        const campval__name *nm = &m->s->names[m->s->name_refs[aux]];
        quote(m->sb, nm->text, nm->len, 80);
    }
    campval__sb_puts(m->sb, ", required by another member present");
}

static void msg_additional(const msgctx *m)
{
    additional_message(m->sb, m->ws, m->kw, m->t);
}

static void msg_unevaluated(const msgctx *m)
{
    campval__sb_puts(m->sb, "member ");
    quote_token(m->sb, m->d, m->t);
    campval__sb_puts(m->sb, " is not allowed here");
}

static void msg_format(const msgctx *m)
{
    if (m->err->code == CAMPVAL_E164) {
        campval__sb_puts(m->sb, "not an E.164 number: ");
        show_value(m->sb, m->d, m->t);
        campval__sb_puts(m->sb, " (expected \"+\", a country code and up to 15 digits in all, "
                                "e.g. \"+14155550123\")");
        return;
    }
    show_value(m->sb, m->d, m->t);
    campval__sb_printf(m->sb, " is not %s", campval__format_describe(m->kw->u.format.fmt));
}

static void msg_pattern(const msgctx *m)
{
    show_value(m->sb, m->d, m->t);
    campval__sb_puts(m->sb, " does not match the pattern /");
    campval__sb_puts(m->sb, m->kw->u.pattern.source);
    campval__sb_puts(m->sb, "/");
}

static void msg_bound(const msgctx *m)
{
    static const char *const ops[] = {">=", "<=", ">", "<", "a multiple of"};
    unsigned k = (unsigned)(m->err->code - CAMPVAL_MINIMUM);
    if (k >= sizeof ops / sizeof *ops) {
        msg_plain(m);
        return;
    }
    campval__sb_puts(m->sb, "must be ");
    bound(m->sb, ops[k], &m->kw->u.num);
    campval__sb_puts(m->sb, ", found ");
    show_value(m->sb, m->d, m->t);
}

static void msg_length(const msgctx *m)
{
    const campval__doc *d = m->d;
    uint32_t t = m->t;
    campval__str str = {d->text + d->tok[t].start, (size_t)(d->tok[t].end - d->tok[t].start),
                        (d->flags[t] & CAMPVAL__F_ESCAPED) != 0};
    size_t n = campval__str_codepoints(str, (d->flags[t] & CAMPVAL__F_NONASCII) != 0);
    campval__sb_printf(m->sb, "must be at %s %llu character%s long, found %zu",
                       m->err->code == CAMPVAL_MIN_LENGTH ? "least" : "most",
                       (unsigned long long)m->kw->u.count, m->kw->u.count == 1 ? "" : "s", n);
}

static void msg_count(const msgctx *m)
{
    campval_code code = m->err->code;
    bool items = code == CAMPVAL_MIN_ITEMS || code == CAMPVAL_MAX_ITEMS;
    bool min = code == CAMPVAL_MIN_ITEMS || code == CAMPVAL_MIN_PROPERTIES;
    campval__sb_printf(m->sb, "must have at %s %llu %s%s, found %d", min ? "least" : "most",
                       (unsigned long long)m->kw->u.count, items ? "item" : "member",
                       m->kw->u.count == 1 ? "" : "s", m->d->tok[m->t].size);
}

static void msg_unique(const msgctx *m)
{
    campval__sb_puts(m->sb, "items must be unique");
    if (m->err->aux >= 0 && (uint32_t)m->err->aux < m->d->count) {
        campval__sb_puts(m->sb, ": repeated at ");
        campval__pointer_render(m->d, (uint32_t)m->err->aux, m->sb);
    }
}

static void msg_contains(const msgctx *m)
{
    campval__sb_printf(m->sb, "%s (%d item%s match)", campval_strerror(m->err->code), m->err->aux,
                       m->err->aux == 1 ? "" : "s");
}

static void msg_one_of(const msgctx *m)
{
    int32_t aux = m->err->aux;
    if (aux >= 0)
        campval__sb_printf(m->sb, "value matches more than one alternative (%d and %d)",
                           aux >> 16, aux & 0xFFFF);
    else
        campval__sb_puts(m->sb, "value matches none of the alternatives");
}

static void msg_phone(const msgctx *m)
{
    phone_message(m->sb, m->ws, m->kw, m->t, m->err->code);
}

static void msg_preflight(const msgctx *m)
{
    campval__preflight_message(m->sb, m->ws, m->kw, m->err);
}

static void (*const renderers[MS_COUNT_])(const msgctx *m) = {
    [MS_NONE] = msg_plain,          [MS_PLAIN] = msg_plain,     [MS_TYPE] = msg_type,
    [MS_VALUES] = msg_values,       [MS_REQUIRED] = msg_required,
    [MS_DEPENDENT] = msg_dependent, [MS_ADDITIONAL] = msg_additional,
    [MS_UNEVALUATED] = msg_unevaluated,
    [MS_FORMAT] = msg_format,       [MS_PATTERN] = msg_pattern, [MS_BOUND] = msg_bound,
    [MS_LENGTH] = msg_length,       [MS_COUNT] = msg_count,     [MS_UNIQUE] = msg_unique,
    [MS_CONTAINS] = msg_contains,   [MS_ONE_OF] = msg_one_of,   [MS_PHONE] = msg_phone,
    [MS_PREFLIGHT] = msg_preflight,
};

size_t campval_error_message(const campval_workspace *ws, const campval_error *err, char *buf,
                             size_t size)
{
    campval__sb sb;
    campval__sb_init(&sb, buf, size);
    if (!ws || !err || ws->magic != CAMPVAL__WS_MAGIC) {
        campval__sb_puts(&sb, err ? campval_strerror(err->code) : "no error");
        return campval__sb_finish(&sb);
    }
    campval_class cls = campval_code_class(err->code);
    const campval_schema *s = ws->schema;
    const campval__kwinfo *row = err->keyword ? campval__kw_lookup(err->keyword,
                                                                    strlen(err->keyword))
                                              : NULL;
    bool have_kw = cls == CAMPVAL_CLASS_VIOLATION && s && row && err->detail < s->kw_count &&
                   err->token >= 0 && (uint32_t)err->token < ws->doc.count;
    if (!have_kw) {
        campval__sb_puts(&sb, campval_strerror(err->code));
        if (err->code == CAMPVAL_JSON_DUPLICATE_KEY && err->token >= 0 &&
            (uint32_t)err->token < ws->doc.count) {
            campval__sb_puts(&sb, " ");
            quote_token(&sb, &ws->doc, (uint32_t)err->token);
        }
        return campval__sb_finish(&sb);
    }
    msgctx m = {&sb, ws, s, &ws->doc, &s->kws[err->detail], err, (uint32_t)err->token};
    renderers[row->msg < MS_COUNT_ ? row->msg : MS_PLAIN](&m);
    return campval__sb_finish(&sb);
}
