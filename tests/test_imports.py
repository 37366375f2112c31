"""The package's import graph: no circles, and the layering docs/architecture.md declares.

Every ``import`` statement of every module under src/transkit is read with ``ast``
(function-level and ``if TYPE_CHECKING:`` imports included: a circle through a
function-level import is still a circle, it only fails later), and resolved to
the module it names. Importing ``a.b.c`` also runs the ``__init__`` of ``a.b``,
so that counts as importing ``a.b`` too, except for the importer's own packages,
which are always initialised before it (an explicit ``from . import name`` of
its own package's ``__init__`` does count).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "transkit"
ARCHITECTURE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    type_only: bool  # under ``if TYPE_CHECKING:``


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for child in node.body:
                    for inner in ast.walk(child):
                        if hasattr(inner, "lineno"):
                            lines.add(inner.lineno)
    return lines


def _imports(name: str) -> tuple[list[Edge], list[tuple[str, int]]]:
    """(edges to transkit modules, (external top-level package, line)) of one module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"), str(MODULES[name]))
    type_only = _type_checking_lines(tree)
    package = name if _is_package(name) else name.rpartition(".")[0]
    targets: list[tuple[str, int]] = []
    external: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (targets if alias.name.split(".")[0] == "transkit" else external).append((alias.name, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "transkit":
                external.append((module, node.lineno))
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append((sub if sub in MODULES else module, node.lineno))
    own = set(_ancestors(name))
    edges = []
    for target, line in targets:
        assert target in MODULES, f"{name}:{line} imports {target}, which does not exist"
        implicit = [m for m in _ancestors(target) if m not in own and m != "transkit"]
        for module in dict.fromkeys([target, *implicit]):
            if module != name:
                edges.append(Edge(name, module, line, line in type_only))
    return edges, [(ext.split(".")[0], line) for ext, line in external]


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


GRAPH: dict[str, list[Edge]] = {}
EXTERNAL: dict[str, list[tuple[str, int]]] = {}
for _name in MODULES:
    GRAPH[_name], EXTERNAL[_name] = _imports(_name)


def _circles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in GRAPH[node]:
            if edge.target not in index:
                visit(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in on_stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def _targets(name: str, *, type_only: bool | None = None) -> set[str]:
    return {e.target for e in GRAPH[name] if type_only is None or e.type_only == type_only}


def test_the_graph_is_read():
    # the resolver finds what is plainly there (so the rules below are not vacuous)
    assert "transkit.runs" in _targets("transkit.pipeline")
    assert "transkit.align.types" in _targets("transkit.align.fallback")
    assert "transkit.align.fallback" in _targets("transkit.align")  # a function-level import
    assert "transkit.segment" in _targets("transkit.runs", type_only=True)
    assert "typer" in [ext for ext, _line in EXTERNAL["transkit.cli.common"]]
    assert len(MODULES) > 60


def test_no_import_circles():
    circles = _circles()
    detail = []
    for component in circles:
        inside = set(component)
        detail += sorted(
            {f"  {e.source} -> {e.target} (line {e.line})" for m in component for e in GRAPH[m] if e.target in inside}
        )
    assert circles == [], "import circles:\n" + "\n".join(detail)


# ---------------------------------------------------------------- the layering rules (docs/architecture.md)

# Leaves: what each may import from transkit at run time, and for type hints only.
LEAVES: dict[str, tuple[set[str], set[str]]] = {
    "transkit.errors": (set(), set()),
    "transkit.model": (set(), set()),
    "transkit.paths": (set(), set()),
    "transkit.timing": ({"transkit.errors"}, set()),
    "transkit.profiles": ({"transkit.errors", "transkit.model"}, set()),
    "transkit.translate.base": (set(), set()),
    "transkit.align.types": ({"transkit.model"}, set()),
    "transkit.runs": (
        {
            "transkit.model",
            "transkit.errors",
            "transkit.profiles",
            "transkit.translate",
            "transkit.translate.base",
            "transkit.align",
            "transkit.align.types",
        },
        {"transkit.segment"},
    ),
}
# The chain's top: nothing below imports these.
TOP = ("transkit.pipeline", "transkit.batch", "transkit.cli")
CLI_ONLY_LIBRARIES = ("typer", "rich", "click")


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_leaves_import_only_leaves(leaf):
    runtime, types = LEAVES[leaf]
    assert _targets(leaf, type_only=False) <= runtime, f"{leaf} imports {sorted(_targets(leaf, type_only=False) - runtime)}"
    assert _targets(leaf, type_only=True) <= runtime | types


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_stages_do_not_import_the_pipeline_batch_or_cli():
    wrong = []
    for name, edges in GRAPH.items():
        if any(_is_under(name, top) for top in TOP):
            continue
        wrong += [f"{name}:{e.line} imports {e.target}" for e in edges if any(_is_under(e.target, t) for t in TOP)]
    assert wrong == []


def test_the_pipeline_does_not_import_batch_or_cli():
    assert not {t for t in _targets("transkit.pipeline") if _is_under(t, "transkit.batch") or _is_under(t, "transkit.cli")}


def test_only_the_cli_imports_typer_or_rich():
    wrong = [
        f"{name}:{line} imports {ext}"
        for name, externals in EXTERNAL.items()
        if not _is_under(name, "transkit.cli")
        for ext, line in externals
        if ext in CLI_ONLY_LIBRARIES
    ]
    assert wrong == []


@pytest.mark.parametrize("view", ["transkit.cli.progress", "transkit.cli.summary"])
def test_progress_and_summary_see_only_run_types(view):
    assert _targets(view) <= {"transkit.runs", "transkit.cli.common"}, sorted(_targets(view))


def _doc() -> str:
    return ARCHITECTURE.read_text(encoding="utf-8")


def _named_paths(text: str) -> set[str]:
    import re

    return set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*(?:\.py|/))`", text))


def test_architecture_doc_lists_the_leaves_this_test_enforces():
    import re

    rule = re.search(r"Leaves: (.*?)\. They import", _doc(), re.S)
    assert rule, "docs/architecture.md lost its list of leaves"
    named = set(re.findall(r"`([a-z_/]+\.py)`", rule.group(1)))
    enforced = {MODULES[name].relative_to(PACKAGE).as_posix() for name in LEAVES}
    assert named == enforced


def test_architecture_doc_describes_every_top_level_module_and_package():
    """Each module or package at the top of the package has its line, and every
    module the map names exists."""
    named = _named_paths(_doc())
    top = {p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    top |= {p.name + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert top - named == set(), f"not described in docs/architecture.md: {sorted(top - named)}"
    existing = {MODULES[name].relative_to(PACKAGE).as_posix() for name in MODULES}
    folders = [p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"]
    packages = {p.relative_to(PACKAGE).as_posix() + "/" for p in folders} | {p.name + "/" for p in folders}
    bare = {path.rsplit("/", 1)[-1] for path in existing}
    stale = {
        path
        for path in named
        if path not in existing and path not in packages and path not in bare
        and path.split("/")[0] not in ("tests", "benchmarks", "scripts", "docs")
    }
    assert stale == set(), f"docs/architecture.md names modules that do not exist: {sorted(stale)}"
