"""The URL built from a postgresql_client grant."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from postgresql import ENDPOINT, Credentials


def grant(**fields: object) -> Credentials:
    base: dict[str, object] = {
        "endpoints": ("db.example:5432",),
        "database": "ticketd",
        "username": "ticketd",
        "password": "secret",
        "tls": False,
        "tls_ca": None,
    }
    return Credentials(**{**base, **fields})  # type: ignore[arg-type]


def test_user_and_password_are_percent_encoded() -> None:
    url = grant(username="relation-7@app", password="a b/c:d@e%f#g?").url(None)
    assert url == "postgres://relation-7%40app:a%20b%2Fc%3Ad%40e%25f%23g%3F@db.example:5432/ticketd"


def test_tls_without_a_ca_still_requires_tls() -> None:
    assert (
        grant(tls=True)
        .url(PurePosixPath("/etc/ticketd/postgresql-ca.pem"))
        .endswith("/ticketd?sslmode=require")
    )


def test_an_ipv6_primary_keeps_its_brackets() -> None:
    assert "@[fd00::5]:5432/" in grant(endpoints=("[fd00::5]:5432", "[fd00::6]:5432")).url(None)


def test_the_identity_names_the_database_not_the_login() -> None:
    assert grant().identity() == grant(username="other", password="other").identity()
    assert grant().identity() != grant(database="ticketd2").identity()


@pytest.mark.parametrize("endpoint", ["db:5432", "10.0.0.1:5432", "[::1]:5432"])
def test_endpoints_that_are_host_port(endpoint: str) -> None:
    assert ENDPOINT.match(endpoint)


@pytest.mark.parametrize("endpoint", ["db", "db:", "user@db:5432", "db:5432/x", "db 1:5432"])
def test_endpoints_that_are_not(endpoint: str) -> None:
    assert not ENDPOINT.match(endpoint)
