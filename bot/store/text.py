"""Search text: what goes into the FTS5 index and how user input becomes a safe MATCH query.

FTS5's unicode61 tokenizer keeps a Hangul run as one token, so `모델을` would never match a
search for `모델`. Hangul (and other CJK) runs are therefore indexed as overlapping character
bigrams (`모델을` -> `모델 델을`), the approach of Lucene's CJK analyzer, and queries are
turned into the same bigrams: a two-syllable word is one bigram and finds the word whatever
particle follows it. Latin text is left to unicode61 + porter, so English ranks by bm25 as usual.

Every query token is emitted as a double-quoted FTS5 string built only from word characters,
so no user input can produce FTS5 syntax (operators, column filters, NEAR, `*`, brackets).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence

_CJK = "\u1100-\u11ff\u3130-\u318f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_SPLIT = re.compile(f"([{_CJK}]+)")
_TOKEN = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")
_PHRASE = re.compile(r'"([^"]*)"')
_ONE_TOKEN = re.compile(r'"[^" ]+"')
_QUOTED = re.compile(r'"[^"]*"\*?')
MAX_QUERY_TOKENS = 32


def _bigrams(run: str) -> list[str]:
    """A CJK run as its overlapping character bigrams (one character stays itself): the
    tokens of the index and of a query alike."""
    return list(map(operator.add, run, run[1:])) if len(run) > 1 else [run]


def index_text(text: str | None) -> str:
    """Text as stored in the FTS index: CJK runs become space-separated bigrams."""
    if not text:
        return ""
    parts = _CJK_SPLIT.split(text)  # odd positions are CJK runs
    for i in range(1, len(parts), 2):
        parts[i] = " " + " ".join(_bigrams(parts[i])) + " "
    return "".join(parts)


def _is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.fullmatch(token))


def _term(token: str) -> str:
    """One user word as an FTS5 expression (a string, a bigram phrase, or a prefix)."""
    if not _is_cjk(token):
        return f'"{token}"'
    if len(token) == 1:
        return f'"{token}"*'
    return '"' + " ".join(_bigrams(token)) + '"'


def _phrase(text: str) -> str | None:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    parts: list[str] = []
    for tok in tokens:
        parts.extend(_bigrams(tok) if _is_cjk(tok) else [tok])
    return '"' + " ".join(parts) + '"'


def match_query(user_input: str, *, column: str | None = None, prefix: bool = False) -> str | None:
    """A safe FTS5 MATCH expression for what a user typed, or None if it has no words.

    Words are ANDed; a "quoted phrase" must appear as written. `prefix` makes Latin words
    match word beginnings (for partial author names); `column` restricts to one column.
    """
    text = unicodedata.normalize("NFKC", user_input)
    terms: list[str] = []
    for i, chunk in enumerate(_PHRASE.split(text) if text.count('"') % 2 == 0 else [text]):
        if i % 2 == 1:
            phrase = _phrase(chunk)
            if phrase:
                terms.append(phrase)
            continue
        for tok in _TOKEN.findall(chunk):
            term = _term(tok)
            if prefix and not _is_cjk(tok):
                term += "*"
            terms.append(term)
    terms = list(dict.fromkeys(terms))[:MAX_QUERY_TOKENS]
    if not terms:
        return None
    expr = " AND ".join(terms)
    return f"{{{column}}} : ({expr})" if column else expr


def near_query(user_input: str, distance: int = 3) -> str | None:
    """The words of `match_query(user_input)` within `distance` tokens of each other in one
    column (FTS5 NEAR), or None for fewer than two words."""
    expr = match_query(user_input)
    terms = expr.split(" AND ") if expr else []
    if len(terms) < 2:
        return None
    return f"NEAR({' '.join(terms)}, {distance})"


def query_words(user_input: str) -> str:
    """The words typed, folded and space-separated, for `exact_words`."""
    text = unicodedata.normalize("NFKC", user_input)
    words = dict.fromkeys(_TOKEN.findall(fold(text)))
    return " ".join(list(words)[:MAX_QUERY_TOKENS])


def exact_words(title: str | None, words: str | None) -> int:
    """How many of `query_words` the title has as written (not just the same stem: a title
    with "transformers" for "transformers", not only "transformer"); a Korean word counts
    when it is in the title, whatever particle follows it."""
    if not title or not words:
        return 0
    folded = fold(title)
    have = set(_TOKEN.findall(folded))
    return sum(1 for w in words.split(" ") if w in have or (_is_cjk(w) and w in folded))


def in_typed_order(title: str | None, words: str | None) -> int:
    """1 if the title has `query_words` in the order typed (each as written, or a word that
    starts with it or that it starts with: "transformer" for "transformers"), else 0: a
    member types a title's words in the order they read them."""
    if not title or not words:
        return 0
    tokens = _TOKEN.findall(fold(title))
    at = 0
    for w in words.split(" "):
        at = next((i + 1 for i in range(at, len(tokens)) if _same_word(tokens[i], w)), -1)
        if at < 0:
            return 0
    return 1


def title_length(title: str | None) -> int:
    """How many distinct words the title has: of two titles that hold the words typed, the
    shorter is the likelier one to be meant (two words of a short title are a bigger share
    of it, and a member recalls a short title's words more often)."""
    return len(set(_TOKEN.findall(fold(title)))) if title else 0


def _same_word(token: str, word: str) -> bool:
    if _is_cjk(word):
        return word in token
    short = min(len(token), len(word))
    return token == word or (short >= 4 and (token.startswith(word) or word.startswith(token)))


def query_terms(expr: str) -> list[str]:
    """The terms (quoted strings, prefixes) a match_query expression ANDs."""
    return _QUOTED.findall(expr)


def is_one_token(expr: str) -> bool:
    """Whether a match_query expression is a single token (one word, or one Korean bigram):
    its matches are read straight from one doclist, without comparing positions."""
    return bool(_ONE_TOKEN.fullmatch(expr))


def has_prefix(expr: str) -> bool:
    """Whether a match_query expression holds a prefix term (`"word"*`)."""
    return '"*' in expr


def closest_title(words: str, titles: Sequence[tuple[int, str]]) -> int | None:
    """The id of the title closest to `words` among titles that contain them all: one equal
    to them, else one starting with them, else the shortest; the first given among equals.

    Compared case-, accent- and punctuation-insensitively ("gpt-4 technical report" is the
    title "GPT-4 Technical Report").
    """
    wanted = _words_of(words)
    best: tuple[tuple[bool, bool, int], int] | None = None
    for paper_id, title in titles:
        have = _words_of(title)
        key = (have != wanted, not have.startswith(wanted), len(have))
        if best is None or key < best[0]:
            best = (key, paper_id)
    return None if best is None else best[1]


def _words_of(text: str) -> str:
    return " ".join(_TOKEN.findall(fold(text)))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(text: str) -> str:
    """What an author name is looked up by (/author, its suggestions, author follows): folded,
    whitespace collapsed; a known name matches when its folded form contains it."""
    return " ".join(fold(text).split())
