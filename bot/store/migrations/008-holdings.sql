-- Which loaded file holds which paper on which day (bot/store/holdings.py). A day is made
-- from every file that holds it, so loading a file replaces only its own part: a README
-- holding part of a day beside paper_logs/YYYY/MM/DD.md no longer takes the rest away, and
-- loads give the same store in any order. bot/store/ingest_sql.py keeps appearances, the
-- merged days, in step with these rows.
CREATE TABLE digest_files (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE            -- file path or URL, as loaded
);
CREATE TABLE holdings (
    day      TEXT NOT NULL,
    paper_id INTEGER NOT NULL,
    file_id  INTEGER NOT NULL,
    position INTEGER NOT NULL,             -- 0-based, within the file's part of the day
    -- JSON [line, title, authors, votes, thumbnail, url, summary] of the file's entry where
    -- it differs from the day's appearance; NULL where it is the same (always so for the
    -- file the appearance is published from), which keeps one copy of each summary.
    entry    TEXT,
    PRIMARY KEY (day, paper_id, file_id)
) WITHOUT ROWID;
CREATE INDEX holdings_file ON holdings (file_id, day);

-- The files a day came from, JSON, the one whose order it follows first.
ALTER TABLE days ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';

-- Until now the last file loaded for a day held all of it. Its path is the day's source
-- (appearances.source is the same, but lies past each row's summary: reading it would read
-- the whole table).
INSERT INTO digest_files (source) SELECT DISTINCT source FROM days ORDER BY source;
INSERT INTO holdings (day, paper_id, file_id, position, entry)
    SELECT a.day, a.paper_id, f.id, a.position, NULL
    FROM appearances a JOIN days d ON d.day = a.day JOIN digest_files f ON f.source = d.source
    ORDER BY 1, 2, 3;
UPDATE days SET sources = json_array(source);

-- Names whose last paper had left the store stayed: they go, and from now on with it.
DELETE FROM author_names
    WHERE NOT EXISTS (SELECT 1 FROM paper_authors pa WHERE pa.name = author_names.name);
