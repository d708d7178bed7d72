"""The real runner and file writing of ticketd.Host (no fake here)."""

from __future__ import annotations

from pathlib import Path

from ticketd import run_subprocess, write_file


def test_the_runner_reports_exit_code_and_output() -> None:
    done = run_subprocess(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (done.returncode, done.stdout, done.stderr) == (3, "out\n", "err\n")


def test_a_missing_command_is_an_exit_code_not_an_exception() -> None:
    done = run_subprocess(["ticketd-charm-no-such-command"])
    assert done.returncode == 127
    assert "is not installed" in done.stderr


def test_a_secret_file_is_never_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "etc" / "database.env"
    path.parent.mkdir()
    path.write_text("old\n")
    path.chmod(0o644)

    assert write_file(path, b"TICKETD_DATABASE_URL=postgres://u:p@h:5432/d\n", 0o600)

    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text() == "TICKETD_DATABASE_URL=postgres://u:p@h:5432/d\n"
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    assert not write_file(path, b"TICKETD_DATABASE_URL=postgres://u:p@h:5432/d\n", 0o600)
