#!/usr/bin/env bash
# usage: console-check.sh BINARY SCREENSHOT_DIR
# Drives the task console in headless Chromium (Debian's package) with Playwright (from PyPI)
# against a fresh example host (BINARY: a built hummingbird-host or vapor-host), asserting what a
# user sees (console-check.py), and saves screenshots at 1280×900 and 390×844 to SCREENSHOT_DIR.
# Installs Chromium and Playwright when missing.
set -euo pipefail
binary=$(realpath "$1")
shots=$(realpath -m "$2")
cd "$(dirname "$0")"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "installing Debian's chromium for the console check"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium > /dev/null
    browser=$(command -v chromium)
fi
if ! python3 -c 'import playwright' 2> /dev/null; then
    echo "installing Playwright (its driver only: the browser is Debian's chromium)"
    python3 -m pip install --quiet --disable-pip-version-check 'playwright==1.49.1'
fi

. ./start-server.sh
# Slow exports (0.2 s per page of 100 users, 3,000 users) keep a queue to cancel from and
# progress to watch.
start_server "$binary" 3000 --export-page-delay-ms 200
mkdir -p "$shots"
python3 console-check.py "http://127.0.0.1:$port" "$shots" "$browser" || {
    echo "---- the server's last 60 log lines ----"
    tail -n 60 "$server_log"
    exit 1
}
echo "screenshots: $shots/console-1280x900.png and $shots/console-390x844.png"
