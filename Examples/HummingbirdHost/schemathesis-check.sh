#!/usr/bin/env bash
# Fuzzes a running hummingbird-host from the OpenAPI document it serves, with schemathesis
# (installed from PyPI when missing): every check schemathesis has, a bounded number of examples
# per operation, as the demo admin and as a caller with no rights. Any failure fails the run.
# Run from Examples/HummingbirdHost after `swift build`.
set -euo pipefail
cd "$(dirname "$0")"
python3 -c 'import schemathesis' 2>/dev/null || python3 -m pip install --quiet 'schemathesis==4.32.5'

. ../scripts/start-server.sh
start_server .build/debug/hummingbird-host 200
base="http://127.0.0.1:$port/tasks/api"

# POST /tasks documents `payload` as any JSON, but each task type checks its own payload
# (user_export refuses unknown filter fields with 400), so there a schema-valid body can rightly
# be refused: that operation runs without the "valid data is accepted" check. Its typed twin,
# POST /users/export, documents the exact filter and runs with every check.
run() {
    NO_PROXY="*" python3 -m schemathesis.cli run "$base/openapi.json" --url "$base" --checks all \
        --max-examples "${SCHEMATHESIS_EXAMPLES:-12}" --seed 22 --no-color "$@"
}
# GET /events is an event stream that stays open by design: a request/response fuzzer would wait
# on it forever, so it is left out here (its Swift tests and the console check cover it).
for user in admin bob; do
    echo "schemathesis as $user"
    run --header "X-Demo-User: $user" --exclude-name "POST /tasks" --exclude-name "GET /events"
    run --header "X-Demo-User: $user" --include-name "POST /tasks" --exclude-checks positive_data_acceptance
done
