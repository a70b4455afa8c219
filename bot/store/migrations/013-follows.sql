-- Members' follows and the alert ledger (bot/store/follows.py): each member with a follow that
-- matches a new digest day gets one direct message for that day, exactly once. New tables
-- only: an existing database upgrades at once whatever its size (IF NOT EXISTS: a database
-- whose user_version was set back runs it again unharmed).

-- What a member follows: words as /search reads them, or a name as /author reads it.
CREATE TABLE IF NOT EXISTS follows (
    id         INTEGER PRIMARY KEY,           -- in the order they were made
    member_id  INTEGER NOT NULL,
    kind       TEXT NOT NULL,                 -- keyword | author (bot/models.py FollowKind)
    query      TEXT NOT NULL,                 -- as typed, cleaned (bot/inputs.py clean_query)
    created_at TEXT NOT NULL,
    UNIQUE (member_id, kind, query)
);
-- The distinct follows a day is matched against, and the members who have one.
CREATE INDEX IF NOT EXISTS follows_query ON follows (kind, query, member_id);

-- Where a member's alerts go and what went wrong delivering them.
CREATE TABLE IF NOT EXISTS follow_members (
    member_id     INTEGER PRIMARY KEY,
    locale        TEXT NOT NULL,              -- of their last /follow command: the alerts' language
    dm_channel_id INTEGER,                    -- their DM channel with the bot, once opened
    problem       TEXT,                       -- closed | gone: alerts are not tried until cleared
    problem_day   TEXT,                       -- the day whose alert met the problem
    updated_at    TEXT NOT NULL
);
-- The servers a member used /follow in: alerts go only while they share one with the bot.
CREATE TABLE IF NOT EXISTS follow_guilds (
    member_id INTEGER NOT NULL,
    guild_id  INTEGER NOT NULL,
    PRIMARY KEY (member_id, guild_id)
) WITHOUT ROWID;

-- Days whose alerts were planned (once, by whichever process saw the day first).
CREATE TABLE IF NOT EXISTS alert_days (
    day        TEXT PRIMARY KEY,
    planned_at TEXT NOT NULL,
    members    INTEGER NOT NULL               -- alerts planned; 0 for a day past the catch-up
) WITHOUT ROWID;

-- One alert per member and day. pending: to send (a process holds it while owner and
-- lease_until say so; a lease that ran out is taken over); done, closed, gone, expired, failed:
-- settled, never sent again.
CREATE TABLE IF NOT EXISTS alerts (
    member_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    status      TEXT NOT NULL,
    planned     INTEGER NOT NULL,             -- messages
    papers      INTEGER NOT NULL,
    plan        BLOB,                         -- the rendered messages; dropped once settled
    owner       TEXT,
    lease_until TEXT,
    started_at  TEXT,
    finished_at TEXT,
    reason      TEXT,
    PRIMARY KEY (member_id, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_pending ON alerts (status, day, member_id);
CREATE TABLE IF NOT EXISTS alert_messages (
    member_id  INTEGER NOT NULL,
    day        TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (member_id, day, seq)
) WITHOUT ROWID;
