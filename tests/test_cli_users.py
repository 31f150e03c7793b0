"""`rag users` as an administrator runs it, on SQLite (the data folder) and on a real
PostgreSQL server (RAG_DATABASE_URL): add, list, passwd, set-role, remove; refusals
are one clear line; no password or hash is ever printed or stored in plain text."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.ingest.helpers import RAG, rag_env

SECRETS = ("first secret 1", "second secret 2", "third secret 3")


def users(data, *args, password: str | None = None, env=None):
    """Run `rag users ...`; the password (if any) is piped to --password-stdin."""
    cmd = [RAG, "users", *args, "--data-dir", str(data)]
    if password is not None:
        cmd.append("--password-stdin")
    return subprocess.run(cmd, input=None if password is None else password + "\n",
                          capture_output=True, text=True, timeout=120, env=env or rag_env(),
                          stdin=subprocess.DEVNULL if password is None else None)


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request, tmp_path):
    """(data folder, environment) for one backend."""
    if request.param == "sqlite":
        return tmp_path / "data", rag_env()
    url = request.getfixturevalue("postgres").create_database()
    return tmp_path / "data", rag_env(RAG_DATABASE_URL=url)


def test_users__add_list_passwd_set_role_remove(where):
    data, env = where
    first = users(data, "add", "lan", "--role", "admin", password=SECRETS[0], env=env)
    assert first.returncode == 0, first.stderr
    assert "added lan (admin)" in first.stdout and "first account" in first.stdout
    second = users(data, "add", "minh", password=SECRETS[1], env=env)  # reader by default
    assert "added minh (reader)" in second.stdout and "first account" not in second.stdout
    listed = json.loads(users(data, "list", "--json", env=env).stdout)
    assert [(u["name"], u["role"]) for u in listed] == [("lan", "admin"), ("minh", "reader")]
    assert set(listed[0]) == {"name", "role", "created", "last_login"}
    assert "minh" in users(data, "list", env=env).stdout
    assert users(data, "passwd", "minh", password=SECRETS[2], env=env).returncode == 0
    assert "minh is now editor" in users(data, "set-role", "minh", "editor", env=env).stdout
    removed = users(data, "remove", "minh", "--yes", env=env)
    assert "removed minh and 0 saved conversation(s)" in removed.stdout
    assert [u["name"] for u in json.loads(users(data, "list", "--json", env=env).stdout)] == \
        ["lan"]
    refused = {
        "duplicate": users(data, "add", "LAN", password=SECRETS[1], env=env),
        "short": users(data, "add", "hoa", password="short", env=env),
        "role": users(data, "add", "hoa", "--role", "owner", password=SECRETS[1], env=env),
        "last admin": users(data, "set-role", "lan", "reader", env=env),
        "unknown": users(data, "passwd", "ghost", password=SECRETS[1], env=env),
        "no terminal": users(data, "add", "hoa", env=env),
        "no confirmation": users(data, "remove", "lan", env=env),
    }
    messages = {"duplicate": "already exists", "short": "too short", "role": "not a role",
                "last admin": "last admin", "unknown": "no user named 'ghost'",
                "no terminal": "--password-stdin", "no confirmation": "--yes"}
    for case, result in refused.items():
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert result.returncode == 1 and len(errors) == 1, (case, result.stderr)
        assert messages[case] in errors[0], (case, errors)
    everything = "".join(r.stdout + r.stderr for r in (first, second, *refused.values()))
    assert not any(secret in everything for secret in SECRETS)
    assert "$argon2" not in everything


def test_users__the_sqlite_file_holds_hashes_only(tmp_path):
    data = tmp_path / "data"
    assert users(data, "add", "lan", "--role", "admin", password=SECRETS[0]).returncode == 0
    raw = (data / "app-state.db").read_bytes()
    assert SECRETS[0].encode() not in raw and b"$argon2id$" in raw


def test_ui__refuses_to_listen_beyond_this_machine_without_accounts(tmp_path):
    result = subprocess.run([RAG, "ui", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "d")],
                            capture_output=True, text=True, timeout=120, env=rag_env(),
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "refusing to listen on 0.0.0.0 without accounts" in result.stderr
    assert "rag users add" in result.stderr
