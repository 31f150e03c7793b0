"""Settings: every key in .env.example with its default and a description."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def _keys(model: type[BaseModel], prefix: str = "RAG_") -> dict[str, object]:
    out = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.update(_keys(annotation, f"{prefix}{name.upper()}__"))
        elif not info.validation_alias:
            out[f"{prefix}{name.upper()}"] = info
    return out


def test_env_example_and_configuration_doc__are_generated_from_the_settings():
    from rag.settings.reference import configuration_markdown, env_example

    assert (ROOT / ".env.example").read_text("utf-8") == env_example(), \
        "regenerate: rag config --env-example > .env.example"
    assert (ROOT / "docs" / "configuration.md").read_text("utf-8") == configuration_markdown(), \
        "regenerate: rag config --markdown > docs/configuration.md"


def test_env_example__lists_every_setting_with_its_description_and_default():
    text = (ROOT / ".env.example").read_text("utf-8")
    listed = dict(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=(.*)$", text, flags=re.M))
    missing = [k for k in _keys(Settings) if k not in listed]
    assert missing == []
    for key, info in _keys(Settings).items():
        assert info.description, f"{key} has no description"
        default = info.default
        if isinstance(default, int | float | str) and not isinstance(default, bool):
            assert listed[key] == str(default), key


def test_settings__nested_keys_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("RAG_RETRIEVAL__HUB_WEIGHT", "0.25")
    monkeypatch.setenv("RAG_ANSWER__MAX_EVIDENCE", "2")
    settings = Settings(_env_file=None)
    assert settings.retrieval.hub_weight == 0.25 and settings.answer.max_evidence == 2
