ALTER TABLE enrolments DROP COLUMN sessions_attended;
