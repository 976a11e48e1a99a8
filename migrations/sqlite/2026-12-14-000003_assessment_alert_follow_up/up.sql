-- An alert stays open until the worker or supervisor acknowledges it, saying what was
-- done; kept, so that how alerts were followed up can be looked back on.
ALTER TABLE assessment_alerts ADD COLUMN acknowledged_by TEXT REFERENCES users(id);
ALTER TABLE assessment_alerts ADD COLUMN acknowledged_at TIMESTAMP;
ALTER TABLE assessment_alerts ADD COLUMN acknowledgement TEXT;
