-- v4: alert episodes. A problem the health check reports (credentials rejected, RAYNET budget
-- exhausted, orders dead, no successful poll) is alerted once when it starts and once when it
-- ends; the open ones are kept here so a restart does not alert them again.
CREATE TABLE IF NOT EXISTS alert_episodes (
    kind       TEXT PRIMARY KEY NOT NULL,   -- e.g. 'poll_stale'
    started_at INTEGER NOT NULL,            -- unix milliseconds
    text       TEXT NOT NULL                -- what the start alert said
) WITHOUT ROWID;
