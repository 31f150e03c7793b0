"""Options several commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Index and state folder (default: RAG_DATA_DIR or ./data)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
