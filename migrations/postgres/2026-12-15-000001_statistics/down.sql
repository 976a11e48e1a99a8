DROP INDEX case_events_state;
ALTER TABLE case_events DROP COLUMN from_centre_id;
ALTER TABLE case_events DROP COLUMN from_state;
DROP TABLE statistics_workbooks;
DROP TABLE service_standards;
