"""The host side of the charm: ticketd's files, systemd and the ticketd CLI.

Everything the charm does to the machine goes through `Host`, which writes
files under `Paths.root` and runs commands through one `Runner`; the unit
tests give it a temporary root and a fake runner. The files and commands are
those of the project's README ("Configuration", "Deployment") and
docs/operations.md.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

# Where ticketd and its settings live on the machine (README, "Configuration").
BINARY = PurePosixPath("/usr/local/bin/ticketd")
CONFIG = PurePosixPath("/etc/ticketd/config.toml")
# Root-only (0600): the PostgreSQL URL with its password, read by systemd
# for the service (the EnvironmentFile of dist/systemd/ticketd.service, and
# of the charm's drop-in) and for every admin subcommand (`Host.ticketd`).
DATABASE_ENV = PurePosixPath("/etc/ticketd/ticketd.env")
# The CA of the PostgreSQL server when it offers TLS (a certificate, no secret).
POSTGRESQL_CA = PurePosixPath("/etc/ticketd/postgresql-ca.pem")
DATA_DIR = PurePosixPath("/var/lib/ticketd")
UNIT_DIR = PurePosixPath("/etc/systemd/system")
SOCKET_DROPIN = UNIT_DIR / "ticketd.socket.d" / "10-charm.conf"
SERVICE_DROPIN = UNIT_DIR / "ticketd.service.d" / "10-charm.conf"
SERVICE = "ticketd.service"
SOCKET = "ticketd.socket"
# The longest a command may run: an export or a migration of a large database.
TIMEOUT = 3600


@dataclass(frozen=True)
class Completed:
    """What a command did: its exit code and output."""

    returncode: int
    stdout: str
    stderr: str


class Runner(Protocol):
    """Runs a command and returns what it did (never raises on exit codes)."""

    def __call__(self, argv: Sequence[str]) -> Completed: ...


def run_subprocess(argv: Sequence[str]) -> Completed:
    """The real runner: a subprocess, its output captured, never a shell."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return Completed(124, "", f"{argv[0]} did not finish within {TIMEOUT} s")
    except FileNotFoundError:
        return Completed(127, "", f"{argv[0]} is not installed")
    return Completed(done.returncode, done.stdout, done.stderr)


class CommandFailed(Exception):
    """A command exited non-zero; the message is its stderr (ticketd scrubs secrets)."""

    def __init__(self, what: str, done: Completed) -> None:
        detail = (done.stderr.strip() or done.stdout.strip() or f"exit code {done.returncode}").splitlines()
        super().__init__(f"{what} failed: {detail[-1] if detail else done.returncode}")
        self.done = done


@dataclass(frozen=True)
class Paths:
    """Maps the machine's paths under `root` ("/" in production)."""

    root: Path = Path("/")

    def local(self, path: PurePosixPath) -> Path:
        """The file behind the machine path `path`."""
        return self.root / path.relative_to("/")


def sha256_file(path: Path) -> str | None:
    """The SHA-256 of a file, None if it does not exist."""
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_file(path: Path, content: bytes, mode: int) -> bool:
    """Atomically replace `path` by `content` with `mode`; False if it was already so.

    The temporary file is created with `mode`, so a secret is never readable
    by others, not even for a moment.
    """
    if path.exists() and path.read_bytes() == content and (path.stat().st_mode & 0o777) == mode:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.charm-tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(path)
    return True


def remove_file(path: Path) -> bool:
    """Remove `path`; False if it was not there."""
    if not path.exists():
        return False
    path.unlink()
    return True


@dataclass
class Host:
    """The machine: files under `paths`, commands through `runner`."""

    paths: Paths = field(default_factory=Paths)
    runner: Runner = run_subprocess

    # Files

    def write(self, path: PurePosixPath, content: str, mode: int = 0o644) -> bool:
        """Write a machine file; True if it changed."""
        return write_file(self.paths.local(path), content.encode(), mode)

    def remove(self, path: PurePosixPath) -> bool:
        """Remove a machine file; True if it was there."""
        return remove_file(self.paths.local(path))

    def exists(self, path: PurePosixPath) -> bool:
        """Whether a machine file exists."""
        return self.paths.local(path).exists()

    def binary_sha256(self) -> str | None:
        """The installed ticketd's SHA-256, None if none is installed."""
        return sha256_file(self.paths.local(BINARY))

    def install_binary(self, source: Path) -> bool:
        """Install ticketd from the charm resource; True if it changed."""
        return write_file(self.paths.local(BINARY), source.read_bytes(), 0o755)

    def install_unit(self, name: str, source_dir: Path) -> bool:
        """Install one of the project's systemd units unchanged; True if it changed."""
        content = (source_dir / name).read_bytes()
        return write_file(self.paths.local(UNIT_DIR / name), content, 0o644)

    # systemd

    def systemctl(self, *args: str) -> None:
        """Run systemctl; raises CommandFailed on failure."""
        done = self.runner(["systemctl", *args])
        if done.returncode != 0:
            raise CommandFailed(f"systemctl {' '.join(args)}", done)

    def ticketd(self, *args: str) -> Completed:
        """Run an admin subcommand as the service's user, on its database.

        A named dynamic user shares the running service's UID, so files it
        writes in the data dir belong to the service. The optional
        environment file carries the PostgreSQL URL, as for the service.
        """
        argv = [
            "systemd-run",
            "--quiet",
            "--pipe",
            "--wait",
            "--collect",
            "-p",
            "DynamicUser=yes",
            "-p",
            "User=ticketd",
            "-p",
            "StateDirectory=ticketd",
            "-p",
            f"EnvironmentFile=-{DATABASE_ENV}",
            str(BINARY),
            *args,
        ]
        return self.runner(argv)

    def ticketd_ok(self, what: str, *args: str) -> Completed:
        """`ticketd` that must succeed; raises CommandFailed otherwise."""
        done = self.ticketd(*args)
        if done.returncode != 0:
            raise CommandFailed(what, done)
        return done
