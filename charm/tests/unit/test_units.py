"""The charm installs the project's own systemd units, not a drifting copy.

pack.sh stages `dist/systemd/` (at the repository's root) into the charm,
and the charm installs what was staged unchanged; these tests check both
steps against the repository's files.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import CHARM_DIR, REPO, Harness, charmcraft

UNITS = ("ticketd.service", "ticketd.socket")


def test_the_installed_units_are_dist_systemd_byte_for_byte(harness: Harness) -> None:
    harness.ctx.run(harness.ctx.on.install(), harness.state())
    for name in UNITS:
        installed = harness.runner.host_file(f"/etc/systemd/system/{name}").read_bytes()
        assert installed == (REPO / "dist" / "systemd" / name).read_bytes(), name


def test_charmcraft_packs_the_staged_units_where_the_charm_reads_them() -> None:
    part = charmcraft()["parts"]["systemd-units"]
    assert part["plugin"] == "dump"
    assert part["source"] == "systemd"  # where pack.sh stages dist/systemd
    assert part["organize"] == {"*": "systemd/"}  # TicketdCharm.units_source: CHARM_DIR/systemd


def test_the_charm_holds_no_copy_of_the_units() -> None:
    copies = [path for name in UNITS for path in CHARM_DIR.rglob(name)]
    assert copies == []


def test_packing_without_the_units_fails_rather_than_packing_a_charm_without_them(tmp_path: Path) -> None:
    # A copy of pack.sh whose ../dist/systemd does not exist.
    charm = tmp_path / "charm"
    charm.mkdir()
    (charm / "pack.sh").write_bytes((CHARM_DIR / "pack.sh").read_bytes())
    done = subprocess.run(
        ["bash", str(charm / "pack.sh"), "--stage-only", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "dist/systemd/ticketd.service is missing" in done.stderr
    assert not (tmp_path / "out" / "systemd" / "ticketd.service").exists()
