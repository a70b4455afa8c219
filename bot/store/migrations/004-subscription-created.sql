-- When each subscription was first made: days whose post time came before it are not posted
-- (bot/daily/schedule.py `due`), while saving it again (to unpause or change it) keeps it.
ALTER TABLE subscriptions ADD COLUMN created_at TEXT;
UPDATE subscriptions SET created_at = updated_at;
