#!/usr/bin/env bash
# Loads the task page in headless Chromium against a running hummingbird-host with one
# finished export, checks the page shows its progress bar at 100 %, and saves a screenshot to
# .build/task-page.png. Installs Debian's chromium when missing. Run from Examples/HummingbirdHost
# after `swift build`.
set -euo pipefail
cd "$(dirname "$0")"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "installing Debian's chromium for the browser check"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium > /dev/null
    browser=$(command -v chromium)
fi

. ./start-server.sh
start_server 3000
base="http://127.0.0.1:$port"
http() { curl --silent --show-error --noproxy '*' "$@"; }

id=$(http -X POST -H 'X-Demo-User: alice' -H 'Content-Type: application/json' -d '{}' "$base/api/users/export" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 1 300); do
    status=$(http -H 'X-Demo-User: alice' "$base/api/tasks/$id" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')
    [ "$status" = succeeded ] && break
    sleep 0.1
done
[ "$status" = succeeded ] || { echo "the export did not finish: $status"; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --no-proxy-server --virtual-time-budget=5000 --window-size=1100,640)
dom=$("$browser" "${flags[@]}" --dump-dom "$base/?user=alice" 2>/dev/null)
if ! grep -q "data-task-id=\"$id\" data-progress=\"100\"" <<< "$dom"; then
    echo "the task page does not show export $id at 100 %:"
    echo "$dom" | head -c 3000
    exit 1
fi
grep -q '>succeeded<' <<< "$dom" || { echo "the task page does not show the export as succeeded"; exit 1; }
grep -q 'Download users_export_' <<< "$dom" || { echo "the task page offers no download"; exit 1; }
mkdir -p .build
"$browser" "${flags[@]}" --screenshot="$PWD/.build/task-page.png" "$base/?user=alice" 2>/dev/null
[ -s .build/task-page.png ] || { echo "no screenshot was written"; exit 1; }
echo "task page shows export $id at 100 % with a download; screenshot: $PWD/.build/task-page.png"
