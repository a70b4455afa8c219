"""Files the bot uploaded, as a member would open them from a message."""

from __future__ import annotations

from dataclasses import dataclass

from papers_sandbox.models import Json


@dataclass(frozen=True)
class SentFile:
    """One attachment of a stored message with the bytes that were uploaded for it."""

    attachment: Json
    data: bytes

    @property
    def filename(self) -> str:
        return str(self.attachment["filename"])

    @property
    def content_type(self) -> str | None:
        value = self.attachment.get("content_type")
        return None if value is None else str(value)

    @property
    def size(self) -> int:
        return int(self.attachment["size"])

    @property
    def text(self) -> str:
        """The file decoded as UTF-8 (a BOM dropped); undecodable bytes replaced."""
        return self.data.decode("utf-8-sig", errors="replace")

    def head(self, lines: int = 5) -> list[str]:
        """The first ``lines`` lines of the text."""
        return self.text.splitlines()[:lines]


def sent_files(message: Json, uploads: dict[int, bytes]) -> list[SentFile]:
    """The attachments of ``message``, in order, with their uploaded bytes."""
    out: list[SentFile] = []
    for attachment in message.get("attachments") or []:
        data = uploads.get(int(attachment["id"]), b"")
        out.append(SentFile(dict(attachment), data))
    return out
