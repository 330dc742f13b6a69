/*
 * Compiling the preflight keywords (src/preflight.c evaluates them): each value checked and
 * turned into kw->u.pf. A check whose value is false compiles to nothing.
 */
#include "compile_int.h"
#include "keywords.h"
#include "phone.h"
#include "preflight.h"
#include "tzdb.h"

#include <string.h>

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

/* "x-regions": ["US", "CA"], regions libphonenumber knows (it decides a number's region); or
 * true: only the regions given at validation (campval_preflight.regions), none by default. */
static int regions(compiler *c, uint32_t doc, uint32_t v, campval__kw *kw)
{
    if (!campval__c_tok_is(&c->s->docs[doc], v, CAMPVAL__T_ARRAY))
        return flag_value(c, doc, v, "x-regions (true or an array of region codes)");
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

/* An array of ["HH:mm", "HH:mm"] pairs (at most four, in order, not overlapping) into one day. */
static bool day_hours(compiler *c, uint32_t doc, uint32_t v, campval__hours *h, int day)
{
    const campval__rdoc *d = &c->s->docs[doc];
    if (!campval__c_tok_is(d, v, CAMPVAL__T_ARRAY) || d->tok[v].size > CAMPVAL__HOURS_MAX)
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "expected up to 4 [\"start\", \"end\"] pairs of times of day");
    uint32_t e = v + 1;
    h->count[day] = 0;
    for (int i = 0; i < d->tok[v].size; i++, e = d->next[e]) {
        int t[2] = {-1, -1};
        if (campval__c_tok_is(d, e, CAMPVAL__T_ARRAY) && d->tok[e].size == 2) {
            uint32_t x = e + 1;
            for (int j = 0; j < 2; j++, x = d->next[x]) {
                campval__str s = campval__c_str_of(d, x);
                bool amb;
                if (campval__c_tok_is(d, x, CAMPVAL__T_STRING) && !s.escaped)
                    t[j] = campval__time_of_day(s.raw, s.len, &amb);
            }
        }
        int prev_end = i ? h->iv[day][i - 1][1] : -1;
        if (t[0] < 0 || t[1] <= t[0] || t[0] < prev_end)
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, e,
                                   "expected [\"start\", \"end\"], times of day with start "
                                   "before end, after the previous pair");
        h->iv[day][i][0] = (uint16_t)t[0];
        h->iv[day][i][1] = (uint16_t)t[1];
        h->count[day]++;
    }
    return true;
}


/* HOURS: an array of pairs for every day, or an object of "weekdays", "weekend" and day names
 * (days it does not name have no legal hours). */
static bool hours_value(compiler *c, uint32_t doc, uint32_t v, campval__hours *h)
{
    const campval__rdoc *d = &c->s->docs[doc];
    memset(h->count, 0, sizeof h->count);
    if (campval__c_tok_is(d, v, CAMPVAL__T_ARRAY)) {
        for (int day = 0; day < 7; day++)
            if (!day_hours(c, doc, v, h, day))
                return false;
        return true;
    }
    if (!campval__c_tok_is(d, v, CAMPVAL__T_OBJECT))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "expected [[start, end], ...] or {\"weekdays\": ..., ...}");
    /* "weekdays" and "weekend" first, so that day names override them wherever they appear */
    for (int pass = 0; pass < 2; pass++) {
        uint32_t k = v + 1;
        for (int m = 0; m < d->tok[v].size; m++, k = d->next[k]) {
            campval__str key = campval__c_str_of(d, k);
            int from = -1, to = -1;
            if (campval__str_equal_plain(key, "weekdays", 8))
                from = 0, to = 4;
            else if (campval__str_equal_plain(key, "weekend", 7))
                from = 5, to = 6;
            for (int day = 0; day < 7 && from < 0; day++)
                if (campval__str_equal_plain(key, campval__day_keys[day], strlen(campval__day_keys[day])))
                    from = to = day;
            if (from < 0)
                return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, k,
                                       "unknown day (weekdays, weekend, monday ... sunday)");
            if ((pass == 0) != (from != to)) /* groups in the first pass, days in the second */
                continue;
            for (int day = from; day <= to; day++)
                if (!day_hours(c, doc, k + 1, h, day))
                    return false;
        }
    }
    return true;
}

/* "x-calling-hours": true, or {"default": HOURS, "regions": {"US": HOURS, ...}}. Needs the
 * system's time zone data, loaded once per schema (not libphonenumber: its prefix-to-zone map is
 * generated into the library). */
static int calling_hours(compiler *c, uint32_t doc, uint32_t v, campval__kw *kw)
{
    const campval__rdoc *d = &c->s->docs[doc];
    bool on = true;
    if (!campval__c_tok_is(d, v, CAMPVAL__T_OBJECT) && !campval__c_tok_bool(d, v, &on))
        return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, v,
                               "x-calling-hours must be true, false or an object") ? 0 : -1;
    if (!on)
        return 0;
    if (!c->s->tzdb) {
        char why[160];
        c->s->tzdb = campval__tzdb_load(c->a, why, sizeof why);
        if (!c->s->tzdb)
            return campval__c_fail(c, CAMPVAL_RULES_UNSUPPORTED, doc, v,
                                   "x-calling-hours needs the system's time zone data: %s", why)
                       ? 0 : -1;
    }
    if (!campval__c_tok_is(d, v, CAMPVAL__T_OBJECT))
        return 1;
    uint32_t n = 0, k = v + 1;
    for (int m = 0; m < d->tok[v].size; m++, k = d->next[k]) {
        campval__str key = campval__c_str_of(d, k);
        if (campval__str_equal_plain(key, "default", 7))
            n++;
        else if (campval__str_equal_plain(key, "regions", 7) &&
                 campval__c_tok_is(d, k + 1, CAMPVAL__T_OBJECT))
            n += (uint32_t)d->tok[k + 1].size;
        else
            return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, k,
                                   "unknown x-calling-hours member (default, regions: an object)")
                       ? 0 : -1;
    }
    campval__hours *h = n ? campval__c_blk_alloc(c, n * sizeof *h) : NULL;
    if (n && !h)
        return -1;
    uint32_t at = 0;
    k = v + 1;
    for (int m = 0; m < d->tok[v].size; m++, k = d->next[k]) {
        campval__str key = campval__c_str_of(d, k);
        if (campval__str_equal_plain(key, "default", 7)) {
            h[at].region[0] = h[at].region[1] = '*';
            if (!hours_value(c, doc, k + 1, &h[at++]))
                return -1;
            continue;
        }
        uint32_t r = k + 2;
        for (int i = 0; i < d->tok[k + 1].size; i++, r = d->next[r]) {
            campval__str code = campval__c_str_of(d, r);
            const uint16_t *zones;
            size_t nz;
            if (code.escaped || code.len != 2 || !campval__region_zones(code.raw, &zones, &nz))
                return campval__c_fail(c, CAMPVAL_RULES_BAD_KEYWORD, doc, r,
                                       "unknown region code (two upper-case letters of a region "
                                       "tzdata's zone.tab lists)") ? 0 : -1;
            memcpy(h[at].region, code.raw, 2);
            if (!hours_value(c, doc, r + 1, &h[at++]))
                return -1;
        }
    }
    kw->u.pf.data = h;
    kw->u.pf.count = n;
    return 1;
}

/* Checks that compare numbers as libphonenumber reads them: its tables are built on first use,
 * so that happens here, at compile time, and validation allocates only for the rare number
 * libphonenumber must re-read (a national prefix written after the calling code). */
static int number_check(compiler *c, uint32_t doc, uint32_t v, const char *name)
{
    int r = flag_value(c, doc, v, name);
    campval__phone_info info;
    if (r == 1 && campval__phone_available())
        campval__phone_analyze("+14155550123", 12, CAMPVAL__PHONE_WANT_REGION, &info);
    return r;
}

int campval__c_preflight(compiler *c, uint32_t doc, uint32_t v, int id, campval__kw *kw)
{
    switch ((campval__kwid)id) {
    case KW_x_unique_numbers: return number_check(c, doc, v, "x-unique-numbers");
    case KW_x_caller_not_contact: return number_check(c, doc, v, "x-caller-not-contact");
    case KW_x_calling_windows: return flag_value(c, doc, v, "x-calling-windows");
    case KW_x_prompt_variables: return flag_value(c, doc, v, "x-prompt-variables");
    case KW_x_suppress: return number_check(c, doc, v, "x-suppress");
    case KW_x_retry_budget: return retry_budget(c, doc, v, kw);
    case KW_x_regions: return regions(c, doc, v, kw);
    case KW_x_calling_hours: return calling_hours(c, doc, v, kw);
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
