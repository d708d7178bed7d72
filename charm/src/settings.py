"""The charm's config options, checked, and the files rendered from them.

Each limit option is the `/etc/ticketd/config.toml` key of the same name
(README, "Configuration"); an option left unset keeps ticketd's default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ticketd import DATA_DIR, DATABASE_ENV

# Integer keys of config.toml the charm passes through, each at least 1.
LIMITS = (
    "max_body_bytes",
    "request_timeout_secs",
    "max_connections",
    "max_blob_bytes",
    "max_bundle_uploads",
    "max_bundle_artifacts",
    "max_inflight_body_bytes",
    "body_idle_timeout_secs",
    "header_read_timeout_secs",
    "max_http_connections",
    "shutdown_grace_secs",
    "max_page_bytes",
    "max_event_streams",
)
LOG_FORMATS = ("text", "json")
# A PostgreSQL database name the charm requests: an unquoted identifier.
DATABASE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

ConfigValue = bool | int | float | str


class InvalidConfig(Exception):
    """An option's value is not allowed; the message names it and what is."""

    def __init__(self, option: str, allowed: str) -> None:
        super().__init__(f"invalid config {option}: {allowed}")
        self.option = option


@dataclass(frozen=True)
class Settings:
    """The checked config options."""

    port: int
    anonymous_read: bool
    log_format: str
    database_name: str
    limits: tuple[tuple[str, int], ...]


def _integer(config: Mapping[str, ConfigValue], option: str, low: int, high: int) -> int | None:
    value = config.get(option)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidConfig(option, f"must be an integer from {low} to {high}, not {value!r}")
    return value


def parse(config: Mapping[str, ConfigValue]) -> Settings:
    """Check the options; raises InvalidConfig naming the first bad one."""
    port = _integer(config, "port", 1, 65535)
    if port is None:
        raise InvalidConfig("port", "must be set, an integer from 1 to 65535")
    log_format = config.get("log_format", "text")
    if log_format not in LOG_FORMATS:
        raise InvalidConfig("log_format", f"must be text or json, not {log_format!r}")
    anonymous_read = config.get("anonymous_read", True)
    if not isinstance(anonymous_read, bool):
        raise InvalidConfig("anonymous_read", f"must be true or false, not {anonymous_read!r}")
    database_name = config.get("database_name", "ticketd")
    if not isinstance(database_name, str) or not DATABASE_NAME.match(database_name):
        raise InvalidConfig(
            "database_name",
            "must be 1 to 63 letters, digits or underscores, not starting with a digit, "
            f"not {database_name!r}",
        )
    limits = []
    for key in LIMITS:
        value = _integer(config, key, 1, 2**63 - 1)
        if value is not None:
            limits.append((key, value))
    _check_limit_pairs(dict(limits))
    return Settings(port, anonymous_read, str(log_format), database_name, tuple(limits))


def _check_limit_pairs(limits: Mapping[str, int]) -> None:
    """The rules between limits that ticketd would refuse at start."""
    body, inflight = limits.get("max_body_bytes"), limits.get("max_inflight_body_bytes")
    if body is not None and inflight is not None and inflight < body:
        raise InvalidConfig(
            "max_inflight_body_bytes", f"must be at least max_body_bytes ({body}), not {inflight}"
        )


def render_config(settings: Settings, *, postgresql: bool) -> str:
    """`/etc/ticketd/config.toml`: no secret in it, so it is world-readable.

    The port is not there: the socket unit holds it. On PostgreSQL every unit
    leaves migrations to the leader (`migrate_on_start = false`).
    """
    lines = [
        "# Written by the ticketd charm: change it with `juju config`, not here.",
        f'data_dir = "{DATA_DIR}"',
        f"anonymous_read = {str(settings.anonymous_read).lower()}",
        f'log_format = "{settings.log_format}"',
    ]
    lines += [f"{key} = {value}" for key, value in settings.limits]
    if postgresql:
        lines.append(f"# The database URL is in {DATABASE_ENV} (root only).")
        lines.append("migrate_on_start = false")
    return "\n".join(lines) + "\n"


def render_socket_dropin(port: int) -> str:
    """The socket drop-in that moves ticketd to `port`."""
    return (
        "# Written by the ticketd charm (config option port).\n"
        f"[Socket]\nListenStream=\nListenStream={port}\n"
    )


def render_service_dropin() -> str:
    """The service drop-in that reads the database URL, when there is one."""
    return (
        "# Written by the ticketd charm: the PostgreSQL URL, when related, is in a\n"
        "# root-only file that systemd reads before starting ticketd.\n"
        f"[Service]\nEnvironmentFile=-{DATABASE_ENV}\n"
    )


def render_database_env(url: str) -> str:
    """The root-only environment file holding the database URL.

    The URL's user and password are percent-encoded and its host, port and
    database name checked, so it has no quote, space or backslash.
    """
    return f"TICKETD_DATABASE_URL={url}\n"
