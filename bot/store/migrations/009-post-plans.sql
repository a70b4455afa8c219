-- The plan a post started with (its rendered messages), kept while the post is unfinished so
-- a resumed post sends exactly those messages whatever the digest became meanwhile. Posts
-- with the same plan (one digest fanned out to many channels) share one row; it is deleted
-- once no unfinished post refers to it.
CREATE TABLE post_plans (
    id   INTEGER PRIMARY KEY,
    key  BLOB NOT NULL UNIQUE,              -- hash of body
    body BLOB NOT NULL                      -- bot/daily/plan.py encode_plan
);
ALTER TABLE posts ADD COLUMN plan_id INTEGER REFERENCES post_plans (id);
CREATE INDEX posts_plan ON posts (plan_id);  -- also what the foreign key checks on delete use
