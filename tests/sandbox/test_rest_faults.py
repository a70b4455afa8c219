"""Stories 4-6, 8, 10: 429/5xx retries, 403, validation errors, nonce dedup, 404."""

from __future__ import annotations

import asyncio

import discord
import pytest

from papers_sandbox import SandboxServer

from .client import ClientHarness

CREATE = "POST /channels/*/messages"


async def test_429_is_retried_and_message_exists_once(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    sandbox.rate_limit(CREATE, retry_after=0.3)

    message = await harness.channel("papers").send("rate limited hello")

    attempts = sandbox.requests("POST", "/channels/*/messages")
    assert [r.status for r in attempts] == [429, 200]
    assert attempts[1].time - attempts[0].time >= 0.3  # the retry waited as told
    stored = sandbox.messages("papers")
    assert [m["content"] for m in stored] == ["rate limited hello"]
    assert stored[0]["id"] == str(message.id)


async def test_global_429_is_retried(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    sandbox.rate_limit(CREATE, retry_after=0.2, global_=True)

    await harness.channel("general").send("after global limit")

    assert [r.status for r in sandbox.requests("POST", "/channels/*/messages")] == [429, 200]
    assert sandbox.world.message_contents(sandbox.channel("general").id) == ["after global limit"]


async def test_5xx_is_retried_once(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    sandbox.fail_next(CREATE, n=1, status=500)

    await harness.channel("papers").send("survives a 500")

    assert [r.status for r in sandbox.requests("POST", "/channels/*/messages")] == [500, 200]
    assert sandbox.world.message_contents(sandbox.channel("papers").id) == ["survives a 500"]


async def test_forbidden_channel_raises_and_others_still_work(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    sandbox.forbid_channel(sandbox.channel("announcements").id)

    with pytest.raises(discord.Forbidden) as caught:
        await harness.channel("announcements").send("nope")
    assert caught.value.code == 50013 and caught.value.status == 403

    await harness.channel("general").send("yes")
    assert sandbox.messages("announcements") == []
    assert sandbox.world.message_contents(sandbox.channel("general").id) == ["yes"]


async def test_deleted_channel_is_unknown(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    stale = harness.channel("announcements")
    sandbox.delete_channel(stale.id)

    with pytest.raises(discord.NotFound) as caught:
        await stale.send("into the void")
    assert caught.value.code == 10003


async def test_embed_title_over_256_is_rejected_with_50035(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    embed = discord.Embed(title="x" * 300, description="fine")

    with pytest.raises(discord.HTTPException) as caught:
        await harness.channel("papers").send(embed=embed)

    assert caught.value.status == 400 and caught.value.code == 50035
    assert "embeds.0.title" in caught.value.text
    (rejected,) = sandbox.requests("POST", "/channels/*/messages")
    assert rejected.response["errors"]["embeds"]["0"]["title"]["_errors"][0]["code"] == (
        "BASE_TYPE_MAX_LENGTH"
    )
    assert sandbox.messages("papers") == []


async def test_content_over_2000_is_rejected(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    with pytest.raises(discord.HTTPException) as caught:
        await harness.channel("papers").send("a" * 2001)
    assert caught.value.code == 50035 and "content" in caught.value.text


async def test_enforce_nonce_deduplicates(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    channel = harness.channel("papers")

    first = await channel.send("digest for 2025-05-07", nonce="digest-2025-05-07")
    second = await channel.send("digest for 2025-05-07", nonce="digest-2025-05-07")

    assert first.id == second.id
    assert len(sandbox.messages("papers")) == 1
    bodies = [r.json for r in sandbox.requests("POST", "/channels/*/messages")]
    assert all(b["enforce_nonce"] is True and b["nonce"] == "digest-2025-05-07" for b in bodies)


async def test_enforced_buckets_make_discord_py_wait_without_429(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    sandbox.enforce_rate_limits()
    sandbox.limiter.set_policy(CREATE, limit=2, window=0.3)
    await harness.start()
    channel = harness.channel("general")

    for i in range(5):
        await channel.send(f"burst {i}")

    statuses = [r.status for r in sandbox.requests("POST", "/channels/*/messages")]
    assert statuses == [200] * 5  # discord.py obeyed X-RateLimit-Remaining/Reset-After
    assert len(sandbox.messages("general")) == 5
    last = sandbox.requests("POST", "/channels/*/messages")[-1]
    assert last.status == 200


async def test_multipart_upload_is_accepted(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    import io

    file = discord.File(io.BytesIO(b"# digest\n"), filename="digest.md")
    message = await harness.channel("papers").send("with file", file=file)

    assert message.attachments[0].filename == "digest.md"
    (request,) = sandbox.requests("POST", "/channels/*/messages")
    assert request.files == ["digest.md"] and request.json["content"] == "with file"


async def test_global_limit_enforced_under_burst(
    sandbox: SandboxServer, harness: ClientHarness
) -> None:
    await harness.start()
    sandbox.enforce_rate_limits(global_per_second=4)
    channels = [harness.channel(n) for n in ("papers", "general", "announcements")]

    await asyncio.gather(*(c.send(f"{c.name} {i}") for c in channels for i in range(2)))

    rejected = sandbox.requests("POST", "/channels/*/messages", status=429)
    assert rejected and all(r.response["global"] is True for r in rejected)
    for channel in channels:
        contents = sandbox.world.message_contents(channel.id)
        assert sorted(contents) == [f"{channel.name} 0", f"{channel.name} 1"]


async def test_unknown_route_is_json_404(sandbox: SandboxServer, harness: ClientHarness) -> None:
    await harness.start()
    route = discord.http.Route("GET", "/definitely/not/a/route")
    with pytest.raises(discord.NotFound) as caught:
        await harness.client.http.request(route)
    assert caught.value.code == 0 and caught.value.status == 404
