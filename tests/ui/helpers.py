"""Helpers for the chat UI tests: starting `rag ui` servers, the questions and
their expected sources, screenshots (into tests/artifacts/)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT = 90

SEED_FILES = sorted(p.name for p in (ROOT / "seeds").iterdir())
EN_ONLY_002 = "002_3e13fac306d48c8a.txt"
VI_003 = "003_ed2f08ded523999d.txt"
# (language, question, framing, expected cited file, text the answer must contain)
QUESTIONS = [
    ("vi", "Việt Nam đã ký bao nhiêu hiệp định thương mại tự do?", "Theo các bài viết",
     VI_003, "16"),
    ("en", "Who is the Standing Deputy Secretary of the Nghe An Provincial Party Committee?",
     "According to the articles", EN_ONLY_002, "Hoang Nghia Hieu"),
    ("ru", "Сколько делегаций провинция Нгеан приняла в 2024 году?", "Согласно источникам",
     EN_ONLY_002, "delegations"),
]
CROSS_LINGUAL_RU = (
    "Кто является постоянным заместителем секретаря провинциального комитета партии Нгеан?"
)


class Server:
    def __init__(self, proc: subprocess.Popen, url: str, data_dir: Path, log: Path):
        self.proc, self.url, self.data_dir, self.log = proc, url, data_dir, log

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RAG_UI_AUTH", "CHROMA_HOST",
                        "CHROMA_PORT")}
    env.update({"RAG_LLM__MODE": "none", "GRADIO_ANALYTICS_ENABLED": "False",
                "PYTHONUNBUFFERED": "1", **extra})
    return env


def launch_server(data_dir: Path, log: Path, **env: str) -> Server:
    """Start `rag ui` on a free port without waiting for it (see Server.wait_ready)."""
    port = free_port()
    rag = Path(sys.executable).with_name("rag")
    cmd = [str(rag), "ui", "--data-dir", str(data_dir), "--port", str(port)]
    with open(log, "w", encoding="utf-8") as fh:  # the child keeps its own descriptor
        proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(**env), stdout=fh,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return Server(proc, f"http://127.0.0.1:{port}", data_dir, log)


def wait_ready(server: Server, timeout: float = STARTUP_TIMEOUT) -> Server:
    """Wait until the server answers HTTP; fail the test with its log if it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"`rag ui` exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    server.stop()
    pytest.fail(f"`rag ui` did not answer on {server.url} within {timeout:.0f} s:\n"
                f"{server.log_tail()}")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
