#!/usr/bin/env bash
# What the campaign-wide harm checks cost: a 100,000-contact campaign validated with the
# built-in campaign_create rules with and without the preflight keywords, in the same run, as a
# ratio (issue #18 asks for at most 1.5x). Figures depend on the machine: never in a test.
#
# usage: bench/preflight.sh [CONTACTS]     (default 100000; about a minute)
# environment: CAMPVAL (default build/campval), LOOP (validations per timing, default 10),
#              REPEAT (rounds, best kept, default 3)
#
# The payload (bench/out/preflight/campaign.json) is realistic: distinct numbers spread over
# US area codes in four time zones (Eastern, Central, Mountain, Pacific), three prompt
# variables each, a call_retry_config with two windows and a campaign zone. "without" is
# rules/campaign_create.schema.json with every preflight keyword (x-unique-numbers,
# x-calling-hours, ...) removed; "with" is the file as is.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CAMPVAL=${CAMPVAL:-$ROOT/build/campval}
LOOP=${LOOP:-10}
REPEAT=${REPEAT:-3}
N=${1:-100000}
OUT=$HERE/out/preflight

[ -x "$CAMPVAL" ] || { echo "preflight.sh: $CAMPVAL not built" >&2; exit 1; }
mkdir -p "$OUT"

# The preflight keywords: the OP_PREFLIGHT rows of the keyword table, the one list of them.
PREFLIGHT=$(sed -n 's/.*X([a-z_]*, "\(x-[a-z-]*\)", OP_PREFLIGHT.*/\1/p' "$ROOT/src/keywords.h")
[ "$(echo $PREFLIGHT | wc -w)" -eq "$(grep -c OP_PREFLIGHT "$ROOT/src/keywords.h")" ] ||
    { echo "preflight.sh: could not read every OP_PREFLIGHT row of src/keywords.h" >&2; exit 1; }

python3 - "$ROOT" "$OUT" "$N" $PREFLIGHT <<'EOF'
import json, random, sys
root, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rules = json.load(open(root + '/rules/campaign_create.schema.json'))
PREFLIGHT = set(sys.argv[4:])
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in PREFLIGHT}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
with_ = rules
# Rules without a campaign check of their own still need one for this benchmark to mean anything.
found = json.dumps(rules) != json.dumps(strip(rules))
if not found:
    with_ = dict(rules)
    with_['allOf'] = list(rules.get('allOf', [])) + [{
        'x-severity': 'warning', 'x-unique-numbers': True, 'x-caller-not-contact': True,
        'x-calling-windows': True, 'x-retry-budget': True, 'x-prompt-variables': True,
        'x-max-contacts': True, 'x-calling-hours': True}]
json.dump(with_, open(out + '/with.json', 'w'))
json.dump(strip(rules), open(out + '/without.json', 'w'))
random.seed(18)
codes = ['212', '718', '312', '773', '303', '720', '415', '213', '702', '646', '617', '206']
contacts = [{'to_phone_number': '+1%s%07d' % (codes[i % len(codes)], i),
             'prompt_variables': {'first_name': random.choice(['Dana', 'Lee', 'Sam', 'Ana']),
                                  'plan': random.choice(['Pro', 'Team']),
                                  'renewal_date': '2026-05-%02d' % (1 + i % 28)}}
            for i in range(n)]
campaign = {
    'assistant_id': '182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e', 'name': 'Bench', 'launch': False,
    'from_phone_number': '+14155550100', 'contacts': contacts,
    'call_retry_config': {
        'allowed_days': ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        'calling_windows': [
            {'calling_window_start_time': '11:00', 'calling_window_end_time': '13:00',
             'retry_delay_seconds': 7200},
            {'calling_window_start_time': '3pm', 'calling_window_end_time': '5pm',
             'retry_delay_seconds': 7200}],
        'max_retry_attempts': 3, 'call_twice_in_a_row': False,
        'timezone': 'America/Chicago'}}
json.dump(campaign, open(out + '/campaign.json', 'w'))
print('preflight.sh: %d contacts, %d bytes; campaign checks %s in the built-in rules' %
      (n, len(json.dumps(campaign)), 'found' if found else 'NOT found (added for the run)'),
      file=sys.stderr)
EOF

time_of() {
    "$CAMPVAL" check --rules "$1" --benchmark --loop "$LOOP" \
        "$OUT/campaign.json" | sed -n 's/.*us_per_validation=\([0-9.]*\).*/\1/p'
}
best_without=
best_with=
for _ in $(seq "$REPEAT"); do
    a=$(time_of "$OUT/without.json")
    b=$(time_of "$OUT/with.json")
    best_without=$(python3 -c "print(min(x for x in [$a, ${best_without:-$a}]))")
    best_with=$(python3 -c "print(min(x for x in [$b, ${best_with:-$b}]))")
done
python3 - "$best_without" "$best_with" "$N" <<'EOF'
import sys
a, b, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print('| contacts | without checks | with checks | ratio (goal <= 1.5) |')
print('|---:|---:|---:|---:|')
print('| %d | %.1f ms | %.1f ms | %.2fx |' % (n, a / 1000, b / 1000, b / a))
EOF
