"""A real PostgreSQL server for the tests, started from Debian's binaries on 127.0.0.1.

Run as root (as CI does) the server runs as the ``postgres`` user, since PostgreSQL
refuses to run as root. The data folder is a fresh temporary one, removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

USER = "marginscope"


def _binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (scripts/system-packages does)")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_server():
    """Yield the URL of a new PostgreSQL server on 127.0.0.1 with a superuser named marginscope."""
    bindir = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="marginscope-pg-"))
    data, port = folder / "data", _free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
    try:
        subprocess.run([*as_postgres, bindir / "initdb", "-D", data, "-U", USER, "-A", "trust", "--no-sync"],
                       check=True, capture_output=True)
        subprocess.run([*as_postgres, bindir / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-o",
                        f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off", "start"], check=True, capture_output=True)
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*as_postgres, bindir / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
