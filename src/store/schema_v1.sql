-- Schema version 1. Times in UTC are INTEGER milliseconds since the epoch; Shoptet times keep
-- their offset as RFC 3339 TEXT next to a *_ts millisecond column used for sorting.

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,   -- stable rowid for the search index
    code             TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL,
    change_time      TEXT,
    change_ts        INTEGER,
    creation_time    TEXT,
    creation_ts      INTEGER,
    status_id        INTEGER,
    status_name      TEXT,
    customer         TEXT,
    email            TEXT,
    total_with_vat   TEXT,
    total_num        REAL,
    currency         TEXT,
    synced_hash      TEXT,
    business_case_id INTEGER,
    synced_at        INTEGER,
    updated_at       INTEGER NOT NULL,
    -- lower-cased code, customer and e-mail, for substring search
    search_key       TEXT NOT NULL
);
-- Substring search over search_key (trigram index; queries shorter than 3 characters scan).
CREATE VIRTUAL TABLE orders_search USING fts5 (
    search_key, content = 'orders', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER orders_search_update AFTER UPDATE OF search_key ON orders
WHEN old.search_key IS NOT new.search_key BEGIN
    INSERT INTO orders_search (orders_search, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
    INSERT INTO orders_search (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN
    INSERT INTO orders_search (orders_search, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
END;

CREATE INDEX orders_change ON orders (change_ts, code);
CREATE INDEX orders_state_change ON orders (state, change_ts, code);
CREATE INDEX orders_creation ON orders (creation_ts, code);
CREATE INDEX orders_state_creation ON orders (state, creation_ts, code);
CREATE INDEX orders_customer ON orders (customer COLLATE NOCASE, code);
CREATE INDEX orders_state_customer ON orders (state, customer COLLATE NOCASE, code);
CREATE INDEX orders_total ON orders (total_num, code);
CREATE INDEX orders_state_total ON orders (state, total_num, code);
CREATE INDEX orders_state_code ON orders (state, code);

CREATE TABLE jobs (
    code            TEXT PRIMARY KEY NOT NULL REFERENCES orders (code) ON DELETE CASCADE,
    priority        INTEGER NOT NULL,   -- 0 normal, 1 low (backfill)
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    last_status     INTEGER,
    dead            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_due ON jobs (dead, priority, next_attempt_at);
CREATE INDEX jobs_next ON jobs (dead, next_attempt_at);

CREATE TABLE decisions (
    code       TEXT PRIMARY KEY NOT NULL REFERENCES orders (code) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    candidates TEXT NOT NULL,   -- JSON array of Candidate
    choice     TEXT,            -- JSON DecisionChoice
    created_at INTEGER NOT NULL
);

CREATE TABLE entities (
    kind             TEXT NOT NULL,
    shoptet_key      TEXT NOT NULL,
    raynet_id        INTEGER NOT NULL,
    how              TEXT NOT NULL,
    matched_by       TEXT,
    label            TEXT NOT NULL,
    shoptet_ref      TEXT,
    first_order_code TEXT,
    created_at       INTEGER NOT NULL,
    search_key       TEXT NOT NULL,
    PRIMARY KEY (kind, shoptet_key)
);
CREATE INDEX entities_raynet ON entities (kind, raynet_id);
CREATE INDEX entities_created ON entities (kind, created_at, shoptet_key);
CREATE INDEX entities_how_created ON entities (kind, how, created_at, shoptet_key);

CREATE TABLE audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    order_code TEXT,
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL
);
CREATE INDEX audit_order ON audit (order_code, id);
CREATE INDEX audit_kind_at ON audit (kind, at);
CREATE INDEX audit_at ON audit (at);

CREATE TABLE calls (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_code  TEXT NOT NULL,
    at          INTEGER NOT NULL,
    service     TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    status      INTEGER,
    duration_ms INTEGER NOT NULL,
    error       TEXT
);
CREATE INDEX calls_order ON calls (order_code, id);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Row counts kept by triggers, so the dashboard's counters cost a handful of row reads instead
-- of a scan of every order or event on each refresh.
CREATE TABLE tallies (
    name TEXT PRIMARY KEY,   -- 'state:<order state>' or 'audit'
    n    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO tallies (name) VALUES ('state:pending'), ('state:queued'), ('state:synced'), ('state:failed'),
    ('state:needs_decision'), ('state:skipped'), ('state:dead'), ('audit');
CREATE TRIGGER tally_order_insert AFTER INSERT ON orders BEGIN
    UPDATE tallies SET n = n + 1 WHERE name = 'state:' || NEW.state;
END;
CREATE TRIGGER tally_order_delete AFTER DELETE ON orders BEGIN
    UPDATE tallies SET n = n - 1 WHERE name = 'state:' || OLD.state;
END;
CREATE TRIGGER tally_order_state AFTER UPDATE OF state ON orders WHEN OLD.state <> NEW.state BEGIN
    UPDATE tallies SET n = n - 1 WHERE name = 'state:' || OLD.state;
    UPDATE tallies SET n = n + 1 WHERE name = 'state:' || NEW.state;
END;
CREATE TRIGGER tally_audit_insert AFTER INSERT ON audit BEGIN
    UPDATE tallies SET n = n + 1 WHERE name = 'audit';
END;
CREATE TRIGGER tally_audit_delete AFTER DELETE ON audit BEGIN
    UPDATE tallies SET n = n - 1 WHERE name = 'audit';
END;
