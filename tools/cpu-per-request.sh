#!/usr/bin/env bash
# CPU time per request of ticketd and of PostgreSQL, the profile figure of
# BENCHMARKS.md ("Speed against the old service"): throughput on two cores
# says how fast, this says who spends the CPU.
#
#   tools/cpu-per-request.sh sqlite|postgres "ticket page status" [tickets]
#
# Seeds `tickets` (default 10,000) three-upload bundles through the API
# with tokens on (then VACUUM ANALYZE on PostgreSQL), runs each scenario for
# 5 s after 1 s of warm-up at 64 connections, and prints req/s, p99 and the
# CPU microseconds per request of ticketd and of the database's PostgreSQL
# processes (its backends and the WAL writer), from /proc/PID/stat.
# BENCH_TICKETD names another ticketd build; PGPARAMS adds URL parameters
# (e.g. "?sslmode=disable").
set -euo pipefail
cd "$(dirname "$0")/.."
backend="$1" scenarios="$2" seed="${3:-10000}"
pg_admin="${TICKETD_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo build --quiet --release --locked -p ticketd -p loadgen
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release"
ticketd="${BENCH_TICKETD:-$target/ticketd}"
loadgen="$target/loadgen"
work="$(mktemp -d)" port="${BENCH_PORT:-8792}" pid="" pg_db=""
url="http://127.0.0.1:$port"
cleanup() {
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
    [ -n "$pg_db" ] && psql "$pg_admin" -qAtc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)"
    rm -rf "$work"
}
trap cleanup EXIT
if [ "$backend" = postgres ]; then
    pg_db="ticketd_cpu_$$_$RANDOM"
    psql "$pg_admin" -qAtc "CREATE DATABASE $pg_db"
    db="${pg_admin%/*}/$pg_db${PGPARAMS:-}"
else
    db="sqlite://$work/ticketd.db"
fi
"$ticketd" migrate --data-dir "$work" --database "$db" >/dev/null 2>&1
token=$("$ticketd" token create --data-dir "$work" --database "$db" --name cpu --role admin 2>/dev/null)
"$ticketd" serve --listen "127.0.0.1:$port" --data-dir "$work" --database "$db" 2>"$work/server.log" &
pid=$!
until curl -sf "$url/readyz" >/dev/null; do sleep 0.01; done
"$loadgen" --url "$url" --token "$token" --scenario ticket --duration 1s --warmup 0s \
    --seed-tickets "$seed" --seed-fulltickets 0 >/dev/null 2>&1
[ "$backend" = postgres ] && psql "$db" -qAtc "VACUUM ANALYZE"
# CPU ticks (1/100 s) of the given processes.
ticks() {
    local total=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "$total"
}
database_processes() {
    [ -n "$pg_db" ] && pgrep -f "postgres: (.*$pg_db|.*walwriter)" || true
}
for scenario in $scenarios; do
    # shellcheck disable=SC2046
    server_before=$(ticks "$pid") db_before=$(ticks $(database_processes))
    line=$("$loadgen" --url "$url" --token "$token" --scenario "$scenario" --duration 5s --warmup 1s \
        --seed-tickets 0 --seed-fulltickets 0 --max-offset 10000 --server-pid "$pid" 2>/dev/null |
        grep -E "^$scenario ")
    # shellcheck disable=SC2046
    server_after=$(ticks "$pid") db_after=$(ticks $(database_processes))
    rps=$(echo "$line" | awk '{print $3}')
    requests=$((rps * 6))
    echo "$scenario: $rps req/s, p99 $(echo "$line" | awk '{print $6}') ms;" \
        "CPU per request: ticketd $(((server_after - server_before) * 10000 / requests)) µs," \
        "PostgreSQL $(((db_after - db_before) * 10000 / requests)) µs"
done
