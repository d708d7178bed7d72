"""Integration test of the ticketd charm on a real Juju controller (jubilant).

Not run in CI: the project's machines have no Juju controller. Run it on a
machine with one (a bootstrapped LXD cloud), a packed charm and a ticketd
binary:

    cd charm && ./pack.sh
    TICKETD_CHARM=$PWD/ticketd_amd64.charm \\
    TICKETD_BINARY=$PWD/../target/release/ticketd \\
        python -m pytest tests/integration -v

It deploys the charm on SQLite, creates a token and uses it, changes the
port, relates PostgreSQL from Charmhub (postgresql, 16/stable), adds a
second unit that shares the database, and removes the relation again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import jubilant
import pytest

APP = "ticketd"
POSTGRESQL = "postgresql"


def _required_path(variable: str) -> Path:
    value = os.environ.get(variable)
    if not value or not Path(value).is_file():
        pytest.skip(f"set {variable} to run the integration test (charm/README.md, Tests)")
    return Path(value)


@pytest.fixture(scope="module")
def juju() -> Iterator[jubilant.Juju]:
    if shutil.which("juju") is None:
        pytest.skip("no juju command: the integration test needs a Juju controller")
    charm, binary = _required_path("TICKETD_CHARM"), _required_path("TICKETD_BINARY")
    with jubilant.temp_model() as juju:
        juju.deploy(charm, APP, resources={"ticketd-binary": str(binary)})
        juju.wait(lambda status: jubilant.all_active(status, APP), timeout=15 * 60)
        yield juju


def message(juju: jubilant.Juju, unit: str = f"{APP}/0") -> str:
    return juju.status().apps[APP].units[unit].workload_status.message


def curl(juju: jubilant.Juju, unit: str, path: str, port: int = 8000, token: str | None = None) -> str:
    header = f"-H 'Authorization: Bearer {token}' " if token else ""
    return juju.exec(f"curl -sf {header}http://127.0.0.1:{port}{path}", unit=unit).stdout


def test_it_serves_on_sqlite(juju: jubilant.Juju) -> None:
    assert message(juju) == "serving on SQLite (this unit's own database), port 8000"
    assert curl(juju, f"{APP}/0", "/healthz")


def test_a_token_made_by_the_action_is_accepted(juju: jubilant.Juju) -> None:
    task = juju.run(f"{APP}/0", "create-token", {"name": "it-admin", "role": "admin"})
    token = task.results["token"]
    assert "it-admin" in curl(juju, f"{APP}/0", "/api/v1/whoami/", token=token)
    juju.run(f"{APP}/0", "revoke-token", {"name": "it-admin"})


def test_gc_dry_run_reports(juju: jubilant.Juju) -> None:
    task = juju.run(f"{APP}/0", "gc", {"dry-run": True, "grace": "1d"})
    assert task.results["summary"]


def test_bad_config_blocks_and_a_new_port_moves_the_socket(juju: jubilant.Juju) -> None:
    juju.config(APP, {"log_format": "xml"})
    juju.wait(lambda status: jubilant.all_blocked(status, APP), timeout=5 * 60)
    assert message(juju).startswith("invalid config log_format: must be text or json")
    juju.config(APP, reset="log_format")
    juju.config(APP, {"port": 8080})
    juju.wait(lambda status: jubilant.all_active(status, APP), timeout=5 * 60)
    assert message(juju).endswith("port 8080")
    assert curl(juju, f"{APP}/0", "/healthz", port=8080)
    juju.config(APP, reset="port")
    juju.wait(lambda status: jubilant.all_active(status, APP), timeout=5 * 60)


def test_postgresql_is_shared_by_every_unit(juju: jubilant.Juju) -> None:
    juju.deploy(POSTGRESQL, channel="16/stable")
    juju.integrate(f"{APP}:database", POSTGRESQL)
    juju.add_unit(APP)
    juju.wait(lambda status: jubilant.all_active(status, APP, POSTGRESQL), timeout=30 * 60)
    for unit in juju.status().apps[APP].units:
        assert message(juju, unit) == "serving on PostgreSQL, port 8000"
    token = juju.run(f"{APP}/0", "create-token", {"name": "it-shared", "role": "lander"}).results["token"]
    assert "it-shared" in curl(juju, f"{APP}/1", "/api/v1/whoami/", token=token)
    exported = juju.run(f"{APP}/0", "export", {})
    assert int(exported.results["size"]) > 0


def test_backup_is_refused_on_postgresql(juju: jubilant.Juju) -> None:
    with pytest.raises(jubilant.TaskError) as error:
        juju.run(f"{APP}/0", "backup", {})
    assert "pg_dump" in error.value.task.message


def test_removing_postgresql_goes_back_to_sqlite_and_says_so(juju: jubilant.Juju) -> None:
    juju.remove_relation(f"{APP}:database", POSTGRESQL)
    juju.wait(lambda status: jubilant.all_active(status, APP), timeout=10 * 60)
    assert "stayed in PostgreSQL: move it with ticketd export" in message(juju)
