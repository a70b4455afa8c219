"""An alert's messages: the day and count first, every matching paper once as a card that says
which follows matched it, in the digest's order, packed within Discord's limits."""

from __future__ import annotations

import datetime as dt

from bot import render
from bot.features.follows.plan import decode, encode, plan_alert
from bot.models import FollowKind, Paper

DAY = dt.date(2026, 1, 2)
KEYWORD, AUTHOR = FollowKind.KEYWORD, FollowKind.AUTHOR


def paper(i: int, *, long: bool = False) -> Paper:
    words = "Diffusion 확산 모델 " * (40 if long else 1)
    return Paper(
        arxiv_id=f"2601.{i:05d}",
        title=f"{words} number {i}"[: 300 if long else 100],
        authors=tuple(f"Author {j} Kim" for j in range(30 if long else 2)),
        votes=i,
        dates=(DAY,),
        thumbnail=None,
        summary=("- ***What's New***: " + "매우 긴 요약입니다. " * (200 if long else 2)),
        url=f"https://arxiv.org/abs/2601.{i:05d}",
    )


def test_80_matching_papers_are_split_and_none_dropped() -> None:
    papers = [paper(i, long=True) for i in range(100)]
    matched = {p.arxiv_id: ((KEYWORD, "diffusion"), (AUTHOR, "kim")) for p in papers[10:90]}
    messages = plan_alert(DAY, papers, matched, locale="en")

    ids = [a for m in messages for a in m.papers]
    assert ids == [p.arxiv_id for p in papers[10:90]]  # the digest's order, each once
    titles = [e.title or "" for m in messages for e in m.embeds]
    assert [t.split(".")[0] for t in titles] == [str(i) for i in range(1, 81)]
    assert len(messages) >= 8
    for m in messages:
        assert 1 <= len(m.embeds) <= render.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in m.embeds) <= render.EMBED_TOTAL_LIMIT
        assert 0 < len(m.content) <= render.CONTENT_LIMIT
        assert len(m.embeds) == len(m.papers)
        for e in m.embeds:
            assert e.fields[-1].name == "Matched"
            assert e.fields[-1].value == "words `diffusion` · author `kim`"
    assert messages[0].content.endswith("Daily Papers 2026-01-02: 80 matching papers")
    assert [m.seq for m in messages] == list(range(len(messages)))


def test_a_stored_plan_decodes_to_the_same_messages() -> None:
    papers = [paper(i) for i in range(12)]
    matched = {p.arxiv_id: ((KEYWORD, '"확산 모델"'),) for p in papers}
    messages = plan_alert(DAY, papers, matched, locale="ko")
    again = decode(encode(messages))
    assert [m.signature() for m in again] == [m.signature() for m in messages]
    assert [m.papers for m in again] == [m.papers for m in messages]
    assert [[e.to_dict() for e in m.embeds] for m in again] == [
        [e.to_dict() for e in m.embeds] for m in messages
    ]
    assert encode(again) == encode(messages)


def test_follow_text_in_a_card_cannot_ping_or_break_out_of_code() -> None:
    p = paper(1)
    matched = {p.arxiv_id: ((KEYWORD, "@everyone `x` " + "y" * 500),)}
    (message,) = plan_alert(DAY, [p], matched, locale="en")
    value = str(message.embeds[0].fields[-1].value)
    assert "@everyone" not in value and "`x`" not in value
    assert len(value) <= 300
