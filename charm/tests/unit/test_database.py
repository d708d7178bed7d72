"""The database relation (postgresql_client): SQLite without it, PostgreSQL with it,
only the leader migrating, and back to SQLite when it goes away."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from ops import testing

from conftest import Completed, Harness

PASSWORD = "p@ss:w/rd%&?"
ENCODED = "p%40ss%3Aw%2Frd%25%26%3F"
GRANT = {"endpoints": "10.1.2.3:5432,10.1.2.4:5432", "database": "ticketd", "version": "16.4"}
URL = f"TICKETD_DATABASE_URL=postgres://ticketd_1:{ENCODED}@10.1.2.3:5432/ticketd\n"
ENV = "/etc/ticketd/ticketd.env"
CONFIG = "/etc/ticketd/config.toml"


def database(**remote: str) -> testing.Relation:
    return testing.Relation(
        "database", "postgresql_client", remote_app_name="postgresql", remote_app_data=remote
    )


def plain_grant() -> testing.Relation:
    return database(**GRANT, username="ticketd_1", password=PASSWORD)


def binary_sha(harness: Harness) -> str:
    return hashlib.sha256(harness.binary.read_bytes()).hexdigest()


def peers_of(state: testing.State) -> testing.PeerRelation:
    return next(r for r in state.relations if r.endpoint == "ticketd-peers")


def no_secret_shown(harness: Harness, state: testing.State) -> None:
    logged = "\n".join(line.message for line in harness.ctx.juju_log)
    assert PASSWORD not in logged and ENCODED not in logged
    assert PASSWORD not in state.unit_status.message and ENCODED not in state.unit_status.message


def test_the_leader_asks_for_the_database_and_waits_for_the_grant(harness: Harness) -> None:
    relation = database()
    out = harness.ctx.run(
        harness.ctx.on.relation_created(relation), harness.state(leader=True, relations={relation})
    )

    sent = out.get_relation(relation.id).local_app_data
    assert sent["database"] == "ticketd"
    assert {"username", "password", "tls", "tls-ca"} <= set(json.loads(sent["requested-secrets"]))
    assert "extra-user-roles" not in sent
    assert out.unit_status == testing.WaitingStatus(
        "waiting for PostgreSQL to grant a database (database relation)"
    )
    assert not harness.exists(ENV)


def test_the_requested_name_is_the_database_name_option(harness: Harness) -> None:
    relation = database()
    state = harness.state(leader=True, relations={relation}, config={"database_name": "tickets_ci"})
    out = harness.ctx.run(harness.ctx.on.relation_created(relation), state)
    assert out.get_relation(relation.id).local_app_data["database"] == "tickets_ci"


def test_a_non_leader_writes_nothing_to_the_application_databag(harness: Harness) -> None:
    relation = database()
    out = harness.ctx.run(
        harness.ctx.on.relation_created(relation), harness.state(leader=False, relations={relation})
    )
    assert out.get_relation(relation.id).local_app_data == {}


def test_the_leader_switches_to_postgresql_migrating_first(harness: Harness) -> None:
    relation = plain_grant()
    out = harness.ctx.run(
        harness.ctx.on.relation_changed(relation), harness.state(leader=True, relations={relation})
    )

    assert out.unit_status == testing.ActiveStatus("serving on PostgreSQL, port 8000")
    assert harness.read(ENV) == URL
    assert harness.mode(ENV) == 0o600
    config = harness.read(CONFIG)
    assert "migrate_on_start = false\n" in config
    assert "postgres" not in config.replace("PostgreSQL", "")
    assert harness.mode(CONFIG) == 0o644
    # migrate ran before the service was restarted on the new database
    calls = harness.runner.calls
    migrate = next(i for i, argv in enumerate(calls) if argv[-1] == "migrate")
    start = calls.index(["systemctl", "start", "ticketd.service"])
    assert migrate < start
    published = peers_of(out).local_app_data
    assert published["migrated-binary"] == binary_sha(harness)
    assert len(published["migrated-database"]) == 16
    no_secret_shown(harness, out)


def test_credentials_in_a_juju_secret_are_read_from_secret_user(harness: Harness) -> None:
    secret = testing.Secret(tracked_content={"username": "ticketd_1", "password": PASSWORD})
    relation = database(**GRANT, **{"secret-user": secret.id})
    state = harness.state(leader=True, relations={relation}, secrets={secret})

    out = harness.ctx.run(harness.ctx.on.relation_changed(relation), state)

    assert harness.read(ENV) == URL
    assert out.unit_status.name == "active"
    no_secret_shown(harness, out)


def test_a_rotated_password_is_picked_up_and_the_service_restarted(harness: Harness) -> None:
    secret = testing.Secret(tracked_content={"username": "ticketd_1", "password": "old"})
    relation = database(**GRANT, **{"secret-user": secret.id})
    state = harness.state(leader=True, relations={relation}, secrets={secret})
    first = harness.ctx.run(harness.ctx.on.relation_changed(relation), state)
    assert harness.read(ENV) == URL.replace(ENCODED, "old")
    harness.runner.calls.clear()

    rotated = dataclasses.replace(secret, latest_content={"username": "ticketd_1", "password": PASSWORD})
    harness.ctx.run(harness.ctx.on.secret_changed(rotated), dataclasses.replace(first, secrets={rotated}))

    assert harness.read(ENV) == URL
    assert ["restart", "ticketd.service"] in harness.runner.systemctl_calls()


def test_tls_with_a_ca_checks_the_server_against_it(harness: Harness) -> None:
    ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
    secret = testing.Secret(tracked_content={"tls": "True", "tls-ca": ca})
    relation = database(**GRANT, username="ticketd_1", password=PASSWORD, **{"secret-tls": secret.id})
    state = harness.state(leader=True, relations={relation}, secrets={secret})

    harness.ctx.run(harness.ctx.on.relation_changed(relation), state)

    assert harness.read(ENV) == URL.replace(
        "/ticketd\n", "/ticketd?sslmode=verify-ca&sslrootcert=/etc/ticketd/postgresql-ca.pem\n"
    )
    assert harness.read("/etc/ticketd/postgresql-ca.pem") == ca + "\n"


def test_the_leader_does_not_migrate_again_for_the_same_binary_and_database(harness: Harness) -> None:
    relation = plain_grant()
    first = harness.ctx.run(
        harness.ctx.on.relation_changed(relation), harness.state(leader=True, relations={relation})
    )
    harness.runner.calls.clear()

    out = harness.ctx.run(harness.ctx.on.update_status(), first)

    assert ["migrate"] not in harness.runner.ticketd_calls()
    assert out.unit_status.name == "active"


def test_a_failed_migration_blocks_and_publishes_nothing(harness: Harness) -> None:
    harness.runner.answers["migrate"] = lambda _args: Completed(
        1, "", "Error: connection refused by 10.1.2.3:5432\n"
    )
    relation = plain_grant()
    out = harness.ctx.run(
        harness.ctx.on.relation_changed(relation), harness.state(leader=True, relations={relation})
    )

    assert out.unit_status == testing.BlockedStatus(
        "ticketd migrate failed: Error: connection refused by 10.1.2.3:5432"
    )
    assert "migrated-binary" not in peers_of(out).local_app_data
    assert ["systemctl", "start", "ticketd.service"] not in harness.runner.calls


def test_a_non_leader_waits_for_the_leaders_migration_then_starts(harness: Harness) -> None:
    relation = plain_grant()
    out = harness.ctx.run(
        harness.ctx.on.relation_changed(relation), harness.state(leader=False, relations={relation})
    )

    assert out.unit_status == testing.WaitingStatus(
        "waiting for the leader to migrate the PostgreSQL database for this ticketd binary"
    )
    assert harness.runner.ticketd_calls() == []
    assert [c for c in harness.runner.systemctl_calls() if c[0] in ("start", "restart")] == []
    assert harness.read(ENV) == URL  # written, but not used until the leader has migrated

    # The leader migrated for another binary: still waiting.
    leader_data = {"migrated-binary": "0" * 64, "migrated-database": _identity()}
    peers = dataclasses.replace(peers_of(out), local_app_data=leader_data, peers_data={1: {}})
    out = harness.ctx.run(harness.ctx.on.relation_changed(peers, remote_unit=1), _with_relation(out, peers))
    assert out.unit_status.name == "waiting"

    # Now for this binary: the unit restarts on PostgreSQL, never migrating itself.
    harness.runner.calls.clear()
    peers = dataclasses.replace(peers, local_app_data={**leader_data, "migrated-binary": binary_sha(harness)})
    out = harness.ctx.run(harness.ctx.on.relation_changed(peers, remote_unit=1), _with_relation(out, peers))
    assert out.unit_status == testing.ActiveStatus("serving on PostgreSQL, port 8000")
    # its first start: the units are new, so the socket starts too
    assert ["systemctl", "start", "ticketd.service"] in harness.runner.calls
    assert harness.runner.ticketd_calls() == [["check"]]


def test_the_relation_going_away_brings_sqlite_back_and_says_where_the_data_is(harness: Harness) -> None:
    relation = plain_grant()
    with_pg = harness.ctx.run(
        harness.ctx.on.relation_changed(relation), harness.state(leader=True, relations={relation})
    )
    harness.runner.calls.clear()

    out = harness.ctx.run(harness.ctx.on.relation_broken(with_pg.get_relation(relation.id)), with_pg)

    assert not harness.exists(ENV)
    assert "migrate_on_start" not in harness.read(CONFIG)
    assert ["systemctl", "restart", "ticketd.service"] in harness.runner.calls
    assert out.unit_status == testing.ActiveStatus(
        "serving on SQLite (this unit's own database), port 8000; the data written while related "
        "stayed in PostgreSQL: move it with ticketd export, then ticketd import"
    )


def test_a_grant_of_another_database_blocks(harness: Harness) -> None:
    relation = database(**{**GRANT, "database": "other"}, username="u", password="p")
    out = harness.ctx.run(
        harness.ctx.on.relation_changed(relation), harness.state(leader=True, relations={relation})
    )
    assert out.unit_status.name == "blocked"
    assert out.unit_status.message.startswith(
        "database relation: the provider granted database 'other', not 'ticketd' (database_name)"
    )
    assert not harness.exists(ENV)


def test_endpoints_that_are_not_host_port_block(harness: Harness) -> None:
    relation = database(**{**GRANT, "endpoints": "10.1.2.3"}, username="u", password="p")
    out = harness.ctx.run(
        harness.ctx.on.relation_changed(relation), harness.state(leader=True, relations={relation})
    )
    assert out.unit_status == testing.BlockedStatus(
        "database relation: endpoints: '10.1.2.3' is not HOST:PORT"
    )


def _identity() -> str:
    return hashlib.sha256(b"10.1.2.3:5432/ticketd").hexdigest()[:16]


def _with_relation(state: testing.State, relation: testing.RelationBase) -> testing.State:
    others = {r for r in state.relations if r.id != relation.id}
    return dataclasses.replace(state, relations={*others, relation})
