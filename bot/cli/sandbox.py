"""`papers-bot sandbox`: see the bot work with no Discord account and no token."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sandbox", help="play a short scene with the real bot on a loopback Discord")
    p.add_argument("--keep-running", action="store_true", help="leave the server up afterwards")
    p.add_argument(
        "--korean-summaries",
        action="store_true",
        help="built days get Korean summaries from a loopback OpenAI-compatible endpoint",
    )


async def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: `papers-bot run`, `load` and `search` import this module
    # for its parser and must not load the loopback server (tests/test_import_contract.py).
    from papers_sandbox.scene import run_scene

    try:
        return await run_scene(
            sys.stdout, keep_running=args.keep_running, korean_summaries=args.korean_summaries
        )
    except TimeoutError:
        print("papers-bot sandbox: the scene did not finish in time", file=sys.stderr)
        return 1
