"""The scene's transcript shows an uploaded file by name, size and first lines."""

from __future__ import annotations

import io

from papers_sandbox.files import SentFile, sent_files
from papers_sandbox.transcript import Transcript

LINES = [f"line {i}" for i in range(1, 9)]


def _message() -> dict[str, object]:
    attachment = {"id": "7", "filename": "saved.bib", "size": 1234, "content_type": "text/plain"}
    return {"content": "Your list:", "flags": 64, "attachments": [attachment]}


def test_attachment_name_size_and_first_lines() -> None:
    out = io.StringIO()
    data = ("\n".join(LINES) + "\n").encode()

    def lookup(message: dict[str, object]) -> list[SentFile]:
        return sent_files(message, {7: data})

    Transcript(out, files=lookup).message(_message(), who="papers-bot")

    shown = out.getvalue().splitlines()
    assert shown[:2] == ["papers-bot (only they see this):", "  Your list:"]
    assert shown[2] == "  📎 saved.bib (1,234 bytes)"
    assert shown[3:8] == [f"    │ line {i}" for i in range(1, 6)]
    assert shown[8] == "    │ … (8 lines in all)"


def test_attachment_without_its_bytes_is_named() -> None:
    out = io.StringIO()
    Transcript(out).message(_message())
    assert out.getvalue().splitlines()[-1] == "  📎 saved.bib (1,234 bytes)"
