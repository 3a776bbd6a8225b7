-- v6: when a known RAYNET client was last read (its owner, and that it still exists), so it
-- is not read again for every order (`sync.client_refresh_secs`).
CREATE TABLE client_reads (
    raynet_id INTEGER PRIMARY KEY NOT NULL,
    owner_id  INTEGER,                    -- the client's owner (a person id) when read
    read_at   INTEGER NOT NULL            -- ms since the epoch
);
