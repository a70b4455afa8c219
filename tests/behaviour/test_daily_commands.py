"""/daily as a server admin uses it: who may, bad input, preview, post-now, styles, filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord
import pytest
import simcord
from discord import app_commands

from bot.app import PapersBot
from bot.errors import UserFacingError, unwrap

from .support import (
    DailyWorld,
    bot_posts,
    daily_payloads,
    numbered_titles,
    paper_id,
    paper_title,
    posted_days,
    publish,
    refusal,
    response,
    utc,
)

JAN_1, JAN_2 = dt.date(2026, 1, 1), dt.date(2026, 1, 2)
NEEDS_MANAGE_SERVER = "You need the Manage Server permission for this."
OTHER_SERVER = "You can only manage channels of this server."
NO_SUBSCRIPTIONS = "No channel in this server gets the daily digest."


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


def answer(result: simcord.InteractionResult) -> str:
    """The text the admin finally reads: a deferred command answers in a followup."""
    assert result.ephemeral, result
    messages = [*([result.response] if result.response else []), *result.followups]
    assert messages and all(m.ephemeral for m in messages), messages
    return messages[-1].content


def subcommands(channel: simcord.ChannelHandle) -> list[tuple[str, dict[str, Any]]]:
    """Every /daily subcommand with valid options."""
    return [
        ("daily subscribe", {"channel": channel, "style": "compact"}),
        ("daily unsubscribe", {"channel": channel}),
        ("daily status", {}),
        ("daily preview", {"channel": channel}),
        ("daily post-now", {"channel": channel, "force": True}),
    ]


def permission_errors(env: simcord.Env) -> list[BaseException]:
    errors = [unwrap(e) for e in env.errors]
    assert all(isinstance(e, app_commands.MissingPermissions) for e in errors), errors
    return errors


# --- who may use /daily -------------------------------------------------------------------


async def test_daily_is_offered_only_to_members_with_manage_server(daily: DailyWorld) -> None:
    command = daily.env.backend.find_command("daily", None)
    assert command is not None
    manage_guild = discord.Permissions(manage_guild=True).value
    assert int(command["default_member_permissions"]) == manage_guild
    assert "daily status" in daily.admin.available_commands(daily.channel)
    assert not [c for c in daily.member.available_commands(daily.channel) if "daily" in c]
    with pytest.raises(simcord.SetupError, match="default-member-permissions"):
        await daily.member.slash(daily.channel, "daily status")


async def test_a_server_override_does_not_let_members_manage_daily_posts(
    daily: DailyWorld,
) -> None:
    """The server lets bob use /daily (an override in Server Settings > Integrations); the bot
    still refuses him, ephemerally, because he lacks Manage Server."""
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_1)
    await daily.admin.slash(channel, "daily subscribe", channel=channel, time="07:15")
    command = env.backend.find_command("daily", None)
    assert command is not None
    daily.guild.set_command_permissions(int(command["id"]), {daily.member: True})
    assert "daily status" in daily.member.available_commands(channel)

    for name, options in subcommands(channel):
        result = await daily.member.slash(channel, name, **options)
        assert result.ephemeral and response(result).content == NEEDS_MANAGE_SERVER, name

    assert len(permission_errors(env)) == 5
    assert bot_posts(env, channel) == []  # neither preview nor post-now posted anything
    status = await daily.admin.slash(channel, "daily status")
    assert "Every day at 07:15 (Asia/Seoul), style embeds" in (
        response(status).embeds[0].description or ""
    )  # bob's subscribe and unsubscribe changed nothing


async def test_channels_of_another_server_are_refused(
    daily: DailyWorld, forged_channels: dict[int, int]
) -> None:
    """Discord's client offers only the server's own channels; a crafted interaction naming
    another server's channel is refused (by discord.py, which resolves channel options in the
    interaction's server only, before the bot's own check) and changes nothing."""
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_1)
    elsewhere = env.create_guild("Elsewhere")
    foreign = elsewhere.create_text_channel("general")
    decoy = daily.guild.create_text_channel("decoy")
    forged_channels[decoy.id] = foreign.id

    for name, options in subcommands(decoy):
        if "channel" not in options:
            continue
        result = await daily.admin.slash(channel, name, **options)
        message = response(result)
        assert result.ephemeral and message.ephemeral and not message.embeds, name

    assert bot_posts(env, foreign) == [] and bot_posts(env, decoy) == []
    status = await daily.admin.slash(channel, "daily status")
    assert response(status).content.startswith(NO_SUBSCRIPTIONS)
    *refused, none = [unwrap(e) for e in env.errors]
    assert len(refused) == 4 and isinstance(none, UserFacingError)
    assert all(isinstance(e, app_commands.TransformerError) for e in refused), refused


NOT_A_TIME = "is not a time. Use HH:MM, 24-hour, e.g. 09:00 or 18:30."
NOT_A_ZONE = "is not a timezone. Use an IANA name such as Asia/Seoul, Europe/Berlin or UTC."


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"time": "25:00"}, f"`25:00` {NOT_A_TIME}"),
        ({"time": "9h"}, f"`9h` {NOT_A_TIME}"),
        ({"time": "٠٩:٣٠"}, f"`٠٩:٣٠` {NOT_A_TIME}"),  # digits, but not the 0-9 of HH:MM
        ({"time": "9" * 6000}, f"`{'9' * 79}…` {NOT_A_TIME}"),
        ({"timezone": "Mars/Base"}, f"`Mars/Base` {NOT_A_ZONE}"),
        ({"timezone": "localtime"}, f"`localtime` {NOT_A_ZONE}"),  # the host's, whatever it is
        ({"timezone": "Factory"}, f"`Factory` {NOT_A_ZONE}"),
        ({"timezone": "posixrules"}, f"`posixrules` {NOT_A_ZONE}"),
        ({"timezone": "../../etc/passwd"}, f"`../../etc/passwd` {NOT_A_ZONE}"),
        ({"timezone": "Asia/" * 1200}, f"`{'Asia/' * 15}Asia…` {NOT_A_ZONE}"),
    ],
)
async def test_bad_time_or_timezone_is_refused_and_nothing_saved(
    daily: DailyWorld, options: dict[str, str], error: str
) -> None:
    channel = daily.channel
    result = await daily.admin.slash(channel, "daily subscribe", channel=channel, **options)

    assert refusal(daily.env, result) == error
    status = await daily.admin.slash(channel, "daily status")
    assert refusal(daily.env, status).startswith(NO_SUBSCRIPTIONS)


async def test_bad_input_is_refused_in_the_admins_language(
    daily: DailyWorld, locales: dict[int, str]
) -> None:
    locales[daily.admin.id] = "ko"
    channel = daily.channel

    time = await daily.admin.slash(channel, "daily subscribe", channel=channel, time="x" * 6000)
    zone = await daily.admin.slash(channel, "daily subscribe", channel=channel, timezone="화성")

    assert refusal(daily.env, time) == (
        f"`{'x' * 79}…`는 시각이 아닙니다. "
        "24시간제 HH:MM 형식으로 입력해 주세요 (예: 09:00, 18:30)."
    )
    assert refusal(daily.env, zone) == (
        "`화성`는 시간대가 아닙니다. Asia/Seoul, Europe/Berlin, UTC 같은 IANA 이름을 입력해 주세요."
    )


async def test_a_timezone_in_any_letter_case_is_saved_as_spelled_in_the_zone_database(
    daily: DailyWorld,
) -> None:
    channel = daily.channel
    subscribed = await daily.admin.slash(
        channel, "daily subscribe", channel=channel, time="07:30", timezone=" america/NEW_york "
    )
    assert "every day at 07:30 (America/New_York)" in answer(subscribed)
    status = await daily.admin.slash(channel, "daily status")
    assert "Every day at 07:30 (America/New_York)" in (response(status).embeds[0].description or "")


async def test_subscribe_and_unsubscribe(daily: DailyWorld) -> None:
    channel = daily.channel
    subscribed = await daily.admin.slash(
        channel, "daily subscribe", channel=channel, time="9:05", timezone="Europe/Berlin"
    )
    # 2026-01-01 00:00 UTC is 01:00 in Berlin: the first post is at 09:05 CET that day.
    assert answer(subscribed) == (
        f"Subscribed {channel.mention}: the digest is posted every day at 09:05 "
        f"(Europe/Berlin). Next post: <t:{int(utc(2026, 1, 1, 8, 5).timestamp())}:F>."
    )

    removed = await daily.admin.slash(channel, "daily unsubscribe", channel=channel)
    assert answer(removed) == f"{channel.mention} no longer gets the daily digest."
    again = await daily.admin.slash(channel, "daily unsubscribe", channel=channel)
    assert answer(again) == f"{channel.mention} was not subscribed."
    status = await daily.admin.slash(channel, "daily status")
    assert refusal(daily.env, status).startswith(NO_SUBSCRIPTIONS)


# --- preview ------------------------------------------------------------------------------


def compact_line(day: dt.date, i: int, votes: int) -> str:
    link = f"<https://arxiv.org/abs/{paper_id(day, i)}>"
    return f"{i + 1}. [{paper_title(day, i)}]({link}) — 👍 {votes}"


async def test_preview_shows_only_the_admin_exactly_what_will_be_posted(
    daily: DailyWorld,
) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_1, votes=(12, 40, 7, 25))
    await daily.admin.slash(
        channel, "daily subscribe", channel=channel, style="compact", max_papers=2
    )

    preview = await daily.admin.slash(channel, "daily preview", channel=channel)

    assert preview.ephemeral and not preview.followups
    shown = response(preview).content
    assert shown == "\n".join(
        [
            "**Daily Papers — 2026-01-01** · 2 papers",
            compact_line(JAN_1, 0, 12),
            compact_line(JAN_1, 1, 40),
        ]
    )
    assert bot_posts(env, channel) == []
    assert [m for m in channel.history(viewer=daily.member) if m.author.bot] == []

    posted = await daily.admin.slash(channel, "daily post-now", channel=channel)
    assert "(1 messages)" in answer(posted)
    assert [m.content for m in bot_posts(env, channel)] == [shown]


async def test_preview_of_the_default_embeds_style(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_1)
    await publish(daily.papers, JAN_2)  # the newest digest is previewed

    preview = await daily.admin.slash(channel, "daily preview")  # this channel, not subscribed

    header = response(preview)
    (cards,) = preview.followups
    assert preview.ephemeral and cards.ephemeral
    assert header.content == "## 📚 Daily Papers — 2026-01-02\n3 papers" and not header.embeds
    titles = [e.title for e in cards.embeds]
    assert titles == numbered_titles(JAN_2)
    assert bot_posts(env, channel) == []

    await daily.admin.slash(channel, "daily post-now", channel=channel)
    posted_header, posted_cards = bot_posts(env, channel)
    assert posted_header.content == header.content
    assert [e.to_dict() for e in posted_cards.embeds] == [e.to_dict() for e in cards.embeds]


# --- post-now and styles ------------------------------------------------------------------


async def test_post_now_posts_the_newest_digest_once_unless_forced(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_1)
    await publish(daily.papers, JAN_2)

    first = await daily.admin.slash(channel, "daily post-now", channel=channel)
    assert answer(first) == f"Posted the digest of 2026-01-02 in {channel.mention} (2 messages)."
    assert posted_days(bot_posts(env, channel)) == ["2026-01-02"]

    again = await daily.admin.slash(channel, "daily post-now", channel=channel)
    assert answer(again) == (
        f"The digest of 2026-01-02 was already posted in {channel.mention}. "
        "Use `force: True` to post it again."
    )
    assert len(bot_posts(env, channel)) == 2

    forced = await daily.admin.slash(channel, "daily post-now", channel=channel, force=True)
    assert answer(forced) == f"Posted the digest of 2026-01-02 in {channel.mention} (2 messages)."
    assert posted_days(bot_posts(env, channel)) == ["2026-01-02", "2026-01-02"]


async def test_thread_style_posts_a_header_and_one_message_per_paper_in_a_thread(
    daily: DailyWorld,
) -> None:
    env, channel, guild = daily.env, daily.channel, daily.guild
    await publish(daily.papers, JAN_2)
    await daily.admin.slash(channel, "daily subscribe", channel=channel, style="thread")

    await daily.admin.slash(channel, "daily post-now", channel=channel)

    (header,) = bot_posts(env, channel)
    assert header.content == "## 📚 Daily Papers — 2026-01-02\n3 papers"
    (thread,) = channel.threads
    assert thread.id == header.id and thread.name == "Daily Papers 2026-01-02"
    in_thread = bot_posts(env, thread)
    assert [[e.title for e in m.embeds] for m in in_thread] == [
        [paper_title(JAN_2, i)] for i in range(3)
    ]

    # Where the bot may not create threads, the same subscription falls back to embeds.
    me = guild.me
    assert me is not None
    closed = guild.create_text_channel(
        "no-threads", overwrites={me: discord.PermissionOverwrite(create_public_threads=False)}
    )
    await daily.admin.slash(channel, "daily subscribe", channel=closed, style="thread")
    await daily.admin.slash(channel, "daily post-now", channel=closed)
    fallback_header, cards = bot_posts(env, closed)
    assert fallback_header.content == header.content
    assert [e.title for e in cards.embeds] == numbered_titles(JAN_2)
    assert closed.threads == []


# --- what is posted -----------------------------------------------------------------------


async def test_min_votes_and_max_papers_filter_and_cap_the_post_and_nobody_is_pinged(
    daily: DailyWorld,
) -> None:
    env, channel, guild = daily.env, daily.channel, daily.guild
    ping = f"@everyone @here <@{daily.member.id}> <@&{guild.id}>"
    await publish(daily.papers, JAN_2, votes=(12, 40, 7, 25, None), summary=f"{ping} read this")
    everything = guild.create_text_channel("everything")
    await daily.admin.slash(channel, "daily subscribe", channel=channel, min_votes=10, max_papers=2)
    await daily.admin.slash(channel, "daily subscribe", channel=everything, style="thread")
    mark = len(env.http_requests)

    await daily.jump_to(utc(2026, 1, 2, 0, 0))  # 09:00 in Seoul: both post

    header, cards = bot_posts(env, channel)
    assert header.content == "## 📚 Daily Papers — 2026-01-02\n2 papers"
    assert [e.title for e in cards.embeds] == [
        f"1. {paper_title(JAN_2, 0)}",  # 12 votes
        f"2. {paper_title(JAN_2, 1)}",  # 40; not the 7, the 25 (over the cap) or the `-`
    ]
    (thread,) = everything.threads
    assert len(bot_posts(env, thread)) == 5
    shown = bot_posts(env, thread)[0].embeds[0].description or ""
    assert f"<@{daily.member.id}> <@&{guild.id}> read this" in shown, shown  # visible, not pinging

    payloads = daily_payloads(env, mark)
    assert len(payloads) == 2 + 1 + 5
    assert all(p.get("allowed_mentions") == {"parse": []} for p in payloads), payloads
    assert not any(m.mention_everyone or m.mentions or m.role_mentions for m in thread.history())
