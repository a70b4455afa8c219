"""Files uploaded as discord.py sends them (`payload_json` + `files[n]`): on channel messages,
interaction responses, followups and edits; the 10 MiB limit and malformed forms."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import aiohttp
import discord
import pytest

from papers_sandbox import SandboxServer

from .client import ClientHarness

BIBTEX = (
    "@misc{kim2025diffusion,\n"
    "  title = {확산 모델의 강화 학습},\n"
    "  author = {Kim, Minji and Lee, Alex},\n"
    "  eprint = {2505.03011},\n"
    "}\n"
).encode()
MIB = 1024 * 1024
Json = dict[str, object]


def _file(data: bytes, name: str, description: str | None = None) -> discord.File:
    return discord.File(io.BytesIO(data), filename=name, description=description)


async def test_files_on_a_channel_message_become_attachments(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    files = [_file(BIBTEX, "saved.bib"), _file("id,title\n1,논문\n".encode(), "저장.csv", "list")]

    sent = await harness.channel("papers").send("your list", files=files)

    bib, csv = sent.attachments
    assert (bib.filename, bib.size) == ("saved.bib", len(BIBTEX))
    assert bib.content_type == "text/plain; charset=utf-8"
    assert bib.url.endswith(f"/attachments/{sent.channel.id}/{bib.id}/saved.bib")
    assert csv.filename == "저장.csv" and csv.content_type == "text/csv; charset=utf-8"
    assert csv.url.endswith("/" + quote("저장.csv"))
    assert csv.description == "list"
    opened = sandbox.files(sent.id)
    assert opened[0].head(2) == ["@misc{kim2025diffusion,", "  title = {확산 모델의 강화 학습},"]
    assert opened[1].text == "id,title\n1,논문\n"
    (request,) = sandbox.requests("POST", "/channels/*/messages")
    assert request.files == ["saved.bib", "저장.csv"]
    assert [u.data for u in request.uploads] == [BIBTEX, "id,title\n1,논문\n".encode()]
    assert request.uploads[0].head(1) == ["@misc{kim2025diffusion,"]
    stored = sandbox.messages("papers")[-1]
    assert [a["filename"] for a in stored["attachments"]] == ["saved.bib", "저장.csv"]


async def test_a_file_in_a_dm(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    user = await harness.user("minji")

    await user.send(file=_file(BIBTEX, "saved.bib"))

    (dm,) = sandbox.dms("minji")
    assert dm["content"] == "" and sandbox.files(dm)[0].data == BIBTEX


async def test_files_in_interaction_responses_followups_and_edits(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    @harness.tree.command(description="Export your list")
    async def export(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "your list", file=_file(BIBTEX, "saved.bib"), ephemeral=True
        )

    @harness.tree.command(description="Export later")
    async def later(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.followup.send(file=_file(b"# saved\n", "saved.md"), ephemeral=True)
        await interaction.edit_original_response(
            attachments=[_file(b"a,b\n", "saved.csv")], content="csv instead"
        )

    await harness.start()

    direct = await sandbox.invoke_command("export", user="minji")
    assert direct.callback_type == 4 and direct.ephemeral and direct.message is not None
    (attachment,) = direct.message["attachments"]
    assert attachment["filename"] == "saved.bib" and attachment["ephemeral"] is True
    assert sandbox.files(direct.message)[0].data == BIBTEX

    deferred = await sandbox.invoke_command("later", user="minji")
    await deferred.wait_for_messages(1)
    (done,) = deferred.messages  # the first followup filled the deferred response
    assert done["content"] == "csv instead"
    assert [f.filename for f in sandbox.files(done)] == ["saved.csv"]
    assert sandbox.files(done)[0].text == "a,b\n"
    multipart = [r for r in sandbox.requests() if r.uploads]
    assert [r.files for r in multipart] == [["saved.bib"], ["saved.md"], ["saved.csv"]]


async def test_ten_mib_per_request_then_413_40005(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    channel = harness.channel("papers")

    await channel.send(file=_file(b"x" * (10 * MIB), "exactly-10-mib.txt"))
    for files in (
        [_file(b"x" * (10 * MIB + 1), "too-big.txt")],
        [_file(b"x" * (6 * MIB), "a.txt"), _file(b"x" * (6 * MIB), "b.txt")],
    ):
        with pytest.raises(discord.HTTPException) as caught:
            await channel.send(files=files)
        assert caught.value.status == 413 and caught.value.code == 40005
        assert caught.value.text == "Request entity too large"

    assert [m["attachments"][0]["filename"] for m in sandbox.messages("papers")] == [
        "exactly-10-mib.txt"
    ]


async def _post(sandbox: SandboxServer, channel_id: int, data: object, **headers: str) -> Json:
    """A request by hand (discord.py never sends a malformed form): the JSON and status."""
    url = f"{sandbox.api_base}/channels/{channel_id}/messages"
    sent = {"Authorization": "Bot sandbox.bot.token", **headers}
    async with aiohttp.ClientSession() as session, session.post(url, data=data, headers=sent) as r:
        body: Json = await r.json()
        body["status"] = r.status
        return body


def _form(payload: str, files: list[tuple[str, str]]) -> aiohttp.FormData:
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("payload_json", payload)
    for index, (name, data) in enumerate(files):
        form.add_field(f"files[{index}]", data.encode(), filename=name)
    return form


async def test_malformed_forms_are_refused_like_discord(sandbox: SandboxServer) -> None:
    channel = sandbox.channel("papers").id

    broken = await _post(sandbox, channel, _form("{not json", [("a.txt", "a")]))
    assert broken == {"message": "The request body contains invalid JSON.", "code": 50109,
                      "status": 400}  # fmt: skip

    eleven = await _post(sandbox, channel, _form("{}", [(f"{i}.txt", "x") for i in range(11)]))
    assert eleven["status"] == 400 and eleven["code"] == 50035
    assert "attachments" in json.dumps(eleven["errors"])

    unnamed = _form(json.dumps({"attachments": [{"id": 0, "filename": ""}]}), [("a.txt", "a")])
    nameless = await _post(sandbox, channel, unnamed)
    assert nameless["status"] == 400 and nameless["code"] == 50035
    assert nameless["errors"] == {
        "attachments": {"0": {"filename": {"_errors": [
            {"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be between 1 and 1024 in length."}
        ]}}}
    }  # fmt: skip

    multipart = {"Content-Type": "multipart/form-data; boundary=xyz"}
    truncated = b'--xyz\r\nContent-Disposition: form-data; name="payload_json"\r\n\r\n{"content"'
    cut = await _post(sandbox, channel, truncated, **multipart)
    assert cut == {"message": "400: Bad Request", "code": 0, "status": 400}
    no_boundary = {"Content-Type": "multipart/form-data"}
    unbounded = await _post(sandbox, channel, b"--x\r\n", **no_boundary)
    assert unbounded == {"message": "400: Bad Request", "code": 0, "status": 400}
    assert sandbox.messages("papers") == []


async def test_an_edit_keeps_named_attachments_and_adds_files(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    sent = await harness.channel("papers").send(
        files=[_file(b"one\n", "one.txt"), _file(b"two\n", "two.txt")]
    )
    one, _two = sent.attachments

    edited = await sent.edit(attachments=[one, _file(b"three\n", "three.txt")])

    assert [a.filename for a in edited.attachments] == ["one.txt", "three.txt"]
    assert [f.text for f in sandbox.files(sent.id)] == ["one\n", "three\n"]
    assert edited.attachments[0].id == one.id
