-- The secrets of citizenKey leave the database for the key file (docs/privacy.md, docs/operations.md).
-- SQL cannot write that file, so the column is renamed here and emptied by the server at start
-- (privacy/citizen-secret-move.ts): each secret is copied into the key file first, then set to NULL.
-- The rename makes every reader and writer of the old column fail rather than keep using it; new
-- communes get no secret here (theirs is derived from the key file). Nothing else changes: records
-- keep their citizenKey, so requests made with an old ID number still find them.
ALTER TABLE communes RENAME COLUMN citizen_secret TO legacy_citizen_secret;
