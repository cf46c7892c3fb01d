"""Backups: `make backup` and `make restore FILE=…` (python -m config.backup create|restore|verify).

A backup is one tar file in var/backups/ (or --directory): the database as a pg_dump custom-format
archive, the uploaded files (MEDIA_ROOT) as a tar, and manifest.json with the SHA-256 of both; a
`<file>.sha256` beside it checks the whole file (`sha256sum -c`). Restoring verifies every checksum
before it touches anything, then replaces the database's contents (pg_restore --clean) and the
uploaded files. Works with the project's own cluster and with DATABASE_URL alike."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar"
MANIFEST_NAME = "manifest.json"
CHUNK = 1 << 20


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """Where the database is: libpq environment for pg_dump / pg_restore."""

    name: str
    env: dict[str, str]


def _target(database: str | None = None) -> Target:
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": database or db["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return Target(env["PGDATABASE"], env)


def _binary(name: str) -> str:
    from config import localdb

    candidate = localdb.server_binary(name)  # the server's own version first: dumps must match it
    if candidate is not None:
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install postgresql-client (make install does)")
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {result.stderr.strip()[-2000:]}")


def create(*, directory: Path, media_root: Path, database: str | None = None) -> Path:
    target = _target(database)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    final = directory / f"karta-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        dump = Path(work) / DUMP_NAME
        _run(
            [_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(dump)],
            target.env,
        )
        media = Path(work) / MEDIA_NAME
        with tarfile.open(media, "w") as archive:
            if media_root.exists():
                archive.add(media_root, arcname="media")
        manifest = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": target.name,
            "files": {DUMP_NAME: _sha256(dump), MEDIA_NAME: _sha256(media)},
        }
        partial = Path(work) / final.name
        with tarfile.open(partial, "w") as bundle:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
            bundle.add(dump, arcname=DUMP_NAME)
            bundle.add(media, arcname=MEDIA_NAME)
        partial.replace(final)  # a half-written backup never carries the final name
    final.with_name(final.name + ".sha256").write_text(f"{_sha256(final)}  {final.name}\n")
    final.chmod(0o600)  # it holds personal data
    return final


def _extract(path: Path, into: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    checksum = path.with_name(path.name + ".sha256")
    if checksum.exists() and checksum.read_text().split()[0] != _sha256(path):
        raise BackupError(f"{path}: checksum does not match {checksum.name}; the file is damaged")
    try:
        with tarfile.open(path, "r") as bundle:
            bundle.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path}: not a readable backup ({error})") from error
    try:
        manifest: dict[str, Any] = json.loads((into / MANIFEST_NAME).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{path}: manifest.json missing or unreadable") from error
    for name, expected in manifest.get("files", {}).items():
        member = into / name
        if not member.is_file() or _sha256(member) != expected:
            raise BackupError(f"{path}: {name} does not match its checksum in the manifest")
    return manifest


def verify(*, path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work:
        return _extract(path, Path(work))


def restore(*, path: Path, media_root: Path, database: str | None = None) -> dict[str, Any]:
    target = _target(database)
    with tempfile.TemporaryDirectory() as work:
        manifest = _extract(path, Path(work))
        _run(
            [_binary("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--exit-on-error", "-d", target.name, str(Path(work) / DUMP_NAME)],
            target.env,
        )  # fmt: skip
        staged = Path(work) / "media-restored"
        with tarfile.open(Path(work) / MEDIA_NAME, "r") as archive:
            archive.extractall(staged, filter="data")
        if media_root.exists():
            shutil.rmtree(media_root)
        if (staged / "media").exists():
            media_root.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staged / "media", media_root)
    return manifest


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django
    from django.conf import settings

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m config.backup", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("create", help="write a backup file")
    made.add_argument("--directory", type=Path, default=Path(settings.VAR_DIR) / "backups")
    back = commands.add_parser("restore", help="replace the database and uploads with a backup's")
    back.add_argument("file", type=Path)
    back.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    check = commands.add_parser("verify", help="check a backup's checksums without restoring")
    check.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    media_root = Path(settings.MEDIA_ROOT)
    try:
        if args.command == "create":
            path = create(directory=args.directory, media_root=media_root)
            print(f"Backup written: {path} (checksum in {path.name}.sha256)")
        elif args.command == "verify":
            manifest = verify(path=args.file)
            print(f"{args.file}: intact (made {manifest['created_at']} of database {manifest['database']})")
        else:
            database = settings.DATABASES["default"]["NAME"]
            if not args.yes and input(f"Replace database {database} and {media_root}? [y/N] ").lower() != "y":
                print("Nothing changed.")
                return 1
            manifest = restore(path=args.file, media_root=media_root)
            print(f"Restored {args.file} (made {manifest['created_at']}) into {database}")
    except BackupError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
