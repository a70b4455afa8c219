-- Korean summaries of built days (bot/summaries/built.py): each paper's failed requests, so a
-- paper whose answers never parse, or whose request is refused, is not asked again at every
-- build of its day: after summaries.max_attempts counted failures it keeps its English
-- bullets. Timeouts, 429s, 5xx and dropped connections are counted apart (`transient`, in a
-- row) and only delay the next request. A summary that succeeds deletes the row. Keyed by
-- arXiv id: a paper is summarized before its built day is loaded into `papers`.
-- IF NOT EXISTS: a database set back to an older version keeps its rows. New tables: no
-- existing row is read or rewritten, whatever the size of the store.
CREATE TABLE IF NOT EXISTS summary_attempts (
    arxiv_id  TEXT PRIMARY KEY,            -- without version
    failures  INTEGER NOT NULL DEFAULT 0,  -- unusable answers, refused requests
    transient INTEGER NOT NULL DEFAULT 0,  -- timeouts, 429, 5xx since the last counted failure
    reason    TEXT NOT NULL,               -- the last failure's, for /daily status
    failed_at TEXT NOT NULL                -- ISO 8601, UTC
) WITHOUT ROWID;
-- The bot's last enrichment pass that asked Hugging Face anything (bot/features/enrich/),
-- for /daily status: when it ended and, if it stopped short, why. One row.
CREATE TABLE IF NOT EXISTS enrich_runs (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    at      TEXT NOT NULL,                 -- ISO 8601, UTC
    problem TEXT                           -- NULL: every paper due was answered
);
