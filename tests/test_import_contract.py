"""The import contract of bot/ and papers_sandbox/ (the rules are in tests/import_graph.py), and
`papers-bot run`, `load` and `search` never loading the loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT
from tests.import_graph import cycle_violations, layering_violations

SAMPLE = ROOT / "papers_sandbox" / "sample"

_COMMANDS_THEN_MODULES = textwrap.dedent(
    """
    import json, sys
    from bot.cli.main import main

    db, sample = sys.argv[1], sys.argv[2]
    codes = [main(["load", sample, "--db", db]), main(["search", "model", "--db", db]),
             main(["run", "--db", db])]
    server = sorted(m for m in sys.modules
                    if m.split(".")[0] == "papers_sandbox" or m.startswith("aiohttp.web"))
    print(json.dumps({"codes": codes, "server": server}))
    """
)


def test_run_load_and_search_never_load_the_loopback_server(tmp_path: Path) -> None:
    # A fresh interpreter: this one has imported the server for other tests.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "PAPERS_BOT_"))}
    done = subprocess.run(
        [sys.executable, "-c", _COMMANDS_THEN_MODULES, str(tmp_path / "p.db"), str(SAMPLE)],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["codes"] == [0, 0, 2]  # run stops at the missing DISCORD_TOKEN
    assert "DISCORD_TOKEN is not set" in done.stderr
    assert report["server"] == []


def test_bot_and_sandbox_have_no_import_cycle() -> None:
    assert cycle_violations(ROOT) == []


def test_bot_and_sandbox_keep_their_layers() -> None:
    assert layering_violations(ROOT) == []


# ---- the checker itself, on small trees ------------------------------------------------------


def tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path -> source) under ``root``, with an __init__.py in every package."""
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents[:-1]:
            (root / parent / "__init__.py").touch()
        path.write_text(textwrap.dedent(source))
    return root


def test_modules_importing_each_other_are_a_cycle(tmp_path: Path) -> None:
    root = tree(tmp_path, {"bot/a.py": "from bot import b\n", "bot/b.py": "import bot.a\n"})
    assert "import cycle between modules: bot.a <-> bot.b" in cycle_violations(root)


def test_packages_importing_each_other_are_a_cycle(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "bot/store/papers.py": "from bot.digest.ids import parse_arxiv_id\n",
            "bot/store/text.py": "",
            "bot/digest/ids.py": "",
            "bot/digest/ingest.py": "from bot.store.text import index_text\n",
        },
    )
    (problem,) = cycle_violations(root)
    assert problem.startswith("import cycle between packages bot.digest <-> bot.store")
    assert "bot.store.papers imports bot.digest.ids (top-level, line 1)" in problem


APP_AND_FEATURE = {
    "bot/features/daily/cog.py": """\
        from __future__ import annotations
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from bot.app import PapersBot

        async def setup(bot: PapersBot) -> None: ...
        """,
}


def test_a_lazy_import_may_not_close_a_type_checking_cycle(tmp_path: Path) -> None:
    lazy = "async def add_cogs(bot):\n    from bot.features.daily.cog import setup\n"
    root = tree(tmp_path, {**APP_AND_FEATURE, "bot/app.py": lazy})
    assert cycle_violations(root) == [
        "a lazy import closes a cycle: bot.app imports bot.features.daily.cog (lazy, line 2)"
    ]
    (tmp_path / "bot/app.py").write_text('FEATURES = ("bot.features.daily",)  # loaded by name\n')
    assert cycle_violations(root) == []


def test_a_type_checking_import_for_annotations_alone_may_close_one(tmp_path: Path) -> None:
    root = tree(
        tmp_path, {**APP_AND_FEATURE, "bot/app.py": "from bot.features.daily.cog import setup\n"}
    )
    assert cycle_violations(root) == []
    (tmp_path / "bot/features/daily/cog.py").write_text(
        textwrap.dedent(APP_AND_FEATURE["bot/features/daily/cog.py"])
        + "def is_bot(x: object) -> bool:\n    return isinstance(x, PapersBot)\n"
    )
    assert cycle_violations(root) == [
        "bot.features.daily.cog imports PapersBot (line 8) under TYPE_CHECKING "
        "but uses it at run time"
    ]


def test_the_core_never_imports_a_feature_even_for_annotations(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "bot/features/daily/plan.py": "",
            "bot/render.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from bot.features.daily.plan import Planned\n",
            "bot/features/lookup/cog.py": "from bot import render\n",  # a feature uses the core
        },
    )
    assert layering_violations(root) == [
        "the core imports a feature or an entry point: "
        "bot.render imports bot.features.daily.plan (TYPE_CHECKING, line 3)"
    ]


def test_only_the_sandbox_subcommand_imports_the_server(tmp_path: Path) -> None:
    files = {
        "papers_sandbox/scene.py": "from bot.store import PaperStore\n",
        "bot/store/__init__.py": "",
        "bot/cli/main.py": "from bot.cli import run, sandbox\n",
        "bot/cli/sandbox.py": "def run():\n    from papers_sandbox.scene import run_scene\n",
        "bot/cli/run.py": "from aiohttp import ClientSession\n",
    }
    assert layering_violations(tree(tmp_path, files)) == []
    (tmp_path / "bot/cli/run.py").write_text("from aiohttp import web\n")
    (tmp_path / "bot/cli/sandbox.py").write_text("from papers_sandbox.scene import run_scene\n")
    assert layering_violations(tmp_path) == [
        "only bot.cli.sandbox may import the loopback server: "
        "bot.cli.run imports aiohttp.web (top-level, line 1)",
        "importing bot.cli.main loads the loopback server (papers_sandbox)",
    ]


def test_the_server_never_imports_the_bot(tmp_path: Path) -> None:
    files = {
        "bot/config.py": "",
        "papers_sandbox/scene.py": "from bot.config import Config\n",
        "papers_sandbox/server.py": "from papers_sandbox import world\n",
        "papers_sandbox/world.py": "",
    }
    assert layering_violations(tree(tmp_path, files)) == []
    (tmp_path / "papers_sandbox/world.py").write_text("from bot.config import Config\n")
    (tmp_path / "papers_sandbox/__init__.py").write_text("from papers_sandbox.scene import x\n")
    assert layering_violations(tmp_path) == [
        "the loopback server imports the bot: papers_sandbox.world imports bot.config "
        "(top-level, line 1)",
        "importing papers_sandbox loads the bot (bot)",
        "importing papers_sandbox.server loads the bot (bot)",
        "importing papers_sandbox.world loads the bot (bot)",
    ]
