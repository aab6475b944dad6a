-- Two more tally columns of `records` (docs/reporting.md, "Dimensions"): whether the service was
-- paid online and why a failed record failed, copied from `data` by every write (putRecord and
-- insertRecords set them, as the columns of 20261128-03) and backfilled here. Tallies by them read
-- `records` (the per-day tables do not keep them), so the covering index gains them.
ALTER TABLE records ADD COLUMN paid_online INTEGER NULL;
ALTER TABLE records ADD COLUMN fail_reason TEXT NULL;
UPDATE records SET
  paid_online = CASE json_type(data, '$.paidOnline') WHEN 'true' THEN 1 WHEN 'false' THEN 0 END,
  fail_reason = CASE json_type(data, '$.failReason') WHEN 'text' THEN json_extract(data, '$.failReason') END
WHERE json_type(data, '$.paidOnline') IN ('true', 'false') OR json_type(data, '$.failReason') = 'text';

DROP INDEX records_tally_commune;
CREATE INDEX records_tally_commune ON records (commune_code, deleted, occurred_on, category, outcome,
  hamlet_id, service_code, team_id, volunteer_id, review_state, citizen_no, paid_online, fail_reason);
