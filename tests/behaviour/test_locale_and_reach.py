"""Korean command names and answers, /help, DMs, and how the commands reach Discord."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
import simcord
from simcord import Env

from bot.app import PapersBot
from bot.store import PaperStore

from .support import (
    World,
    button,
    embeds,
    header,
    link_buttons,
    lookup_bot,
    make_config,
    picked,
    refusal,
    response,
    select_menu,
)

COMMANDS = {"paper", "search", "digest", "top", "author", "random", "help"}
NAME = re.compile(r"^[-_\w]{1,32}$")  # Discord's rule for command and option names


def synced_commands(env: Env) -> list[dict[str, Any]]:
    """The command list the bot PUT to Discord when it synced (globally, by default)."""
    puts = [
        r
        for r in env.http_requests
        if r.method == "PUT" and re.fullmatch(r"/applications/\d+/commands", r.path)
    ]
    assert len(puts) == 1, [(r.method, r.path) for r in env.http_requests]
    body = puts[0].json
    assert isinstance(body, list)
    return body


# --- localization of the commands ---------------------------------------------------------


async def test_paper_command_is_localized_in_korean(world: World) -> None:
    paper = next(c for c in synced_commands(world.env) if c["name"] == "paper")

    assert paper["name_localizations"] == {"ko": "논문"}
    assert paper["description_localizations"] == {"ko": "논문 한 편 보기"}
    options = {o["name"]: o for o in paper["options"]}
    assert options["query"]["name_localizations"] == {"ko": "검색어"}
    assert options["query"]["description_localizations"] == {
        "ko": "arXiv ID, arXiv 또는 Hugging Face 링크, 또는 제목의 단어"
    }
    assert options["ephemeral"]["name_localizations"] == {"ko": "나만보기"}
    assert options["ephemeral"]["description_localizations"] == {"ko": "나에게만 보이기"}


async def test_every_command_option_and_choice_has_a_korean_name(world: World) -> None:
    commands = synced_commands(world.env)
    assert {c["name"] for c in commands} == COMMANDS

    for command in commands:
        ko = command["name_localizations"]["ko"]
        assert NAME.match(ko) and ko == ko.lower(), ko
        assert command["description_localizations"]["ko"]
        option_names = []
        for option in command.get("options", []):
            where = f"/{command['name']} {option['name']}"
            name = option["name_localizations"].get("ko")
            assert name and NAME.match(name) and name == name.lower(), where
            assert option["description_localizations"].get("ko"), where
            option_names.append(name)
            for choice in option.get("choices", []):
                assert choice["name_localizations"].get("ko"), f"{where} {choice['name']}"
        assert len(option_names) == len(set(option_names)), command["name"]


# --- answers in the member's language -----------------------------------------------------


async def test_help_in_english(world: World) -> None:
    result = await world.alice.slash(world.channel, "help")

    assert result.ephemeral
    (card,) = embeds(result)
    assert card.title == "papers-bot"
    body = card.description or ""
    for command in ("/paper", "/search", "/digest", "/top", "/author", "/random"):
        assert f"`{command}`" in body
    assert "`ephemeral: True`" in body


async def test_help_in_korean(world: World, locales: dict[int, str]) -> None:
    locales[world.alice.id] = "ko"

    result = await world.alice.slash(world.channel, "help")

    assert result.ephemeral
    body = embeds(result)[0].description or ""
    for command in ("/논문", "/검색", "/다이제스트", "/인기", "/저자", "/무작위"):
        assert f"`{command}`" in body
    assert "`나만보기: True`" in body
    assert "/paper" not in body


async def test_korean_member_reads_korean_answers(world: World, locales: dict[int, str]) -> None:
    locales[world.alice.id] = "ko"

    (card,) = embeds(await world.alice.slash(world.channel, "paper", query="2505.03011"))
    assert [f.name for f in card.fields] == ["저자", "추천", "소개된 날", "링크"]

    results = response(await world.alice.slash(world.channel, "search", query="모델"))
    assert header(results) == "`모델` 결과 9개 중 1–5"
    assert button(results, "이전")["disabled"] and not button(results, "다음")["disabled"]

    # Bob's client is in English: the refusal he gets is in English.
    refused = await world.bob.click(results, label="다음")
    assert response(refused).content.startswith("Only the member who ran the command")

    missing = await world.alice.slash(world.channel, "paper", query="2401.99999")
    text = refusal(world.env, missing)
    assert text.startswith("`2401.99999`에 맞는 논문이 없습니다.") and "/검색" in text

    bad = await world.alice.slash(world.channel, "digest", date="2024-13-45")
    assert "YYYY-MM-DD" in refusal(world.env, bad)


# --- direct messages ----------------------------------------------------------------------


async def test_lookups_work_in_a_dm(world: World) -> None:
    dana = world.env.create_user("dana")  # shares no server with the bot's members here

    result = await dana.slash("paper", query="2505.03011")

    (card,) = embeds(result)
    assert card.title == "Tiny Recurrent Planners Beat Large Models on Grid Puzzles"
    assert link_buttons(response(result))["arXiv"] == "https://arxiv.org/abs/2505.03011"
    assert response(result).channel_id == dana.dm_channel.id

    results = response(await dana.slash("search", query="모델"))
    turned = await dana.click(results, label="Next")
    assert header(response(turned)) == "Results 6–9 of 9 for `모델`"
    option = select_menu(response(turned))["options"][0]
    opened = picked(await dana.select(response(turned), [option["value"]]))
    assert opened.embeds[0].title == option["label"]

    assert (await dana.autocomplete("paper", "query", "grid"))[0]["value"] == "2505.03011"
    assert world.env.errors == []


# --- how commands reach Discord -----------------------------------------------------------


async def test_commands_are_not_synced_when_configured_off(paper_store: PaperStore) -> None:
    bot: PapersBot = lookup_bot(make_config(sync_on_start=False), paper_store)
    async with simcord.run(bot) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("papers")
        alice = guild.add_member(env.create_user("alice"))

        assert not [r for r in env.http_requests if r.method == "PUT"]
        with pytest.raises(simcord.SetupError, match="never synced"):
            await alice.slash(channel, "paper", query="2505.03011")


async def test_commands_sync_to_the_configured_guilds_only(paper_store: PaperStore) -> None:
    guild_id = 1_234_567_890_123_456_789
    config = make_config()
    config = dataclasses.replace(
        config, discord=dataclasses.replace(config.discord, sync_guilds=(guild_id,))
    )
    async with simcord.run(lookup_bot(config, paper_store)) as env:
        ours = env.create_guild("Ours", id=guild_id)
        channel = ours.create_text_channel("papers")
        alice = ours.add_member(env.create_user("alice"))
        elsewhere = env.create_guild("Elsewhere")
        other = elsewhere.create_text_channel("general")
        bob = elsewhere.add_member(env.create_user("bob"))

        puts = [r.path for r in env.http_requests if r.method == "PUT"]
        assert puts == [f"/applications/{env.backend.application_id}/guilds/{guild_id}/commands"]
        assert set(alice.available_commands(channel)) == COMMANDS
        assert embeds(await alice.slash(channel, "help"))[0].title == "papers-bot"
        assert bob.available_commands(other) == ()
