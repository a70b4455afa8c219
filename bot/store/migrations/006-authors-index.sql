-- Author lists alone, for /author (bot/store/papers.py `by_author`). In papers_fts a name
-- prefix such as "li" expands to every word starting with it in every summary too ("like",
-- "linear", ...); here only author words, and the prefix indexes answer one to three letters
-- directly. Same text as papers_fts's authors column; bot/store/ingest_sql.py keeps it in
-- step with papers.
CREATE VIRTUAL TABLE authors_fts USING fts5 (
    authors,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO authors_fts (rowid, authors)
    SELECT p.id, (SELECT group_concat(value, ', ') FROM json_each(p.authors)) FROM papers p;
