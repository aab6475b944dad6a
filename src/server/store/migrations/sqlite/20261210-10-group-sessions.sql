-- Group sessions (docs/group-sessions.md): classes a team runs for many citizens, counted apart from
-- one-to-one assistance. A session is versioned from the same change counter as records, so one pull
-- cursor orders both. It names no attendee: `data.attendance` holds counts by sex and age band.
CREATE TABLE group_sessions (
  id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL,
  team_id TEXT NOT NULL,
  volunteer_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL,
  field_meta TEXT NOT NULL,
  -- Copied from data on every write, for tallies that never parse JSON.
  held_on TEXT NOT NULL,
  hamlet_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  attendees INTEGER NOT NULL,
  review_state TEXT NULL,
  review_comment TEXT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX group_sessions_commune_version ON group_sessions (commune_code, version);
CREATE INDEX group_sessions_team_version ON group_sessions (team_id, version);
CREATE INDEX group_sessions_volunteer_version ON group_sessions (volunteer_id, version);
CREATE INDEX group_sessions_tally ON group_sessions (commune_code, deleted, held_on, hamlet_id, topic, team_id);

-- A commune's own topic list. A commune with no rows uses the default list (group-session.ts); the
-- admin's first save writes the whole list. Topics are retired, never deleted: old sessions name them.
CREATE TABLE session_topics (
  commune_code TEXT NOT NULL REFERENCES communes(code),
  code TEXT NOT NULL,
  label TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL,
  PRIMARY KEY (commune_code, code)
);
