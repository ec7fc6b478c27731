"""The package reads as the pipeline: each stage a subpackage, imports only down the pipeline, no cycles."""

from __future__ import annotations

import ast
import re
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


# Tests mirror the package: generator/<stage>/<name>.py is tested in tests/<stage>/test_<name>.py. A module with no
# test module of its own is named here with the test module that exercises it, and why it has none; that test module
# imports or names it, or (a pair) shows the words it checks the module by.
TESTED_THROUGH: dict[str, str | tuple[str, str]] = {
    "generator/__main__.py": "tests/test_cli.py",  # three lines calling cli.main
    "generator/diagnostics.py": "tests/test_cli.py",  # every error line the CLI prints
    "generator/markup/blocks/base.py": "tests/markup/test_blocks.py",  # shared by every block family
    "generator/markup/blocks/callouts.py": "tests/markup/test_blocks.py",  # tiny family, on the every-block page
    "generator/markup/blocks/keypoints.py": "tests/markup/test_blocks.py",  # tiny family, on the every-block page
    "generator/markup/blocks/people.py": "tests/markup/test_blocks.py",  # tiny family, on the every-block page
    "generator/markup/blocks/quotes.py": "tests/markup/test_blocks.py",  # tiny family, on the every-block page
    "generator/markup/blocks/references.py": "tests/markup/test_blocks.py",  # tiny family, on the every-block page
    "generator/markup/blocks/registry.py": "tests/markup/test_blocks.py",  # a table of the families
    "generator/markup/blocks/extract.py": "tests/markup/test_blocks.py",  # placeholders, checked on built pages
    "generator/markup/blocks/charting/raster.py": "tests/markup/blocks/test_charts.py",  # the feeds' chart PNGs
    "generator/markup/maps/furniture.py": "tests/markup/blocks/test_maps.py",  # part of every drawn map
    "generator/markup/maps/svgpath.py": "tests/markup/blocks/test_maps.py",  # part of every drawn map
    "generator/markup/cards.py": "tests/engine/test_cards.py",  # cards shown in built bodies
    "generator/sources/archieml.py": "tests/commands/test_importer.py",  # read by import, its one user
    "generator/sources/imported.py": "tests/commands/test_importer.py",  # checked by import, its one user
    "generator/sources/cards.py": "tests/engine/test_cards.py",  # cards read during builds
    "generator/site/model.py": "tests/outputs/test_sitemap.py",  # frozen values every stage uses
    "generator/site/pages.py": "tests/site/test_routes.py",  # what routes plans
    "generator/site/share.py": "tests/outputs/test_sharecards.py",  # share pages with their cards
    "generator/site/cards.py": "tests/site/test_card_pages.py",  # test_cards.py is engine's
    "generator/outputs/blockfill.py": "tests/markup/test_blocks.py",  # blocks rendered from their templates
    "generator/outputs/cardart.py": "tests/outputs/test_sharecards.py",  # draws the share cards
    "generator/outputs/pagefind_files.py": "tests/outputs/test_search.py",  # one step of search
    "generator/outputs/pagefind_run.py": "tests/outputs/test_search.py",  # one step of search
    "generator/outputs/search_index.py": "tests/outputs/test_search.py",  # one step of search
    "generator/outputs/search_shards.py": "tests/outputs/test_search.py",  # one step of search
    "generator/outputs/sharelinks.py": ("tests/outputs/test_sharecards.py", "question-share"),  # links to share pages
    "generator/outputs/publish.py": "tests/outputs/test_feeds.py",  # calls feeds, sitemaps, hosting
    "generator/engine/options.py": "tests/engine/test_build.py",  # what every build is asked
    "generator/engine/quick.py": "tests/engine/test_incremental.py",  # the incremental builds' quick path
    "generator/engine/answers.py": ("tests/engine/test_card_edits.py", "takes_the_quick_path"),  # card edits
    "generator/markup/htmlchecks.py": ("tests/engine/test_documents.py", "raw_html_left_open"),  # parsed bodies
    "generator/engine/stages.py": "tests/engine/test_build.py",  # the stages every build runs
    "generator/commands/copytext.py": "tests/commands/test_copyedit.py",  # the copy-edit packet's words
    "generator/commands/googleapi.py": "tests/commands/test_pull.py",  # faked by fakegoogle.py for pull
}


def mirror(path: Path) -> Path:
    """Where a module's own tests go: tests/<same folders>/test_<name>.py."""
    rel = path.relative_to(PACKAGE)
    return PACKAGE.parent / "tests" / rel.parent / f"test_{rel.name}"


def names(test: Path, module: Path) -> bool:
    """Whether a test module imports a module or names it (dotted, by path or file name, or a function or class)."""
    dotted = ".".join(module.relative_to(PACKAGE.parent).with_suffix("").parts)
    text = test.read_text(encoding="utf-8")
    if dotted in generator_imports(test):
        return True
    rel = module.relative_to(PACKAGE).with_suffix("").as_posix()
    public = {node.name for node in ast.parse(module.read_text(encoding="utf-8")).body
              if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")}
    said = {module.stem, *public}
    return dotted in text or rel in text or any(re.search(rf"\b{re.escape(word)}\b", text) for word in said)


def generator_imports(test: Path) -> set[str]:
    """The generator modules (and names in them) a test module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(test.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("generator"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("generator"))
    return found


TEST_MODULES = sorted(p for p in (PACKAGE.parent / "tests").rglob("test_*.py") if "sites" not in p.parts)


@pytest.mark.parametrize("path", sorted(p for p in modules().values() if p.name != "__init__.py"),
                         ids=lambda p: p.relative_to(PACKAGE.parent).as_posix())
def test_every_module_has_its_own_test_module_or_says_what_tests_it(path):
    rel = path.relative_to(PACKAGE.parent).as_posix()
    own = mirror(path)
    through = TESTED_THROUGH.get(rel)
    assert own.exists() or through, f"{rel} has no {own.relative_to(PACKAGE.parent)}: move its tests there, " \
                                    "or name the test module that exercises it in TESTED_THROUGH"
    assert not (own.exists() and through), f"{rel} has {own.relative_to(PACKAGE.parent)}: drop it from TESTED_THROUGH"
    if through:
        through, shown_by = through if isinstance(through, tuple) else (through, None)
        test = PACKAGE.parent / through
        assert test.exists(), f"TESTED_THROUGH names {through} for {rel}, and it does not exist"
        if shown_by:
            assert shown_by in test.read_text(encoding="utf-8"), f"{through} does not check {shown_by!r} ({rel})"
        else:
            assert names(test, path), f"{through} neither imports nor names {rel}"


def test_tested_through_names_only_modules_that_exist():
    assert [rel for rel in TESTED_THROUGH if not (PACKAGE.parent / rel).exists()] == []


@pytest.mark.parametrize("test", TEST_MODULES, ids=lambda p: p.relative_to(PACKAGE.parent).as_posix())
def test_no_test_module_imports_a_module_that_is_gone(test):
    known = set(modules())
    gone = set()
    for node in ast.walk(ast.parse(test.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("generator"):
            gone.add(node.module)
        elif isinstance(node, ast.Import):
            gone.update(alias.name for alias in node.names if alias.name.startswith("generator"))
    assert sorted(gone - known) == [], f"{test.name} imports modules that are gone"
