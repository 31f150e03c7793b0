"""The settings reference, generated from the Settings class itself (each
field's description and default), so `.env.example` and
docs/configuration.md never drift from the code: `rag config --env-example`
and `rag config --markdown` print them, and a test compares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

# What is said before the generated keys: the variables other tools share (no RAG_
# prefix), read from the environment under their usual names.
ENV_PREAMBLE = """\
# Copy to .env and edit. Every key is optional; the values shown are the defaults.
# .env is never committed (see .gitignore) and secrets are never logged.
# Generated from the settings (rag/settings/): `rag config --env-example > .env.example`.

# --- Language model (leave both unset for the offline extractive mode) ---
# OPENAI_API_KEY=sk-...
# OPENAI_BASE_URL=http://127.0.0.1:8000/v1   # vLLM, Ollama (…:11434/v1), llama.cpp server

# --- Chroma server (unset = embedded store under RAG_DATA_DIR) ---
# CHROMA_HOST=127.0.0.1
# CHROMA_PORT=8000

# --- Staff accounts live in the app database (`rag users add NAME --role admin`). ---
# RAG_UI_AUTH seeds user:password pairs once, as admins (hashed); unset it afterwards.
# RAG_UI_AUTH=alice:change-me,bob:change-me-too
"""


@dataclass(frozen=True)
class Entry:
    key: str  # the environment variable
    default: str  # as written in .env ("" for none)
    description: str
    section: str  # "" for the top level


def entries(model: type[BaseModel] | None = None, prefix: str = "RAG_",
            section: str = "") -> list[Entry]:
    """Every setting read from a RAG_ variable, in declaration order, sections last."""
    if model is None:
        from rag.settings import Settings

        model = Settings
    top, nested = [], []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            nested += entries(annotation, f"{prefix}{name.upper()}__", name)
        elif not info.validation_alias:
            top.append(Entry(f"{prefix}{name.upper()}", _default(info), info.description or "",
                             section))
    return top + nested


def _default(info: FieldInfo) -> str:
    value: Any = info.get_default(call_default_factory=True)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    if isinstance(value, Path) and not value.is_absolute():
        return f"./{value}"
    return str(value)


def _section_title(section: str) -> str:
    from rag.settings import Settings

    annotation = Settings.model_fields[section].annotation
    doc = (annotation.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    return f"{section}: {doc}" if doc else section


def env_example() -> str:
    """The text of `.env.example`."""
    lines = [ENV_PREAMBLE.rstrip()]
    current = None
    for entry in entries():
        if entry.section != current or not lines[1:]:
            current = entry.section
            lines.append(f"\n# --- {_section_title(current)} ---" if current else "")
        lines += [f"# {entry.description}", f"{entry.key}={entry.default}"]
    return "\n".join(lines).rstrip() + "\n"


def configuration_markdown() -> str:
    """docs/configuration.md: every setting, its default and what it does."""
    out = ["# Configuration", "",
           "Every setting, its default and what it does: generated from the settings "
           "(`rag/settings/`) by `rag config --markdown > docs/configuration.md`; a test keeps "
           "it current. Set them in the environment or in `.env` (see `.env.example`); nested "
           "keys use `__`. Settings chosen by measuring say in their description what they were "
           "chosen on.", "",
           "Read under their usual names: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `CHROMA_HOST`, "
           "`CHROMA_PORT`, `RAG_UI_AUTH` (user:password pairs seeded once as admin accounts)."]
    current = None
    for entry in entries():
        if entry.section != current:
            current = entry.section
            out += ["", f"## {_section_title(current) if current else 'General'}", "",
                    "| key | default | meaning |", "|---|---|---|"]
        description = entry.description.replace("|", "\\|")
        out.append(f"| `{entry.key}` | `{entry.default}` | {description} |")
    return "\n".join(out) + "\n"
