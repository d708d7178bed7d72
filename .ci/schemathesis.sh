#!/usr/bin/env bash
# Fuzz the running API against its own OpenAPI document with schemathesis,
# once on SQLite and once on PostgreSQL: no 5xx, every answer's status and
# body as documented, and every request valid by the document accepted.
# Exits non-zero on any failure.
#
#   .ci/schemathesis.sh                 # both backends
#   SCHEMATHESIS_MAX_TIME=30 .ci/schemathesis.sh
#
# PostgreSQL: a fresh database on $TICKETD_TEST_POSTGRES_URL, dropped after.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
SEED="${SCHEMATHESIS_SEED:-20261125}"
# Per backend: test cases per operation and the time budget of the run.
# One worker: hypothesis parses lambdas with `ast` on its threads, which
# CPython 3.11 can break ("AST constructor recursion depth mismatch").
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
MAX_TIME="${SCHEMATHESIS_MAX_TIME:-75}"
PG_URL="${TICKETD_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

venv="${XDG_CACHE_HOME:-$HOME/.cache}/ticketd-ci/venv"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
    echo "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    python3.11 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# Debug build: the test run has already built it, and the API is fast enough.
cargo build --quiet --locked -p ticketd
ticketd="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/ticketd"

work="$(mktemp -d)"
server_pid=""
pg_db=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ -n "$pg_db" ]; then
        psql_admin "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run one statement on the administrative database of $PG_URL.
psql_admin() {
    "$venv/bin/python" - "$PG_URL" "$1" <<'PY'
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(sys.argv[2])
PY
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Start ticketd with the given extra arguments; sets $server_pid and $base.
start_server() {
    local port
    port="$(free_port)"
    base="http://127.0.0.1:$port"
    "$ticketd" serve --no-auth --listen "127.0.0.1:$port" "$@" >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        if curl -fsS "$base/readyz" >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    echo "ticketd did not become ready; its log:" >&2
    cat "$work/server.log" >&2
    return 1
}

stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# positive_data_acceptance (a request valid by the document is accepted)
# also takes a 400 from the operations whose valid requests can still be
# refused for what no schema can say; the other checks hold there as
# everywhere:
# - POST spu/, subticket/, ticketartifact/, subticketartifact/ name other
#   objects by id or URI; a well-formed reference to an object that does
#   not exist is a 400 `invalid_reference`, and the generator cannot know
#   which ids exist.
# - PUT blob/{digest}: the content must hash to the digest in the path
#   (else 400 `validation_failed`), which a schema cannot tie together.
# - POST packagelist/: each binary may be listed once; `uniqueItems` only
#   refuses identical entries, not two entries naming the same binary.
# These 400s are documented. (Set in a config file: per operation, a check
# named with --checks cannot be turned off, only given its statuses.)
cat >"$work/schemathesis.toml" <<'TOML'
[[operations]]
include-operation-id = ["create_upload", "create_subticket", "create_ticket_artifact", "create_subticket_artifact", "put_blob", "import_package_list"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
TOML

# GET events/ is a stream that does not end: every valid request would
# time out. Its answers, refusals included, are tested in
# ticketd/tests/api/event_stream.rs.
failed=()
run_schemathesis() {
    local backend="$1"
    echo "=== schemathesis on $backend ($base)"
    if "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" \
        run "$base/api/v1/openapi.json" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,positive_data_acceptance \
        --phases examples,coverage,fuzzing,stateful \
        --seed "$SEED" \
        --max-examples "$MAX_EXAMPLES" \
        --max-time "$MAX_TIME" \
        --workers 1 \
        --generation-database none \
        --request-timeout 10 \
        --exclude-operation-id stream_events \
        --no-color; then
        echo "=== $backend: passed"
    else
        echo "=== $backend: FAILED; the server's log:" >&2
        grep -E 'ERROR|WARN|panick' "$work/server.log" | tail -50 >&2 || true
        failed+=("$backend")
    fi
}

# SQLite, in a temporary data directory.
mkdir -p "$work/sqlite"
start_server --data-dir "$work/sqlite"
run_schemathesis sqlite
stop_server

# PostgreSQL, in a fresh database.
if ! "$venv/bin/python" -c 'import psycopg' 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'psycopg[binary]==3.3.9'
fi
pg_db="ticketd_schemathesis_$$_$RANDOM"
psql_admin "CREATE DATABASE \"$pg_db\""
pg_db_url="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$PG_URL" "$pg_db")"
mkdir -p "$work/postgres"
start_server --data-dir "$work/postgres" --database "$pg_db_url"
run_schemathesis postgres
stop_server

if [ ${#failed[@]} -gt 0 ]; then
    echo "schemathesis failed on: ${failed[*]}" >&2
    exit 1
fi
echo "schemathesis passed on sqlite and postgres"
