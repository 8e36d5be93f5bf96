"""No import cycle inside ``dvarchive/``: the graph of every ``import`` / ``from ... import`` in the
package's source, read from the AST (imports inside functions, the "lazy" ones, included), is acyclic
between modules and between the package's parts (``dvarchive.commands``, ``dvarchive.runner``, ...).

An edge goes to the most specific module an import names: ``from dvarchive.replica import site``
is an edge to ``dvarchive.replica.site`` when that is a module, else to ``dvarchive.replica``
(its ``__init__``). Parent packages a dotted import initialises are not edges: a package that
re-exports its modules would otherwise be a cycle with each of them.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path


from helpers import REPO

PACKAGE = "dvarchive"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((REPO / PACKAGE).rglob("*.py"))}


def imported(node: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, list[str]]]:
    """(base module, names imported from it) for each import statement below ``node``."""
    for child in ast.walk(node):
        if isinstance(child, ast.Import):
            for alias in child.names:
                yield alias.name, []
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:  # relative: resolve against this module's package
                package = module.split(".") if is_package else module.split(".")[:-1]
                anchor = package[:len(package) - (child.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, [alias.name for alias in child.names]


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for base, names in imported(tree, name, path.name == "__init__.py"):
            targets = [f"{base}.{n}" if f"{base}.{n}" in known else base for n in names] or [base]
            graph[name].update(t for t in targets if t in known and t != name)
    return graph


def part(module: str) -> str:
    """The part of the package a module belongs to: ``dvarchive.commands.crawl`` -> ``dvarchive.commands``."""
    return ".".join(module.split(".")[:2])


def parts_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph with each part's modules merged into one node (edges inside a part dropped)."""
    merged: dict[str, set[str]] = {}
    for module, targets in graph.items():
        merged.setdefault(part(module), set()).update(part(t) for t in targets if part(t) != part(module))
    return merged


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    """The reader itself: a function-level import and a relative one are edges."""
    source = "from . import b\n\ndef f() -> None:\n    from dvarchive.x import y\n    import dvarchive.z\n"
    found = list(imported(ast.parse(source), "dvarchive.pkg.a", is_package=False))
    assert found == [("dvarchive.pkg", ["b"]), ("dvarchive.x", ["y"]), ("dvarchive.z", [])]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    merged = parts_graph({"dvarchive.r": {"dvarchive.c.x"}, "dvarchive.c.y": {"dvarchive.r", "dvarchive.c.x"},
                          "dvarchive.c.x": set()})
    assert cycles(merged) == [["dvarchive.c", "dvarchive.r"]]


def test_no_module_of_dvarchive_imports_itself_through_others() -> None:
    assert cycles(import_graph()) == []


def test_no_two_parts_of_dvarchive_import_each_other() -> None:
    assert cycles(parts_graph(import_graph())) == []
