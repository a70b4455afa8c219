-- Files papers-bot built from Hugging Face's API (bot/huggingface/write.py; their first line
-- says so, ParseResult.built). A day's built files rank after the digests the source project
-- published (bot/store/holdings.py), so a Korean digest leads its day whichever was loaded
-- first, and `papers-bot days` and /daily status say where each day came from. Adding a
-- column with a constant default rewrites no rows, whatever the size of the store.
ALTER TABLE digest_files ADD COLUMN built INTEGER NOT NULL DEFAULT 0;
