-- What Hugging Face says about a paper (bot/store/enrichment.py), kept beside what its
-- digests published and never written over it: one row per paper, gone with the paper
-- (a paper leaves when its last appearance does, and its id may be given to a new one).
-- found = 0 records that Hugging Face had no such paper (404), so it is not asked again
-- until the row is older than enrich.max_age_days, as a found one is refreshed.
-- IF NOT EXISTS: a database taken back to an older version by hand (tests do) keeps its rows.
CREATE TABLE IF NOT EXISTS enrichment (
    paper_id     INTEGER PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    found        INTEGER NOT NULL,
    abstract     TEXT,
    github_repo  TEXT,                    -- URLs as Hugging Face gave them (checked on display)
    github_stars INTEGER,
    project_page TEXT,
    upvotes      INTEGER,                 -- on Hugging Face at enriched_at
    enriched_at  TEXT NOT NULL            -- ISO 8601, UTC
);
-- /search has_code:true (bot/store/search.py): the papers with code, without their rows.
CREATE INDEX IF NOT EXISTS enrichment_code ON enrichment (paper_id) WHERE github_repo IS NOT NULL;
