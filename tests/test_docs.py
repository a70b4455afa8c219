"""The docs an operator reads match the code: every config key, every command-line command and
option is documented, and every relative link between the docs leads somewhere."""

from __future__ import annotations

import argparse
import dataclasses
import re
import typing
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from bot.config import Config

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["README.md", "CONTRIBUTING.md", "docs/design.md", "bench/RESULTS.md"]


def _config_keys(cls: type, prefix: str = "") -> list[str]:
    keys: list[str] = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        hint, key = hints[f.name], prefix + f.name
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            keys += _config_keys(hint, key + ".")
            continue
        keys.append(key)
        item = next(iter(typing.get_args(hint)), None)
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            keys += _config_keys(item, key + "[].")
    return keys


def _section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_every_config_key_is_in_the_readme_table_and_the_example() -> None:
    table = _section((ROOT / "README.md").read_text(), "Configuration")
    example = (ROOT / "config/bot.example.yaml").read_text()
    keys = _config_keys(Config)
    assert "daily.subscriptions[].max_papers" in keys
    undocumented = [k for k in keys if not re.search(rf"^\| `{re.escape(k)}` \|", table, re.M)]
    assert undocumented == []
    missing = [k for k in keys if f"{k.rsplit('.', 1)[-1]}:" not in example]
    assert missing == []


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_line_command_and_option_is_in_the_readme() -> None:
    section = _section((ROOT / "README.md").read_text(), "Command line")
    gaps = []
    for name, parser in _subcommands().items():
        if f"`papers-bot {name}" not in section:
            gaps.append(name)
        for action in parser._actions:
            flags = [o for o in action.option_strings if o not in ("-h", "--help")]
            if flags and not any(re.search(rf"[`\[ ]{o}\b", section) for o in flags):
                gaps.append(f"{name} {flags[-1]}")
    assert gaps == []


def _anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return {_anchor(m) for m in re.findall(r"^#+ (.*)$", text, re.M)}


@pytest.mark.parametrize("doc", DOCS)
def test_relative_links_and_anchors_resolve(doc: str) -> None:
    path = ROOT / doc
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    broken = []
    for link in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", link):
            continue
        target, _, fragment = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.exists() or (fragment and fragment not in _anchors(file)):
            broken.append(link)
    assert broken == []
