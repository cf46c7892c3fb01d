"""The embedded PostgreSQL + PostGIS cluster in var/postgres/: unix socket only, no TCP port.

Used by the Makefile (``python -m config.localdb start|stop|status``) and by the settings, which
read ``database_settings()`` when no DATABASE_URL is set. Standard library only: it runs before
the virtualenv exists.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
ROOT_DIR = BASE_DIR / "var" / "postgres"
DATA_DIR = ROOT_DIR / "data"
LOG_FILE = ROOT_DIR / "postgres.log"
DB_NAME = "karta"
DB_USER = "karta"
PORT = 5432
EXTENSIONS = ("postgis", "pg_trgm")
# PostgreSQL refuses to run as root; root runs the cluster as this system user.
ROOT_RUNS_AS = "postgres"
# sun_path holds 107 bytes; a deep checkout would overflow it.
_SOCKET_PATH_MAX = 100


def socket_dir() -> Path:
    local = ROOT_DIR / "run"
    if len(str(local / f".s.PGSQL.{PORT}")) <= _SOCKET_PATH_MAX:
        return local
    digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"karta-pg-{digest}"


def database_settings(name: str = DB_NAME) -> dict[str, Any]:
    return {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "NAME": name,
        "USER": DB_USER,
        "HOST": str(socket_dir()),
        "PORT": str(PORT),
    }


def _bindir() -> Path:
    pg_config = shutil.which("pg_config")
    if pg_config:
        candidate = Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
        if (candidate / "initdb").exists():
            return candidate
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not versions:
        sys.exit("PostgreSQL server binaries not found. Run: make install")
    return versions[-1].parent


def server_binary(name: str) -> Path | None:
    """A PostgreSQL program (pg_dump, pg_restore …) of the installed server version, if there is one."""
    try:
        candidate = _bindir() / name
    except SystemExit:
        return None
    return candidate if candidate.exists() else None


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", ROOT_RUNS_AS, "--", *argv]
    return argv


def _chown_tree(path: Path) -> None:
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(ROOT_RUNS_AS)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _check_traversable() -> None:
    """The postgres user must be able to reach var/postgres through every parent directory."""
    if os.geteuid() != 0:
        return
    for parent in [ROOT_DIR, *ROOT_DIR.parents]:
        if parent.exists() and not (parent.stat().st_mode & 0o001):
            sys.exit(
                f"{parent} is not traversable by the '{ROOT_RUNS_AS}' user; run: chmod o+x {parent} "
                "or set DATABASE_URL to an existing PostGIS server."
            )


def _psql(sql: str, database: str = "postgres") -> str:
    command = [str(_bindir() / "psql"), "-X", "-qAt", "-h", str(socket_dir()), "-p", str(PORT)]
    command += ["-U", DB_USER, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def is_running() -> bool:
    if not (DATA_DIR / "PG_VERSION").exists():
        return False
    result = subprocess.run(
        _as_owner([str(_bindir() / "pg_ctl"), "status", "-D", str(DATA_DIR)]),
        capture_output=True,
        text=True,
    )
    return result.returncode == 0


def init() -> None:
    if (DATA_DIR / "PG_VERSION").exists():
        return
    _check_traversable()
    ROOT_DIR.mkdir(parents=True, exist_ok=True)
    DATA_DIR.mkdir(mode=0o700, exist_ok=True)
    _chown_tree(ROOT_DIR)
    _chown_tree(DATA_DIR)
    print(f"Creating the local PostgreSQL cluster in {DATA_DIR}", flush=True)
    initdb = [str(_bindir() / "initdb"), "-D", str(DATA_DIR), "-U", DB_USER, "-E", "UTF8"]
    initdb += ["--locale=C.UTF-8", "--auth-local=trust", "--auth-host=reject"]
    subprocess.run(_as_owner(initdb), check=True, stdout=subprocess.DEVNULL)


def start() -> None:
    init()
    sockets = socket_dir()
    sockets.mkdir(parents=True, exist_ok=True)
    _chown_tree(sockets)
    os.chmod(sockets, 0o700 if os.geteuid() != 0 else 0o750)
    if not is_running():
        LOG_FILE.touch(exist_ok=True)
        _chown_tree(LOG_FILE)
        options = f"-k {sockets} -p {PORT} -c listen_addresses='' -c unix_socket_permissions=0700"
        pg_ctl = [str(_bindir() / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(DATA_DIR)]
        pg_ctl += ["-l", str(LOG_FILE), "-o", options]
        result = subprocess.run(_as_owner(pg_ctl), capture_output=True, text=True)
        if result.returncode != 0:
            tail = LOG_FILE.read_text(errors="replace").splitlines()[-20:]
            sys.exit("PostgreSQL did not start:\n" + result.stderr + "\n".join(tail))
    _wait_ready()
    if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") != "1":
        _psql(f'CREATE DATABASE "{DB_NAME}"')
    for extension in EXTENSIONS:
        _psql(f"CREATE EXTENSION IF NOT EXISTS {extension}", database=DB_NAME)
    print(f"PostgreSQL + PostGIS is up (socket in {sockets}, database '{DB_NAME}')", flush=True)


def _wait_ready(timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        result = subprocess.run(
            [str(_bindir() / "pg_isready"), "-q", "-h", str(socket_dir()), "-p", str(PORT)],
            check=False,
        )
        if result.returncode == 0:
            return
        if time.monotonic() > deadline:
            sys.exit(f"PostgreSQL is not accepting connections; see {LOG_FILE}")
        time.sleep(0.2)


def stop() -> None:
    if not is_running():
        print("The local PostgreSQL cluster is not running.")
        return
    pg_ctl = [str(_bindir() / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(DATA_DIR)]
    subprocess.run(_as_owner(pg_ctl), check=True, stdout=subprocess.DEVNULL)
    print("The local PostgreSQL cluster is stopped.")


def main(argv: list[str]) -> None:
    commands = {
        "start": start,
        "stop": stop,
        "status": lambda: print("running" if is_running() else "stopped"),
    }
    if len(argv) != 1 or argv[0] not in commands:
        sys.exit(f"usage: python -m config.localdb {{{'|'.join(commands)}}}")
    if os.environ.get("DATABASE_URL") and argv[0] == "start":
        print("DATABASE_URL is set: using that server, not starting the local cluster.")
        return
    commands[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
