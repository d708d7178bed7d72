"""The actions: create-token, revoke-token, backup, export and gc."""

from __future__ import annotations

import pytest
from ops import testing

from conftest import Completed, Harness

SECRET = "tkd_5ecret0f1ine"


@pytest.fixture
def installed(harness: Harness) -> testing.State:
    state = harness.ctx.run(harness.ctx.on.install(), harness.state())
    harness.runner.calls.clear()
    return state


def run(harness: Harness, state: testing.State, action: str, **params: object) -> dict:
    harness.ctx.run(harness.action(action, params), state)
    return harness.ctx.action_results or {}


def fails(harness: Harness, state: testing.State, action: str, **params: object) -> str:
    with pytest.raises(testing.ActionFailed) as failed:
        harness.ctx.run(harness.action(action, params), state)
    return failed.value.message


def test_create_token_returns_the_secret_and_logs_it_nowhere(
    harness: Harness, installed: testing.State
) -> None:
    harness.runner.answers["token"] = lambda _args: Completed(
        0, "created token ci (lander), expires 2027-03-01T00:00:00Z\n" + SECRET + "\n", ""
    )
    results = run(harness, installed, "create-token", name="ci", role="lander", expires="90d")

    assert results["token"] == SECRET
    assert harness.runner.ticketd_calls() == [
        ["token", "create", "--name=ci", "--role=lander", "--expires=90d"]
    ]
    assert all(SECRET not in line.message for line in harness.ctx.juju_log)


def test_create_token_binds_a_developer_to_an_email(harness: Harness, installed: testing.State) -> None:
    harness.runner.answers["token"] = lambda _args: Completed(0, SECRET + "\n", "")
    run(harness, installed, "create-token", name="alice", role="developer", email="alice@example.com")
    assert harness.runner.ticketd_calls() == [
        ["token", "create", "--name=alice", "--role=developer", "--email=alice@example.com"]
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "ci", "role": "root"}, "role: 'root' is not allowed: one of developer, lander, admin"),
        ({"name": "--role=admin", "role": "lander"}, "name: '--role=admin' is not allowed"),
        ({"name": "two words", "role": "lander"}, "name: 'two words' is not allowed"),
    ],
)
def test_create_token_refuses_bad_params_naming_them_and_runs_nothing(
    harness: Harness, installed: testing.State, params: dict[str, str], message: str
) -> None:
    assert fails(harness, installed, "create-token", **params).startswith(message)
    assert harness.runner.ticketd_calls() == []


def test_a_refusal_by_ticketd_fails_the_action_with_its_message(
    harness: Harness, installed: testing.State
) -> None:
    harness.runner.answers["token"] = lambda _args: Completed(1, "", "Error: a token named ci exists\n")
    message = fails(harness, installed, "create-token", name="ci", role="lander")
    assert message == "ticketd token create failed: Error: a token named ci exists"


def test_actions_before_the_binary_is_installed_say_to_attach_it(harness: Harness) -> None:
    message = fails(harness, harness.state(), "revoke-token", name="ci")
    assert message.startswith("ticketd is not installed yet: attach the ticketd resource")
    assert harness.runner.calls == []


def test_revoke_token_passes_the_name_after_the_options(harness: Harness, installed: testing.State) -> None:
    harness.runner.answers["token"] = lambda _args: Completed(0, "revoked token ci\n", "")
    results = run(harness, installed, "revoke-token", name="ci")
    assert harness.runner.ticketd_calls() == [["token", "revoke", "--", "ci"]]
    assert results["revoked"] == "ci"


def test_backup_on_sqlite_keeps_the_given_number(harness: Harness, installed: testing.State) -> None:
    harness.runner.answers["backup"] = lambda _args: Completed(
        0, "backed up to /var/lib/ticketd/backups/ticketd-20261130T190000Z.db\n", ""
    )
    results = run(harness, installed, "backup", path="/var/lib/ticketd/backups", keep=3)
    assert harness.runner.ticketd_calls() == [["backup", "--to=/var/lib/ticketd/backups", "--keep=3"]]
    assert results["output"] == "backed up to /var/lib/ticketd/backups/ticketd-20261130T190000Z.db"


def test_backup_defaults(harness: Harness, installed: testing.State) -> None:
    run(harness, installed, "backup")
    assert harness.runner.ticketd_calls() == [["backup", "--to=/var/lib/ticketd/backups", "--keep=7"]]


def test_backup_on_postgresql_says_what_to_use_instead(harness: Harness, installed: testing.State) -> None:
    harness.runner.host_file("/etc/ticketd/ticketd.env").write_text("TICKETD_DATABASE_URL=postgres://x\n")
    message = fails(harness, installed, "backup")
    assert message.startswith("backup works on SQLite only and this unit is on PostgreSQL: use pg_dump")
    assert "export action" in message
    assert harness.runner.ticketd_calls() == []


@pytest.mark.parametrize(
    ("action", "params", "message"),
    [
        ("backup", {"path": "/root/backups"}, "path: '/root/backups' is not allowed: an absolute path under"),
        ("backup", {"keep": 0}, "keep: 0 is not allowed: an integer of at least 1"),
        ("export", {"path": "dump.json"}, "path: 'dump.json' is not allowed"),
        (
            "export",
            {"path": "/var/lib/ticketd/../x.json"},
            "path: '/var/lib/ticketd/../x.json' is not allowed",
        ),
        ("export", {"blobs": "/srv/blobs"}, "blobs: '/srv/blobs' is not allowed"),
        ("gc", {"grace": "-1h"}, "grace: '-1h' is not a duration such as 1d, 36h or 7d"),
    ],
)
def test_paths_and_params_the_service_user_cannot_use_are_refused(
    harness: Harness, installed: testing.State, action: str, params: dict[str, object], message: str
) -> None:
    assert fails(harness, installed, action, **params).startswith(message)
    assert harness.runner.ticketd_calls() == []


def test_export_returns_the_file_and_its_size(harness: Harness, installed: testing.State) -> None:
    def export(args: list[str]) -> Completed:
        path = args[1].removeprefix("--output=")
        target = harness.runner.host_file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text('{"tickets": []}\n')
        return Completed(0, f"exported 0 tickets to {path}\n", "")

    harness.runner.answers["export"] = export
    results = run(harness, installed, "export", path="/var/lib/ticketd/exports/all.json")

    assert harness.runner.ticketd_calls() == [["export", "--output=/var/lib/ticketd/exports/all.json"]]
    assert results == {"path": "/var/lib/ticketd/exports/all.json", "size": 16}


def test_export_that_wrote_no_file_fails(harness: Harness, installed: testing.State) -> None:
    message = fails(harness, installed, "export")
    assert message == "ticketd export succeeded but /var/lib/ticketd/ticketd-export.json is not a file"


def test_gc_dry_run_says_what_it_would_free(harness: Harness, installed: testing.State) -> None:
    harness.runner.answers["gc"] = lambda _args: Completed(
        0, "would remove ab12 (10 bytes)\nwould free 1 blob(s), 10 B\n", ""
    )
    results = run(harness, installed, "gc", grace="7d", **{"dry-run": True})
    assert harness.runner.ticketd_calls() == [["gc", "--grace=7d", "--dry-run"]]
    assert results["summary"] == "would free 1 blob(s), 10 B"
    assert results["output"].startswith("would remove ab12")


def test_gc_defaults_remove_for_real(harness: Harness, installed: testing.State) -> None:
    run(harness, installed, "gc")
    assert harness.runner.ticketd_calls() == [["gc", "--grace=1d"]]
