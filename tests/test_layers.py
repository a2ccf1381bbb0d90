"""The package's shape: four layers, one folder each, imports going one way only.

    cli/ → adapter/ → outputs/ → core/

A module may import its own layer and the layers below it, never one above; only adapter/
(and cli/, through it) may import MkDocs, Material or Jinja; no two modules import each
other, directly or round a loop. Read from the source with ``ast``, imports inside
functions included, so a lazy import cannot hide an arrow.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"
LAYERS = ("core", "outputs", "adapter", "cli")  # bottom to top
FRAMEWORKS = ("mkdocs", "material", "jinja2")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, modules: dict[str, Path]) -> tuple[set[str], set[str]]:
    """(modules of this package, top-level names of other packages) that ``path`` imports."""
    ours, theirs = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from a.b import c`: c is a module when a.b.c is one, else a name of a.b
            names = [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module for a in node.names
            ]
        else:
            continue
        for name in names:
            if name.split(".")[0] == "site_builder":
                while name not in modules:  # a name below a module: the module
                    name = name.rpartition(".")[0]
                ours.add(name)
            else:
                theirs.add(name.split(".")[0])
    return ours, theirs


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    modules = _modules()
    ours, theirs = {}, {}
    for name, path in modules.items():
        ours[name], theirs[name] = _imports(path, modules)
    return ours, theirs


def test_every_module_is_in_a_layer():
    outside = [m for m in _modules() if _layer(m) is None and m not in ("site_builder", "site_builder.__main__")]
    assert not outside, f"modules outside cli/, adapter/, outputs/ and core/: {outside}"


def test_imports_go_down_the_layers_only():
    ours, _ = _graph()
    upward = [
        f"{source} ({LAYERS[_layer(source)]}) imports {target} ({LAYERS[_layer(target)]})"
        for source, targets in ours.items()
        if _layer(source) is not None
        for target in sorted(targets)
        if _layer(target) is not None and _layer(target) > _layer(source)
    ]
    assert not upward, "an import runs up the layers (cli → adapter → outputs → core):\n" + "\n".join(upward)


@pytest.mark.parametrize("layer", ["core", "outputs"])
def test_only_the_adapter_imports_mkdocs_material_or_jinja(layer):
    _, theirs = _graph()
    found = [
        f"{module} imports {', '.join(sorted(set(names) & set(FRAMEWORKS)))}"
        for module, names in theirs.items()
        if _layer(module) == LAYERS.index(layer) and set(names) & set(FRAMEWORKS)
    ]
    assert not found, f"{layer}/ must not import MkDocs, Material or Jinja (adapter/ does):\n" + "\n".join(found)


def test_no_import_cycles():
    ours, _ = _graph()
    cycles = []
    # Tarjan's strongly connected components; a component of two or more modules is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in ours[node] - {node}:
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
                cycles.append(sorted(component))

    for node in sorted(ours):
        if node not in index:
            visit(node)
    assert not cycles, "modules that import each other in a loop:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The reader above finds an arrow that runs up (so a green run means something)."""
    fake = tmp_path / "site_builder"
    for layer in ("core", "adapter"):
        (fake / layer).mkdir(parents=True)
        (fake / layer / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "adapter" / "plugin.py").write_text("import mkdocs\n")
    (fake / "core" / "model.py").write_text("def f():\n    from site_builder.adapter import plugin\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    with pytest.raises(
        AssertionError, match=r"site_builder\.core\.model \(core\) imports site_builder\.adapter\.plugin"
    ):
        test_imports_go_down_the_layers_only()
