-- The admin's settings of the commune's printed report (docs/reporting.md, "The report"): issuing
-- body, the number's suffix, addressees, legal bases, recipients and signer, kept as one JSON object
-- (ReportSettings in src/shared/report.ts) so a new field needs no migration. No row: the defaults.
CREATE TABLE report_settings (
  commune_code TEXT PRIMARY KEY REFERENCES communes(code),
  settings JSONB NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
