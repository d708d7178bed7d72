#!/usr/bin/env python3
"""The ticketd machine charm: installs ticketd, configures it, runs its admin commands.

Every event leads to one `_reconcile`, which brings the machine to what the
config and relations ask for and sets the unit's status. charm/README.md
describes what it does and why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import ops

import observability
import postgresql
import settings
from settings import Settings
from ticketd import (
    CONFIG,
    DATA_DIR,
    DATABASE_ENV,
    POSTGRESQL_CA,
    SERVICE,
    SERVICE_DROPIN,
    SOCKET,
    SOCKET_DROPIN,
    CommandFailed,
    Host,
    sha256_file,
)

logger = logging.getLogger(__name__)

RESOURCE = "ticketd-binary"
PEERS = "ticketd-peers"
ATTACH = f"attach the ticketd resource: juju attach-resource ticketd {RESOURCE}=PATH"
# Peer application data: the binary (SHA-256 of the resource) and the
# database (postgresql.Credentials.identity) the leader last migrated.
MIGRATED_BINARY = "migrated-binary"
MIGRATED_DATABASE = "migrated-database"
ROLES = ("developer", "lander", "admin")
# A token name as an argument: no leading dash, no blank or control character.
TOKEN_NAME = re.compile(r"^[^\s\x00-\x1f\x7f-][^\s\x00-\x1f\x7f]{0,127}$")


class Blocked(Exception):
    """The unit cannot go on until the operator acts; the message says how."""


class Waiting(Exception):
    """The unit waits for another one (the leader, the database)."""


@dataclass(frozen=True)
class Backend:
    """The database the unit should use: PostgreSQL's credentials or SQLite (None)."""

    credentials: postgresql.Credentials | None

    @property
    def name(self) -> str:
        return "PostgreSQL" if self.credentials else "SQLite"


class TicketdCharm(ops.CharmBase):
    """Deploys ticketd from the `ticketd-binary` resource."""

    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework) -> None:
        super().__init__(framework)
        self._stored.set_default(socket_pending=False, restart_pending=False, left_postgresql=False)
        self.host = self.make_host()
        on = self.on
        for event in (
            on.install,
            on.config_changed,
            on.upgrade_charm,
            on.start,
            on.update_status,
            on.leader_elected,
            on.secret_changed,
            on[PEERS].relation_changed,
            on[postgresql.RELATION].relation_created,
            on[postgresql.RELATION].relation_changed,
            on[observability.METRICS].relation_joined,
            on[observability.INGRESS].relation_joined,
            on[observability.INGRESS].relation_changed,
        ):
            framework.observe(event, self._on_change)
        framework.observe(on[postgresql.RELATION].relation_broken, self._on_database_broken)
        framework.observe(on.remove, self._on_remove)
        actions: dict[str, Callable[[ops.ActionEvent], None]] = {
            "create-token": self._on_create_token,
            "revoke-token": self._on_revoke_token,
            "backup": self._on_backup,
            "export": self._on_export,
            "gc": self._on_gc,
        }
        for name, handler in actions.items():
            framework.observe(on[name].action, handler)

    # Seams: the unit tests replace the host; units_source is where pack.sh put the units.

    def make_host(self) -> Host:
        """The machine this charm acts on."""
        return Host()

    def units_source(self) -> Path:
        """Where the packed charm holds the project's dist/systemd units (charm/pack.sh)."""
        return self.charm_dir / "systemd"

    # Events

    def _on_change(self, _event: ops.EventBase) -> None:
        self._reconcile(broken_relation=None)

    def _on_database_broken(self, event: ops.RelationBrokenEvent) -> None:
        self._reconcile(broken_relation=event.relation.id)

    def _on_remove(self, _event: ops.RemoveEvent) -> None:
        try:
            self.host.systemctl("disable", "--now", SOCKET, SERVICE)
        except CommandFailed as err:
            logger.warning("%s", err)

    def _reconcile(self, broken_relation: int | None) -> None:
        try:
            self.unit.status = self._converge(broken_relation)
        except Blocked as err:
            self.unit.status = ops.BlockedStatus(str(err))
        except Waiting as err:
            self.unit.status = ops.WaitingStatus(str(err))
        except CommandFailed as err:
            logger.error("%s", err)
            self.unit.status = ops.BlockedStatus(str(err))

    def _converge(self, broken_relation: int | None) -> ops.StatusBase:
        """Bring the machine to the config and relations; the status to show."""
        try:
            config = settings.parse(self.config)
        except settings.InvalidConfig as err:
            raise Blocked(str(err)) from err
        resource = self._resource()
        self._publish_relations(config)
        backend = self._backend(config, broken_relation)
        self._install(resource, config, backend)
        if backend.credentials is not None:
            self._migrate_or_wait(backend.credentials)
        self._start()
        self._check()
        return ops.ActiveStatus(self._active_message(config, backend))

    # Steps of _converge

    def _resource(self) -> Path:
        try:
            path = self.model.resources.fetch(RESOURCE)
        except (ops.ModelError, NameError) as err:
            raise Blocked(ATTACH) from err
        if not path.exists() or path.stat().st_size == 0:
            raise Blocked(ATTACH)
        return path

    def _publish_relations(self, config: Settings) -> None:
        address = self._address()
        observability.publish_metrics(self, config.port, address)
        observability.publish_ingress(self, config.port, address)

    def _address(self) -> str | None:
        binding = self.model.get_binding(observability.METRICS)
        if binding is None or binding.network.bind_address is None:
            return None
        return str(binding.network.bind_address)

    def _database_relation(self, broken_relation: int | None) -> ops.Relation | None:
        for relation in self.model.relations[postgresql.RELATION]:
            if relation.id != broken_relation:
                return relation
        return None

    def _backend(self, config: Settings, broken_relation: int | None) -> Backend:
        relation = self._database_relation(broken_relation)
        if relation is None:
            if broken_relation is not None:
                self._stored.left_postgresql = True
            return Backend(None)
        if self.unit.is_leader():
            postgresql.request(relation, self.app, config.database_name)
        try:
            credentials = postgresql.read(self.model, relation, config.database_name)
        except postgresql.ProviderDataError as err:
            raise Blocked(f"database relation: {err}") from err
        if credentials is None:
            raise Waiting("waiting for PostgreSQL to grant a database (database relation)")
        self._stored.left_postgresql = False
        return Backend(credentials)

    def _install(self, resource: Path, config: Settings, backend: Backend) -> None:
        """Write the binary, units and settings; remember what to restart for them."""
        host = self.host
        if host.binary_sha256() != sha256_file(resource):
            self.unit.status = ops.MaintenanceStatus("installing ticketd")
        service = host.install_binary(resource)
        source = self.units_source()
        socket_units = host.install_unit(SOCKET, source)
        socket_units |= host.write(SOCKET_DROPIN, settings.render_socket_dropin(config.port))
        service_units = host.install_unit(SERVICE, source)
        service_units |= host.write(SERVICE_DROPIN, settings.render_service_dropin())
        if socket_units or service_units:
            host.systemctl("daemon-reload")
        service |= service_units | self._write_database(backend)
        service |= host.write(CONFIG, settings.render_config(config, postgresql=bool(backend.credentials)))
        # Kept across events: a non-leader may restart only events later.
        self._stored.socket_pending = self._stored.socket_pending or socket_units
        self._stored.restart_pending = self._stored.restart_pending or service or socket_units

    def _write_database(self, backend: Backend) -> bool:
        host, credentials = self.host, backend.credentials
        if credentials is None:
            return host.remove(DATABASE_ENV) | host.remove(POSTGRESQL_CA)
        ca_path: PurePosixPath | None = None
        changed = False
        if credentials.tls and credentials.tls_ca:
            changed |= host.write(POSTGRESQL_CA, credentials.tls_ca.rstrip("\n") + "\n")
            ca_path = POSTGRESQL_CA
        else:
            changed |= host.remove(POSTGRESQL_CA)
        url = credentials.url(ca_path)
        changed |= host.write(DATABASE_ENV, settings.render_database_env(url), mode=0o600)
        return changed

    def _migrate_or_wait(self, credentials: postgresql.Credentials) -> None:
        """On PostgreSQL the leader migrates; the others wait until it has, for their binary."""
        binary = self.host.binary_sha256() or ""
        database = credentials.identity()
        peers = self.model.get_relation(PEERS)
        published = peers.data[self.app] if peers is not None else {}
        done = published.get(MIGRATED_BINARY) == binary and published.get(MIGRATED_DATABASE) == database
        if self.unit.is_leader():
            if not done:
                self.unit.status = ops.MaintenanceStatus("migrating the PostgreSQL database")
                self._run_migrate()
                if peers is not None:
                    peers.data[self.app].update({MIGRATED_BINARY: binary, MIGRATED_DATABASE: database})
            return
        if not done:
            raise Waiting("waiting for the leader to migrate the PostgreSQL database for this ticketd binary")

    def _run_migrate(self) -> None:
        try:
            done = self.host.ticketd_ok("ticketd migrate", "migrate")
        except CommandFailed as err:
            raise Blocked(str(err)) from err
        logger.info("ticketd migrate: %s", done.stdout.strip())

    def _start(self) -> None:
        """Start, or restart what changed: the socket only for a new port or unit.

        Restarting the service alone drops no connection: the socket stays
        open in systemd and the kernel queues what arrives meanwhile.
        """
        host = self.host
        host.systemctl("enable", SOCKET, SERVICE)
        if self._stored.socket_pending:
            host.systemctl("stop", SERVICE)
            host.systemctl("restart", SOCKET)
            host.systemctl("start", SERVICE)
        elif self._stored.restart_pending:
            host.systemctl("restart", SERVICE)
        else:
            host.systemctl("start", SOCKET, SERVICE)
        self._stored.socket_pending = False
        self._stored.restart_pending = False

    def _check(self) -> None:
        done = self.host.ticketd("check")
        if done.returncode == 0:
            return
        problems = [line.strip() for line in done.stdout.splitlines() if line.startswith("problem:")]
        raise Blocked(problems[0] if problems else f"ticketd check failed (exit code {done.returncode})")

    def _active_message(self, config: Settings, backend: Backend) -> str:
        own = "" if backend.credentials else " (this unit's own database)"
        message = f"serving on {backend.name}{own}, port {config.port}"
        if backend.credentials is None and self._stored.left_postgresql:
            message += (
                "; the data written while related stayed in PostgreSQL: "
                "move it with ticketd export, then ticketd import"
            )
        if self.model.relations[observability.METRICS] and not config.anonymous_read:
            message += "; Prometheus cannot scrape /metrics: it needs a token while anonymous_read is false"
        url = observability.ingress_url(self)
        if url:
            message += f"; ingress {url}"
        return message

    # Actions

    def _ticketd_action(self, event: ops.ActionEvent, what: str, *args: str) -> str | None:
        """Run an admin subcommand for an action; its stdout, or None after event.fail."""
        if self.host.binary_sha256() is None:
            event.fail(f"ticketd is not installed yet: {ATTACH}")
            return None
        done = self.host.ticketd(*args)
        if done.returncode != 0:
            event.fail(str(CommandFailed(what, done)))
            return None
        return done.stdout

    def _on_create_token(self, event: ops.ActionEvent) -> None:
        params = event.params
        name, role = str(params.get("name", "")), str(params.get("role", ""))
        if not TOKEN_NAME.match(name):
            event.fail(f"name: {name!r} is not allowed: 1 to 128 characters, no blanks, not starting with -")
            return
        if role not in ROLES:
            event.fail(f"role: {role!r} is not allowed: one of {', '.join(ROLES)}")
            return
        args = ["token", "create", f"--name={name}", f"--role={role}"]
        for key in ("email", "expires"):
            if params.get(key):
                args.append(f"--{key}={params[key]}")
        out = self._ticketd_action(event, "ticketd token create", *args)
        if out is None:
            return
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        if not lines:
            event.fail("ticketd token create printed no token")
            return
        event.set_results({"name": name, "role": role, "token": lines[-1]})

    def _on_revoke_token(self, event: ops.ActionEvent) -> None:
        name = str(event.params.get("name", ""))
        if not TOKEN_NAME.match(name):
            event.fail(f"name: {name!r} is not allowed: 1 to 128 characters, no blanks, not starting with -")
            return
        out = self._ticketd_action(event, "ticketd token revoke", "token", "revoke", "--", name)
        if out is not None:
            event.set_results({"revoked": name, "output": out.strip()})

    def _on_backup(self, event: ops.ActionEvent) -> None:
        path, keep = event.params.get("path", ""), event.params.get("keep", 7)
        if self.host.exists(DATABASE_ENV):
            event.fail(
                "backup works on SQLite only and this unit is on PostgreSQL: "
                "use pg_dump (docs/operations.md, Back up and restore) or the export action"
            )
            return
        problem = _data_dir_path("path", path) or _positive("keep", keep)
        if problem:
            event.fail(problem)
            return
        out = self._ticketd_action(event, "ticketd backup", "backup", f"--to={path}", f"--keep={keep}")
        if out is not None:
            event.set_results({"output": out.strip()})

    def _on_export(self, event: ops.ActionEvent) -> None:
        path, blobs = event.params.get("path", ""), event.params.get("blobs", "")
        problem = _data_dir_path("path", path) or (blobs and _data_dir_path("blobs", blobs))
        if problem:
            event.fail(problem)
            return
        args = ["export", f"--output={path}"] + ([f"--blobs={blobs}"] if blobs else [])
        if self._ticketd_action(event, "ticketd export", *args) is None:
            return
        exported = self.host.paths.local(PurePosixPath(path))
        if not exported.is_file():
            event.fail(f"ticketd export succeeded but {path} is not a file")
            return
        event.set_results({"path": path, "size": exported.stat().st_size})

    def _on_gc(self, event: ops.ActionEvent) -> None:
        grace, dry_run = str(event.params.get("grace", "1d")), event.params.get("dry-run", False)
        if not grace.strip() or grace.startswith("-"):
            event.fail(f"grace: {grace!r} is not a duration such as 1d, 36h or 7d (at least 1h)")
            return
        args = ["gc", f"--grace={grace}"] + (["--dry-run"] if dry_run else [])
        out = self._ticketd_action(event, "ticketd gc", *args)
        if out is None:
            return
        lines = [line for line in out.splitlines() if line.strip()]
        event.set_results({"output": out.strip(), "summary": lines[-1] if lines else ""})


def _data_dir_path(param: str, value: object) -> str | None:
    """Why `value` is not a path the service's user may write, None if it is.

    Admin subcommands run as the service's dynamic user, which may write
    only its state directory (systemd's DynamicUser implies ProtectSystem=strict).
    """
    text = str(value)
    path = PurePosixPath(text)
    if not path.is_absolute() or ".." in path.parts or not path.is_relative_to(DATA_DIR) or path == DATA_DIR:
        return (
            f"{param}: {text!r} is not allowed: an absolute path under {DATA_DIR}/ "
            "(the service's user writes only there)"
        )
    return None


def _positive(param: str, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"{param}: {value!r} is not allowed: an integer of at least 1"
    return None


if __name__ == "__main__":  # pragma: no cover
    ops.main(TicketdCharm)
