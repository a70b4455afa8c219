"""The import graph of bot/ and papers_sandbox/, read from the source with `ast`, and the rules
it must keep (tests/test_import_contract.py):

- no import cycle between modules, and none between bot's packages (bot.store, bot.digest, ...);
  an import under ``if TYPE_CHECKING:`` may close a cycle only if it serves annotations alone,
  and a function-level (lazy) import counts like any other: it may not close one either;
- the core (everything in bot/ but the features and the entry points) never imports a feature;
- nothing in bot/ but bot/cli/sandbox.py imports papers_sandbox or aiohttp.web;
- papers_sandbox's server never imports bot: only its scene (which plays the real bot) does.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

PACKAGES = ("bot", "papers_sandbox")
FEATURES = ("bot.features",)  # member-facing features, one package each
ENTRY = ("bot.app", "bot.cli", "bot.__main__")  # put core and features together
SANDBOX_IMPORTER = "bot.cli.sandbox"  # the one bot module that may import the loopback server
SANDBOX_SCENE = ("papers_sandbox.scene",)  # the sandbox modules that may import the bot
SERVER = ("papers_sandbox", "aiohttp.web")  # what only SANDBOX_IMPORTER may import


class Kind(StrEnum):
    TOP = "top-level"  # runs when the module is imported
    LAZY = "lazy"  # inside a function: runs when it is called
    TYPING = "TYPE_CHECKING"  # never runs: for the type checker


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a module of the tree, or the dotted name of anything outside it
    kind: Kind
    line: int
    implied: bool = False  # a package run because a module inside it was imported

    def __str__(self) -> str:
        return f"{self.importer} imports {self.target} ({self.kind}, line {self.line})"


def within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for every module of PACKAGES under ``root``."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _parse(path: Path) -> ast.Module:
    return _parse_text(path.read_text(), str(path))


@functools.lru_cache(maxsize=512)
def _parse_text(text: str, filename: str) -> ast.Module:
    return ast.parse(text, filename)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, Kind]]:
    def walk(node: ast.AST, kind: Kind) -> Iterator[tuple[ast.Import | ast.ImportFrom, Kind]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, kind
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from walk(child, Kind.TYPING)
            for child in node.orelse:
                yield from walk(child, kind)
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            kind = Kind.TYPING if kind is Kind.TYPING else Kind.LAZY
        for sub in ast.iter_child_nodes(node):
            if isinstance(sub, ast.stmt | ast.excepthandler | ast.match_case):  # may hold one
                yield from walk(sub, kind)

    yield from walk(tree, Kind.TOP)


def _resolve(full: str, known: Mapping[str, Path]) -> str:
    """The module of the tree that ``full`` names (longest prefix), or ``full`` itself."""
    parts = full.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return full


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def imports(root: Path) -> list[Import]:
    """Every import of every module; importing ``a.b.c`` also imports ``a`` and ``a.b``."""
    known = modules(root)
    found: list[Import] = []
    for importer, path in known.items():
        is_package = path.name == "__init__.py"
        for node, kind in _import_nodes(_parse(path)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = importer.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                names = [f"{base}.{alias.name}" for alias in node.names]
            for full in names:
                target = _resolve(full, known)
                own = {importer, *_ancestors(importer)}
                for name in _ancestors(target):
                    if name in known and name not in own:
                        found.append(Import(importer, name, kind, node.lineno, implied=True))
                if target not in own:
                    found.append(Import(importer, target, kind, node.lineno))
    return list(dict.fromkeys(found))  # `from m import a, b` is one import of m


def _reaches(edges: Mapping[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _graph(found: Iterable[Import], kinds: set[Kind], unit: dict[str, str]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for imp in found:
        if imp.kind in kinds and imp.target in unit and unit[imp.importer] != unit[imp.target]:
            edges.setdefault(unit[imp.importer], set()).add(unit[imp.target])
    return edges


def _cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Each group of nodes that import each other (strongly connected, more than one): Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(groups)


def package_of(module: str) -> str:
    """The package a module belongs to for the package-level rule: bot.store, bot.app,
    bot.features.<name>, papers_sandbox."""
    parts = module.split(".")
    if parts[0] != "bot":
        return parts[0]
    depth = 3 if parts[1:2] == ["features"] else 2
    return ".".join(parts[:depth])


def _typing_names_used_at_runtime(path: Path) -> list[str]:
    """Names bound under ``if TYPE_CHECKING:`` that the module uses outside annotations."""
    tree = _parse(path)
    typing_only: set[str] = set()
    for imported, kind in _import_nodes(tree):
        if kind is Kind.TYPING:
            typing_only.update((a.asname or a.name).split(".")[0] for a in imported.names)
    annotations: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            annotations.update(id(n) for n in ast.walk(node.annotation))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            annotations.update(id(n) for n in ast.walk(node.returns))
    return sorted(
        {
            f"{node.id} (line {node.lineno})"
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id in typing_only and id(node) not in annotations
        }
    )


def cycle_violations(root: Path) -> list[str]:
    """Module and package cycles, and TYPE_CHECKING imports that are not for annotations."""
    found = imports(root)
    known = modules(root)
    problems: list[str] = []
    itself = {m: m for m in known}
    runtime = _graph(found, {Kind.TOP, Kind.LAZY}, itself)
    for group in _cycles(runtime):
        problems.append("import cycle between modules: " + " <-> ".join(group))
    everything = _graph(found, set(Kind), itself)
    for imp in found:
        if (
            imp.kind is Kind.LAZY
            and imp.target in known
            and _reaches(everything, imp.target, imp.importer)
        ):
            problems.append(f"a lazy import closes a cycle: {imp}")
    packages = _graph(found, {Kind.TOP, Kind.LAZY}, {m: package_of(m) for m in known})
    for group in _cycles(packages):
        through = [
            str(i)
            for i in found
            if i.kind is not Kind.TYPING
            and not i.implied
            and i.target in known
            and package_of(i.importer) in group
            and package_of(i.target) in group
            and package_of(i.importer) != package_of(i.target)
        ]
        problems.append(
            "import cycle between packages " + " <-> ".join(group) + ": " + "; ".join(through)
        )
    for module, path in known.items():
        for name in _typing_names_used_at_runtime(path):
            problems.append(f"{module} imports {name} under TYPE_CHECKING but uses it at run time")
    return problems


def layering_violations(root: Path) -> list[str]:
    known = modules(root)
    found = imports(root)
    loads = _graph(found, {Kind.TOP}, {m: m for m in known})  # what importing a module runs
    problems: list[str] = []
    for imp in (i for i in found if not i.implied):
        core = within(imp.importer, ["bot"]) and not within(imp.importer, FEATURES + ENTRY)
        if core and within(imp.target, FEATURES + ENTRY):
            problems.append(f"the core imports a feature or an entry point: {imp}")
        if (
            within(imp.importer, ["bot"])
            and imp.importer != SANDBOX_IMPORTER
            and within(imp.target, SERVER)
        ):
            problems.append(f"only {SANDBOX_IMPORTER} may import the loopback server: {imp}")
        if (
            within(imp.importer, ["papers_sandbox"])
            and not within(imp.importer, SANDBOX_SCENE)
            and within(imp.target, ["bot"])
        ):
            problems.append(f"the loopback server imports the bot: {imp}")
    for module in known:
        if within(module, ["bot"]) and module != SANDBOX_IMPORTER:
            reached = [
                m for m in known if within(m, ["papers_sandbox"]) and _reaches(loads, module, m)
            ]
            if reached:
                problems.append(f"importing {module} loads the loopback server ({reached[0]})")
        if within(module, ["papers_sandbox"]) and not within(module, SANDBOX_SCENE):
            reached = [m for m in known if within(m, ["bot"]) and _reaches(loads, module, m)]
            if reached:
                problems.append(f"importing {module} loads the bot ({reached[0]})")
    return problems
