-- Two more tally columns of `records` (docs/reporting.md, "Dimensions"): whether the service was
-- paid online and why a failed record failed, STORED generated columns over `data` like those of
-- 20261128-03 (adding them fills every existing row). Tallies by them read `records` (the per-day
-- tables do not keep them), so the covering index gains them.
ALTER TABLE records
  ADD COLUMN paid_online BOOLEAN GENERATED ALWAYS AS
    (CASE data -> 'paidOnline' WHEN 'true'::jsonb THEN true WHEN 'false'::jsonb THEN false END) STORED,
  ADD COLUMN fail_reason TEXT GENERATED ALWAYS AS
    (CASE jsonb_typeof(data -> 'failReason') WHEN 'string' THEN data ->> 'failReason' END) STORED;

DROP INDEX records_tally_commune;
CREATE INDEX records_tally_commune ON records (commune_code, deleted, occurred_on)
  INCLUDE (category, outcome, hamlet_id, service_code, team_id, volunteer_id, review_state, citizen_no,
    paid_online, fail_reason);
