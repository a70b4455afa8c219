"""What the bot imports: `papers-bot run`, `load` and `search` never load the loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

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
