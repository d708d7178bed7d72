"""The requirer side of the `postgresql_client` interface.

This follows the databag protocol of data_platform_libs' `data_interfaces`
library (`DatabaseRequires`), which is published on Charmhub only:

- the requirer's leader writes, in its application databag, `database` (the
  name it wants), optionally `extra-user-roles`, and `requested-secrets` (a
  JSON list of the fields it can take as Juju secrets);
- the provider answers in its application databag with `endpoints`
  ("host:port,host:port", the first one the primary), `database`, and
  either `username`/`password` in plain fields or `secret-user` (the id of a
  Juju secret holding `username` and `password`); likewise `tls`/`tls-ca`
  in plain fields or in the secret `secret-tls`; optionally
  `read-only-endpoints` and `version`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

import ops

RELATION = "database"
REQUESTED_SECRETS = ("username", "password", "tls", "tls-ca", "uris", "read-only-uris")
# A host name, an IPv4 address or a bracketed IPv6 address, then a port.
ENDPOINT = re.compile(r"^(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]):(?P<port>[0-9]{1,5})$")


class ProviderDataError(Exception):
    """The provider's answer cannot be used; the message says which field."""


@dataclass(frozen=True)
class Credentials:
    """What the provider granted: where the database is and how to log in."""

    endpoints: tuple[str, ...]
    database: str
    username: str
    password: str
    tls: bool
    tls_ca: str | None

    def url(self, ca_path: PurePosixPath | None) -> str:
        """`postgres://USER:PASS@HOST:PORT/DB`, user and password percent-encoded.

        With TLS the server's certificate is checked against the CA it gave
        (`sslrootcert`, README "Storage"); the charm writes the CA to `ca_path`.
        """
        user = quote(self.username, safe="")
        password = quote(self.password, safe="")
        url = f"postgres://{user}:{password}@{self.endpoints[0]}/{self.database}"
        if self.tls and self.tls_ca and ca_path is not None:
            return f"{url}?sslmode=verify-ca&sslrootcert={ca_path}"
        if self.tls:
            return f"{url}?sslmode=require"
        return url

    def identity(self) -> str:
        """Names the database (not the login): a hash of primary endpoint and name."""
        return hashlib.sha256(f"{self.endpoints[0]}/{self.database}".encode()).hexdigest()[:16]


def request(relation: ops.Relation, app: ops.Application, database: str, extra_user_roles: str = "") -> None:
    """Ask for `database` (the leader only may write the application databag)."""
    data = relation.data[app]
    data["database"] = database
    data["requested-secrets"] = json.dumps(list(REQUESTED_SECRETS))
    if extra_user_roles:
        data["extra-user-roles"] = extra_user_roles
    else:
        data.pop("extra-user-roles", None)


def _secret(model: ops.Model, data: Mapping[str, str], group: str) -> dict[str, str]:
    """The content of the provider's `secret-GROUP`, {} when it has none."""
    secret_id = data.get(f"secret-{group}")
    if not secret_id:
        return {}
    try:
        return model.get_secret(id=secret_id).get_content(refresh=True)
    except ops.SecretNotFoundError as err:
        raise ProviderDataError(f"the secret of secret-{group} cannot be read") from err


def _endpoints(raw: str) -> tuple[str, ...]:
    endpoints = tuple(part.strip() for part in raw.split(",") if part.strip())
    for endpoint in endpoints:
        match = ENDPOINT.match(endpoint)
        if not match or not 1 <= int(match["port"]) <= 65535:
            raise ProviderDataError(f"endpoints: {endpoint!r} is not HOST:PORT")
    return endpoints


def read(model: ops.Model, relation: ops.Relation, requested: str) -> Credentials | None:
    """The provider's answer, None while it has not granted a user yet."""
    if relation.app is None:
        return None
    data = relation.data[relation.app]
    user = _secret(model, data, "user") or data
    username, password = user.get("username"), user.get("password")
    raw_endpoints = data.get("endpoints")
    if not (username and password and raw_endpoints):
        return None
    endpoints = _endpoints(raw_endpoints)
    if not endpoints:
        return None
    tls_data = _secret(model, data, "tls") or data
    database = data.get("database") or requested
    if database != requested:
        raise ProviderDataError(
            f"the provider granted database {database!r}, not {requested!r} (database_name): "
            "remove and add the relation again to get the new one"
        )
    return Credentials(
        endpoints=endpoints,
        database=database,
        username=username,
        password=password,
        tls=str(tls_data.get("tls", "")).lower() in ("true", "enabled"),
        tls_ca=tls_data.get("tls-ca") or None,
    )
