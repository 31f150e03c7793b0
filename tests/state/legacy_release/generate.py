"""How tests/state/legacy_release/data/ was written: by the release before accounts
(commit f5136e7), through its own `rag ui`, as staff used it. Not a test.

    git archive f5136e7 | tar -x -C /tmp/old
    python tests/state/legacy_release/generate.py /tmp/old /path/to/seeded/data OUT

It runs the old release's `rag ui` twice over a copy of a seeded index: with
RAG_UI_AUTH (alice, bob: conversations per login through gradio_client's /chat,
ratings through /feedback with and without an answer id, an unanswerable question
that is logged as an abstention), then without a login, where Chromium keeps a
conversation under its browser id. OUT receives feedback.jsonl, abstentions.jsonl
and conversations/ exactly as that release wrote them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

QUESTIONS = {
    "alice": [["Việt Nam đã ký bao nhiêu hiệp định thương mại tự do?",
               "Who is the Standing Deputy Secretary of the Nghe An Provincial Party Committee?"],
              ["Сколько делегаций провинция Нгеан приняла в 2024 году?",
               "Dự báo thời tiết Hà Nội ngày mai thế nào?"]],
    "bob": [["How much FDI did Nghe An attract in 2024?"]],
}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(old: Path, data: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "ui", "--data-dir", str(data),
                             "--port", str(port)], cwd=old,
                            env={**os.environ, "PYTHONPATH": str(old), "RAG_LLM__MODE": "none",
                                 **env})
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the old rag ui did not start")


def _with_logins(old: Path, data: Path) -> None:
    from gradio_client import Client

    proc, url = _serve(old, data, {"RAG_UI_AUTH": "alice:s3cret-alice,bob:s3cret-bob"})
    try:
        for user, conversations in QUESTIONS.items():
            for questions in conversations:
                client = Client(url + "/", auth=(user, f"s3cret-{user}"), verbose=False)
                for question in questions:
                    messages = client.predict(question, "auto", "en", {}, [], "", "",
                                              api_name="/chat")[0]
                    answer = messages[-1]["content"][0]["text"]
                    rating = "down" if "thời tiết" in question or "FDI" in question else "up"
                    client.predict(question, answer, [], "extractive", rating,
                                   "seen from " + user, "auto", "", "wrong" if rating == "down"
                                   else "", api_name="/feedback")
            client.predict("api question?", "api answer.", ["a.txt"], "extractive", "down",
                           "", "en", f"api-{user}", "incomplete", api_name="/feedback")
    finally:
        proc.terminate()
        proc.wait(30)


def _in_a_browser(old: Path, data: Path) -> None:
    from playwright.sync_api import sync_playwright

    proc, url = _serve(old, data, {})
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            page.goto(url + "/")
            page.wait_for_selector("#app-header .app-header[data-ready]", state="attached")
            page.fill("#question textarea", "Kiều hối hằng năm về Nghệ An đạt khoảng bao nhiêu?")
            page.press("#question textarea", "Enter")
            page.wait_for_selector('#sources .sources-panel[data-turn="0"] .src-card',
                                   state="attached", timeout=120_000)
            page.wait_for_timeout(2000)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(30)


def main(old: str, seeded: str, out: str) -> None:
    work = Path(out).resolve().parent / "legacy-work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(seeded, work / "data")
    _with_logins(Path(old), work / "data")
    _in_a_browser(Path(old), work / "data")
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("feedback.jsonl", "abstentions.jsonl"):
        shutil.copyfile(work / "data" / name, target / name)
    shutil.copytree(work / "data" / "conversations", target / "conversations", dirs_exist_ok=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
