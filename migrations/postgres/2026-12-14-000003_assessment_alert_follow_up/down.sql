ALTER TABLE assessment_alerts DROP COLUMN acknowledgement;
ALTER TABLE assessment_alerts DROP COLUMN acknowledged_at;
ALTER TABLE assessment_alerts DROP COLUMN acknowledged_by;
