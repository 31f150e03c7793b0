"""A real `chroma run` server on 127.0.0.1 for tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHROMA = str(Path(sys.executable).with_name("chroma"))


class ChromaServer:
    def __init__(self, path: Path, port: int):
        self.path, self.port, self.proc = path, port, None
        self.log = path.parent / f"chroma-{port}.log"

    def start(self) -> ChromaServer:
        from tests.ingest.helpers import wait_http

        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [CHROMA, "run", "--path", str(self.path), "--host", "127.0.0.1",
                 "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"},
            )
        wait_http(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", 60, self.proc)
        return self

    def stop(self) -> None:
        from tests.ingest.helpers import stop

        if self.proc is not None:
            stop(self.proc)
