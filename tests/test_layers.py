"""The layers the README draws are the layers the imports show.

core `rag/` imports nothing from ingest/, ui/, eval/ or the CLI; ingest/ may use
the core; ui/ and eval/ use the core only; `cli/` (the composition layer) may use
everything but bench/; bench/ may use everything. Inside the core, each
subpackage imports only its own layer and those below it (`CORE_LAYERS`), and
nothing but the public surface
stands directly in `rag/`. No import cycles (imports inside functions count
too), no function over 80 lines, no module over 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rag", "ingest", "ui", "eval", "cli", "bench")
ALLOWED = {
    "rag": {"rag"},
    "ingest": {"ingest", "rag"},
    "ui": {"ui", "rag"},
    "eval": {"eval", "rag"},
    "cli": set(PACKAGES) - {"bench"},  # the benchmarks measure the product; it never runs them
    "bench": set(PACKAGES),
}
# The core from the bottom up: a module may import its own layer and those below.
CORE_LAYERS = (
    ("rag.errors", "rag.schema", "rag.settings"),  # the public foundation
    ("rag.lang",),  # language knowledge: basics and one pack per language
    ("rag.infra", "rag.state"),  # components, embeddings, store, index snapshot; app database
    ("rag.query",),  # what the question asks: language, tone marks, follow-ups, analysis
    ("rag.retrieval",),  # retrievers, calibration, filters, pipeline
    ("rag.answer",),  # strategies, checks, leads, citations
    ("rag.engine",),  # composes the above; yields typed events
)
PUBLIC_SURFACE = {"rag", "rag.engine", "rag.schema", "rag.errors", "rag.settings"}
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets.add(base)
            targets.update(f"{base}.{a.name}" for a in node.names)
    edges = {_resolve(t) for t in targets}
    return {e for e in edges if e and e != module}


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_layers__no_module_imports_a_layer_above_it():
    upward = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() for t in targets
                    if t.split(".")[0] not in ALLOWED[m.split(".")[0]])
    assert upward == []


def _core_layer(module: str) -> int | None:
    for rank, prefixes in enumerate(CORE_LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None


def test_layers__core_subpackages_import_only_their_layer_and_below():
    core = [m for m in GRAPH if m.split(".")[0] == "rag" and m != "rag"]
    unplaced = [m for m in core if _core_layer(m) is None]
    upward = sorted(f"{m} -> {t}" for m in core for t in GRAPH[m]
                    if t.split(".")[0] == "rag" and t != "rag"
                    and (_core_layer(t) or 0) > (_core_layer(m) or 0))
    assert unplaced == [] and upward == []


def test_layers__only_the_public_surface_stands_directly_in_rag():
    top_level = {m for m, path in MODULES.items()
                 if m.startswith("rag") and path.parent == ROOT / "rag"}
    assert top_level <= PUBLIC_SURFACE


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    return found


def test_layers__no_import_cycles():
    assert _cycles() == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers__short_functions_and_modules(module):
    source = MODULES[module].read_text("utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
