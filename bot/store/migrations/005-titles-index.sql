-- Titles alone, for title autocomplete and /paper by title words (bot/store/papers.py).
-- papers_fts holds summaries too, so a title word's matches there are read with every
-- summary that has it; here a prefix like "lang" reads titles only, and the prefix indexes
-- answer one to three letters ("a", "di", "tra") without expanding every word they start.
-- Same tokenizer and text (CJK runs as bigrams) as papers_fts; bot/store/ingest_sql.py keeps
-- it in step with papers.
CREATE VIRTUAL TABLE titles_fts USING fts5 (
    title,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO titles_fts (rowid, title) SELECT id, index_text(title) FROM papers;
