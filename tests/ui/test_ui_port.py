"""`rag ui` on a port another program holds: one line that names the port and
how to choose another, exit code 1, no traceback."""

import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.ui.helpers import server_env


def test_ui__a_taken_port_is_one_clear_error_line(seeded_copy):
    rag = Path(sys.executable).with_name("rag")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(rag), "ui", "--data-dir", str(seeded_copy), "--port", str(port)],
            cwd=ROOT, env=server_env(), capture_output=True, text=True, timeout=180,
            stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"error: cannot listen on 127.0.0.1:{port}: the port is taken" in result.stderr
    assert "--port or RAG_UI__PORT" in result.stderr
    assert "Traceback" not in result.stderr
