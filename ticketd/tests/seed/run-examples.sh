#!/usr/bin/env bash
# Run the seed's curl examples (examples.txt) against a ticketd started with
# --no-auth at BASE_URL, each as written except for the origin and the X
# placeholders, and check each answer's status against the one examples.txt
# gives it.
#   usage: run-examples.sh BASE_URL
set -uo pipefail
base="${1:?usage: run-examples.sh BASE_URL}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
# Ids the examples' X placeholders stand for: the first of each, made by the
# examples themselves on a fresh database.
declare -A ids=([sourcepackage]=1 [spu]=1 [ticket]=1 [subticket]=1)

while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    expected="${line%%|*}"
    expected="${expected#SETUP}"
    command="${line#*|}"
    command="${command//http:\/\/localhost:8000/$base}"
    for resource in "${!ids[@]}"; do
        command="${command//\/api\/v1\/$resource\/X\//\/api\/v1\/$resource\/${ids[$resource]}\/}"
    done
    # The headers --dump-header prints, then the status on the last line.
    output="$(eval "$command -s -o '$work/body' -w '\n%{http_code}\n'")"
    status="$(printf '%s\n' "$output" | tail -n 1)"
    verdict=ok
    if [ "$status" != "$expected" ]; then
        verdict="FAILED (got $status)"
    elif [ "$expected" = 400 ]; then
        # The malformed example: the error must name the JSON problem and where.
        if ! jq -e '.error.code == "malformed_json" and (.error.message | test("line [0-9]+, column [0-9]+"))' "$work/body" >/dev/null; then
            verdict="FAILED (error body: $(cat "$work/body"))"
        fi
    elif ! jq -e . "$work/body" >/dev/null 2>&1; then
        verdict="FAILED (not JSON: $(head -c 200 "$work/body"))"
    fi
    if [ "$verdict" = ok ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    printf '%-4s %-28s %s\n' "$expected" "$verdict" "${line#*|}" | cut -c1-160
done < "$here/examples.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
