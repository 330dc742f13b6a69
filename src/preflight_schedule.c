/*
 * The calling schedule of a campaign (call_retry_config): x-calling-windows (a window that does
 * not end after it starts, windows that overlap, 12am/12pm) and x-retry-budget (the most calls
 * one person can get in 24 hours and in 7 days), plus the time-of-day reader the other checks
 * share.
 */
#include <stdlib.h>

#include "preflight_int.h"

int campval__time_of_day(const char *s, size_t n, bool *ambiguous)
{
    *ambiguous = false;
    if (n == 5 && s[2] == ':') {
        int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
        for (int i = 0; i < 5; i++)
            if (i != 2 && (s[i] < '0' || s[i] > '9'))
                return -1;
        return h <= 23 && m <= 59 ? h * 60 + m : -1;
    }
    size_t i = 0;
    int h = 0, m = 0;
    while (i < n && i < 2 && s[i] >= '0' && s[i] <= '9')
        h = h * 10 + (s[i++] - '0');
    if (i == 0 || s[0] == '0' || h < 1 || h > 12)
        return -1;
    if (i < n && s[i] == ':') {
        if (i + 3 > n || s[i + 1] < '0' || s[i + 1] > '5' || s[i + 2] < '0' || s[i + 2] > '9')
            return -1;
        m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        i += 3;
    }
    if (i + 2 != n || (s[i + 1] != 'm' && s[i + 1] != 'M'))
        return -1;
    bool pm = s[i] == 'p' || s[i] == 'P';
    if (!pm && s[i] != 'a' && s[i] != 'A')
        return -1;
    *ambiguous = h == 12;
    return (h % 12 + (pm ? 12 : 0)) * 60 + m;
}

/* A window's minutes [start, end), its tokens; start -1 when unreadable. */
typedef struct window {
    int start, end;
    int64_t start_tok, end_tok;
    bool start_ambiguous, end_ambiguous;
    uint64_t delay; /* retry_delay_seconds, 0 when unreadable */
} window;

static window read_window(const campval__doc *d, uint32_t w)
{
    window r = {-1, -1, -1, -1, false, false, 0};
    char buf[16];
    r.start_tok = member(d, w, "calling_window_start_time");
    r.end_tok = member(d, w, "calling_window_end_time");
    size_t n = short_string(d, r.start_tok, buf, sizeof buf);
    r.start = n ? campval__time_of_day(buf, n, &r.start_ambiguous) : -1;
    n = short_string(d, r.end_tok, buf, sizeof buf);
    r.end = n ? campval__time_of_day(buf, n, &r.end_ambiguous) : -1;
    int64_t delay = member(d, w, "retry_delay_seconds");
    if (is_type(d, delay, CAMPVAL__T_PRIMITIVE)) {
        campval__str s = str_of(d, (uint32_t)delay);
        uint64_t v = 0;
        size_t i = 0;
        for (; i < s.len && s.raw[i] >= '0' && s.raw[i] <= '9' && v < (1ull << 40); i++)
            v = v * 10 + (uint64_t)(s.raw[i] - '0');
        r.delay = i == s.len ? v : 0;
    }
    if (r.start < 0 || r.end < 0)
        r.start = r.end = -1;
    return r;
}

static int64_t windows_of(const campval__doc *d, uint32_t t)
{
    int64_t w = member(d, member(d, t, "call_retry_config"), "calling_windows");
    return is_type(d, w, CAMPVAL__T_ARRAY) ? w : -1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A window that does not end after it starts, windows that overlap, and 12am/12pm. */
int campval__calling_windows(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t arr = windows_of(d, t);
    if (arr < 0)
        return 1;
    int ok = 1;
    uint32_t n = 0;
    uint64_t *sorted = (uint64_t *)(void *)p->ws->slots; /* slot_count / 2 >= max_tokens */
    p->ws->slots_gen++;
    EACH_ITEM(d, arr, i, k) {
        window w = read_window(d, k);
        if (!campval__spend(p->ws, 2))
            return -1;
        if (w.start_ambiguous || w.end_ambiguous) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_WINDOW_AMBIGUOUS,
                           (uint32_t)(w.start_ambiguous ? w.start_tok : w.end_tok), -1))
                return 0;
        }
        if (w.start < 0)
            continue;
        if (w.start >= w.end) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_WINDOW_ORDER, (uint32_t)w.end_tok,
                           (int32_t)w.start_tok))
                return 0;
            continue;
        }
        sorted[n++] = (uint64_t)w.start << 42 | (uint64_t)w.end << 31 | k;
    }
    if (!campval__spend(p->ws, (uint64_t)n * 2))
        return -1;
    qsort(sorted, n, sizeof *sorted, cmp_u64);
    /* Sorted by start: a window overlaps an earlier one when it starts before the latest end so
     * far; it is reported naming the window that reaches furthest. */
    uint64_t reach = 0, reach_tok = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t start = sorted[i] >> 42, end = (sorted[i] >> 31) & 0x7FF;
        uint32_t k = (uint32_t)(sorted[i] & 0x7FFFFFFF);
        if (i > 0 && start < reach) {
            ok = 0;
            if (!p->report(p->ctx, CAMPVAL_WINDOW_OVERLAP, k, (int32_t)reach_tok))
                return 0;
        }
        if (end > reach)
            reach = end, reach_tok = k;
    }
    return ok;
}

/* ---- x-retry-budget ------------------------------------------------------------------------ */

#define WEEK (7 * 1440)
#define MAX_SIM_WINDOWS 32 /* more windows than this: the budget is not simulated */

typedef struct plan {
    window w[MAX_SIM_WINDOWS];
    uint32_t nw;
    uint8_t days; /* bit per day, 0 = monday */
    bool twice;
} plan;

/* The first moment at or after minute m (counted from a Monday 00:00) inside a window on an
 * allowed day, and that window; -1 when there is none within two weeks. */
static int64_t next_slot(const plan *pl, int64_t m, uint32_t *win)
{
    int64_t best = -1;
    for (uint32_t i = 0; i < pl->nw; i++) {
        for (int64_t day = m / 1440; day <= m / 1440 + 8; day++) {
            if (!(pl->days >> (day % 7) & 1))
                continue;
            int64_t s = day * 1440 + pl->w[i].start, e = day * 1440 + pl->w[i].end;
            if (e <= m)
                continue;
            int64_t at = s > m ? s : m;
            if (best < 0 || at < best)
                best = at, *win = i;
            break;
        }
    }
    return best;
}

const char *const campval__day_keys[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};

/* The most calls one person gets in any 24 hours and any 7 days: every first call at a window
 * start is tried, each later attempt after its window's retry delay, moved into the next
 * window when it falls outside one; call_twice_in_a_row makes attempt 2 immediate. */
static void most_calls(const plan *pl, uint64_t attempts, uint32_t *day_max, uint32_t *week_max)
{
    int64_t at[64];
    *day_max = *week_max = 0;
    uint32_t cap = attempts < 64 ? (uint32_t)attempts : 64;
    for (int day = 0; day < 7; day++) {
        if (!(pl->days >> day & 1))
            continue;
        for (uint32_t s = 0; s < pl->nw; s++) {
            uint32_t win = s, n = 0;
            int64_t m = (int64_t)day * 1440 + pl->w[s].start;
            while (n < cap && m >= 0) {
                at[n++] = m;
                uint64_t delay = (n == 1 && pl->twice) ? 0 : (pl->w[win].delay + 59) / 60;
                if (delay > 4 * WEEK)
                    break;
                m = next_slot(pl, m + (int64_t)delay, &win);
            }
            for (uint32_t a = 0, b = 0, c = 0; a < n; a++) {
                while (b < n && at[b] < at[a] + 1440)
                    b++;
                while (c < n && at[c] < at[a] + WEEK)
                    c++;
                if (b - a > *day_max)
                    *day_max = b - a;
                if (c - a > *week_max)
                    *week_max = c - a;
            }
        }
    }
}

static bool read_plan(const campval__doc *d, int64_t cfg, plan *pl)
{
    memset(pl, 0, sizeof *pl);
    int64_t days = member(d, cfg, "allowed_days"), wins = member(d, cfg, "calling_windows");
    if (!is_type(d, days, CAMPVAL__T_ARRAY) || !is_type(d, wins, CAMPVAL__T_ARRAY) ||
        d->tok[wins].size > MAX_SIM_WINDOWS)
        return false;
    EACH_ITEM(d, days, i, k) {
        char buf[12];
        size_t n = short_string(d, k, buf, sizeof buf - 1);
        buf[n] = 0;
        for (int day = 0; day < 7; day++)
            if (n && strcmp(buf, campval__day_keys[day]) == 0)
                pl->days |= (uint8_t)(1u << day);
    }
    EACH_ITEM(d, wins, i, k) {
        window w = read_window(d, k);
        if (w.start >= 0 && w.start < w.end && w.delay > 0)
            pl->w[pl->nw++] = w;
    }
    int64_t twice = member(d, cfg, "call_twice_in_a_row");
    pl->twice = is_type(d, twice, CAMPVAL__T_PRIMITIVE) && d->text[d->tok[twice].start] == 't';
    return pl->days != 0 && pl->nw > 0;
}

static uint64_t attempts_of(const campval__doc *d, int64_t t)
{
    if (!is_type(d, t, CAMPVAL__T_PRIMITIVE))
        return 0;
    campval__str s = str_of(d, (uint32_t)t);
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.raw[i] < '0' || s.raw[i] > '9')
            return 0;
        v = v < (1ull << 40) ? v * 10 + (uint64_t)(s.raw[i] - '0') : v;
    }
    return v;
}

int campval__retry_budget(const campval__pf *p, uint32_t t)
{
    const campval__doc *d = p->d;
    int64_t cfg = member(d, t, "call_retry_config");
    int64_t att = member(d, cfg, "max_retry_attempts");
    uint64_t attempts = attempts_of(d, att);
    plan pl;
    if (attempts == 0 || !read_plan(d, cfg, &pl))
        return 1;
    if (!campval__spend(p->ws, 7ull * pl.nw * 64 * pl.nw))
        return -1;
    uint32_t day_max, week_max;
    most_calls(&pl, attempts, &day_max, &week_max);
    if (day_max <= p->kw->u.pf.a && week_max <= p->kw->u.pf.b)
        return 1;
    p->report(p->ctx, CAMPVAL_RETRY_BUDGET, (uint32_t)att, (int32_t)(day_max << 16 | week_max));
    return 0;
}

