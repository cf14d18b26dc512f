"""Data flows one way: the project's import graph, read from the source, has no cycle.

Every import counts, top-level and function-local alike: a function-local import hides a
cycle from Python, not from the design.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kb", "home", "practices")


def project_modules(root, packages):
    """{dotted module name: path} for the packages' sources, migrations left out."""
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            relative = path.relative_to(root).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            modules[".".join(parts)] = path
    return modules


def import_graph(root, packages):
    """{module: set of project modules it imports}, anywhere in its source."""
    modules = project_modules(root, packages)

    def resolve(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".") if is_package else module.split(".")[:-1]
                    base = base[: len(base) - node.level + 1]
                    parent = ".".join([*base, node.module] if node.module else base)
                else:
                    parent = node.module or ""
                # `from package import submodule` names the submodule; any other name is
                # something the module `parent` defines.
                names = [
                    f"{parent}.{alias.name}" if f"{parent}.{alias.name}" in modules else parent
                    for alias in node.names
                ]
            else:
                continue
            for name in names:
                target = resolve(name) if name.split(".")[0] in packages else None
                if target and target != module:
                    imported.add(target)
        graph[module] = imported
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan), as sets."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph.get(node, ()):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_function_local_and_relative_imports(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from .sub import b\n")
    (package / "sub" / "b.py").write_text("def later():\n    from ..c import thing\n")
    (package / "c.py").write_text("import pkg.a\n")
    (package / "d.py").write_text("from pkg import c\n")

    graph = import_graph(tmp_path, ("pkg",))

    assert graph["pkg.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.c"}
    assert cycles(graph) == [{"pkg.a", "pkg.sub.b", "pkg.c"}]


def test_no_import_cycle_between_project_modules():
    found = cycles(import_graph(ROOT, PACKAGES))
    assert not found, f"import cycles between project modules: {[sorted(c) for c in found]}"


def reachable(graph, start):
    """Every project module `start` imports, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        for successor in graph.get(todo.pop(), ()):
            if successor not in seen:
                seen.add(successor)
                todo.append(successor)
    return seen


#: Search's read side: what answers a search page or the API.
SEARCH_READ_SIDE = (
    "practices.search.service",
    "practices.search.listing",
    "practices.search.memory",
    "practices.search.query",
    "practices.search.engines.database",
    "practices.search.engines.elasticsearch",
)
#: The page models, and the package that re-exports them.
PAGE_MODELS = {"practices.models", "practices.models.pages"}


def test_search_read_side_never_imports_page_models():
    graph = import_graph(ROOT, PACKAGES)
    for module in SEARCH_READ_SIDE:
        assert module in graph, f"{module} moved: update SEARCH_READ_SIDE"
        assert not reachable(graph, module) & PAGE_MODELS, module
