-- v3: the engine snapshot in one typed row instead of `meta` keys (`engine_state`, `last_poll`,
-- `eshop_name`, `engine_pid`, `cursor`, `last_synced_at`), and the commands a dashboard or
-- `poll-now` leave for a running daemon. Existing `meta` values move over; a time that does not
-- parse is dropped (the engine records a new one). Safe to run twice.

-- One row (id 1). Times are RFC 3339; the cursor keeps the shop's offset.
CREATE TABLE IF NOT EXISTS engine_snapshot (
    id             INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    state          TEXT CHECK (state IN ('starting', 'idle', 'syncing', 'paused', 'rate_limited',
                                         'auth_problem', 'config_problem', 'stopped')),
    state_service  TEXT CHECK (state_service IN ('shoptet', 'raynet')),
    state_until    TEXT,
    state_message  TEXT,
    last_poll      TEXT,
    next_poll      TEXT,
    last_synced_at TEXT,
    cursor         TEXT,
    eshop_name     TEXT,
    engine_pid     INTEGER,                -- the process running the engine (`run`, `sync --once`)
    engine_command TEXT,
    engine_since   TEXT
);
INSERT OR IGNORE INTO engine_snapshot (id) VALUES (1);

UPDATE engine_snapshot SET
    state = COALESCE(state, (
        SELECT json_extract(value, '$.state') FROM meta
        WHERE key = 'engine_state' AND json_valid(value)
          AND json_extract(value, '$.state') IN ('starting', 'idle', 'syncing', 'paused',
              'rate_limited', 'auth_problem', 'config_problem', 'stopped'))),
    state_service = COALESCE(state_service, (
        SELECT json_extract(value, '$.service') FROM meta
        WHERE key = 'engine_state' AND json_valid(value)
          AND json_extract(value, '$.service') IN ('shoptet', 'raynet'))),
    state_until = COALESCE(state_until, (
        SELECT json_extract(value, '$.until') FROM meta
        WHERE key = 'engine_state' AND json_valid(value)
          AND julianday(json_extract(value, '$.until')) IS NOT NULL)),
    state_message = COALESCE(state_message, (
        SELECT json_extract(value, '$.message') FROM meta
        WHERE key = 'engine_state' AND json_valid(value))),
    last_poll = COALESCE(last_poll, (
        SELECT value FROM meta WHERE key = 'last_poll' AND julianday(value) IS NOT NULL)),
    last_synced_at = COALESCE(last_synced_at, (
        SELECT value FROM meta WHERE key = 'last_synced_at' AND julianday(value) IS NOT NULL)),
    cursor = COALESCE(cursor, (
        SELECT value FROM meta WHERE key = 'cursor' AND julianday(value) IS NOT NULL)),
    eshop_name = COALESCE(eshop_name, (SELECT value FROM meta WHERE key = 'eshop_name')),
    engine_pid = COALESCE(engine_pid, (
        SELECT json_extract(value, '$.pid') FROM meta
        WHERE key = 'engine_pid' AND json_valid(value)
          AND typeof(json_extract(value, '$.pid')) = 'integer')),
    engine_command = COALESCE(engine_command, (
        SELECT json_extract(value, '$.command') FROM meta
        WHERE key = 'engine_pid' AND json_valid(value))),
    engine_since = COALESCE(engine_since, (
        SELECT json_extract(value, '$.started_at') FROM meta
        WHERE key = 'engine_pid' AND json_valid(value)
          AND julianday(json_extract(value, '$.started_at')) IS NOT NULL))
WHERE id = 1;

DELETE FROM meta
WHERE key IN ('engine_state', 'last_poll', 'eshop_name', 'engine_pid', 'cursor', 'last_synced_at');

-- What a dashboard or `poll-now` asks of the running daemon; the daemon looks every 250 ms and
-- notes when it took a command (the asker waits for that).
CREATE TABLE IF NOT EXISTS engine_commands (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    command      TEXT NOT NULL CHECK (command IN ('sync_now', 'pause', 'resume')),
    requested_at INTEGER NOT NULL,     -- ms since the epoch
    taken_at     INTEGER               -- NULL while it waits
);
