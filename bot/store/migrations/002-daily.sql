-- Daily posts: where each server wants the digest, and a ledger of what was sent.
CREATE TABLE subscriptions (
    channel_id    INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    post_time     TEXT NOT NULL,            -- HH:MM, local to timezone
    timezone      TEXT NOT NULL,            -- IANA name
    style         TEXT NOT NULL,            -- embeds | thread | compact
    min_votes     INTEGER,
    max_papers    INTEGER,
    origin        TEXT NOT NULL,            -- config | command
    created_by    INTEGER,                  -- member id for /daily subscribe
    paused_reason TEXT,                     -- set after repeated 403/404s
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    updated_at    TEXT NOT NULL
);
CREATE INDEX subscriptions_guild ON subscriptions (guild_id);

-- One row per channel and digest day that the bot started posting (or decided to skip).
CREATE TABLE posts (
    channel_id  INTEGER NOT NULL,
    day         TEXT NOT NULL,
    generation  INTEGER NOT NULL DEFAULT 0, -- bumped by /daily post-now force:true
    status      TEXT NOT NULL,              -- posting | done | skipped
    planned     INTEGER NOT NULL DEFAULT 0, -- messages the post consists of
    owner       TEXT,                       -- process holding the lease
    lease_until TEXT,
    reason      TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (channel_id, day)
) WITHOUT ROWID;

-- Every message of a post, recorded as soon as Discord returned it.
CREATE TABLE post_messages (
    channel_id INTEGER NOT NULL,
    day        TEXT NOT NULL,
    generation INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    target_id  INTEGER NOT NULL,            -- channel or thread it went to
    PRIMARY KEY (channel_id, day, generation, seq)
) WITHOUT ROWID;

-- Conditional-request state of polled digest URLs.
CREATE TABLE source_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    checked_at    TEXT NOT NULL,
    status        INTEGER
) WITHOUT ROWID;

-- Per-member data (follows, saved papers) will key on member_id; this table is its anchor.
CREATE TABLE members (
    member_id  INTEGER PRIMARY KEY,
    locale     TEXT,
    created_at TEXT NOT NULL
);
