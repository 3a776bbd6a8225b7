-- v2: the engine's own state in typed tables instead of string keys in `meta`. Existing
-- `meta` rows move over, so an install keeps its intents, order details, backfill marks,
-- login blocks, rate limits and create-extId modes.

-- A create that may have reached RAYNET: kind 'client' | 'product' | 'business_case', the key
-- of what was created (customer key, product code, order code), and the order that began it.
CREATE TABLE intents (
    kind       TEXT NOT NULL CHECK (kind IN ('client', 'product', 'business_case')),
    key        TEXT NOT NULL,
    order_code TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
INSERT OR REPLACE INTO intents (kind, key, order_code)
    SELECT substr(key, 8, instr(substr(key, 8), ':') - 1),
           substr(key, 8 + instr(substr(key, 8), ':')),
           value
    FROM meta
    WHERE key GLOB 'intent:*'
      AND substr(key, 8, instr(substr(key, 8), ':') - 1) IN ('client', 'product', 'business_case');

-- What the order detail shows: the Shoptet data and the plan (or what was done), one line each.
CREATE TABLE order_details (
    code      TEXT PRIMARY KEY NOT NULL,
    shoptet   TEXT NOT NULL,          -- JSON array of lines
    plan      TEXT NOT NULL,          -- JSON array of lines
    done      INTEGER NOT NULL,       -- 1: `plan` is what was done
    admin_url TEXT
) WITHOUT ROWID;
INSERT OR REPLACE INTO order_details (code, shoptet, plan, done, admin_url)
    SELECT substr(key, 8),
           COALESCE(json_extract(value, '$.shoptet'), '[]'),
           COALESCE(json_extract(value, '$.plan'), '[]'),
           COALESCE(json_extract(value, '$.done'), 0),
           json_extract(value, '$.admin_url')
    FROM meta
    WHERE key GLOB 'detail:*' AND json_valid(value);

-- Orders queued by a backfill (they are synced even when unchanged).
CREATE TABLE backfill_marks (
    code TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO backfill_marks (code)
    SELECT substr(key, 10) FROM meta WHERE key GLOB 'backfill:*';

-- Credentials a service rejected (by fingerprint, never the secret), and when.
CREATE TABLE login_blocks (
    service     TEXT PRIMARY KEY NOT NULL,   -- 'shoptet' | 'raynet'
    fingerprint TEXT NOT NULL,
    at          TEXT NOT NULL,               -- RFC 3339
    message     TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR REPLACE INTO login_blocks (service, fingerprint, at, message)
    SELECT substr(key, 13), json_extract(value, '$.fingerprint'), json_extract(value, '$.at'),
           COALESCE(json_extract(value, '$.message'), '')
    FROM meta
    WHERE key GLOB 'login_block:*' AND json_valid(value)
      AND json_extract(value, '$.fingerprint') IS NOT NULL AND json_extract(value, '$.at') IS NOT NULL;

-- A service's last reported rate-limit window.
CREATE TABLE rate_limits (
    service   TEXT PRIMARY KEY NOT NULL,
    lim       INTEGER,
    remaining INTEGER,
    reset     TEXT                        -- RFC 3339
) WITHOUT ROWID;
INSERT OR REPLACE INTO rate_limits (service, lim, remaining, reset)
    SELECT substr(key, 12), json_extract(value, '$.limit'), json_extract(value, '$.remaining'),
           json_extract(value, '$.reset')
    FROM meta
    WHERE key GLOB 'rate_limit:*' AND json_valid(value);

-- What RAYNET does with the extId of an entity type's create body.
CREATE TABLE create_ext_id_modes (
    entity TEXT PRIMARY KEY NOT NULL,
    mode   TEXT NOT NULL CHECK (mode IN ('kept', 'dropped'))
) WITHOUT ROWID;
INSERT OR REPLACE INTO create_ext_id_modes (entity, mode)
    SELECT substr(key, 22), value FROM meta
    WHERE key GLOB 'raynet:create_ext_id:*' AND value IN ('kept', 'dropped');

DELETE FROM meta
WHERE key GLOB 'intent:*' OR key GLOB 'detail:*' OR key GLOB 'backfill:*'
   OR key GLOB 'login_block:*' OR key GLOB 'rate_limit:*' OR key GLOB 'raynet:create_ext_id:*';
