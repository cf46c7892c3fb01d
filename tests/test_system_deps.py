"""make install on a machine missing a Debian package: root installs it, anyone else is told how."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "system-deps.sh"


def _run(env: dict[str, str], *, as_user: str | None = None) -> subprocess.CompletedProcess[str]:
    command = ["bash", str(SCRIPT)]
    if as_user:
        command = ["runuser", "-u", as_user, "--", *command]
    return subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=False)  # noqa: S603 -- the project's own script


def test_nothing_to_do_when_everything_is_installed() -> None:
    result = _run({"KARTA_SYSTEM_PACKAGES": "bash coreutils"})

    assert result.returncode == 0
    assert result.stderr == ""


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None, reason="needs root to act as another user"
)
def test_a_non_root_user_gets_the_exact_apt_command() -> None:
    result = _run({"KARTA_SYSTEM_PACKAGES": "bash karta-no-such-package"}, as_user="nobody")

    assert result.returncode == 1
    assert "Missing system packages: karta-no-such-package" in result.stderr
    assert "apt-get update && apt-get install -y karta-no-such-package" in result.stderr
    assert "Traceback" not in result.stderr
