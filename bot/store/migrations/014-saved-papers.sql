-- Saved papers (/saved, the Save buttons): a member's own list, newest saved first. Keyed by
-- arXiv id, not papers.id, so a list keeps a paper whose digest files are reloaded. `id`
-- orders the list (a later save has a larger id); a member holds at most 1,000 rows
-- (bot/store/saved.py LIMIT). IF NOT EXISTS: a database set back to an older version keeps it.
CREATE TABLE IF NOT EXISTS saved_papers (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    arxiv_id  TEXT NOT NULL,              -- without version
    saved_at  TEXT NOT NULL,              -- ISO, UTC
    UNIQUE (member_id, arxiv_id)
);
CREATE INDEX IF NOT EXISTS saved_papers_newest ON saved_papers (member_id, id DESC);
