"""Rendering keeps Discord's limits whatever the data, and keeps the summaries' structure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from typing import Any

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import render
from bot.features.lookup.views import paper_links
from bot.models import Paper
from bot.render import (
    compact_digest,
    digest_header,
    fit_embed,
    format_authors,
    pack_embeds,
    paper_brief,
    paper_embed,
    result_page,
    sanitize,
    shorten,
)
from papers_sandbox.limits import check_embeds

DAY = dt.date(2024, 6, 12)
MASS = re.compile(r"@(everyone|here)", re.IGNORECASE)

STRUCTURED = (
    "- **What's New**: A toy model folds paper cranes from a single prompt.\n"
    "\n"
    "- **Technical Details**: The folding planner has three stages.\n"
    "  - stage one picks a crease pattern\n"
    "  - stage two simulates the paper\n"
    "1. **Planner**: a small transformer\n"
    "2. **Simulator**: a differentiable sheet\n"
    "\n"
    "- **Performance Highlights**: It folds 9 of 10 cranes correctly.\n"
)
TRIPLE = (
    "- ***What's New***: 새로운 종이접기 모델을 제안합니다.\n"
    "- ***Technical Details***: 세 단계로 접습니다.\n"
    "- ***Performance Highlights***: 열 번 중 아홉 번 성공합니다.\n"
)
KOREAN_UNBROKEN = "- " + "종이학접기모델" * 1430  # 10,000 characters, no spaces
ENGLISH_LONG = "- " + " ".join(f"crane{i % 97}" for i in range(1500))  # > 10,000 chars
NASTY_TITLE = ("**Bold** `code` [link](https://evil.example) _x_ ~~y~~ ||z|| " * 6)[:300]


def make_paper(**changes: Any) -> Paper:
    values: dict[str, Any] = {
        "arxiv_id": "2406.01234",
        "title": "Folding Paper Cranes with Diffusion",
        "authors": ("Ada Example", "Bo Sample"),
        "votes": 42,
        "dates": (DAY, DAY + dt.timedelta(days=1)),
        "thumbnail": "https://cdn.example.org/thumbs/2406.01234.png",
        "summary": STRUCTURED,
        "url": "https://arxiv.org/abs/2406.01234",
    }
    values.update(changes)
    return Paper(**values)


WORST = make_paper(
    title="T" * 120 + " " + NASTY_TITLE,
    authors=tuple(f"Author{i} Surname_{i}" for i in range(80)),
    dates=tuple(DAY + dt.timedelta(days=i) for i in range(200)),
    summary=KOREAN_UNBROKEN,
)


def assert_embed_ok(embed: discord.Embed) -> None:
    """Every per-part limit and the 6000 total, counted from the dict, not trusted from len."""
    d: dict[str, Any] = dict(embed.to_dict())
    fields = d.get("fields", [])
    assert len(d.get("title", "")) <= 256
    assert len(d.get("description", "")) <= 4096
    assert len(fields) <= 25
    for f in fields:
        assert 1 <= len(f["name"]) <= 256
        assert 1 <= len(f["value"]) <= 1024
    assert len(d.get("footer", {}).get("text", "")) <= 2048
    assert len(d.get("author", {}).get("name", "")) <= 256
    total = sum(len(d.get(k, "")) for k in ("title", "description"))
    total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    total += len(d.get("footer", {}).get("text", "")) + len(d.get("author", {}).get("name", ""))
    assert total == len(embed) <= 6000


def field(embed: discord.Embed, name: str) -> str:
    values = [f.value for f in embed.fields if f.name == name]
    assert len(values) == 1, [f.name for f in embed.fields]
    return str(values[0])


# --- shorten / sanitize / authors ---------------------------------------------------------


def test_shorten_keeps_short_text_and_cuts_at_a_word() -> None:
    assert shorten("short text", 10) == "short text"
    out = shorten("alpha beta gamma delta epsilon", 20)
    assert out == "alpha beta gamma…"
    assert len(out) <= 20


def test_shorten_hard_cuts_unbroken_text() -> None:
    out = shorten("가" * 50 + " 나", 20)
    assert out == "가" * 19 + "…"
    assert shorten("https://example.org/" + "a" * 100, 30).endswith("a…")


def test_shorten_does_not_split_combining_or_joined_sequences() -> None:
    decomposed = "e\u0301" * 30
    out = shorten(decomposed, 8)
    assert out.endswith("…")
    body = out[:-1]
    assert len(body) % 2 == 0 and body == decomposed[: len(body)]
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    out = shorten(family * 10, 7)
    body = out[:-1]
    assert len(body) % len(family) == 0 and not body.endswith("\u200d")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=0, max_value=300))
def test_shorten_never_exceeds_and_is_idempotent(text: str, limit: int) -> None:
    out = shorten(text, limit)
    assert len(out) <= limit
    assert shorten(out, limit) == out
    if len(text) <= limit:
        assert out == text


def test_sanitize_defuses_mass_mentions_and_controls() -> None:
    raw = "hi @everyone and @here and @Everyone <@123> <@&9>\x00\x07x\ty\nz\r\nw"
    out = sanitize(raw)
    assert not MASS.search(out)
    assert "@\u200beveryone" in out
    assert "<@123>" in out and "<@&9>" in out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", out)
    assert "x y\nz\nw" in out
    assert sanitize(out) == out


def test_format_authors_short_and_long() -> None:
    assert format_authors(["A", "B", "C"]) == "A, B, C"
    names = [f"Name{i}" for i in range(80)]
    en = format_authors(names)
    assert en == ", ".join(names[:8]) + " … +72 more"
    ko = format_authors(names, locale="ko")
    assert ko == ", ".join(names[:8]) + " 외 72명"
    assert format_authors([]) == "–"
    assert format_authors(["a_b*c"]) == "a\\_b\\*c"
    assert format_authors(["a_b"], markdown=False) == "a_b"


def test_format_authors_within_limit_with_huge_names() -> None:
    huge = ["X" * 2000, "Y" * 2000, "Z" * 10]
    out = format_authors(huge, 1024)
    assert len(out) <= 1024
    assert out.endswith(" … +2 more")
    for limit in (5, 40, 200):
        assert len(format_authors([f"Someone Long{i}" for i in range(30)], limit)) <= limit


# --- paper_embed ----------------------------------------------------------------------------


def test_structure_is_kept() -> None:
    desc = paper_embed(make_paper()).description or ""
    assert desc.startswith("**What's New**\nA toy model folds paper cranes")
    assert "\n\n**Technical Details**\nThe folding planner has three stages.\n" in desc
    assert "\n  - stage one picks a crease pattern\n  - stage two" in desc
    assert "\n1. **Planner**: a small transformer\n2. **Simulator**" in desc
    assert "\n\n**Performance Highlights**\nIt folds 9 of 10" in desc
    assert "- **" not in desc and "Read the full summary" not in desc


def test_triple_asterisk_labels_become_headings() -> None:
    desc = paper_embed(make_paper(summary=TRIPLE)).description or ""
    assert desc.split("\n")[:2] == ["**What's New**", "새로운 종이접기 모델을 제안합니다."]
    assert "\n\n**Technical Details**\n세 단계로" in desc
    assert "***" not in desc


def test_plain_bullets_are_kept_as_they_are() -> None:
    summary = "- first point about cranes\n- second point about folds"
    assert paper_embed(make_paper(summary=summary)).description == summary


@pytest.mark.parametrize(
    "paper",
    [
        WORST,
        make_paper(summary=ENGLISH_LONG, title="W " * 200),
        make_paper(summary=STRUCTURED * 60),
        make_paper(summary=TRIPLE * 80, thumbnail="https://cdn.example.org/v/x.mp4"),
    ],
)
@pytest.mark.parametrize("locale", ["en", "ko"])
def test_paper_embed_limits_and_read_more(paper: Paper, locale: str) -> None:
    embed = paper_embed(paper, locale=locale)
    assert_embed_ok(embed)
    desc = embed.description or ""
    label = "Read the full summary" if locale == "en" else "전체 요약 보기"
    assert desc.endswith(f"\n… [{label}]({paper.abs_url})")
    assert len(desc) > 3000  # cut to fit, not thrown away
    if len(paper.title) > 256:
        assert len(embed.title or "") <= 256 and (embed.title or "").endswith("…")
    assert embed.url == paper.abs_url


def test_cut_english_ends_on_a_whole_word() -> None:
    desc = paper_embed(make_paper(summary=ENGLISH_LONG)).description or ""
    body = desc.rsplit("\n… [", 1)[0]
    last = body.split()[-1]
    assert re.fullmatch(r"crane\d+", last) and last in ENGLISH_LONG.split()


def test_cut_does_not_leave_open_bold() -> None:
    summary = "- " + "plain words " * 300 + "**" + "bold words " * 400 + "** tail"
    desc = paper_embed(make_paper(summary=summary)).description or ""
    body = desc.rsplit("\n… [", 1)[0]
    assert body.count("**") % 2 == 0
    assert body.endswith("**")


def test_paper_embed_fields_en_and_ko() -> None:
    paper = make_paper(votes=None)
    en = paper_embed(paper)
    assert [f.name for f in en.fields] == ["Authors", "Votes", "Featured", "Links"]
    assert field(en, "Votes") == "–"
    assert field(en, "Featured") == "2024-06-12, 2024-06-13"
    assert field(en, "Authors") == "Ada Example, Bo Sample"
    assert field(en, "Links") == (
        "[arXiv](https://arxiv.org/abs/2406.01234) · [PDF](https://arxiv.org/pdf/2406.01234)"
        " · [Hugging Face](https://huggingface.co/papers/2406.01234)"
    )
    assert en.footer.text == "arXiv:2406.01234"
    assert en.image.url == paper.thumbnail
    ko = paper_embed(make_paper(votes=7), locale="ko")
    assert [f.name for f in ko.fields] == ["저자", "추천", "소개된 날", "링크"]
    assert field(ko, "추천") == "7"


def test_authors_field_is_shortened() -> None:
    value = field(paper_embed(WORST), "Authors")
    assert value.endswith(" … +72 more") and len(value) <= 1024
    assert "Author0 Surname\\_0" in value  # markdown escaped


def test_video_thumbnail_becomes_a_link_field() -> None:
    url = "https://cdn.example.org/uploads/clip.mp4"
    embed = paper_embed(make_paper(thumbnail=url), locale="ko")
    d = embed.to_dict()
    assert "image" not in d and "thumbnail" not in d
    assert field(embed, "동영상") == f"[동영상 보기]({url})"
    en = paper_embed(make_paper(thumbnail=url + "?x=1"))
    assert field(en, "Video") == f"[Watch the video]({url}?x=1)"
    assert "Video" not in [f.name for f in paper_embed(make_paper()).fields]
    brief = paper_brief(make_paper(thumbnail=url)).to_dict()
    assert "thumbnail" not in brief and "image" not in brief


HOSTILE_URLS = [
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "ftp://cdn.example.org/x.png",
    "thumbs/x.png",
    "https://",
    "https:///x.png",
    "http://[oops/x.png",
    "http://cdn.example.org:99999999/x.png",
    "https://exa mple.org/x.png",
    "https://exa",  # what the parser makes of that one
    "http://localhost:8000/x.png",
    "https://cdn.example.org/" + "a" * 2030 + ".png",
    "https://cdn.example.org/" + "a" * 2030 + ".mp4",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_thumbnail_discord_would_refuse_is_left_out_and_the_card_stays(url: str) -> None:
    paper = make_paper(thumbnail=url)
    for embed in (paper_embed(paper), paper_brief(paper)):
        d = embed.to_dict()
        assert check_embeds([d]) == []  # what Discord checks (papers_sandbox.limits)
        assert "image" not in d and "thumbnail" not in d
        assert "Video" not in [f.name for f in embed.fields]
        assert embed.url == paper.abs_url and "Folding Paper Cranes" in (embed.title or "")


def test_a_thumbnail_with_spaces_or_non_ascii_is_escaped_not_dropped() -> None:
    embed = paper_embed(make_paper(thumbnail=" https://cdn.example.org/썸네일 1.png "))
    assert embed.image.url == "https://cdn.example.org/%EC%8D%B8%EB%84%A4%EC%9D%BC%201.png"
    brief = paper_brief(make_paper(thumbnail="https://cdn.example.org/a.png?v=1&w=2#top"))
    assert brief.thumbnail.url == "https://cdn.example.org/a.png?v=1&w=2#top"


@given(st.text(max_size=80), st.sampled_from(["", "https://", "http://x.org/", "https://["]))
@settings(max_examples=300)
def test_any_thumbnail_gives_an_embed_discord_accepts(tail: str, head: str) -> None:
    paper = make_paper(thumbnail=head + tail)
    for embed in (paper_embed(paper), paper_brief(paper)):
        assert check_embeds([embed.to_dict()]) == []


def test_link_buttons_discord_would_refuse_are_left_out() -> None:
    odd = make_paper(arxiv_id="hep-th/" + "9" * 600)  # links past a button's 512 characters
    assert paper_links(odd, "en").children == []
    view = paper_links(make_paper(), "ko")
    urls = [b.url for b in view.children if isinstance(b, discord.ui.Button) and b.url]
    assert urls == [
        "https://arxiv.org/abs/2406.01234",
        "https://arxiv.org/pdf/2406.01234",
        "https://huggingface.co/papers/2406.01234",
    ]


def test_mentions_in_summary_and_title_are_defused() -> None:
    paper = make_paper(
        title="Ping @everyone now", summary="- hello @everyone and @here, see <@123>"
    )
    for embed in (paper_embed(paper), paper_brief(paper)):
        text = f"{embed.title}\n{embed.description}"
        assert not MASS.search(text)
        assert "<@123>" in text
    compact = compact_digest(DAY, [paper], source_url=None)
    assert not MASS.search("\n".join(m.content for m in compact))


# --- paper_brief ------------------------------------------------------------------------------


def test_brief_shows_whats_new_only() -> None:
    embed = paper_brief(make_paper(), index=3)
    assert embed.title == "3. Folding Paper Cranes with Diffusion"
    assert embed.description == "A toy model folds paper cranes from a single prompt."
    assert embed.thumbnail.url == "https://cdn.example.org/thumbs/2406.01234.png"
    assert embed.image.url is None
    assert embed.footer.text == "👍 42 · Ada Example, Bo Sample · arXiv:2406.01234"


@pytest.mark.parametrize("summary", [KOREAN_UNBROKEN, ENGLISH_LONG])
def test_brief_is_short(summary: str) -> None:
    embed = paper_brief(dataclasses.replace(WORST, summary=summary))
    assert_embed_ok(embed)
    assert len(embed.description or "") <= render.BRIEF_CHARS


def test_brief_of_worst_paper() -> None:
    embed = paper_brief(WORST, locale="ko")
    assert_embed_ok(embed)
    desc = embed.description or ""
    assert 300 <= len(desc) <= render.BRIEF_CHARS and desc.endswith("…")
    assert "외 77명" in (embed.footer.text or "")


# --- pack_embeds -------------------------------------------------------------------------------


embed_spec = st.tuples(
    st.integers(min_value=0, max_value=300),  # title
    st.integers(min_value=0, max_value=5000),  # description (may exceed 4096)
    st.lists(st.integers(min_value=1, max_value=1500), max_size=30),  # field values
    st.integers(min_value=0, max_value=2500),  # footer
)


def build(i: int, spec: tuple[int, int, list[int], int]) -> discord.Embed:
    title, description, fields, footer = spec
    embed = discord.Embed(title="t" * title or None, description="d " * (description // 2) or None)
    embed.url = f"https://example.org/{i}"
    for n, size in enumerate(fields):
        embed.add_field(name=f"f{n}", value="v" * size)
    if footer:
        embed.set_footer(text="w " * (footer // 2) + "w")
    return embed


@settings(max_examples=100, deadline=None)
@given(st.lists(embed_spec, max_size=25))
def test_pack_embeds_limits_order_and_greed(specs: list[tuple[int, int, list[int], int]]) -> None:
    embeds = [build(i, s) for i, s in enumerate(specs)]
    messages = pack_embeds(embeds)
    assert all(messages)
    for message in messages:
        assert len(message) <= 10
        assert sum(len(e) for e in message) <= 6000
        for embed in message:
            assert_embed_ok(embed)
    flat = [e.url for message in messages for e in message]
    assert flat == [e.url for e in embeds]
    for message, following in itertools.pairwise(messages):
        total = sum(len(e) for e in message)
        assert len(message) == 10 or total + len(following[0]) > 6000


def test_pack_embeds_leaves_fitting_embeds_alone() -> None:
    small = [paper_brief(make_paper(arxiv_id=f"2406.{i:05d}")) for i in range(23)]
    messages = pack_embeds(small)
    assert [len(m) for m in messages] == [10, 10, 3]
    assert all(a is b for a, b in zip((e for m in messages for e in m), small, strict=True))
    assert pack_embeds([]) == []


def test_fit_embed_shrinks_every_part() -> None:
    embed = discord.Embed(title="T" * 1000, description="x " * 5000)
    embed.set_author(name="A" * 900)
    for i in range(30):
        embed.add_field(name=f"N{i}" * 200, value="**bold " * 400)
    embed.set_footer(text="F" * 3000)
    fitted = fit_embed(embed)
    assert_embed_ok(fitted)
    assert fitted is not embed and len(embed) > 6000  # the original is not modified
    for f in fitted.fields:
        assert str(f.value).count("**") % 2 == 0


# --- result_page --------------------------------------------------------------------------------


def test_result_page_header_and_numbering() -> None:
    papers = [make_paper(arxiv_id=f"2406.{i:05d}", title=f"Paper {i}") for i in range(10)]
    embeds = result_page(papers, page=2, per_page=9, total=57, title="diffusion")
    assert embeds[0].description == "Results 10–18 of 57 for `diffusion`"
    assert [e.title for e in embeds[1:]] == [f"{10 + i}. Paper {i}" for i in range(9)]
    ko = result_page(papers[:2], page=1, per_page=10, total=2, title="확산", locale="ko")
    assert ko[0].description == "`확산` 결과 2개 중 1–2"


def test_result_page_query_cannot_break_formatting() -> None:
    embeds = result_page(
        [make_paper()], page=1, per_page=10, total=1, title="a`b``c @everyone\nnext"
    )
    header = embeds[0].description or ""
    assert header.count("`") == 2
    assert not MASS.search(header) and "\n" not in header
    empty = result_page([], page=1, per_page=10, total=0, title="nothing")
    assert len(empty) == 1 and empty[0].description == "No results for `nothing`"


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_result_page_of_worst_papers_fits_one_message(locale: str) -> None:
    papers = [WORST, make_paper(summary=ENGLISH_LONG, title="Q" * 400)] * 6
    embeds = result_page(papers, page=3, per_page=12, total=400, title="x" * 500, locale=locale)
    assert len(embeds) == 10
    assert sum(len(e) for e in embeds) <= 6000
    for embed in embeds:
        assert_embed_ok(embed)
    assert all((e.description or "") for e in embeds[1:])  # shrunk, not emptied
    assert pack_embeds(embeds) == [embeds]


# --- message content ---------------------------------------------------------------------

LINE = re.compile(r"^(\d+)\. \[(.+)\]\(<(https://arxiv\.org/abs/[^>]+)>\) — 👍 (\d+|–)$")


def test_compact_digest_splits_at_lines_and_lists_every_paper_once() -> None:
    papers = [
        make_paper(arxiv_id=f"2406.{i:05d}", title=f"Title ]{i}[ `x` " + "long " * 60, votes=i)
        for i in range(150)
    ]
    parts = compact_digest(DAY, papers, source_url="https://example.org/a b.md")
    messages = [m.content for m in parts]
    assert len(messages) > 1
    assert all(len(m) <= 2000 for m in messages)
    assert [p.arxiv_id for m in parts for p in m.listed(papers)] == [p.arxiv_id for p in papers]
    lines = "\n".join(messages).split("\n")
    assert lines[0] == (
        "**Daily Papers — 2024-06-12** · 150 papers · [Source](<https://example.org/a%20b.md>)"
    )
    matches = [LINE.match(line) for line in lines[1:]]
    assert all(matches), [ln for ln, m in zip(lines[1:], matches, strict=True) if not m][:3]
    found = [(int(m.group(1)), m.group(3)) for m in matches if m]
    assert found == [(i + 1, p.abs_url) for i, p in enumerate(papers)]
    assert all("\\]" in m.group(2) for m in matches if m)  # brackets in titles escaped


def test_compact_digest_small_and_korean() -> None:
    out = compact_digest(DAY, [make_paper(votes=None)], source_url=None, locale="ko")
    assert [m.content for m in out] == [
        "**Daily Papers — 2024-06-12** · 논문 1편\n"
        "1. [Folding Paper Cranes with Diffusion](<https://arxiv.org/abs/2406.01234>) — 👍 –"
    ]
    empty = compact_digest(DAY, [], source_url=None)
    assert [(m.content, m.count) for m in empty] == [
        ("**Daily Papers — 2024-06-12** · 0 papers\nNo papers this day.", 0)
    ]


def test_a_compact_message_lists_at_most_25_papers_one_menu_can_offer() -> None:
    papers = [make_paper(arxiv_id=f"2406.{i:05d}", title=f"T{i}", votes=i) for i in range(60)]
    parts = compact_digest(DAY, papers, source_url=None)
    assert [(m.first, m.count) for m in parts] == [(0, 25), (25, 25), (50, 10)]
    second = parts[1].content.split("\n")
    assert [ln.split(".", 1)[0] for ln in second] == [str(n) for n in range(26, 51)]
    assert parts[0].content.startswith("**Daily Papers — 2024-06-12** · 60 papers\n1. [T0]")
    uncapped = compact_digest(DAY, papers, source_url=None, per_message=60)
    assert uncapped[0].count > 25  # 2,000 characters alone would hold more than a menu


def test_digest_header() -> None:
    out = digest_header(DAY, 16, source_url="https://example.org/d.md")
    assert (
        out == "## 📚 Daily Papers — 2024-06-12\n16 papers · [Source](<https://example.org/d.md>)"
    )
    ko = digest_header(DAY, 3, source_url=None, locale="ko-KR")
    assert ko == "## 📚 Daily Papers — 2024-06-12\n논문 3편"
    assert len(digest_header(DAY, 5, source_url="https://x.org/" + "a" * 5000)) <= 2000
