"""A real PostgreSQL server for tests: Debian's `postgresql` binaries (initdb, pg_ctl),
a fresh cluster in a temporary folder, listening on 127.0.0.1 on a free port.

PostgreSQL refuses to run as root, so under root the cluster belongs to the
`postgres` system user (created by the Debian package) and the commands run as it.
`make test` installs the package; without it the tests that need a server skip and
say how to install it."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

INSTALL_HINT = "PostgreSQL is not installed: apt-get install -y postgresql (make test does it)"


def binaries() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    root = Path("/usr/lib/postgresql")
    found = [p / "bin" for p in root.glob("*") if (p / "bin" / "initdb").exists()
             and (p / "bin" / "pg_ctl").exists()] if root.is_dir() else []
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
               default=None)


class PostgresServer:
    def __init__(self, bin_dir: Path, port: int):
        self.bin, self.port = bin_dir, port
        self.root = Path(tempfile.mkdtemp(prefix="newsrag-pg-"))
        self.data, self.log = self.root / "cluster", self.root / "server.log"
        self.user = None if os.geteuid() != 0 else "postgres"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout,
                              cwd=self.root, stdin=subprocess.DEVNULL)

    def start(self) -> PostgresServer:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w",
                  "-t", "60", "start")
        return self

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = name or "t_" + uuid.uuid4().hex[:12]
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                  "postgres", name)
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop",
                      timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text("utf-8", errors="replace")[-chars:]
        except OSError:
            return ""
