/*
 * Compiling one keyword of a schema object: each keyword's value checked and turned into a
 * compiled keyword (or into the aggregated object/items/conditional keywords of its node).
 */
#include "compile_int.h"
#include "keywords.h"
#include "utf8.h"

const campval__kwinfo campval__kw_table[KW_COUNT_ + 1] = {
#define ROW(id, name_, op_, vocab_, dial_, shape_, code_, msg_)                                    \
    {name_, (uint8_t)(sizeof name_ - 1), (uint8_t)(op_), (uint8_t)(vocab_), (uint8_t)(dial_),       \
     (uint8_t)(shape_), (uint8_t)(msg_), code_},
    CAMPVAL__KEYWORDS(ROW)
#undef ROW
    {NULL, 0, OP_NONE_, 0, 0, SH_NONE, MS_NONE, CAMPVAL_OK}};

const campval__kwinfo *campval__kw_lookup(const char *s, size_t n)
{
    size_t lo = 0, hi = KW_COUNT_;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const campval__kwinfo *k = &campval__kw_table[mid];
        int r = memcmp(s, k->name, n < k->len ? n : k->len);
        if (r == 0)
            r = n < k->len ? -1 : n > k->len;
        if (r == 0)
            return k;
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const campval__kwinfo *campval__kw_find(campval__str key)
{
    if (!key.escaped)
        return campval__kw_lookup(key.raw, key.len);
    char buf[160]; /* an escape is at most 6 bytes (or 12 for a pair): no keyword is longer */
    if (key.len > sizeof buf)
        return NULL;
    return campval__kw_lookup(buf, campval__str_unescape(key, buf));
}

static bool compile_pattern(compiler *c, uint32_t doc, uint32_t tok,
                            const struct campval__regex **out, const char **source)
{
    if (!campval__c_tok_is(&c->s->docs[doc], tok, CAMPVAL__T_STRING))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok,
                               "a pattern must be a string");
    size_t n;
    char *p = campval__c_str_dup(c, doc, tok, &n);
    if (!p)
        return false;
    struct campval__regex *re;
    size_t eoff = 0;
    char msg[160];
    campval_code rc = campval__regex_compile(p, n, c->a, &re, &eoff, msg, sizeof msg);
    if (rc != CAMPVAL_OK) {
        if (rc == CAMPVAL_NOMEM) {
            c->rc = rc;
            return false;
        }
        return campval__c_fail(c, CAMPVAL_RULES_BAD_PATTERN, doc, tok,
                               "pattern /%s/ at offset %zu: %s", p, eoff, msg);
    }
    if (!PUSH(c, c->s->regexes, c->s->regex_count, c->cap_regexes, re)) {
        campval__regex_free(re, c->a);
        return false;
    }
    *out = re;
    *source = p;
    return true;
}

static bool type_bits(compiler *c, uint32_t doc, uint32_t tok, uint32_t *bits)
{
    static const char *const names[] = {"null", "boolean", "object", "array", "number", "string",
                                        "integer"};
    const campval__rdoc *d = &c->s->docs[doc];
    uint32_t t = tok, n = 1;
    if (campval__c_tok_is(d, tok, CAMPVAL__T_ARRAY)) {
        t = tok + 1;
        n = (uint32_t)d->tok[tok].size;
    }
    *bits = 0;
    for (uint32_t i = 0; i < n; i++, t = d->next[t]) {
        bool ok = false;
        for (uint32_t k = 0; k < 7 && campval__c_tok_is(d, t, CAMPVAL__T_STRING); k++)
            if (campval__str_equal_plain(campval__c_str_of(d, t), names[k], strlen(names[k]))) {
                *bits |= 1u << k;
                ok = true;
            }
        if (!ok)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, t, "unknown type");
    }
    return true;
}

static bool value_list(compiler *c, uint32_t doc, uint32_t tok, bool single, campval__kw *kw)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    campval__doc v = campval__c_view(s, doc);
    kw->u.values.first = s->value_count;
    uint32_t t = tok, n = 1;
    if (!single) {
        if (!campval__c_tok_is(d, tok, CAMPVAL__T_ARRAY))
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "enum must be an array");
        t = tok + 1;
        n = (uint32_t)d->tok[tok].size;
    }
    for (uint32_t i = 0; i < n; i++, t = d->next[t]) {
        campval__value val = {doc, t, campval__json_hash(NULL, &v, t)};
        if (!PUSH(c, s->values, s->value_count, c->cap_values, val))
            return false;
    }
    kw->u.values.count = n;
    return true;
}

static bool compile_phone(compiler *c, uint32_t doc, uint32_t tok, campval__kw *kw);

/* RULES_UNKNOWN_FORMAT for the asserted format at token v, with the nearest known name. */
static bool unknown_format(compiler *c, uint32_t doc, uint32_t v)
{
    size_t n;
    char *name = campval__c_str_dup(c, doc, v, &n);
    if (!name)
        return false;
    const char *best = NULL;
    size_t best_dist = SIZE_MAX, limit = n / 3 > 2 ? n / 3 : 2;
    for (int f = 0; campval__format_name(f); f++) {
        const char *cand = campval__format_name(f);
        size_t dist = campval__edit_distance(name, n, cand, strlen(cand));
        if (dist <= limit && dist < best_dist) {
            best = cand;
            best_dist = dist;
        }
    }
    char hint[64] = "";
    if (best)
        snprintf(hint, sizeof hint, "; did you mean \"%s\"?", best);
    return campval__c_fail(
        c, CAMPVAL_RULES_UNKNOWN_FORMAT, doc, v,
        "unknown format \"%.*s\": formats are asserted here, and campval cannot check "
        "this one%s",
        (int)(n > 100 ? 100 : n), name, hint);
}

/* Forms only older dialects have (OpenAPI 3.0's nullable and boolean exclusive bounds,
 * draft-07's dependencies, additionalItems): 1 done, 0 failed, -1 not one of them. */
static int legacy_keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__kwid id,
                          uint8_t dialect, uint32_t vocab)
{
    const campval__rdoc *d = &c->s->docs[doc];
    bool old = dialect == D_7 || dialect == D_OAS30;
    if (dialect == D_OAS30 && id == KW_nullable) {
        bool nb;
        if (campval__c_tok_bool(d, v, &nb))
            b->nullable = nb;
        return 1;
    }
    if (dialect == D_OAS30 && (id == KW_exclusiveMinimum || id == KW_exclusiveMaximum) &&
        campval__c_tok_is(d, v, CAMPVAL__T_PRIMITIVE) &&
        (d->text[d->tok[v].start] == 't' || d->text[d->tok[v].start] == 'f')) {
        /* draft-04 style: a flag on minimum/maximum */
        bool ex = d->text[d->tok[v].start] == 't';
        if (id == KW_exclusiveMinimum)
            b->excl_min = ex;
        else
            b->excl_max = ex;
        return 1;
    }
    if (old && id == KW_dependencies) {
        if (!campval__c_tok_is(d, v, CAMPVAL__T_OBJECT))
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                                   "dependencies must be an object")
                       ? 1
                       : 0;
        b->has_object = true;
        b->tok_dependencies = v;
        b->object.u.object.dep_req_location = campval__c_loc(c, doc, v);
        return 1;
    }
    if (id == KW_additionalItems && (vocab & V_APPLICATOR)) {
        int64_t nd = campval__c_child(c, doc, v);
        if (nd < 0)
            return 0;
        b->additional_items = (int32_t)nd;
        b->items.u.items.items_location = campval__c_loc(c, doc, v);
        return 1;
    }
    return -1;
}

/* "format": 1 a keyword to emit in *kw, 0 nothing to check, -1 failed. */
static int format_keyword(compiler *c, uint32_t doc, uint32_t v, const rinfo *ri, uint32_t vocab,
                          campval__kw *kw)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    if (!campval__c_tok_is(d, v, CAMPVAL__T_STRING))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "format must be a string")
                   ? 0
                   : -1;
    size_t flen;
    char *fname = campval__c_str_dup(c, doc, v, &flen);
    if (!fname)
        return -1;
    int fmt = campval__format_lookup(fname, flen);
    /* Asserted: by x-assert-formats, the compile flag, or the format-assertion vocabulary
     * (which sets assert_formats too). An asserted format campval cannot check must not
     * pass everything: that is a compile error. */
    bool asserted = ri->assert_formats || (c->flags & CAMPVAL_ASSERT_FORMATS) ||
                    (vocab & V_FORMAT_ASSERTION);
    if (fmt < 0) {
        campval__c_blk_free(c->a, s, fname);
        if (asserted)
            return unknown_format(c, doc, v) ? 0 : -1;
        return 0; /* an annotation nobody checks */
    }
    campval__c_blk_free(c->a, s, fname);
    if (!asserted && !campval__format_is_own(fmt))
        return 0;
    kw->op = OP_FORMAT;
    kw->keyword = "format";
    kw->u.format.fmt = fmt;
    kw->u.format.assert = true;
    return 1;
}

/* $ref, $dynamicRef and $recursiveRef: the static target, and whether the reference is dynamic. */
static bool ref_keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__kwid id,
                        uint32_t resource, uint8_t dialect)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    campval__kw kw;
    memset(&kw, 0, sizeof kw);
    if ((id == KW_dynamicRef && dialect != D_2020) || (id == KW_recursiveRef && dialect != D_2019))
        return true;
    if (!campval__c_tok_is(d, v, CAMPVAL__T_STRING))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "a reference must be a string");
    uint32_t td = 0, tt = 0;
    if (!campval__c_resolve_ref(c, doc, v, resource, &td, &tt))
        return false;
    int64_t nd = campval__c_child(c, td, tt);
    if (nd < 0)
        return false;
    kw.id = (uint8_t)id;
    if (id == KW_ref) {
        kw.op = OP_REF;
        kw.keyword = "$ref";
        kw.u.node = (uint32_t)nd;
    } else if (id == KW_recursiveRef) {
        /* 2019-09: dynamic when the target declares "$recursiveAnchor": true; the
         * outermost such resource in scope wins, as for $dynamicRef with anchor "". */
        kw.op = OP_DYNAMIC_REF;
        kw.keyword = "$recursiveRef";
        kw.u.dref.node = (uint32_t)nd;
        const campval__rdoc *t = &s->docs[td];
        int64_t ra = campval__c_member(t, tt, "$recursiveAnchor");
        bool on;
        if (ra >= 0 && campval__c_tok_bool(t, (uint32_t)ra, &on) && on) {
            kw.u.dref.dynamic = true;
            kw.u.dref.anchor = campval__c_intern(c, "", 0);
        }
    } else {
        kw.op = OP_DYNAMIC_REF;
        kw.keyword = "$dynamicRef";
        kw.u.dref.node = (uint32_t)nd;
        /* Dynamic only when the fragment is a plain name and the static target declares
         * a $dynamicAnchor of that name. */
        size_t n;
        char *ref = campval__c_str_dup(c, doc, v, &n);
        if (!ref)
            return false;
        const char *hash = strchr(ref, '#');
        const campval__rdoc *t = &s->docs[td];
        int64_t da = campval__c_member(t, tt, "$dynamicAnchor");
        if (hash && hash[1] != '/' && hash[1] != '\0' && da >= 0 &&
            campval__c_tok_is(t, (uint32_t)da, CAMPVAL__T_STRING) &&
            campval__str_equal_plain(campval__c_str_of(t, (uint32_t)da), hash + 1,
                                     strlen(hash + 1))) {
            kw.u.dref.dynamic = true;
            kw.u.dref.anchor = campval__c_intern(c, hash + 1, strlen(hash + 1));
        }
    }
    kw.location = campval__c_loc(c, doc, v);
    return campval__c_emit(c, b, kw, doc, v);
}

/* CAMPVAL_WARN_UNKNOWN: a warning for a keyword no vocabulary knows. */
static bool warn_unknown(compiler *c, uint32_t doc, uint32_t k, campval__str key)
{
    campval_schema *s = c->s;
    static const char *const known[] = {
        "$schema", "$id", "$anchor", "$dynamicAnchor", "$defs", "definitions", "$comment",
        "$vocabulary", "title", "description", "default", "examples", "deprecated",
        "readOnly", "writeOnly", "contentEncoding", "contentMediaType", "contentSchema",
        "x-assert-formats"};
    bool is_known = false;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        is_known |= campval__str_equal_plain(key, known[i], strlen(known[i]));
    if (!is_known) {
        /* both pieces shortened, never inside a UTF-8 sequence: the warning stays UTF-8 */
        const char *loc = campval__c_loc(c, doc, k);
        size_t nloc = strlen(loc), nkey = key.len;
        if (nloc > 256)
            nloc = campval__utf8_cut((const unsigned char *)loc, 256);
        if (nkey > 200)
            nkey = campval__utf8_cut((const unsigned char *)key.raw, 200);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s: unknown keyword \"%.*s\" ignored", (int)nloc, loc,
                 (int)nkey, key.raw);
        char *w = campval__c_sdup(c, buf, strlen(buf));
        if (!w || !PUSH(c, s->warnings, s->warning_count, c->cap_warnings, w))
            return false;
    }
    return true;
}

/* if, then, else: one conditional per schema object, filled in as its keywords come. */
static bool cond_keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__kwid id)
{
    int64_t nd = campval__c_child(c, doc, v);
    if (nd < 0)
        return false;
    if (!b->has_if) {
        b->has_if = true;
        b->cond.u.cond.cond = b->cond.u.cond.then_ = b->cond.u.cond.else_ = -1;
    }
    if (id == KW_if_) {
        b->cond.u.cond.cond = (int32_t)nd;
        b->cond.location = campval__c_loc(c, doc, v);
    } else if (id == KW_then) {
        b->cond.u.cond.then_ = (int32_t)nd;
        b->cond.u.cond.then_loc = campval__c_loc(c, doc, v);
    } else {
        b->cond.u.cond.else_ = (int32_t)nd;
        b->cond.u.cond.else_loc = campval__c_loc(c, doc, v);
    }
    return true;
}

/* minContains, maxContains: bounds on the node's "contains". */
static bool contains_bound(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, bool min)
{
    uint64_t n;
    if (!campval__c_count_value(c, doc, v, &n))
        return false;
    b->has_items = true;
    if (min) {
        b->has_min_contains = true;
        b->min_contains = n;
    } else {
        b->items.u.items.max_contains = n;
        b->items.u.items.has_max_contains = true;
    }
    return true;
}

/* properties, patternProperties, additionalProperties, dependentSchemas: parts of the node's
 * object keyword. */
static bool object_part(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__kwid id)
{
    const campval__rdoc *d = &c->s->docs[doc];
    b->has_object = true;
    if (id == KW_additionalProperties) {
        int64_t nd = campval__c_child(c, doc, v);
        if (nd < 0)
            return false;
        b->object.u.object.additional = (int32_t)nd;
        b->object.u.object.additional_location = campval__c_loc(c, doc, v);
        return true;
    }
    if (!campval__c_tok_is(d, v, CAMPVAL__T_OBJECT))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "expected an object of schemas");
    if (id == KW_properties)
        b->tok_properties = v;
    else if (id == KW_dependentSchemas)
        b->tok_dep_schemas = v;
    else
        b->tok_pattern = v;
    return true;
}

/* prefixItems, items, contains: parts of the node's items keyword. */
static bool items_part(compiler *c, nodebuild *b, uint32_t doc, uint32_t v, campval__kwid id,
                       uint8_t dialect)
{
    const campval__rdoc *d = &c->s->docs[doc];
    b->has_items = true;
    if (id == KW_prefixItems) {
        b->items.u.items.prefix_location = campval__c_loc(c, doc, v);
        return campval__c_child_list(c, doc, v, &b->items.u.items.prefix_first,
                                     &b->items.u.items.prefix_count, true);
    }
    if (id == KW_items && dialect != D_2020 && campval__c_tok_is(d, v, CAMPVAL__T_ARRAY)) {
        /* draft-07/2019-09 array form: what 2020-12 calls prefixItems */
        b->items_array = true;
        b->items.u.items.prefix_location = campval__c_loc(c, doc, v);
        return campval__c_child_list(c, doc, v, &b->items.u.items.prefix_first,
                                     &b->items.u.items.prefix_count, false);
    }
    int64_t nd = campval__c_child(c, doc, v);
    if (nd < 0)
        return false;
    if (id == KW_items) {
        b->items.u.items.items = (int32_t)nd;
        b->items.u.items.items_location = campval__c_loc(c, doc, v);
    } else {
        b->items.u.items.contains = (int32_t)nd;
        b->items.u.items.contains_location = campval__c_loc(c, doc, v);
    }
    return true;
}

/* minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf. */
static bool number_bound(compiler *c, uint32_t doc, uint32_t v, campval__kw *kw)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__c_tok_num(d, v, &kw->u.num))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "%s must be a number",
                               kw->keyword);
    if (kw->op == OP_MULTIPLE_OF && campval__num_sign(&kw->u.num) <= 0)
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "multipleOf must be above 0");
    if (kw->op == OP_MULTIPLE_OF && !campval__num_step_supported(&kw->u.num))
        return campval__c_fail(c, CAMPVAL_RULES_UNSUPPORTED, doc, v,
                               "multipleOf with more than 19 significant digits is not supported");
    return true;
}

/* "x-severity": "error" (the default) or "warning": marks the node, which the engine then
 * evaluates as a warning subschema. */
static bool severity_keyword(compiler *c, uint32_t doc, uint32_t v, uint32_t node)
{
    const campval__rdoc *d = &c->s->docs[doc];
    campval__str val = campval__c_str_of(d, v);
    bool str = campval__c_tok_is(d, v, CAMPVAL__T_STRING) && !val.escaped;
    if (str && val.len == 7 && memcmp(val.raw, "warning", 7) == 0) {
        c->s->nodes[node].flags |= CAMPVAL__N_WARNING;
        return true;
    }
    if (str && val.len == 5 && memcmp(val.raw, "error", 5) == 0)
        return true;
    return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                           "x-severity must be \"error\" or \"warning\"");
}

/* One keyword of a schema object: looked up in the keyword table (keywords.h), gated by the
 * dialect and vocabularies of its resource, then compiled by its own small step. */
static bool keyword(compiler *c, nodebuild *b, uint32_t doc, uint32_t k, uint32_t resource,
                    uint32_t node)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    rinfo *ri = campval__c_rinfo_of(c, resource);
    if (!ri)
        return false;
    uint32_t vocab = ri->vocab;
    uint8_t dialect = ri->dialect;
    campval__str key = campval__c_str_of(d, k);
    uint32_t v = k + 1;
    const campval__kwinfo *ki = campval__kw_find(key);
    campval__kwid id = ki ? campval__kw_id(ki) : KW_NONE_;
    campval__kw kw;
    memset(&kw, 0, sizeof kw);
    /* Keywords a dialect does not have are annotations there. */
    if (!ki || !(ki->dialects & (1u << dialect)))
        goto other;
    int legacy = legacy_keyword(c, b, doc, v, id, dialect, vocab);
    if (legacy >= 0)
        return legacy;
    if (ki->vocab && !(vocab & ki->vocab))
        goto other;
    kw.op = ki->op;
    kw.id = (uint8_t)id;
    kw.keyword = ki->name;
    switch (id) {
    case KW_type:
        if (!type_bits(c, doc, v, &kw.u.types))
            return false;
        break;
    case KW_enum_:
    case KW_const_:
        if (!value_list(c, doc, v, id == KW_const_, &kw))
            return false;
        break;
    case KW_minimum:
    case KW_maximum:
    case KW_exclusiveMinimum:
    case KW_exclusiveMaximum:
    case KW_multipleOf:
        if (!number_bound(c, doc, v, &kw))
            return false;
        break;
    case KW_minLength:
    case KW_maxLength:
    case KW_minItems:
    case KW_maxItems:
    case KW_minProperties:
    case KW_maxProperties:
        if (!campval__c_count_value(c, doc, v, &kw.u.count))
            return false;
        break;
    case KW_uniqueItems: {
        bool u;
        if (!campval__c_tok_bool(d, v, &u))
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                                   "uniqueItems must be a boolean");
        if (!u)
            return true;
        break;
    }
    case KW_pattern:
        if (!compile_pattern(c, doc, v, &kw.u.pattern.re, &kw.u.pattern.source))
            return false;
        break;
    case KW_format: {
        int r = format_keyword(c, doc, v, ri, vocab, &kw);
        if (r <= 0)
            return r == 0;
        break;
    }
    case KW_x_phone:
        if (!compile_phone(c, doc, v, &kw))
            return false;
        break;
    case KW_x_severity:
        return severity_keyword(c, doc, v, node);
    case KW_x_caller_not_contact:
    case KW_x_calling_hours:
    case KW_x_calling_windows:
    case KW_x_max_contacts:
    case KW_x_prompt_variables:
    case KW_x_regions:
    case KW_x_retry_budget:
    case KW_x_suppress:
    case KW_x_unique_numbers: {
        int r = campval__c_preflight(c, doc, v, id, &kw);
        if (r <= 0)
            return r == 0;
        break;
    }
    case KW_required:
        if (!campval__c_string_array(c, doc, v))
            return false;
        b->has_object = true;
        b->tok_required = v;
        b->object.u.object.required_location = campval__c_loc(c, doc, v);
        return true;
    case KW_dependentRequired:
        if (!campval__c_tok_is(d, v, CAMPVAL__T_OBJECT))
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                                   "dependentRequired must be an object");
        b->has_object = true;
        b->tok_dep_req = v;
        b->object.u.object.dep_req_location = campval__c_loc(c, doc, v);
        return true;
    case KW_minContains:
    case KW_maxContains:
        return contains_bound(c, b, doc, v, id == KW_minContains);
    case KW_properties:
    case KW_patternProperties:
    case KW_additionalProperties:
    case KW_dependentSchemas:
        return object_part(c, b, doc, v, id);
    case KW_prefixItems:
    case KW_items:
    case KW_contains:
        return items_part(c, b, doc, v, id, dialect);
    case KW_unevaluatedItems:
    case KW_unevaluatedProperties:
        if (!(vocab & V_UNEVALUATED))
            return true;
        s->nodes[node].flags |= CAMPVAL__N_TRACKS;
        /* fall through */
    case KW_propertyNames:
    case KW_not_: {
        int64_t nd = campval__c_child(c, doc, v);
        if (nd < 0)
            return false;
        kw.u.node = (uint32_t)nd;
        break;
    }
    case KW_allOf:
    case KW_anyOf:
    case KW_oneOf:
        if (!campval__c_child_list(c, doc, v, &kw.u.list.first, &kw.u.list.count, true))
            return false;
        break;
    case KW_if_:
    case KW_then:
    case KW_else_:
        return cond_keyword(c, b, doc, v, id);
    default:
        goto other;
    }
    kw.location = campval__c_loc(c, doc, v);
    return campval__c_emit(c, b, kw, doc, v);
other:
    if (ki && (ki->op == OP_REF || ki->op == OP_DYNAMIC_REF))
        return ref_keyword(c, b, doc, v, id, resource, dialect);
    if (c->flags & CAMPVAL_WARN_UNKNOWN)
        return warn_unknown(c, doc, k, key);
    return true;
}

static int op_cmp(const void *a, const void *b)
{
    const campval__kw *x = a, *y = b;
    return (int)x->op - (int)y->op;
}

bool campval__c_compile_node(compiler *c, uint32_t node, uint32_t doc, uint32_t tok)
{
    campval_schema *s = c->s;
    const campval__rdoc *d = &s->docs[doc];
    dinfo *di = &c->di[doc];
    int32_t res = di->res_of[tok];
    if (res < 0) {
        int p = (int)tok;
        while (p >= 0 && di->res_of[p] < 0)
            p = d->tok[p].parent;
        res = p >= 0 ? di->res_of[p] : 0;
    }
    s->nodes[node].resource = (uint32_t)res;
    s->nodes[node].location = campval__c_loc(c, doc, tok);
    bool bv;
    if (campval__c_tok_bool(d, tok, &bv)) {
        s->nodes[node].flags |= bv ? CAMPVAL__N_TRUE : CAMPVAL__N_FALSE;
        if (!bv) {
            campval__kw kw = {0};
            kw.op = OP_FALSE;
            kw.id = KW_NONE_;
            kw.keyword = "false";
            kw.location = s->nodes[node].location;
            s->nodes[node].kw_first = s->kw_count;
            s->nodes[node].kw_count = 1;
            return PUSH(c, s->kws, s->kw_count, c->cap_kws, kw);
        }
        s->nodes[node].kw_first = s->kw_count;
        return true;
    }
    if (!campval__c_tok_is(d, tok, CAMPVAL__T_OBJECT))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok,
                               "a schema must be an object or a boolean");
    if (campval__c_member(d, tok, "$id") >= 0 && di->res_of[tok] >= 0)
        s->nodes[node].flags |= CAMPVAL__N_RESOURCE;
    nodebuild *b = campval__c_blk_alloc(c, sizeof *b);
    if (!b)
        return false;
    memset(b, 0, sizeof *b);
    b->tok_properties = b->tok_pattern = b->tok_required = b->tok_dep_req = b->tok_dep_schemas = -1;
    b->tok_dependencies = -1;
    b->additional_items = -1;
    b->excl_min = b->excl_max = -1;
    b->items.op = OP_ITEMS;
    b->items.id = KW_items;
    b->items.keyword = "items";
    b->items.u.items.items = b->items.u.items.contains = -1;
    b->object.op = OP_OBJECT;
    b->object.id = KW_properties;
    b->object.keyword = "properties";
    b->object.u.object.additional = -1;
    b->cond.op = OP_IF;
    b->cond.id = KW_if_;
    b->cond.keyword = "if";
    uint8_t dialect = campval__c_rinfo_of(c, (uint32_t)res)->dialect;
    int64_t ref = dialect == D_7 || dialect == D_OAS30 ? campval__c_member(d, tok, "$ref") : -1;
    uint32_t k = tok + 1;
    for (int m = 0; m < d->tok[tok].size; m++, k = d->next[k]) {
        if (ref >= 0 && k + 1 != (uint32_t)ref) /* draft-07: $ref overrides its siblings */
            continue;
        if (!keyword(c, b, doc, k, (uint32_t)res, node))
            goto out;
    }
    if (b->items_array && b->additional_items >= 0)
        b->items.u.items.items = b->additional_items;
    for (uint32_t i = 0; i < b->nkw; i++) { /* OpenAPI 3.0 adjustments */
        campval__kw *kw = &b->kws[i];
        if (kw->op == OP_TYPE && b->nullable)
            kw->u.types |= CAMPVAL__TY_NULL;
        if (kw->op == OP_MINIMUM && b->excl_min == 1) {
            kw->op = OP_EXCL_MINIMUM;
            kw->id = KW_exclusiveMinimum;
            kw->keyword = "exclusiveMinimum";
        }
        if (kw->op == OP_MAXIMUM && b->excl_max == 1) {
            kw->op = OP_EXCL_MAXIMUM;
            kw->id = KW_exclusiveMaximum;
            kw->keyword = "exclusiveMaximum";
        }
    }
    if (b->has_items) {
        campval__kw *it = &b->items;
        it->u.items.min_contains = b->has_min_contains ? b->min_contains : 1;
        it->location = it->u.items.contains_location ? it->u.items.contains_location
                     : it->u.items.items_location ? it->u.items.items_location
                     : it->u.items.prefix_location ? it->u.items.prefix_location
                     : s->nodes[node].location;
        if (it->u.items.prefix_count || it->u.items.items >= 0 || it->u.items.contains >= 0)
            if (!campval__c_emit(c, b, *it, doc, tok))
                goto out;
    }
    if (b->has_object) {
        campval__kw *ob = &b->object;
        if (b->tok_pattern >= 0) {
            uint32_t p = (uint32_t)b->tok_pattern, pk = p + 1;
            ob->u.object.pp_first = s->pattern_prop_count;
            for (int i = 0; i < d->tok[p].size; i++, pk = d->next[pk]) {
                campval__pattern_prop pp;
                int64_t nd = campval__c_child(c, doc, pk + 1);
                if (nd < 0 || !compile_pattern(c, doc, pk, &pp.re, &pp.source))
                    goto out;
                pp.node = (uint32_t)nd;
                if (!PUSH(c, s->pattern_props, s->pattern_prop_count, c->cap_pp, pp))
                    goto out;
            }
            ob->u.object.pp_count = s->pattern_prop_count - ob->u.object.pp_first;
        }
        if (!campval__c_build_object(c, b, doc))
            goto out;
        ob->location = s->nodes[node].location;
        if (!campval__c_emit(c, b, *ob, doc, tok))
            goto out;
    }
    if (b->has_if && b->cond.u.cond.cond >= 0 && !campval__c_emit(c, b, b->cond, doc, tok))
        goto out;
    if (b->nkw > 1)
        qsort(b->kws, b->nkw, sizeof *b->kws, op_cmp);
    s->nodes[node].kw_first = s->kw_count;
    s->nodes[node].kw_count = b->nkw;
    if (!campval__c_grow(c, &s->kws, &c->cap_kws, sizeof *s->kws, s->kw_count + b->nkw))
        goto out;
    if (b->nkw)
        memcpy(s->kws + s->kw_count, b->kws, b->nkw * sizeof *b->kws);
    s->kw_count += b->nkw;
    if (b->nkw == 0)
        s->nodes[node].flags |= CAMPVAL__N_TRUE;
    campval__c_blk_free(c->a, s, b);
    return true;
out:
    campval__c_blk_free(c->a, s, b);
    return false;
}

/* x-phone: {"possible": true, "valid": true, "regions": [...], "types": [...],
 * "deniedTypes": [...]}. Without libphonenumber such rules do not compile: a check that cannot
 * run must never pass silently. */
static bool phone_types(compiler *c, uint32_t doc, uint32_t tok, uint32_t *mask)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__c_string_array(c, doc, tok))
        return false;
    *mask = 0;
    uint32_t e = tok + 1;
    for (int i = 0; i < d->tok[tok].size; i++, e = d->next[e]) {
        campval__str n = campval__c_str_of(d, e);
        int t = n.escaped ? -1 : campval__phone_type_lookup(n.raw, n.len);
        if (t < 0)
            return campval__c_fail(
                c, CAMPVAL_RULES_BAD_KEYWORD, doc, e,
                "unknown phone number type (fixed_line, mobile, fixed_line_or_mobile, "
                "toll_free, premium_rate, shared_cost, voip, personal_number, pager, "
                "uan, voicemail, unknown)");
        *mask |= 1u << t;
    }
    return true;
}

bool campval__c_region_list(compiler *c, uint32_t doc, uint32_t v, char *out, size_t cap,
                            size_t *n)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__c_string_array(c, doc, v))
        return false;
    uint32_t e = v + 1;
    for (int i = 0; i < d->tok[v].size; i++, e = d->next[e]) {
        campval__str r = campval__c_str_of(d, e);
        if (r.escaped || r.len != 2 || campval__phone_region_known(r.raw, 2) != 1)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, e,
                                   "unknown region code (two upper-case letters, e.g. \"US\")");
        if (*n + 2 >= cap)
            return campval__c_fail(c, CAMPVAL_RULES_TOO_COMPLEX, doc, v, "too many regions");
        memcpy(out + *n, r.raw, 2);
        *n += 2;
    }
    return true;
}

static bool compile_phone(compiler *c, uint32_t doc, uint32_t tok, campval__kw *kw)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__phone_available())
        return campval__c_fail(c, CAMPVAL_RULES_UNSUPPORTED, doc, tok,
                               "x-phone needs libphonenumber, which this build does not have");
    if (!campval__c_tok_is(d, tok, CAMPVAL__T_OBJECT))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, tok, "x-phone must be an object");
    uint32_t k = tok + 1;
    char regions[1024];
    size_t nreg = 0;
    for (int m = 0; m < d->tok[tok].size; m++, k = d->next[k]) {
        campval__str key = campval__c_str_of(d, k);
        uint32_t v = k + 1;
        bool b;
        if (campval__str_equal_plain(key, "possible", 8) ||
            campval__str_equal_plain(key, "valid", 5)) {
            if (!campval__c_tok_bool(d, v, &b))
                return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                                       "expected true or false");
            if (b)
                kw->u.phone.checks |=
                    key.len == 5 ? CAMPVAL__PHONE_WANT_VALID : CAMPVAL__PHONE_WANT_POSSIBLE;
        } else if (campval__str_equal_plain(key, "regions", 7)) {
            if (!campval__c_region_list(c, doc, v, regions, sizeof regions, &nreg))
                return false;
        } else if (campval__str_equal_plain(key, "types", 5)) {
            if (!phone_types(c, doc, v, &kw->u.phone.types_mask))
                return false;
        } else if (campval__str_equal_plain(key, "deniedTypes", 11)) {
            if (!phone_types(c, doc, v, &kw->u.phone.denied_mask))
                return false;
        } else {
            return campval__c_fail(
                c, CAMPVAL_RULES_BAD_KEYWORD, doc, k,
                "unknown x-phone member (possible, valid, regions, types, deniedTypes)");
        }
    }
    if (nreg) {
        uint32_t idx = campval__c_intern(c, regions, nreg);
        if (idx == UINT32_MAX)
            return false;
        kw->u.phone.regions_first = idx;
        kw->u.phone.regions_count = (uint32_t)(nreg / 2);
    }
    /* Load libphonenumber and its tables now, not on the first request. */
    campval__phone_info info;
    campval__phone_analyze("+14155550123", 12, CAMPVAL__PHONE_WANT_ALL, &info);
    return true;
}
