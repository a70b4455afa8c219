"""The crash gap: Discord stored a message but the bot died (or never heard back) before the
ledger recorded it. The resend is deduplicated by its nonce within Discord's window; past the
window the resumed post finds the message in history. Either way it exists once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.features.daily.plan import nonce
from bot.features.daily.poster import LEASE, Poster
from papers_sandbox import SandboxServer
from papers_sandbox.recorder import RecordedRequest
from papers_sandbox.scene import SceneClock

from .harness import DAILY_DAY, DAILY_POST_AT, DailyBot, expected, load_digest, posted

AFTER_LEASE = LEASE + dt.timedelta(minutes=1)


def sends_of(sandbox: SandboxServer, channel_id: int, seq: int) -> list[RecordedRequest]:
    """Every POST of message `seq` of the day's post (first generation), wherever it went."""
    wanted = nonce(channel_id, DAILY_DAY, 0, seq)
    return [
        r
        for r in sandbox.requests("POST", "/channels/*/messages")
        if isinstance(r.json, dict) and r.json.get("nonce") == wanted
    ]


async def test_answer_lost_after_discord_stored_it_is_deduplicated_by_nonce(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 25)
    clock = SceneClock(DAILY_POST_AT + dt.timedelta(seconds=5))
    bot = await DailyBot(sandbox, db, clock).start()
    try:
        sub = await bot.subscribe("papers")
        plan = await bot.plan("papers")
        papers = sandbox.channel("papers").id
        # Message 3 is stored, but the answer is a 500: discord.py sends it again.
        sandbox.fail_next(f"POST /channels/{papers}/messages", status=500, after=2, handled=True)

        result = await bot.post(sub)

        assert result.outcome == "posted" and result.sent == len(plan)
        assert posted(sandbox, papers) == expected(plan)
        resends = sends_of(sandbox, papers, 2)
        assert [r.status for r in resends] == [500, 200]
        assert all(r.json["enforce_nonce"] is True for r in resends)
        stored = sandbox.messages("papers")[2]
        assert resends[1].response["id"] == stored["id"]  # Discord answered with the original
    finally:
        await bot.close()


@pytest.mark.parametrize("style", ["embeds", "thread"])
@pytest.mark.parametrize("safety_net", ["nonce", "history"])
async def test_died_between_send_and_record_then_restarted(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str,
    safety_net: str,
) -> None:  # fmt: skip
    if safety_net == "nonce":
        # Only Discord's dedup protects the resend: the history scan is switched off.
        async def nothing_in_history(*_: object) -> dict[int, tuple[int, int]]:
            return {}

        monkeypatch.setattr(Poster, "_found_in_history", nothing_in_history)
    else:
        sandbox.config.nonce_window = 0.0  # the restart comes after Discord's dedup window
    db = tmp_path / "papers.db"
    await load_digest(db, DAILY_DAY, 25 if style == "embeds" else 5)
    clock = SceneClock(DAILY_POST_AT - dt.timedelta(hours=1))
    first = await DailyBot(sandbox, db, clock).start()
    await first.subscribe("papers", style=style)
    plan = await first.plan("papers")
    papers = sandbox.channel("papers").id
    k = 2  # messages 0..k-1 recorded; message k stored by Discord, never recorded
    held = sandbox.hold("POST /channels/*/messages", skip=k, after_handling=True)

    clock.now = DAILY_POST_AT + dt.timedelta(seconds=5)
    first.run_due()
    await held.wait_held()
    await first.kill()
    state = await first_state(db, papers)
    assert state == ("posting", k)
    stored = sum(len(sandbox.world.messages(c)) for c in sandbox.world.channels)
    assert stored == k + 1

    clock.now += AFTER_LEASE
    second = DailyBot(sandbox, db, clock)
    try:
        await second.start()
        await second.runner.run_due(clock())
        await second.wait_settled("papers")
        assert posted(sandbox, papers) == expected(plan)
        if style == "thread":
            (thread,) = [c.id for c in sandbox.world.channels.values() if c.is_thread]
            assert posted(sandbox, thread) == expected(plan, in_thread=True)
        resent = sends_of(sandbox, papers, k)
        if safety_net == "nonce":
            # Sent again with the same nonce; Discord answered with the stored original.
            original = resent[0].response or stored_message_id(sandbox, resent[0])
            assert len(resent) == 2 and resent[1].response["id"] == original
        else:
            assert len(resent) == 1  # found in history, not sent again
        final = await second.ledger.post_state(papers, DAILY_DAY)
        assert final is not None and (final.status, final.sent) == ("done", len(plan))
    finally:
        await second.close()


def stored_message_id(sandbox: SandboxServer, request: RecordedRequest) -> str:
    """The id of the message a (still unanswered) request created."""
    (message,) = [
        m for m in sandbox.world.all_messages() if m.get("nonce") == request.json["nonce"]
    ]
    return str(message["id"])


async def first_state(db: Path, channel_id: int) -> tuple[str, int]:
    from bot.store import PaperStore
    from bot.store.daily import DailyStore

    store = await PaperStore.open(db)
    try:
        state = await DailyStore(store.db).post_state(channel_id, DAILY_DAY)
        assert state is not None
        return state.status, state.sent
    finally:
        await store.close()
