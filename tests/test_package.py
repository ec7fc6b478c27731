"""The package reads as the pipeline: each stage a subpackage, imports only down the pipeline, no cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# Stages in pipeline order; a module may import its own stage or an earlier one, never a later one.
STAGES = ("", "sources", "markup", "site", "outputs", "engine", "commands")
SHARED = {"generator", "generator.diagnostics", "generator.frozen", "generator.workers"}  # used by every stage
ENTRY = {"generator.cli", "generator.__main__"}  # the command line, above every stage


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports, TYPE_CHECKING imports and imports inside functions too."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {f for f in found if f in known and f != name}


def rank(name: str) -> int:
    if name in ENTRY:
        return len(STAGES)
    if name in SHARED:
        return 0
    parts = name.split(".")
    assert len(parts) > 1 and parts[1] in STAGES, f"{name} belongs to no stage: put it in one of {STAGES[1:]}"
    return STAGES.index(parts[1])


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a later stage, said in words."""
    return [f"{name} ({STAGES[rank(name)] or 'shared'}) imports {dep} ({STAGES[rank(dep)] or 'shared'})"
            for name, deps in sorted(graph.items()) for dep in sorted(deps)
            if rank(dep) > rank(name) and name not in ENTRY]


def cycles_in(graph: dict[str, set[str]]) -> list[str]:
    """Depth-first search; an edge back to a module still open on the current path closes a cycle."""
    cycles, state = [], {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for dep in sorted(graph.get(name, ())):
            if state.get(dep) == "open":
                cycles.append(" -> ".join([*path[path.index(dep):], name, dep] if dep in path else [name, dep]))
            elif dep not in state:
                visit(dep, [*path, name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    return cycles


GRAPH = {name: imports(name, path, set(modules())) for name, path in modules().items()}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_every_module_belongs_to_a_stage(name):
    rank(name)


def test_imports_point_down_the_pipeline():
    assert upward_imports(GRAPH) == []


def test_no_import_cycles():
    assert cycles_in(GRAPH) == []


def test_the_checks_catch_a_cycle_and_an_upward_import():
    fake = {"generator.sources.a": {"generator.site.b"}, "generator.site.b": {"generator.markup.c"},
            "generator.markup.c": {"generator.sources.a"}}
    assert upward_imports(fake) == ["generator.sources.a (sources) imports generator.site.b (site)"]
    assert cycles_in(fake) == ["generator.markup.c -> generator.sources.a -> generator.site.b -> generator.markup.c"]
    assert cycles_in({"generator.sources.a": {"generator.sources.b"}, "generator.sources.b": set()}) == []


def test_a_build_without_maps_or_imports_loads_no_heavy_library(tmp_path):
    """numpy, shapely and pyproj (maps), mammoth (Word import) and rapidfuzz (check) cost half a second of every
    command's start when imported eagerly; a plain build needs none of them."""
    code = ("import sys; from generator.cli import main; main(['build', '--source', sys.argv[1], '--output', "
            "sys.argv[2], '--quiet']); heavy = {'numpy', 'shapely', 'pyproj', 'mammoth', 'rapidfuzz'}; "
            "print(sorted(heavy & set(sys.modules)))")
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    (site / "content" / "a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\n## Why?\n\nBecause.\n",
                                           encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code, str(site), str(tmp_path / "out")], capture_output=True,
                          text=True, cwd=PACKAGE.parent, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
