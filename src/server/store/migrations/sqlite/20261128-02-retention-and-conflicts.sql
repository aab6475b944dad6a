-- Retention and conflict review: the prune horizon, the time each push result was stored (so old
-- ones can be pruned), and the winning side of each lost value in the record's history.

-- Tombstones up to this version may have been pruned; a pull cursor below it starts over.
ALTER TABLE sync_state ADD COLUMN pruned_version INTEGER NOT NULL DEFAULT 0;

ALTER TABLE mutation_results ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
-- Results stored before this migration get their client's last write time: never earlier than the
-- result itself, so none is pruned sooner than its age allows.
UPDATE mutation_results
   SET created_at = (SELECT c.updated_at FROM clients c WHERE c.client_id = mutation_results.client_id);
CREATE INDEX mutation_results_created ON mutation_results (created_at);

-- For each field in `lost`, the value that won it. Entries written before this migration keep NULL.
ALTER TABLE record_history ADD COLUMN won TEXT NULL;
CREATE INDEX record_history_lost ON record_history (version, id) WHERE lost IS NOT NULL;

CREATE INDEX records_tombstones ON records (updated_at) WHERE deleted = 1;
