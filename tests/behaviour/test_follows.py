"""/follow as a member uses it, and the alert DMs a new digest day brings: one per member and
day, the matching papers as cards saying which follow matched, split and never dropped; DMs
closed or a member gone are told, not retried every day."""

from __future__ import annotations

import datetime as dt
import re

import discord
import pytest
import simcord

from bot.app import PapersBot
from bot.i18n_text import TEXT

from .support import DailyWorld, paper_id, paper_title, publish, refusal, response

JAN_1, JAN_2, JAN_3, JAN_4 = (dt.date(2026, 1, d) for d in (1, 2, 3, 4))
TICK = 31  # seconds: one alerts tick (30 s) and its paced DMs


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


def leaf_components(message: discord.Message) -> list[discord.Component]:
    """The buttons and menus of a message, row by row."""
    rows = [row for row in message.components if isinstance(row, discord.ActionRow)]
    return [child for row in rows for child in row.children]


def dms(daily: DailyWorld, member: simcord.MemberActor) -> list[discord.Message]:
    """The bot's messages in the member's DM channel with it."""
    bot_id = daily.env.backend.bot_user.id
    return [m for m in member.user.dm_channel.history() if m.author.id == bot_id]


def cards(messages: list[discord.Message]) -> list[discord.Embed]:
    return [e for m in messages for e in m.embeds]


def matched(embed: discord.Embed) -> str:
    (field,) = [f for f in embed.fields if f.name in ("Matched", "팔로우")]
    return str(field.value)


def answer(result: simcord.InteractionResult) -> str:
    message = response(result)
    assert result.ephemeral and message.ephemeral, message
    parts = [message.content or "", *(e.description or "" for e in message.embeds)]
    return "\n".join(p for p in parts if p)


async def follow(daily: DailyWorld, member: simcord.MemberActor, kind: str, **options: str) -> str:
    return answer(await member.slash(daily.channel, f"follow {kind}", **options))


async def next_tick(daily: DailyWorld) -> None:
    await daily.env.advance_time(TICK)


def dm_requests(daily: DailyWorld, member: simcord.MemberActor, mark: int) -> int:
    channel_id = daily.env.backend.dm_channels.get(member.id)
    paths = {"/users/@me/channels", f"/channels/{channel_id}/messages"}
    return sum(1 for r in daily.env.http_requests[mark:] if r.path in paths)


# --- the commands ---------------------------------------------------------------------------


async def test_following_words_brings_the_next_days_alert(daily: DailyWorld) -> None:
    await publish(daily.papers, JAN_1)
    await next_tick(daily)  # the day already out when the member follows brings nothing
    said = await follow(daily, daily.member, "keyword", words='"Finding number 2"')
    assert "Following the words" in said and "(1/25 follows)" in said
    await next_tick(daily)
    assert dms(daily, daily.member) == []

    await publish(daily.papers, JAN_2)
    await next_tick(daily)

    (alert,) = dms(daily, daily.member)
    assert (alert.content or "").endswith("Daily Papers 2026-01-02: 1 matching paper")
    (card,) = alert.embeds
    assert card.title == f"1. {paper_title(JAN_2, 1)}"
    assert card.url == f"https://arxiv.org/abs/{paper_id(JAN_2, 1)}"
    assert matched(card) == 'words `"Finding number 2"`'
    (save,) = leaf_components(alert)  # the card's Save
    assert isinstance(save, discord.Button)
    assert save.custom_id == f"save:{paper_id(JAN_2, 1)}" and save.label == "Save"
    await next_tick(daily)
    assert len(dms(daily, daily.member)) == 1  # once per day
    assert dms(daily, daily.admin) == []  # who follows nothing gets nothing


async def test_each_paper_says_which_follows_matched(daily: DailyWorld) -> None:
    await follow(daily, daily.member, "keyword", words="finding")
    await follow(daily, daily.member, "author", name="author 0 kim")
    await publish(daily.papers, JAN_2)
    await next_tick(daily)

    (alert,) = dms(daily, daily.member)
    first, second, third = alert.embeds
    assert matched(first) == "words `finding` · author `author 0 kim`"
    assert matched(second) == matched(third) == "words `finding`"
    (menu,) = leaf_components(alert)  # "Save one of these…"
    assert isinstance(menu, discord.SelectMenu) and menu.custom_id == "save:pick"
    assert [o.label for o in menu.options] == [e.title for e in alert.embeds]


async def test_author_autocomplete_is_authors(daily: DailyWorld) -> None:
    await publish(daily.papers, JAN_1)
    choices = await daily.member.autocomplete(daily.channel, "follow author", "name", "author 1")
    assert [c["value"] for c in choices] == ["Author 1 Kim"]


async def test_list_remove_and_its_autocomplete_are_the_members_own(daily: DailyWorld) -> None:
    await follow(daily, daily.member, "keyword", words="diffusion")
    await follow(daily, daily.member, "author", name="Kim")
    await follow(daily, daily.admin, "keyword", words="robots")

    listed = await daily.member.slash(daily.channel, "follow list")
    assert answer(listed).splitlines() == ["1. words `diffusion`", "2. author `Kim`"]
    assert response(listed).embeds[0].title == "Your follows (2/25)"

    mine = await daily.member.autocomplete(daily.channel, "follow remove", "follow", "")
    assert mine == [
        {"name": "words diffusion", "value": "keyword:diffusion"},
        {"name": "author Kim", "value": "author:Kim"},
    ]
    some = await daily.member.autocomplete(daily.channel, "follow remove", "follow", "dif")
    assert [c["value"] for c in some] == ["keyword:diffusion"]

    said = answer(
        await daily.member.slash(daily.channel, "follow remove", follow="keyword:diffusion")
    )
    assert said == "You no longer follow words `diffusion`."
    again = await daily.member.slash(daily.channel, "follow remove", follow="keyword:diffusion")
    assert "You do not follow `diffusion`" in refusal(daily.env, again)
    theirs = await daily.member.slash(daily.channel, "follow remove", follow="keyword:robots")
    assert "You do not follow `robots`" in refusal(daily.env, theirs)
    typed = answer(await daily.member.slash(daily.channel, "follow remove", follow="Kim"))
    assert typed == "You no longer follow author `Kim`."
    empty = await daily.member.slash(daily.channel, "follow list")
    assert answer(empty) == TEXT["en"]["follow_none"]


async def test_the_26th_follow_is_refused_clearly(daily: DailyWorld) -> None:
    for i in range(25):
        said = await follow(daily, daily.member, "keyword", words=f"word{i}")
        assert f"({i + 1}/25 follows)" in said
    refused = await daily.member.slash(daily.channel, "follow keyword", words="one more")
    assert refusal(daily.env, refused) == (
        "You already have 25 follows, the most a member can have. "
        "Remove one with `/follow remove` first."
    )
    twice = await daily.member.slash(daily.channel, "follow keyword", words="word3")
    assert refusal(daily.env, twice) == "You already follow `word3`."


@pytest.mark.parametrize(
    ("kind", "options", "says"),
    [
        ("keyword", {"words": '!!! "" ???'}, "has no words to look for"),
        ("keyword", {"words": "x" * 101}, "That is 101 characters; a follow can have at most 100."),
        ("keyword", {"words": "\u200b \u2028 ~~ @"}, "has no words"),
        ("author", {"name": "..."}, "is not a name"),
    ],
)
async def test_bad_input_gets_a_clear_answer(
    daily: DailyWorld, kind: str, options: dict[str, str], says: str
) -> None:
    result = await daily.member.slash(daily.channel, f"follow {kind}", **options)
    assert says in refusal(daily.env, result)
    assert (
        answer(await daily.member.slash(daily.channel, "follow list")) == TEXT["en"]["follow_none"]
    )


async def test_korean_members_get_korean_answers_and_alerts(
    daily: DailyWorld, locales: dict[int, str]
) -> None:
    locales[daily.member.id] = "ko"
    said = await follow(daily, daily.member, "keyword", words="finding")
    assert "팔로우 완료" in said
    await publish(daily.papers, JAN_2)
    await next_tick(daily)
    (alert,) = dms(daily, daily.member)
    assert "맞는 논문 3편" in (alert.content or "")
    assert matched(alert.embeds[0]) == "단어 `finding`"


async def test_status_says_where_alerts_go_and_the_last_one(daily: DailyWorld) -> None:
    await follow(daily, daily.member, "keyword", words="finding")
    before = answer(await daily.member.slash(daily.channel, "follow status"))
    assert "Alerts go to your direct messages with me" in before and "No alert yet" in before
    await publish(daily.papers, JAN_2)
    await next_tick(daily)
    after = answer(await daily.member.slash(daily.channel, "follow status"))
    assert "Last alert: 2026-01-02, 3 papers in 1/1 messages (done)." in after
    assert re.search(r"Sent <t:\d+:R>\.", after)


# --- delivery problems ------------------------------------------------------------------------


async def test_closed_dms_are_recorded_told_and_not_retried_every_day(daily: DailyWorld) -> None:
    other = daily.guild.add_member(daily.env.create_user("carol"))
    await follow(daily, daily.member, "keyword", words="finding")
    await follow(daily, other, "keyword", words="finding")
    dm = daily.env.backend.get_dm_channel(daily.member.id)  # as the bot will open it
    daily.env.inject_error(
        "POST",
        f"/channels/{dm.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
    )
    await publish(daily.papers, JAN_2)
    await next_tick(daily)
    assert dms(daily, daily.member) == []
    assert len(dms(daily, other)) == 1  # one member's failure is theirs alone

    mark = len(daily.env.http_requests)
    await publish(daily.papers, JAN_3)  # the member was not told yet: not tried again
    await next_tick(daily)
    assert len(dms(daily, other)) == 2
    assert dm_requests(daily, daily.member, mark) == 0

    status = answer(await daily.member.slash(daily.channel, "follow status"))
    assert "I could not send you the alert of 2026-01-02" in status
    assert "allow direct messages from server members" in status
    await publish(daily.papers, JAN_4)  # told (and, say, DMs allowed): tried again
    await next_tick(daily)
    (alert,) = dms(daily, daily.member)
    assert "2026-01-04" in (alert.content or "")


async def test_the_next_follow_command_tells_of_closed_dms(daily: DailyWorld) -> None:
    await follow(daily, daily.member, "keyword", words="finding")
    dm = daily.env.backend.get_dm_channel(daily.member.id)
    daily.env.inject_error("POST", f"/channels/{dm.id}/messages", status=403, code=50007)
    await publish(daily.papers, JAN_2)
    await next_tick(daily)
    said = await follow(daily, daily.member, "author", name="Kim")
    assert said.startswith("⚠️ I could not send you the alert of 2026-01-02")
    assert "Following the author `Kim`" in said
    assert "could not send" not in await follow(daily, daily.member, "keyword", words="x")


async def test_a_member_who_left_every_server_gets_no_alert(daily: DailyWorld) -> None:
    other = daily.guild.add_member(daily.env.create_user("carol"))
    await follow(daily, daily.member, "keyword", words="finding")
    await follow(daily, other, "keyword", words="finding")
    daily.guild.remove_member(daily.member)
    await publish(daily.papers, JAN_2)
    await next_tick(daily)
    assert dms(daily, daily.member) == []
    assert len(dms(daily, other)) == 1


async def test_80_matching_papers_are_split_across_messages_none_dropped(
    daily: DailyWorld,
) -> None:
    await follow(daily, daily.member, "keyword", words="finding")
    await publish(daily.papers, JAN_2, votes=list(range(80)))
    await next_tick(daily)

    alert = dms(daily, daily.member)
    titles = [e.title for e in cards(alert)]
    assert titles == [f"{i + 1}. {paper_title(JAN_2, i)}" for i in range(80)]
    assert len(alert) == 8 and all(len(m.embeds) <= 10 for m in alert)
    assert all(sum(len(e) for e in m.embeds) <= 6000 for m in alert)
    assert "80 matching papers" in (alert[0].content or "")
    assert [m.content for m in alert[1:]] == [
        f"📬 Your follows, continued ({i}/8)" for i in range(2, 9)
    ]
