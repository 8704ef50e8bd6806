# Sourced by console-check.sh and HummingbirdHost/schemathesis-check.sh: start_server BINARY USERS
# [FLAGS…] starts an example host (hummingbird-host, vapor-host) on a free loopback port with a fresh data directory, sets `port`, and stops
# the server (and removes the directory) when the calling script exits.
start_server() {
    scratch=$(mktemp -d)
    server_log="$scratch/server.log"
    local binary=$1 users=$2
    shift 2
    "$binary" --port 0 --data-dir "$scratch/data" --users "$users" "$@" > "$server_log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true; rm -rf "$scratch"' EXIT
    port=""
    for _ in $(seq 1 300); do
        port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$server_log" | grep -o '[0-9]*$' || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "the server did not start"; cat "$server_log"; exit 1; }
}
