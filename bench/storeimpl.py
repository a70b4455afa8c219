"""Pick the PaperStore implementation to benchmark: the working tree's, or one from git.

`store_class("HEAD")` loads bot/store/papers.py and bot/store/text.py as they are at that
revision (read with `git show`, nothing in the tree changes), so a benchmark can compare the
store before and after a change on the same database. Schema and loader stay the working
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


def _git_show(rev: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


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
    text_name = f"_bench_{tag}_text"
    _module(text_name, _git_show(rev, "bot/store/text.py"))
    source = _git_show(rev, "bot/store/papers.py").replace(
        "from bot.store.text import", f"from {text_name} import"
    )
    try:
        cls: type[PaperStore] = _module(f"_bench_{tag}_papers", source).PaperStore
    except ImportError as exc:  # the store of a revision from before a module moved
        sys.exit(f"--rev {rev}: its store does not run on this tree's modules ({exc})")
    return cls
