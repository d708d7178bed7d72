#!/usr/bin/env bash
# Packs the charm: copies charm/ and the project's systemd units
# (dist/systemd, one source for every way of installing ticketd) into a
# staging directory, runs `charmcraft pack` there and puts the .charm here.
#
#   ./pack.sh                 # needs charmcraft (snap install charmcraft --classic)
#   ./pack.sh --stage-only DIR  # only stage into DIR (the unit tests do this)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
units="$here/../dist/systemd"

stage() {
    local dir="$1" unit
    for unit in ticketd.service ticketd.socket; do
        [ -f "$units/$unit" ] || { echo "pack.sh: $units/$unit is missing" >&2; exit 1; }
    done
    mkdir -p "$dir/systemd"
    # Only what the charm needs at run time: not its tests nor a packed charm.
    cp -R "$here/charmcraft.yaml" "$here/requirements.txt" "$here/README.md" "$here/src" "$dir/"
    cp "$units/ticketd.service" "$units/ticketd.socket" "$dir/systemd/"
}

if [ "${1:-}" = "--stage-only" ]; then
    [ -n "${2:-}" ] || { echo "usage: pack.sh --stage-only DIR" >&2; exit 2; }
    stage "$2"
    exit 0
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
stage "$staging"
(cd "$staging" && charmcraft pack "$@")
mv "$staging"/*.charm "$here/"
ls "$here"/*.charm
