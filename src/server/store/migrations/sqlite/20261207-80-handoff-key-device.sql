-- A hand-off signing key remembers the enrolled device whose session registered it, so revoking
-- that one phone revokes its key too (docs/handoff.md). NULL: registered from a password session,
-- or before this migration; such keys end only with all of the user's sessions.
ALTER TABLE handoff_device_keys ADD COLUMN device_id TEXT NULL REFERENCES devices(id);
CREATE INDEX handoff_device_keys_device ON handoff_device_keys (device_id);
