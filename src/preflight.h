/*
 * preflight — campaign-wide harm checks: what a campaign will do, which no per-field rule can
 * see (the same person called twice, a window that rings at 6 am local time, 50 retries a
 * minute apart). Each check is a keyword of campval's vocabulary (src/keywords.h, op
 * OP_PREFLIGHT) applied to a create-campaign object; the engine hands it the object and a way to
 * report, and this file does the rest. Linear in the campaign, allocation-free: tables live in
 * the workspace's hash slots.
 */
#ifndef CAMPVAL_PREFLIGHT_H
#define CAMPVAL_PREFLIGHT_H

#include "internal.h"
#include "schema.h"

/* What a check needs from the engine. */
typedef struct campval__pf {
    campval_workspace *ws;
    const campval_schema *s;
    const campval__doc *d;
    const campval__kw *kw;
    /* Record a finding at token t (aux: the other side, see the message); false: stop. */
    bool (*report)(void *ctx, campval_code code, uint32_t t, int32_t aux);
    void *ctx;
} campval__pf;

/* Run the check kw->id names on the campaign object at token t. Returns 1 when it found nothing,
 * 0 when it reported, -1 when the work budget ran out (CAMPVAL_LIMIT_EVALUATION). */
int campval__preflight_run(const campval__pf *pf, uint32_t t);

/* The message of a finding of a preflight keyword (src/message.c calls it). */
void campval__preflight_message(campval__sb *sb, const campval_workspace *ws,
                                const campval__kw *kw, const campval_error *err);

/* Minutes after midnight of a time of day ("09:00", "6pm", "12:30am"), or -1. *ambiguous is set
 * for 12am and 12pm, which people and systems read differently. */
int campval__time_of_day(const char *s, size_t n, bool *ambiguous);

/* Legal calling hours of one region: per weekday (0 = Monday) up to four [start, end) intervals
 * in minutes of local time. Region "**" is the default for regions without their own. */
#define CAMPVAL__HOURS_MAX 4
typedef struct campval__hours {
    char region[2];
    uint8_t count[7];
    uint16_t iv[7][CAMPVAL__HOURS_MAX][2];
} campval__hours;

/* x-calling-hours (src/preflight_hours.c): every window, on every allowed day of the week the
 * campaign runs, inside the legal hours of each contact's region in the contact's local time. */
int campval__calling_hours(const campval__pf *p, uint32_t t);
void campval__calling_hours_message(campval__sb *sb, const campval_workspace *ws,
                                    const campval__kw *kw, const campval_error *err);

/* Compile-time parameters of the preflight keywords (kw->u.pf). */
#define CAMPVAL__PF_DEFAULT_PER_DAY 3u
#define CAMPVAL__PF_DEFAULT_PER_WEEK 7u
#define CAMPVAL__PF_DEFAULT_MAX_CONTACTS 10000u

/* allowed_days' values, Monday first (campval's weekday numbering): preflight_schedule.c. */
extern const char *const campval__day_keys[7];

#endif /* CAMPVAL_PREFLIGHT_H */
