#!/usr/bin/env bash
# Reproduce the figures of BENCHMARKS.md: a release ticketd and the load
# generator on this machine, on SQLite and on PostgreSQL.
#
#   tools/bench.sh [throughput|speed|groupcommit|scale|walk|import|streams|transfer|all] [sqlite|postgres|both]
#
# PostgreSQL: a fresh database per run on $TICKETD_BENCH_POSTGRES_URL
# (default postgres://postgres@127.0.0.1:5432/postgres), dropped after.
# BENCH_DURATION (default 10s) is the measured time per scenario;
# BENCH_SERVER_ARGS adds arguments to every `ticketd serve`; BENCH_TICKETD
# names another ticketd binary to measure (an older build, for comparison);
# BENCH_SCENARIOS narrows `throughput` to some scenarios (default all).
# BENCH_TRANSFER_TICKETS sizes `transfer`'s database (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-all}"
backends="${2:-both}"
duration="${BENCH_DURATION:-10s}"
pg_admin="${TICKETD_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port="${BENCH_PORT:-8790}"
url="http://127.0.0.1:$port"

cargo build --quiet --release --locked -p ticketd -p loadgen
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release"
# BENCH_TICKETD: another ticketd build to measure (e.g. an older commit's).
ticketd="${BENCH_TICKETD:-$target/ticketd}"
loadgen="$target/loadgen"

work="$(mktemp -d)"
pid=""
pg_db=""
cleanup() {
    stop_server
    drop_pg
    rm -rf "$work"
}
trap cleanup EXIT

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(uname -r), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# A fresh database for `backend`; sets $db (empty for SQLite's default file).
fresh_db() {
    local backend="$1"
    drop_pg
    rm -rf "$work/data" && mkdir -p "$work/data"
    if [ "$backend" = postgres ]; then
        pg_db="ticketd_bench_$$_$RANDOM"
        psql "$pg_admin" -qAtc "CREATE DATABASE $pg_db"
        db="${pg_admin%/*}/$pg_db"
    else
        db="sqlite://$work/data/ticketd.db"
    fi
}

drop_pg() {
    if [ -n "$pg_db" ]; then
        psql "$pg_admin" -qAtc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" || true
        pg_db=""
    fi
}

# Start ticketd on $db with any extra arguments; prints the time from
# start to a 200 from /readyz and the idle RSS. Without tokens unless
# $auth is "tokens".
start_server() {
    local started ready no_auth=--no-auth
    [ "${auth:-}" = tokens ] && no_auth=""
    started=$(date +%s%N)
    # BENCH_SERVER_ARGS: more `ticketd serve` arguments, e.g. "--config FILE".
    # shellcheck disable=SC2086
    "$ticketd" serve $no_auth --listen "127.0.0.1:$port" --data-dir "$work/data" \
        --database "$db" "$@" ${BENCH_SERVER_ARGS:-} 2>"$work/server.log" &
    pid=$!
    until curl -sf "$url/readyz" >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
        sleep 0.002
    done
    ready=$(date +%s%N)
    sleep 1
    echo "start to ready: $(((ready - started) / 1000000)) ms; idle RSS: $(awk '/VmRSS/ {print $2 / 1024 " MiB"}' "/proc/$pid/status")"
}

stop_server() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        pid=""
    fi
}

run_loadgen() {
    "$loadgen" --url "$url" --concurrency 64 --duration "$duration" --server-pid "$pid" "$@"
}

throughput() {
    local backend="$1"
    echo "## throughput on $backend: every scenario, 64 connections, $duration each"
    fresh_db "$backend"
    start_server
    run_loadgen --scenario "${BENCH_SCENARIOS:-all}"
    stop_server
}

# The speed table ("Speed against the old service"): tokens on, an admin
# token, 10,000 three-upload bundles seeded, list offsets up to 10,000.
speed() {
    local backend="$1" token
    echo "## speed on $backend: tokens on, 10,000 bundles seeded, 64 connections, $duration each"
    fresh_db "$backend"
    "$ticketd" migrate --data-dir "$work/data" --database "$db" >/dev/null
    token=$("$ticketd" token create --data-dir "$work/data" --database "$db" \
        --name "bench-$RANDOM" --role admin)
    auth=tokens start_server
    "$loadgen" --url "$url" --token "$token" --scenario ticket --duration 1s --warmup 0s \
        --seed-tickets 10000 --seed-fulltickets 0 >/dev/null
    if [ "$backend" = postgres ]; then
        # The statistics autovacuum keeps at a site that has run for a while.
        psql "$db" -qAtc "VACUUM ANALYZE"
    fi
    run_loadgen --token "$token" --scenario "${BENCH_SCENARIOS:-ticket,fullticket,list,page,status,bundle}" \
        --seed-tickets 0 --seed-fulltickets 0 --max-offset 10000
    stop_server
}

groupcommit() {
    echo "## SQLite writes without group commit (sqlite_group_commit = false)"
    printf 'sqlite_group_commit = false\n' >"$work/no-group-commit.toml"
    fresh_db sqlite
    start_server --config "$work/no-group-commit.toml"
    run_loadgen --scenario bundle,status
    stop_server
}

scale() {
    local backend="$1" tickets
    for tickets in 1000 1000000; do
        echo "## $backend at $tickets tickets (seed-db): reads of existing tickets, then status changes and bundles"
        fresh_db "$backend"
        # Migrate first so that seed-db finds the schema.
        "$ticketd" migrate --data-dir "$work/data" --database "$db" >/dev/null
        local seeded
        seeded=$(date +%s)
        "$loadgen" seed-db --database "$db" --tickets "$tickets" >/dev/null
        echo "seeded in $(($(date +%s) - seeded)) s"
        if [ "$backend" = postgres ]; then
            # Write out the seeding's dirty pages now, not during the run.
            psql "$db" -qAtc CHECKPOINT
        fi
        start_server
        run_loadgen --scenario ticket,list,fullticket,status,bundle --seed-tickets 0 --seed-fulltickets 0
        stop_server
    done
}

# The lander's walk at a site with a backlog: 10,000 tickets submitted
# unqueued (3 uploads and 6 artifacts each: 30,000 New subtickets), then 64
# clients walking about 20,000 New tickets without uploads to Complete (ten
# status changes each).
walk() {
    local backend="$1"
    echo "## $backend: the walk on an empty database, then with a backlog of 10,000 unqueued tickets"
    for backlog in 0 10000; do
        fresh_db "$backend"
        start_server
        run_loadgen --scenario walk --backlog "$backlog" --status-pool 320
        stop_server
    done
}

# 1,000 clients following events/ while the lander's walk runs at 500
# changes/s: the walk alone, then the same walk with the streams open. The
# streams report the delay from each event's commit to its arrival and the
# server's RSS with them open; the walk reports the writers' throughput
# and latency either way.
streams() {
    local backend="$1" count="${BENCH_STREAMS:-1000}" follower
    echo "## $backend: the walk at 500 changes/s, without and with $count event streams"
    fresh_db "$backend"
    # Room for the streams and the walk's 64 connections.
    printf 'max_http_connections = %d\nmax_event_streams = %d\n' $((count + 1024)) $((count + 16)) \
        >"$work/streams.toml"
    start_server --config "$work/streams.toml"
    run_loadgen --scenario walk --status-pool 20 --rate 500
    echo "idle RSS before the streams: $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") KiB"
    # Long enough to cover the second walk's seeding, warm-up and run.
    "$loadgen" streams --url "$url" --count "$count" --duration "${BENCH_STREAMS_FOR:-45s}" \
        --server-pid "$pid" >"$work/streams.json" 2>"$work/streams.log" &
    follower=$!
    until grep -q "streams open" "$work/streams.log" 2>/dev/null; do
        kill -0 "$follower" 2>/dev/null || { cat "$work/streams.log"; exit 1; }
        sleep 0.1
    done
    run_loadgen --scenario walk --status-pool 20 --rate 500
    wait "$follower"
    echo "streams: $(cat "$work/streams.json")"
    stop_server
}

import() {
    local backend="$1"
    echo "## packagelist import of 60,000 entries on $backend"
    python3 - "$work/list.json" <<'PY'
import json, sys
entries = [{"binary": f"bin{i}", "source": f"src{i // 3}", "version": "1.0-1"} for i in range(60000)]
json.dump(entries, open(sys.argv[1], "w"))
PY
    fresh_db "$backend"
    start_server
    for attempt in first again; do
        curl -sS -o /dev/null -w "$attempt import: %{http_code} in %{time_total} s\n" \
            -H 'Content-Type: application/json' --data-binary @"$work/list.json" \
            "$url/api/v1/packagelist/"
    done
    stop_server
}

# `ticketd export` of a seed-db database, `ticketd import` of that export
# into a fresh database of the same backend, and the imported database
# exported again and compared (all but the header line): wall time and
# peak RSS of each command (/usr/bin/time).
transfer() {
    local backend="$1" tickets="${BENCH_TRANSFER_TICKETS:-1000000}"
    echo "## export and import on $backend at $tickets tickets (seed-db)"
    fresh_db "$backend"
    "$ticketd" migrate --data-dir "$work/data" --database "$db" >/dev/null
    "$loadgen" seed-db --database "$db" --tickets "$tickets" >/dev/null
    [ "$backend" = postgres ] && psql "$db" -qAtc "VACUUM ANALYZE"
    local measure="%e s, peak RSS %M KiB"
    /usr/bin/time -f "export: $measure" "$ticketd" export --data-dir "$work/data" \
        --database "$db" --output "$work/first.jsonl" 2>&1 | grep -v '^exported'
    echo "export file: $(du -h "$work/first.jsonl" | cut -f1), $(wc -l <"$work/first.jsonl") lines"
    fresh_db "$backend"
    /usr/bin/time -f "import: $measure" "$ticketd" import --data-dir "$work/data" \
        --database "$db" --input "$work/first.jsonl" 2>&1 | grep -v '^imported'
    "$ticketd" export --data-dir "$work/data" --database "$db" --output "$work/second.jsonl" 2>/dev/null
    if cmp -s <(tail -n +2 "$work/first.jsonl") <(tail -n +2 "$work/second.jsonl"); then
        echo "the imported database exports the same records"
    else
        echo "the imported database exports DIFFERENT records" && exit 1
    fi
    rm -f "$work/first.jsonl" "$work/second.jsonl"
}

each_backend() {
    local step="$1"
    case "$backends" in
    both) "$step" sqlite && "$step" postgres ;;
    *) "$step" "$backends" ;;
    esac
}

case "$what" in
throughput | speed | scale | walk | import | streams | transfer) each_backend "$what" ;;
groupcommit) groupcommit ;;
all)
    each_backend throughput
    each_backend speed
    groupcommit
    each_backend import
    each_backend scale
    each_backend walk
    each_backend streams
    each_backend transfer
    ;;
*)
    echo "usage: tools/bench.sh [throughput|speed|groupcommit|scale|walk|import|streams|transfer|all] [sqlite|postgres|both]" >&2
    exit 2
    ;;
esac
