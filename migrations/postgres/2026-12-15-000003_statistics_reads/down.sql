DROP INDEX clients_breakdown;
DROP INDEX cases_breakdown;
ALTER TABLE case_events DROP COLUMN superseded_on;
