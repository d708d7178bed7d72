"""Install, config changes, upgrades and removal."""

from __future__ import annotations

import dataclasses
import hashlib

import ops
import pytest
from ops import testing

from conftest import Completed, Harness

ATTACH = "attach the ticketd resource: juju attach-resource ticketd ticketd-binary=PATH"


def install(harness: Harness, **state: object) -> testing.State:
    return harness.ctx.run(harness.ctx.on.install(), harness.state(**state))


def test_without_the_resource_the_unit_is_blocked_and_nothing_is_done(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What Juju's resource-get answers when nothing was attached (ops.testing
    # cannot express a declared resource that has no file).
    def not_attached(_self: ops.model.Resources, name: str) -> None:
        raise ops.ModelError(f"ERROR could not download resource: {name}")

    monkeypatch.setattr(ops.model.Resources, "fetch", not_attached)
    out = install(harness)
    assert out.unit_status == testing.BlockedStatus(ATTACH)
    assert harness.runner.calls == []
    assert not harness.exists("/usr/local/bin/ticketd")


def test_an_empty_resource_is_not_a_binary(harness: Harness) -> None:
    harness.binary.write_bytes(b"")
    out = install(harness)
    assert out.unit_status == testing.BlockedStatus(ATTACH)
    assert harness.runner.calls == []


def test_install_puts_binary_units_and_settings_in_place_and_starts(harness: Harness) -> None:
    out = install(harness)

    assert out.unit_status == testing.ActiveStatus("serving on SQLite (this unit's own database), port 8000")
    assert harness.runner.host_file("/usr/local/bin/ticketd").read_bytes() == harness.binary.read_bytes()
    assert harness.mode("/usr/local/bin/ticketd") == 0o755
    assert harness.read("/etc/ticketd/config.toml") == (
        "# Written by the ticketd charm: change it with `juju config`, not here.\n"
        'data_dir = "/var/lib/ticketd"\n'
        "anonymous_read = true\n"
        'log_format = "text"\n'
    )
    assert harness.mode("/etc/ticketd/config.toml") == 0o644
    assert harness.read("/etc/systemd/system/ticketd.socket.d/10-charm.conf").endswith(
        "[Socket]\nListenStream=\nListenStream=8000\n"
    )
    assert harness.read("/etc/systemd/system/ticketd.service.d/10-charm.conf").endswith(
        "[Service]\nEnvironmentFile=-/etc/ticketd/ticketd.env\n"
    )
    assert not harness.exists("/etc/ticketd/ticketd.env")
    assert harness.runner.systemctl_calls() == [
        ["daemon-reload"],
        ["enable", "ticketd.socket", "ticketd.service"],
        ["stop", "ticketd.service"],
        ["restart", "ticketd.socket"],
        ["start", "ticketd.service"],
    ]
    assert harness.runner.ticketd_calls() == [["check"]]


def test_the_status_is_maintenance_while_installing(harness: Harness) -> None:
    install(harness)
    assert testing.MaintenanceStatus("installing ticketd") in harness.ctx.unit_status_history


def test_a_new_port_moves_the_socket_and_restarts(harness: Harness) -> None:
    first = install(harness)
    harness.runner.calls.clear()

    out = harness.ctx.run(harness.ctx.on.config_changed(), _with_config(first, port=9000))

    assert harness.read("/etc/systemd/system/ticketd.socket.d/10-charm.conf").endswith(
        "ListenStream=\nListenStream=9000\n"
    )
    calls = harness.runner.systemctl_calls()
    assert calls[0] == ["daemon-reload"]
    assert ["restart", "ticketd.socket"] in calls
    assert out.unit_status == testing.ActiveStatus("serving on SQLite (this unit's own database), port 9000")


def test_options_become_config_toml_keys(harness: Harness) -> None:
    first = install(harness)
    config = {"anonymous_read": False, "log_format": "json", "max_body_bytes": 1000, "max_event_streams": 64}

    harness.ctx.run(harness.ctx.on.config_changed(), _with_config(first, **config))

    text = harness.read("/etc/ticketd/config.toml")
    assert "anonymous_read = false\n" in text
    assert 'log_format = "json"\n' in text
    assert "max_body_bytes = 1000\n" in text
    assert "max_event_streams = 64\n" in text
    assert "migrate_on_start" not in text
    assert "listen" not in text


def test_an_unchanged_config_does_not_restart(harness: Harness) -> None:
    first = install(harness)
    harness.runner.calls.clear()

    out = harness.ctx.run(harness.ctx.on.config_changed(), first)

    assert harness.runner.systemctl_calls() == [
        ["enable", "ticketd.socket", "ticketd.service"],
        ["start", "ticketd.socket", "ticketd.service"],
    ]
    assert out.unit_status.name == "active"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"port": 0}, "invalid config port: must be an integer from 1 to 65535, not 0"),
        ({"port": 70000}, "invalid config port: must be an integer from 1 to 65535, not 70000"),
        ({"log_format": "xml"}, "invalid config log_format: must be text or json, not 'xml'"),
        ({"max_body_bytes": 0}, "invalid config max_body_bytes: must be an integer from 1 to"),
        (
            {"database_name": "1ticketd"},
            "invalid config database_name: must be 1 to 63 letters, digits or underscores",
        ),
        (
            {"max_body_bytes": 2000, "max_inflight_body_bytes": 1000},
            "invalid config max_inflight_body_bytes: must be at least max_body_bytes (2000), not 1000",
        ),
    ],
)
def test_bad_config_blocks_naming_the_option_and_changes_nothing(
    harness: Harness, config: dict[str, object], message: str
) -> None:
    first = install(harness)
    before = harness.read("/etc/ticketd/config.toml")
    harness.runner.calls.clear()

    out = harness.ctx.run(harness.ctx.on.config_changed(), _with_config(first, **config))

    assert out.unit_status.name == "blocked"
    assert out.unit_status.message.startswith(message)
    assert harness.read("/etc/ticketd/config.toml") == before
    assert harness.read("/etc/systemd/system/ticketd.socket.d/10-charm.conf").endswith("ListenStream=8000\n")
    assert harness.runner.calls == []


def test_a_problem_found_by_ticketd_check_blocks_with_its_line(harness: Harness) -> None:
    harness.runner.answers["check"] = lambda _args: Completed(
        1,
        "config: /etc/ticketd/config.toml\n"
        "problem: the database has 2 migrations pending\n"
        "hint: run ticketd migrate\n",
        "",
    )
    out = install(harness)
    assert out.unit_status == testing.BlockedStatus("problem: the database has 2 migrations pending")


def test_a_new_resource_is_installed_and_restarted(harness: Harness) -> None:
    first = install(harness)
    harness.binary.write_bytes(b"\x7fELF ticketd 2.0\n")
    harness.runner.calls.clear()

    out = harness.ctx.run(harness.ctx.on.upgrade_charm(), first)

    installed = harness.runner.host_file("/usr/local/bin/ticketd").read_bytes()
    assert hashlib.sha256(installed).hexdigest() == hashlib.sha256(b"\x7fELF ticketd 2.0\n").hexdigest()
    # A new binary restarts the service, not the socket (no connection is dropped).
    assert harness.runner.systemctl_calls() == [
        ["enable", "ticketd.socket", "ticketd.service"],
        ["restart", "ticketd.service"],
    ]
    assert out.unit_status.name == "active"


def test_remove_stops_and_disables_the_units(harness: Harness) -> None:
    first = install(harness)
    harness.runner.calls.clear()
    harness.ctx.run(harness.ctx.on.remove(), first)
    assert harness.runner.systemctl_calls() == [["disable", "--now", "ticketd.socket", "ticketd.service"]]


def _with_config(state: testing.State, **config: object) -> testing.State:
    return dataclasses.replace(state, config={**state.config, **config})
