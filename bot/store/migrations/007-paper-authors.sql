-- Who wrote what, for /author (bot/store/papers.py `by_author`): one row per paper and name
-- in its latest author list, keyed by name and then newest first, so an author's page is a
-- short range read however many papers they have, and a count reads the index alone.
-- last_day and votes are the paper's (NULL votes stored as -1, which sorts them last);
-- bot/store/ingest_sql.py rewrites a paper's rows whenever it refreshes the paper.
-- It replaces authors_fts (migration 006), whose word matches needed every candidate paper
-- read back and checked against the name.
CREATE TABLE paper_authors (
    name     TEXT NOT NULL,
    last_day TEXT NOT NULL,
    votes    INTEGER NOT NULL,
    paper_id INTEGER NOT NULL,
    PRIMARY KEY (name, last_day, votes, paper_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO paper_authors (name, last_day, votes, paper_id)
    SELECT j.value, p.last_day, coalesce(p.votes, -1), p.id
    FROM papers p, json_each(p.authors) j ORDER BY 1, 2, 3, 4;
DROP TABLE authors_fts;
