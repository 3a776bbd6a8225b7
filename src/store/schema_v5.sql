-- v5: the activity log and the reasons are typed. `audit.entry` holds the entry as JSON and
-- `audit.message` the words a search finds it by; `from_state` / `to_state` the state change
-- it records. Rows written before have no entry: their message is the text they were written
-- with. `jobs.last_error` and `decisions.reason` hold a typed reason as JSON from now on; the
-- text of older rows reads back as it is.
ALTER TABLE audit ADD COLUMN entry TEXT;
ALTER TABLE audit ADD COLUMN from_state TEXT;
ALTER TABLE audit ADD COLUMN to_state TEXT;
