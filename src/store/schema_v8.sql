-- v8: the long work the engine runs (first sync, backfill, a backlog), for a dashboard beside the
-- daemon: how many of how many orders are done and the engine's estimate of the rest. All NULL
-- when no long work runs.
ALTER TABLE engine_snapshot ADD COLUMN progress_done INTEGER;
ALTER TABLE engine_snapshot ADD COLUMN progress_total INTEGER;
ALTER TABLE engine_snapshot ADD COLUMN progress_estimate TEXT; -- JSON, as the engine wrote it
