"""What a daily post consists of, per style, within Discord's limits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zlib
from typing import Any

import pytest

from bot.features.daily.plan import (
    Planned,
    decode_plan,
    encode_plan,
    nonce,
    plan_post,
    select,
)
from bot.models import Digest, Paper, PostOrder, PostStyle

DAY = dt.date(2025, 5, 9)


def paper(i: int, votes: int | None = 10, summary: str = "- 요약 " * 200) -> Paper:
    return Paper(
        arxiv_id=f"2505.{i:05d}",
        title=f"Paper number {i} " + "x" * 200,
        authors=tuple(f"Author {j}" for j in range(40)),
        votes=votes,
        dates=(DAY,),
        thumbnail=f"https://example.org/{i}.png",
        summary=summary,
        url=f"https://arxiv.org/abs/2505.{i:05d}",
    )


def digest(n: int) -> Digest:
    return Digest(DAY, tuple(paper(i, votes=i) for i in range(n)))


def test_embeds_style_keeps_every_paper_in_order_within_limits() -> None:
    d = digest(50)
    plan = plan_post(d, PostStyle.EMBEDS, papers=d.papers, source_url="https://example.org/d.md")
    assert "2025-05-09" in (plan[0].content or "") and "50" in (plan[0].content or "")
    titles = [e.url for item in plan[1:] for e in item.embeds]
    assert titles == [p.abs_url for p in d.papers]
    for item in plan:
        assert len(item.embeds) <= 10
        assert sum(len(e) for e in item.embeds) <= 6000
        assert len(item.content or "") <= 2000
    assert [item.seq for item in plan] == list(range(len(plan)))


def test_thread_style_is_a_header_then_one_message_per_paper_in_the_thread() -> None:
    d = digest(5)
    plan = plan_post(d, PostStyle.THREAD, papers=d.papers, source_url=None)
    assert plan[0].thread_name and not plan[0].in_thread
    assert [len(p.embeds) for p in plan[1:]] == [1] * 5
    assert all(p.in_thread for p in plan[1:])


def test_compact_style_lists_every_title_in_messages_under_2000() -> None:
    d = digest(60)
    plan = plan_post(d, PostStyle.COMPACT, papers=d.papers, source_url=None)
    text = "\n".join(p.content or "" for p in plan)
    assert all(len(p.content or "") <= 2000 for p in plan)
    assert all(p.abs_url in text for p in d.papers)


def test_min_votes_max_papers_and_vote_order() -> None:
    papers = [paper(1, 5), paper(2, None), paper(3, 50), paper(4, 20)]
    by_votes = select(papers, order=PostOrder.VOTES, min_votes=10, max_papers=None)
    assert [p.votes for p in by_votes] == [50, 20]
    first_two = select(papers, order=PostOrder.PUBLISHED, min_votes=None, max_papers=2)
    assert [p.votes for p in first_two] == [5, None]
    assert len(select(papers, order=PostOrder.PUBLISHED, min_votes=None, max_papers=None)) == 4


def test_nonce_is_deterministic_short_and_distinct() -> None:
    a = nonce(123456789012345678, DAY, 0, 1)
    assert a == nonce(123456789012345678, DAY, 0, 1) and len(a) <= 25
    others = {nonce(123456789012345678, DAY, g, s) for g in range(3) for s in range(50)}
    assert len(others) == 150


@pytest.mark.parametrize("style", list(PostStyle))
def test_a_stored_plan_comes_back_as_the_same_messages(style: PostStyle) -> None:
    d = digest(12)
    plan = plan_post(d, style, papers=d.papers, source_url="https://example.org/d.md")
    body = encode_plan(plan)
    again = decode_plan(body)
    assert [(p.seq, p.content, p.in_thread, p.thread_name) for p in again] == [
        (p.seq, p.content, p.in_thread, p.thread_name) for p in plan
    ]
    assert [[e.to_dict() for e in p.embeds] for p in again] == [
        [e.to_dict() for e in p.embeds] for p in plan
    ]
    assert [p.signature() for p in again] == [p.signature() for p in plan]
    assert [p.save for p in again] == [p.save for p in plan]  # Save, after a restart too
    assert encode_plan(again) == body  # one plan, one stored form (shared across channels)


def test_each_message_of_cards_offers_its_papers_to_save() -> None:
    d = digest(23)
    embeds = plan_post(d, PostStyle.EMBEDS, papers=d.papers, source_url=None)
    offers = [p.save for p in embeds[1:]]
    assert embeds[0].save is None
    offered = [arxiv_id for o in offers if o for arxiv_id, _ in o.papers]
    assert offered == [p.arxiv_id for p in d.papers]
    cards = [e.url for p in embeds[1:] for e in p.embeds]
    assert cards == [f"https://arxiv.org/abs/{i}" for i in offered]  # menu and cards agree
    assert [o.numbered_from for o in offers if o][1] == len(embeds[1].embeds) + 1

    thread = plan_post(d, PostStyle.THREAD, papers=d.papers, source_url=None)
    assert [p.save.papers[0][0] if p.save else None for p in thread] == [
        None,
        *(p.arxiv_id for p in d.papers),
    ]
    compact = plan_post(d, PostStyle.COMPACT, papers=d.papers, source_url=None)
    assert len(compact) > 1
    offered = [arxiv_id for p in compact if p.save for arxiv_id, _ in p.save.papers]
    assert offered == [p.arxiv_id for p in d.papers] and all(p.save for p in compact)


def menus(item: Planned) -> list[dict[str, Any]]:
    view = item.view()
    rows = view.to_components() if view else []
    assert len(rows) <= 5  # Discord's action rows per message
    return [c for row in rows for c in row["components"] if c["type"] == 3]


def test_each_compact_message_has_a_menu_of_the_papers_it_lists_within_limits() -> None:
    many = Digest(DAY, tuple(paper(i, votes=i) for i in range(80)))
    short = [dataclasses.replace(p, title=f"T{i}") for i, p in enumerate(many.papers)]
    for papers in (many.papers, short):
        plan = plan_post(many, PostStyle.COMPACT, papers=papers, source_url=None)
        offered: list[str] = []
        for item in plan:
            (menu,) = menus(item)
            assert menu["custom_id"] == "save:pick" and menu["placeholder"]
            assert 1 <= len(menu["options"]) <= 25
            assert all(len(o["label"]) <= 100 and len(o["value"]) <= 100 for o in menu["options"])
            listed = [line.split("(<", 1)[1].split(">)", 1)[0] for line in
                      (item.content or "").split("\n") if "(<" in line]  # fmt: skip
            values = [o["value"] for o in menu["options"]]
            assert listed == [f"https://arxiv.org/abs/{v}" for v in values]  # menu = lines
            numbers = [o["label"].split(".", 1)[0] for o in menu["options"]]
            assert numbers == [str(len(offered) + n) for n in range(1, len(values) + 1)]
            offered += values
        assert offered == [p.arxiv_id for p in papers]
    assert len(plan_post(many, PostStyle.COMPACT, papers=short, source_url=None)) == 4  # 25 each


def test_a_compact_day_without_papers_offers_nothing() -> None:
    empty = Digest(DAY, ())
    (item,) = plan_post(empty, PostStyle.COMPACT, papers=(), source_url=None)
    assert item.save is None and item.view() is None


@pytest.mark.parametrize("stored", ["null", "absent"])
def test_a_compact_plan_stored_before_its_menu_is_sent_as_it_was(stored: str) -> None:
    d = digest(3)
    plan = plan_post(d, PostStyle.COMPACT, papers=d.papers, source_url=None)
    old = json.loads(zlib.decompress(encode_plan(plan)))
    for item in old:
        if stored == "null":
            item["save"] = None
        else:
            del item["save"]
    again = decode_plan(zlib.compress(json.dumps(old).encode()))
    assert [(p.content, p.save, p.view()) for p in again] == [(plan[0].content, None, None)]


def test_a_plan_stored_before_save_existed_is_sent_without_it() -> None:
    d = digest(3)
    plan = plan_post(d, PostStyle.EMBEDS, papers=d.papers, source_url=None)
    old = json.loads(zlib.decompress(encode_plan(plan)))
    for item in old:
        del item["save"]
    again = decode_plan(zlib.compress(json.dumps(old).encode()))
    assert [p.save for p in again] == [None, None]
    assert [p.signature() for p in again] == [p.signature() for p in plan]
