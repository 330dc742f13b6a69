#!/bin/sh
# Golden output: every example in every format (and the streaming and limiting options) must
# print exactly what tests/golden/ holds, with the documented exit status.
# usage: golden.sh CAMPVAL SOURCE_ROOT [--update]
set -u
campval=$1
cd "$2" || exit 2
update=${3:-}
passed=0
failed=0

check() { # name expected-status args...
    name=$1 want=$2
    shift 2
    # Calling hours depend on the day the campaign runs: every check is pinned to one Monday.
    if [ "$1" = check ]; then
        shift
        set -- check --at 2026-12-07 "$@"
    fi
    out=$("$campval" "$@" 2>&1)
    st=$?
    file=tests/golden/$name
    if [ "$update" = --update ]; then
        printf '%s\n' "$out" > "$file"
    fi
    if [ "$st" -eq "$want" ] && [ "$(cat "$file")" = "$out" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $name (exit $st, expected $want)"
        printf '%s\n' "$out" | diff -u "$file" - | head -20
    fi
}

for fmt in text json problem; do
    check create.$fmt 0 check --format $fmt examples/campaign_create.json
    check create_invalid.$fmt 1 check --format $fmt examples/campaign_create_invalid.json
    check create_malformed.$fmt 1 check --format $fmt examples/campaign_create_malformed.json
    check create_warnings.$fmt 0 check --format $fmt examples/campaign_create_warnings.json
    check dangerous.$fmt 0 check --format $fmt examples/campaign_dangerous.json
    check response.$fmt 0 check --rules campaign --format $fmt examples/campaign_response.json
    check response_as_create.$fmt 1 check --format $fmt examples/campaign_response.json
    check ndjson.$fmt 1 check --ndjson --format $fmt examples/campaigns.ndjson
done
check first_error.text 1 check --first-error examples/campaign_create_invalid.json
check max_errors.text 1 check --max-errors 2 examples/campaign_create_invalid.json
check quiet.text 1 check --quiet examples/campaign_create_invalid.json
check quiet_warnings.text 0 check --quiet examples/campaign_create_warnings.json
check examples_all.text 1 check examples/campaign_create.json examples/campaign_create_warnings.json examples/campaign_create_invalid.json
check stdin.text 1 check - < examples/campaign_create_malformed.json
check rules_list.text 0 rules
check unknown_rules.text 2 check --rules no_such_rules examples/campaign_create.json
check bad_option.text 2 check --frmat json examples/campaign_create.json
check missing_file.text 2 check examples/no_such_file.json
check openapi_pointer.text 1 check --rules 'tests/data/rules/openapi.json#/components/schemas/CampaignCreate' examples/campaign_create_invalid.json
check openapi_pointer_valid.text 0 check --rules 'tests/data/rules/openapi.json#/components/schemas/CampaignCreate' examples/campaign_create.json
check bad_pattern_rules.text 2 check --rules tests/data/rules/bad_pattern.schema.json examples/campaign_create.json
check bad_ref_rules.text 2 check --rules tests/data/rules/bad_ref.schema.json examples/campaign_create.json
check oas30_valid.text 0 check --rules 'tests/data/rules/openapi30.json#/components/schemas/CampaignCreate' tests/data/rules/oas30_valid.json
check oas30_invalid.text 1 check --rules 'tests/data/rules/openapi30.json#/components/schemas/CampaignCreate' tests/data/rules/oas30_invalid.json
check metaschema_valid.text 0 check --rules https://json-schema.org/draft/2020-12/schema rules/campaign_create.schema.json
check metaschema_invalid.text 1 check --rules https://json-schema.org/draft/2020-12/schema tests/data/rules/not_a_schema.json
check metaschema_draft7_invalid.text 1 check --rules http://json-schema.org/draft-07/schema tests/data/rules/not_a_schema.json
check syntax_only_valid.text 0 check --syntax-only examples/campaign_create_invalid.json
check syntax_only_invalid.text 1 check --syntax-only examples/campaign_create_malformed.json
# limits: a pattern and a recursion that stop validation (422), a body nested too deeply (413)
check limit_regex.problem 1 check --format problem --rules tests/data/rules/backtracking.schema.json tests/data/rules/backtracking_body.json
check limit_regex.text 1 check --rules tests/data/rules/backtracking.schema.json tests/data/rules/backtracking_body.json
check limit_evaluation.problem 1 check --format problem --rules tests/data/rules/recursion.schema.json tests/data/rules/nested_100.json
check limit_depth.problem 1 check --format problem --rules tests/data/rules/recursion.schema.json tests/data/rules/nested_200.json
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
