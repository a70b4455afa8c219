"""Pick the PaperStore implementation to benchmark: the working tree's, or one from git.

`store_class("HEAD")` loads the store's query modules (`_REVISED`: text, limits, search,
listing, papers, those the revision has) as they are at that revision (read with `git show`,
nothing in the tree changes), so a benchmark can compare the store before and after a change
on the same database. Schema and loader stay the working
tree's (bot/store/db.py, migrations): an older store must work on the current schema.
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.store import PaperStore

# Modules of bot/store read from the revision, each after those it imports.
_REVISED = ("text", "limits", "search", "listing", "papers")


def _git_show(rev: str, path: str) -> str | None:
    """The file at the revision, or None if it has none."""
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
        capture_output=True,
        text=True,
    )
    return shown.stdout if shown.returncode == 0 else None


def _module(name: str, source: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = f"<{name}>"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def store_class(rev: str | None) -> type[PaperStore]:
    """PaperStore of the working tree (rev None) or of a git revision."""
    if rev is None:
        return PaperStore
    tag = "".join(c if c.isalnum() else "_" for c in rev)
    loaded: dict[str, str] = {}  # bot.store module -> its revision's module name
    module = None
    for name in _REVISED:
        source = _git_show(rev, f"bot/store/{name}.py")
        if source is None:
            continue
        for done, renamed in loaded.items():
            source = source.replace(f"from bot.store.{done} import", f"from {renamed} import")
        loaded[name] = f"_bench_{tag}_{name}"
        try:
            module = _module(loaded[name], source)
        except ImportError as exc:  # the store of a revision from before a module moved
            sys.exit(f"--rev {rev}: its store does not run on this tree's modules ({exc})")
    if module is None or "papers" not in loaded:
        sys.exit(f"--rev {rev}: no bot/store/papers.py there")
    cls: type[PaperStore] = module.PaperStore
    return cls
