-- The two orders pages are read in (bot/store/papers.py): most voted, and newest. When a
-- search word, an author or a date range matches a large share of all papers, a page is read
-- from one of these indexes and stops at its LIMIT instead of sorting every match.
-- NULL votes sort last under DESC, as the queries want. They replace the single-column
-- indexes of 001, which are their prefixes.
CREATE INDEX papers_most_voted ON papers (votes DESC, last_day DESC);
CREATE INDEX papers_newest ON papers (last_day DESC, votes DESC);
DROP INDEX papers_votes;
DROP INDEX papers_last_day;
