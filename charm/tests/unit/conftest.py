"""Fixtures of the charm's unit tests: an ops[testing] Context whose charm acts
on a temporary root through a fake runner that records every command.

The host is mocked at one boundary, `ticketd.Host`'s runner: files are
really written (under the temporary root) and the tests read them back.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest
import yaml
from ops import testing

CHARM_DIR = Path(__file__).resolve().parents[2]
REPO = CHARM_DIR.parent
sys.path.insert(0, str(CHARM_DIR / "src"))

from charm import TicketdCharm  # noqa: E402
from ticketd import Completed, Host, Paths  # noqa: E402

# The admin command line the charm must use (written out here, not imported,
# so that a change to it in the charm fails these tests).
SYSTEMD_RUN = (
    "systemd-run --quiet --pipe --wait --collect -p DynamicUser=yes -p User=ticketd "
    "-p StateDirectory=ticketd -p EnvironmentFile=-/etc/ticketd/ticketd.env /usr/local/bin/ticketd"
).split()

Handler = Callable[[list[str]], Completed]


@dataclass
class FakeRunner:
    """Records commands; answers `ticketd SUBCOMMAND` from `answers`, all else with success."""

    root: Path
    calls: list[list[str]] = field(default_factory=list)
    answers: dict[str, Handler] = field(default_factory=dict)

    def __call__(self, argv: Sequence[str]) -> Completed:
        argv = list(argv)
        self.calls.append(argv)
        args = self.ticketd_args(argv)
        if args is not None and args and args[0] in self.answers:
            return self.answers[args[0]](args)
        return Completed(0, "", "")

    @staticmethod
    def ticketd_args(argv: list[str]) -> list[str] | None:
        """The ticketd arguments of an admin command run as the service's user."""
        if argv[: len(SYSTEMD_RUN)] == SYSTEMD_RUN:
            return argv[len(SYSTEMD_RUN) :]
        return None

    def ticketd_calls(self) -> list[list[str]]:
        return [args for argv in self.calls if (args := self.ticketd_args(argv)) is not None]

    def systemctl_calls(self) -> list[list[str]]:
        return [argv[1:] for argv in self.calls if argv[0] == "systemctl"]

    def host_file(self, path: str) -> Path:
        return self.root / PurePosixPath(path).relative_to("/")


@dataclass
class Harness:
    """A Context on a temporary machine: `runner` records, `root` holds the files."""

    ctx: testing.Context
    runner: FakeRunner
    root: Path
    binary: Path

    def read(self, path: str) -> str:
        return self.runner.host_file(path).read_text()

    def exists(self, path: str) -> bool:
        return self.runner.host_file(path).exists()

    def mode(self, path: str) -> int:
        return self.runner.host_file(path).stat().st_mode & 0o777

    def action(self, name: str, params: dict[str, object]) -> object:
        """The action event, its params completed with charmcraft.yaml's defaults as Juju does."""
        declared = charmcraft()["actions"][name].get("params", {})
        defaults = {key: spec["default"] for key, spec in declared.items() if "default" in spec}
        return self.ctx.on.action(name, params={**defaults, **params})

    def state(self, **kwargs: object) -> testing.State:
        """A State with the resource attached and the peer relation, unless given."""
        kwargs.setdefault("resources", {testing.Resource(name="ticketd-binary", path=self.binary)})
        relations = set(kwargs.pop("relations", set()))  # type: ignore[arg-type]
        if not any(r.endpoint == "ticketd-peers" for r in relations):
            relations.add(testing.PeerRelation("ticketd-peers"))
        kwargs["relations"] = relations
        kwargs.setdefault("config", {})
        return testing.State(**kwargs)  # type: ignore[arg-type]


def charmcraft() -> dict:
    return yaml.safe_load((CHARM_DIR / "charmcraft.yaml").read_text())


def stage_units(into: Path) -> Path:
    """Stage the charm as pack.sh does; the staged systemd/ directory."""
    subprocess.run([str(CHARM_DIR / "pack.sh"), "--stage-only", str(into)], check=True)
    return into / "systemd"


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    root = tmp_path / "root"
    root.mkdir()
    runner = FakeRunner(root)
    runner.answers["check"] = lambda _args: Completed(0, "config: /etc/ticketd/config.toml\n", "")
    # The charm as pack.sh stages it (with dist/systemd in systemd/), as the charm's directory.
    staged = tmp_path / "staged"
    stage_units(staged)
    binary = tmp_path / "ticketd"
    binary.write_bytes(b"\x7fELF ticketd 1.0\n")

    class Charm(TicketdCharm):
        def make_host(self) -> Host:
            return Host(Paths(root), runner)

    meta = charmcraft()
    ctx = testing.Context(
        Charm,
        meta={key: meta[key] for key in ("name", "peers", "requires", "provides", "resources")},
        actions=meta["actions"],
        config=meta["config"],
        charm_root=staged,
    )
    return Harness(ctx, runner, root, binary)
