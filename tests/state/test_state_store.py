"""The app database, on SQLite and on a real PostgreSQL server alike: accounts and
their hashes, sign-in failures, sessions and their idle end, feedback, conversations,
the audit log, concurrent writers, and the schema the migrations build."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import inspect, text

from rag.errors import ConfigError, StateUnavailableError
from rag.state import AccountError, open_state, owner_key
from rag.state.accounts import FREE_ATTEMPTS, MAX_DELAY_SECONDS, login_delay

PASSWORD = "correct horse 42"


def test_accounts__roles_hashes_and_the_last_admin(state):
    state.add_user("Lan", PASSWORD, "admin", "cli:test")
    state.add_user("minh", "another pass 7", "reader", "Lan")
    assert [(a.name, a.role) for a in state.accounts.list()] == [("Lan", "admin"),
                                                                ("minh", "reader")]
    with pytest.raises(AccountError, match="already exists"):
        state.add_user("LAN", PASSWORD, "reader", None)  # names are one account in any case
    with pytest.raises(AccountError, match="too short"):
        state.add_user("hoa", "short", "reader", None)
    with pytest.raises(AccountError, match="not a role"):
        state.add_user("hoa", PASSWORD, "owner", None)
    with pytest.raises(AccountError, match="not a valid user name"):
        state.add_user("a b/c", PASSWORD, "reader", None)
    with pytest.raises(AccountError, match="last admin"):
        state.set_role("lan", "editor", None)
    with pytest.raises(AccountError, match="last admin"):
        state.remove_user("Lan", None)
    assert state.set_role("minh", "admin", "Lan").role == "admin"
    assert state.set_role("lan", "editor", "minh").role == "editor"
    assert state.accounts.verify("lan", PASSWORD).role == "editor"
    assert state.accounts.verify("LAN ", PASSWORD).name == "Lan"
    assert state.accounts.verify("lan", PASSWORD + "x") is None
    assert state.accounts.verify("nobody", PASSWORD) is None
    with pytest.raises(AccountError, match="no user named"):
        state.set_password("nobody", PASSWORD, None)
    actions = [e["action"] for e in state.audit.entries()]
    assert actions.count("user_added") == 2 and actions.count("role_changed") == 2


def test_database__holds_no_password_in_plain_text(state):
    state.add_user("lan", PASSWORD, "reader", None)
    state.set_password("lan", "a second secret 9", None)
    state.accounts.verify("lan", PASSWORD)  # a wrong one now: counted, never stored
    dump = _dump(state)
    assert PASSWORD not in dump and "a second secret 9" not in dump
    assert "$argon2id$" in dump  # what is stored is the hash


def _dump(state) -> str:
    out = []
    with state.db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            out.extend(str(row) for row in conn.execute(text(f"SELECT * FROM {table}")))
    return "\n".join(out)


def test_login__wrong_passwords_in_a_row_slow_down_and_a_right_one_resets(state):
    state.add_user("lan", PASSWORD, "reader", None)
    assert [login_delay(n) for n in range(FREE_ATTEMPTS + 3)] == [0, 0, 0, 1, 2, 4]
    assert login_delay(100) == MAX_DELAY_SECONDS
    for expected in range(1, FREE_ATTEMPTS + 2):
        assert state.accounts.verify("lan", "wrong") is None
        assert state.accounts.failures("LAN") == expected
    assert state.accounts.verify("ghost", "wrong") is None  # unknown names are counted too
    assert state.accounts.failures("ghost") == 1
    assert state.accounts.verify("lan", PASSWORD) is not None
    assert state.accounts.failures("lan") == 0


def test_sessions__shared_through_the_database_ended_and_idle(state, backend_settings):
    from rag.state.sessions import Sessions

    state.add_user("lan", PASSWORD, "editor", None)
    token = state.sessions.start("lan")
    assert token not in _dump(state)  # only its digest is stored
    other_replica = open_state(backend_settings)  # another process, the same database
    assert other_replica.sessions.resolve(token).role == "editor"
    assert other_replica.sessions.resolve("made-up") is None
    state.sessions.end(token)
    other_replica.sessions.forget()  # what a replica remembers lasts CACHE_SECONDS
    assert other_replica.sessions.resolve(token) is None
    short = Sessions(state.db, idle_minutes=0.02)  # 1.2 s
    token = short.start("lan")
    short.start("lan")  # a second session, never used again
    assert short.resolve(token) is not None
    time.sleep(1.5)
    short.forget()
    assert short.resolve(token) is None
    assert short.purge_idle() == 1  # the one nobody came back to
    fresh = state.sessions.start("lan")
    state.set_password("lan", "a new secret 77", None)  # a new password ends the sessions
    assert state.sessions.resolve(fresh) is None
    other_replica.close()


def test_feedback__one_record_per_answer(state):
    log = state.feedback
    base = {"question": "q?", "answer": "a.", "sources": ["a.txt"], "mode": "extractive"}
    log.record(**base, rating="up", answer_id="ans1", user="alice")
    log.record(**base, rating="up", answer_id="other")
    updated = log.record(**base, rating="down", answer_id="ans1", reason="incomplete",
                         comment="misses the 2024 figure", user="alice")
    entries = log.entries()
    assert [e["id"] for e in entries] == ["ans1", "other"]
    assert entries[0]["rating"] == "down" and entries[0]["reason"] == "incomplete"
    assert entries[0]["user"] == "alice" and entries[0]["updated"] == updated["updated"]
    assert "updated" not in entries[1]
    assert log.remove("ans1") and [e["id"] for e in log.entries()] == ["other"]
    assert not log.remove("ans1")


def test_feedback__eight_concurrent_writers_lose_nothing(state):
    long_answer = "x" * 20000

    def write(i):
        for j in range(25):
            state.feedback.record(question=f"q{i}-{j}", answer=long_answer, sources=["a.txt"],
                                  mode="extractive", rating="up" if j % 2 else "down",
                                  comment="ок", answer_id=f"a{i}-{j % 20}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    entries = state.feedback.entries()
    assert len(entries) == 8 * 20  # 25 ratings each, the last 5 of them second ratings
    assert {e["comment"] for e in entries} == {"ок"}
    assert all(len(e["answer"]) == 20000 and e["sources"] == ["a.txt"] for e in entries)


def test_abstentions__one_per_answer(state):
    turn = {"id": "t1", "question": "Ai?", "answer": "Không có.", "language": "vi",
            "mode": "extractive"}
    state.abstentions.record(turn, None)
    state.abstentions.record({**turn, "answer": "Không có gì."}, "alice")
    (entry,) = state.abstentions.entries()
    assert entry["answer"] == "Không có gì." and entry["user"] == "alice" and entry["updated"]


def test_conversations__per_owner_with_search_rename_and_new_turns(state):
    store = state.conversations
    alice, browser = owner_key("alice", "b" * 32), owner_key(None, "b" * 32)
    assert alice.startswith("user-") and "alice" not in alice and browser == "browser-" + "b" * 32
    assert owner_key(None, "../../etc") is None
    turn = {"id": "t1", "question": "Việt Nam ký bao nhiêu FTA?", "answer": "16",
            "sources_html": "<div>big</div>", "answer_json": {"text": "16", "citations": []}}
    store.save(alice, {"id": "conv000001"}, [turn])
    store.save(browser, {"id": "conv000002"}, [{**turn, "question": "Other?"}])
    assert [c["id"] for c in store.listing(alice)] == ["conv000001"]
    assert store.listing(alice)[0]["title"] == "Việt Nam ký bao nhiêu FTA?"
    loaded = store.load(alice, "conv000001")
    assert "sources_html" not in loaded["turns"][0] and loaded["turns"][0]["answer_json"]["text"]
    assert store.listing(alice, "fta") and store.listing(alice, "VIỆT") and \
        not store.listing(alice, "nothing")
    second = {"id": "t2", "question": "А в 2023 году?", "answer": "—"}
    store.save(alice, loaded, [turn, second])
    assert [t["id"] for t in store.load(alice, "conv000001")["turns"]] == ["t1", "t2"]
    assert store.listing(alice, "в 2023")  # Cyrillic, any case: compared in Python
    assert store.rename(alice, "conv000001", "FTAs")
    assert store.listing(alice, "ftas")[0]["title"] == "FTAs"
    assert store.load(alice, "../x") is None and not store.rename(browser, "conv000001", "x")
    # another owner cannot read or overwrite it by guessing its id
    assert store.load(browser, "conv000001") is None
    store.save(browser, {"id": "conv000001"}, [{"id": "x", "question": "mine now"}])
    assert store.load(alice, "conv000001")["turns"][1]["id"] == "t2"


def test_conversations__search_ignores_case_accents_and_word_order(state):
    store = state.conversations
    alice = owner_key("alice", None)
    store.save(alice, {"id": "conv-0001"}, [{"id": "t1", "question": "Kiểm tra FDI Nghệ An 2024?"}])
    store.save(alice, {"id": "conv-0002"}, [{"id": "t2", "question": "Сколько делегаций?"}])
    assert [c["id"] for c in store.listing(alice, "kiem tra")] == ["conv-0001"]
    assert [c["id"] for c in store.listing(alice, "an nghe")] == ["conv-0001"]
    assert [c["id"] for c in store.listing(alice, "СКОЛЬКО")] == ["conv-0002"]
    assert store.listing(alice, "kiem делегаций") == []  # every word, in one conversation


def test_removing_an_account_removes_its_conversations_not_its_feedback(state):
    state.add_user("admin1", PASSWORD, "admin", None)
    state.add_user("lan", PASSWORD, "reader", None)
    state.conversations.save(owner_key("lan", None), {"id": "conv000003"},
                             [{"id": "t", "question": "q"}])
    state.feedback.record(question="q", answer="a", sources=[], mode="m", rating="down",
                          answer_id="t", user="lan")
    token = state.sessions.start("lan")
    account, removed = state.remove_user("lan", "admin1")
    assert account.name == "lan" and removed == 1
    assert state.conversations.listing(owner_key("lan", None)) == []
    assert state.feedback.entries()[0]["user"] == "lan"
    state.sessions.forget()
    assert state.sessions.resolve(token) is None
    assert state.audit.entries(action="user_removed")[0]["detail"] == {"conversations": 1}


def test_audit__filters_and_csv_export_and_no_secret_detail(state):
    from rag.state.audit import export_csv

    state.audit.record("ed", "upload", "a.txt")
    state.audit.record("ed", "delete", "b.txt", doc_id="b.txt", password="x", token="y")
    state.audit.record(None, "accounts_seeded", "alice")
    with pytest.raises(ValueError):
        state.audit.record("ed", "launch_missiles", "x")
    assert [e["action"] for e in state.audit.entries()] == ["accounts_seeded", "delete", "upload"]
    assert [e["target"] for e in state.audit.entries(action="delete")] == ["b.txt"]
    assert state.audit.entries(action="delete")[0]["detail"] == {"doc_id": "b.txt"}
    assert [e["target"] for e in state.audit.entries(actor="ed", query="A.TXT")] == ["a.txt"]
    assert state.audit.actors() == ["ed"]
    csv_text = export_csv(state.audit.entries())
    assert csv_text.splitlines()[0] == "time,actor,action,target,detail"
    assert len(csv_text.splitlines()) == 4 and "b.txt" in csv_text


def test_migrations__the_models_match_the_newest_migration(state):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from rag.state.models import Base

    with state.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
        assert diff == []
        assert MigrationContext.configure(conn).get_current_revision() == "0001_initial"
    assert state.db.migrate() == []  # already at the newest: nothing to do


def test_database_url__default_sqlite_bad_urls_and_passwords_never_shown(tmp_path):
    from pydantic import SecretStr

    from rag.state.db import database_url, shown
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "data")
    assert database_url(settings).database == str((tmp_path / "data" / "app-state.db").resolve())
    settings.database_url = SecretStr("postgresql://rag:s3cret@db.example:5432/rag")
    url = database_url(settings)
    assert url.drivername == "postgresql+psycopg" and "s3cret" not in shown(url)
    settings.database_url = SecretStr("mysql://x@y/z")
    with pytest.raises(ConfigError, match="not supported"):
        database_url(settings)
    settings.database_url = SecretStr("not a url")
    with pytest.raises(ConfigError, match="not a database URL"):
        database_url(settings)


def test_unreachable_postgres_is_a_clear_error(tmp_path):
    from pydantic import SecretStr

    from tests.conftest import free_port, make_settings

    settings = make_settings(tmp_path / "data")
    settings.database_url = SecretStr(f"postgresql+psycopg://rag:s3cret@127.0.0.1:{free_port()}/x")
    with pytest.raises(StateUnavailableError, match="cannot be used") as err:
        open_state(settings)
    assert "s3cret" not in str(err.value) and "RAG_DATABASE_URL" in str(err.value)
