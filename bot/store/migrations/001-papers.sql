-- Papers, their appearances in daily digests, and the full-text index.
CREATE TABLE papers (
    id        INTEGER PRIMARY KEY,
    arxiv_id  TEXT NOT NULL UNIQUE,       -- without version
    title     TEXT NOT NULL,
    authors   TEXT NOT NULL,              -- JSON array of names, latest appearance
    votes     INTEGER,                    -- latest appearance; NULL where the digest had none
    thumbnail TEXT,
    url       TEXT NOT NULL,
    first_day TEXT NOT NULL,              -- ISO dates
    last_day  TEXT NOT NULL
);
CREATE INDEX papers_votes ON papers (votes DESC);
CREATE INDEX papers_last_day ON papers (last_day DESC);

-- One row per paper per digest day: everything that day's digest said about it.
CREATE TABLE appearances (
    day       TEXT NOT NULL,
    paper_id  INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,           -- 0-based, published order within the day
    title     TEXT NOT NULL,
    authors   TEXT NOT NULL,
    votes     INTEGER,
    thumbnail TEXT,
    url       TEXT NOT NULL,
    summary   TEXT NOT NULL,              -- markdown as published
    source    TEXT NOT NULL,              -- file or URL it was loaded from
    line      INTEGER NOT NULL,
    PRIMARY KEY (day, paper_id)
) WITHOUT ROWID;
CREATE INDEX appearances_paper ON appearances (paper_id, day);

CREATE TABLE days (
    day       TEXT PRIMARY KEY,
    papers    INTEGER NOT NULL,
    source    TEXT NOT NULL,
    loaded_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE author_names (
    folded TEXT NOT NULL,                 -- casefolded, accents removed
    name   TEXT NOT NULL,
    PRIMARY KEY (folded, name)
) WITHOUT ROWID;

-- Title, authors and every summary of a paper, with CJK runs as bigrams (bot/store/text.py).
CREATE VIRTUAL TABLE papers_fts USING fts5 (
    title, authors, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
