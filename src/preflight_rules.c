/*
 * Compiling the preflight keywords (src/preflight.c evaluates them): each value checked and
 * turned into kw->u.pf. A check whose value is false compiles to nothing.
 */
#include "compile_int.h"
#include "keywords.h"
#include "phone.h"
#include "preflight.h"

/* `true`, or false (nothing to compile). */
static int flag_value(compiler *c, uint32_t doc, uint32_t v, const char *name)
{
    bool on;
    if (!campval__c_tok_bool(&c->s->docs[doc], v, &on))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v, "%s must be a boolean",
                               name) ? 0 : -1;
    return on ? 1 : 0;
}

/* A positive integer below 2^31. */
static bool small_count(compiler *c, uint32_t doc, uint32_t v, uint64_t *out)
{
    if (!campval__c_count_value(c, doc, v, out))
        return false;
    if (*out == 0 || *out > INT32_MAX)
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "expected an integer from 1 to 2147483647");
    return true;
}

/* "x-retry-budget": true (3 calls per 24 hours, 7 per 7 days) or {"per_day": n, "per_week": n}. */
static int retry_budget(compiler *c, uint32_t doc, uint32_t v, campval__kw *kw)
{
    const campval__rdoc *d = &c->s->docs[doc];
    kw->u.pf.a = CAMPVAL__PF_DEFAULT_PER_DAY;
    kw->u.pf.b = CAMPVAL__PF_DEFAULT_PER_WEEK;
    if (!campval__c_tok_is(d, v, CAMPVAL__T_OBJECT))
        return flag_value(c, doc, v, "x-retry-budget (true or {\"per_day\", \"per_week\"})");
    uint32_t k = v + 1;
    for (int m = 0; m < d->tok[v].size; m++, k = d->next[k]) {
        campval__str key = campval__c_str_of(d, k);
        uint64_t *slot = campval__str_equal_plain(key, "per_day", 7)    ? &kw->u.pf.a
                         : campval__str_equal_plain(key, "per_week", 8) ? &kw->u.pf.b
                                                                        : NULL;
        if (!slot)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, k,
                                   "unknown x-retry-budget member (per_day, per_week)") ? 0 : -1;
        if (!small_count(c, doc, k + 1, slot))
            return -1;
    }
    return 1;
}

/* "x-regions": ["US", "CA"], regions libphonenumber knows (it decides a number's region). */
static int regions(compiler *c, uint32_t doc, uint32_t v, campval__kw *kw)
{
    if (!campval__phone_available())
        return campval__c_fail(c, CAMPVAL_RULES_UNSUPPORTED, doc, v,
                               "x-regions needs libphonenumber, which this build does not have")
                   ? 0
                   : -1;
    char list[512];
    size_t n = 0;
    if (!campval__c_region_list(c, doc, v, list, sizeof list, &n))
        return -1;
    if (n == 0)
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "x-regions must list at least one region") ? 0 : -1;
    kw->u.pf.first = campval__c_intern(c, list, n);
    kw->u.pf.count = (uint32_t)(n / 2);
    return kw->u.pf.first == UINT32_MAX ? -1 : 1;
}

int campval__c_preflight(compiler *c, uint32_t doc, uint32_t v, int id, campval__kw *kw)
{
    switch ((campval__kwid)id) {
    case KW_x_unique_numbers: return flag_value(c, doc, v, "x-unique-numbers");
    case KW_x_caller_not_contact: return flag_value(c, doc, v, "x-caller-not-contact");
    case KW_x_calling_windows: return flag_value(c, doc, v, "x-calling-windows");
    case KW_x_prompt_variables: return flag_value(c, doc, v, "x-prompt-variables");
    case KW_x_retry_budget: return retry_budget(c, doc, v, kw);
    case KW_x_regions: return regions(c, doc, v, kw);
    case KW_x_max_contacts:
        if (campval__c_tok_is(&c->s->docs[doc], v, CAMPVAL__T_PRIMITIVE) &&
            c->s->docs[doc].text[c->s->docs[doc].tok[v].start] != 't' &&
            c->s->docs[doc].text[c->s->docs[doc].tok[v].start] != 'f' &&
            c->s->docs[doc].text[c->s->docs[doc].tok[v].start] != 'n')
            return small_count(c, doc, v, &kw->u.pf.a) ? 1 : -1;
        kw->u.pf.a = CAMPVAL__PF_DEFAULT_MAX_CONTACTS;
        return flag_value(c, doc, v, "x-max-contacts (true or a positive integer)");
    default:
        return campval__c_fail(c, CAMPVAL_RULES_UNSUPPORTED, doc, v,
                               "this campaign check is not implemented yet") ? 0 : -1;
    }
}
