-- A push result keeps the SHA-256 of the mutation it answered (its record, op, base version and
-- patch; never the content itself), so a mutationId sent again with another record or payload is
-- rejected instead of answered `applied` (docs/sync-protocol.md). Older results have none.
ALTER TABLE mutation_results ADD COLUMN payload_hash TEXT NULL;
