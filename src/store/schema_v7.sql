-- v7: what the engine read from both services, kept so an idle pass asks neither again.

-- The settings: the e-shop and its order statuses, RAYNET's users and currencies, with when
-- they were read and a hash of the configuration they were checked against (one row).
CREATE TABLE settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    read_at        INTEGER NOT NULL,          -- ms
    config_hash    TEXT NOT NULL,
    stale          INTEGER NOT NULL DEFAULT 0, -- 1: RAYNET refused a value; read again
    eshop_id       INTEGER NOT NULL,
    eshop_name     TEXT NOT NULL,
    eshop_currency TEXT NOT NULL,
    crm_currency   TEXT NOT NULL,
    timezone       TEXT NOT NULL
);
CREATE TABLE settings_statuses (
    status_id INTEGER PRIMARY KEY,
    name      TEXT NOT NULL
);
CREATE TABLE settings_currencies (
    iso       TEXT PRIMARY KEY NOT NULL,      -- upper-case ISO code
    raynet_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE settings_owners (
    person_id INTEGER PRIMARY KEY,            -- RAYNET person id of a user
    name      TEXT NOT NULL
);

-- When each order's detail was last read, and the change time that read returned: the
-- changes feed lists an order again for as long as it is in the overlap window.
CREATE TABLE order_reads (
    code      TEXT PRIMARY KEY NOT NULL,
    change_ts INTEGER,                        -- ms; NULL when the read gave no change time
    read_at   INTEGER NOT NULL                -- ms
) WITHOUT ROWID;

-- Changes read from the feed whose order still has to be read: the cursor passes a change only
-- once it is recorded here (or handled), and the poll reads the orders in bounded batches.
CREATE TABLE feed_backlog (
    code        TEXT PRIMARY KEY NOT NULL,
    change_time TEXT,                         -- RFC 3339 as the feed gave it; NULL: none given
    change_ts   INTEGER                       -- ms, for the order of reading
) WITHOUT ROWID;
CREATE INDEX feed_backlog_time ON feed_backlog (change_ts, code);
