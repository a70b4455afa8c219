"""`papers-bot run` with summaries on refuses an unusable PAPERS_BOT_LLM_KEY at once, unprinted."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import cli, process


def test_a_malformed_key_stops_run_without_printing_it(tmp_path: Path) -> None:
    config = tmp_path / "bot.yaml"
    config.write_text("summaries:\n  api_base: http://127.0.0.1:9/v1\n  model: m\n")
    done = cli(
        "run",
        "--config",
        str(config),
        "--db",
        str(tmp_path / "p.db"),
        cwd=tmp_path,
        env={
            "DISCORD_TOKEN": "x.y.z",
            "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",
            "PAPERS_BOT_LLM_KEY": "sk-SECRET\nX-Evil: 1",
        },
    )
    assert done.returncode == 2
    assert done.stderr == (
        "papers-bot: the key in PAPERS_BOT_LLM_KEY contains a line break, space, control or "
        "non-ASCII character (it is not printed here); set it to the key alone\n"
    )
    assert "SECRET" not in done.stdout + done.stderr


def test_the_sandbox_can_show_a_built_day_with_korean_summaries(tmp_path: Path) -> None:
    done = process("sandbox", "--korean-summaries", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "A loopback OpenAI-compatible model writes the built day's Korean summaries." in out
    built = out[out.index("Daily Papers — 2025-05-12") :]
    assert "이 논문은 Sparse Mixture Routers Learn to Plan을(를) 제안합니다." in built
    assert "*(English)*" not in built
    assert "**Technical Details**" in built  # /paper shows all three sections
    assert "Traceback" not in out + done.stderr and "Unclosed" not in done.stderr
