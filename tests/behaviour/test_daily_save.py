"""Save on the daily post: a "Save one of these…" menu under each message of cards and under
each message of a compact list, a Save button on each card of a thread post (simcord)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.app import PapersBot

from .support import (
    DailyWorld,
    bot_posts,
    button,
    components,
    paper_id,
    paper_title,
    publish,
    refusal,
    response,
    select_menu,
)

JAN_2 = dt.date(2026, 1, 2)


@pytest.fixture
def simcord_bot(daily_bot: PapersBot) -> PapersBot:
    return daily_bot


async def test_a_member_saves_one_of_the_cards_of_an_embeds_post(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_2, votes=tuple(range(12)))  # 12 cards: 10 + 2
    await daily.admin.slash(channel, "daily subscribe", channel=channel)
    await daily.admin.slash(channel, "daily post-now", channel=channel)

    header, first, second = bot_posts(env, channel)
    assert not components(header)
    menu = select_menu(first)
    assert menu["placeholder"] == "Save one of these…"
    assert [o["label"] for o in menu["options"]][:2] == [
        f"1. {paper_title(JAN_2, 0)}",
        f"2. {paper_title(JAN_2, 1)}",
    ]
    assert len(menu["options"]) == 10
    later = select_menu(second)["options"]
    assert [(o["label"], o["value"]) for o in later] == [
        (f"{n + 1}. {paper_title(JAN_2, n)}", paper_id(JAN_2, n)) for n in (10, 11)
    ]

    chosen = await daily.member.select(first, [paper_id(JAN_2, 1)])
    saved = response(chosen)
    assert chosen.ephemeral and saved.ephemeral
    assert saved.content == (
        f"🔖 Saved · 1 paper in your list\n**{paper_title(JAN_2, 1)}** · arXiv:{paper_id(JAN_2, 1)}"
    )
    await daily.member.select(second, [paper_id(JAN_2, 11)])
    listed = response(await daily.member.slash(channel, "saved list"))
    assert [e.title for e in listed.embeds[1:]] == [
        f"1. {paper_title(JAN_2, 11)}",
        f"2. {paper_title(JAN_2, 1)}",
    ]
    assert len(bot_posts(env, channel)) == 3  # the post itself is unchanged
    assert env.errors == []


async def test_each_card_of_a_thread_post_has_its_save_button(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_2)
    await daily.admin.slash(channel, "daily subscribe", channel=channel, style="thread")
    await daily.admin.slash(channel, "daily post-now", channel=channel)

    (thread,) = channel.threads
    cards = bot_posts(env, thread)
    assert [button(m, "Save")["custom_id"] for m in cards] == [
        f"save:{paper_id(JAN_2, i)}" for i in range(3)
    ]
    saved = response(await daily.member.click(cards[2], label="Save"))
    assert saved.content.startswith("🔖 Saved · 1 paper in your list\n**Paper 3 of 2026-01-02**")


async def test_the_preview_shows_the_menu_the_post_will_have(daily: DailyWorld) -> None:
    channel = daily.channel
    await publish(daily.papers, JAN_2)
    preview = await daily.admin.slash(channel, "daily preview")
    (cards,) = preview.followups
    assert [o["value"] for o in select_menu(cards)["options"]] == [
        paper_id(JAN_2, i) for i in range(3)
    ]


async def test_a_member_saves_from_the_menu_under_a_compact_post(daily: DailyWorld) -> None:
    env, channel = daily.env, daily.channel
    await publish(daily.papers, JAN_2)
    await daily.admin.slash(channel, "daily subscribe", channel=channel, style="compact")
    await daily.admin.slash(channel, "daily post-now", channel=channel)

    (post,) = bot_posts(env, channel)
    assert post.content.count("\n") == 3  # the heading, then its three lines
    menu = select_menu(post)
    assert menu["placeholder"] == "Save one of these…"
    assert [(o["label"], o["value"]) for o in menu["options"]] == [
        (f"{n + 1}. {paper_title(JAN_2, n)}", paper_id(JAN_2, n)) for n in range(3)
    ]

    chosen = await daily.member.select(post, [paper_id(JAN_2, 2)])
    saved = response(chosen)
    assert chosen.ephemeral and saved.ephemeral
    assert saved.content == (
        f"🔖 Saved · 1 paper in your list\n**{paper_title(JAN_2, 2)}** · arXiv:{paper_id(JAN_2, 2)}"
    )
    listed = response(await daily.member.slash(channel, "saved list"))
    assert [e.title for e in listed.embeds[1:]] == [f"1. {paper_title(JAN_2, 2)}"]
    undone = response(await daily.member.click(saved, label="Undo"))
    assert undone.content.startswith("Removed from your list · 0 papers\n")
    assert len(bot_posts(env, channel)) == 1 and env.errors == []
    empty = await daily.member.slash(channel, "saved list")
    assert refusal(env, empty).startswith("Your list is empty.")
