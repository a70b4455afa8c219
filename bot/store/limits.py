"""Limits: the thresholds of the query plans (bot/store/search.py describes the plans)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Thresholds of the query plans (bot/store/search.py); tests pass smaller ones."""

    # Up to this many matches: all ranked or sorted, counted exactly. Chosen so a query of this
    # many matches at 1M papers is ranked within the p99 target (bench/search.py).
    exact: int = 20_000
    # Up to this many matches in the whole store, relevance is bm25 within tiers (`_ranked`);
    # more, and every match is ranked by tiers, newest first (`_tiered`): bm25's cost grows
    # with each match (more for Korean phrases) on top of reading them (bench/search.py).
    scored: int = 5_000  # (`pool` for a query with a prefix term: bm25 expands it per match)
    # ... and while each of its words is in at most this many papers: bm25 reads every paper
    # with each word (모델 in 89,659 of 100k: ~90 ms). At the real history's size, always.
    scored_words: int = 20_000
    # Words as typed rank ahead of their stems while at most this many titles have all the
    # words (each such title is read and compared, a cost per title: bench/search.py).
    typed_titles: int = 200
    # Past `exact`, relevance ranks the newest this many matches (or the page's reach).
    pool: int = 1_000
    # Sorted within `exact`, matches of at least 1 in this many papers are found walking the
    # order's index (a page in ~this many x its length rows); fewer are sorted (top-N).
    sorted_walk: int = 20
    # Past `exact` with a filter to check per match: counted up to this many.
    filtered_count: int = 1_000
    # A top-N over at most this many digest days is driven from those days' rows.
    narrow_days: int = 62
    # /author: up to this many names containing the text are merged.
    merge_names: int = 100
    # /author, more names: up to this many of their papers are sorted, not walked.
    author_rows: int = 5_000
