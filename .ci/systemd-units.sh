#!/usr/bin/env bash
# Checks the shipped systemd units (dist/systemd/) with `systemd-analyze
# verify`, on copies in a temp dir: verify requires ExecStart's binary to
# exist, and the units name /usr/local/bin/ticketd, where an install puts
# it (a CI machine has none there), so the copies point at the binary just
# built (argument 1, default target/debug/ticketd). Their Documentation=
# names the man pages of man/, which verify looks up with man(1): they are
# put where MANPATH finds them. Every warning fails the check: verify
# exits non-zero on an unknown key or a bad value.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="$(realpath "${1:-${CARGO_TARGET_DIR:-target}/debug/ticketd}")"
[ -x "$binary" ] || { echo "no ticketd binary at $binary: build it first" >&2; exit 1; }
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze is missing: apt-get install systemd" >&2; exit 1; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
for unit in dist/systemd/*.service dist/systemd/*.socket; do
    sed "s#/usr/local/bin/ticketd#$binary#g" "$unit" > "$dir/$(basename "$unit")"
done
mkdir -p "$dir/man/man8"
cp man/*.8 "$dir/man/man8/"

cd "$dir"
output="$(MANPATH="$dir/man" SYSTEMD_LOG_COLOR=0 systemd-analyze verify ./*.socket ./*.service 2>&1)" || {
    echo "$output" >&2
    echo "systemd-analyze verify failed on dist/systemd" >&2
    exit 1
}
if [ -n "$output" ]; then
    echo "$output" >&2
    echo "systemd-analyze verify warned about dist/systemd" >&2
    exit 1
fi
echo "dist/systemd: systemd-analyze verify passed"
# For the record (docs/operations.md, "Restarts"); informational.
if systemd-analyze security --offline=yes ./ticketd.service >"$dir/security" 2>&1; then
    grep 'Overall exposure' "$dir/security" || true
fi
