#!/usr/bin/env bash
# The charm's unit tests (ops[testing]) and linters, in a virtualenv of the
# pinned requirements-test.txt from PyPI: in ${CHARM_VENV} if set (kept, so a
# second run installs nothing), else in a temporary directory.
set -euo pipefail
charm="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${CHARM_VENV:-}" ]; then
    venv="$CHARM_VENV"
else
    venv="$(mktemp -d)/venv"
    trap 'rm -rf "$(dirname "$venv")"' EXIT
fi
# Debian's python3 makes virtualenvs only with python3-venv installed.
if ! python3 -c 'import ensurepip' 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq python3-venv
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$charm/requirements-test.txt"
cd "$charm"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .
"$venv/bin/python" -m pytest -q tests/unit
