-- A day's papers without their rows (bot/store/papers.py `top`). appearances is keyed by
-- (day, paper_id), but its rows hold every summary: counting the papers of a year read
-- ~18,000 whole rows (~80-200 ms at 1M papers). This index holds only (day, paper_id).
CREATE INDEX appearances_day ON appearances (day, paper_id);
