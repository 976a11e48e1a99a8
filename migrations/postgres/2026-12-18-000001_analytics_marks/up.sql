-- The analytics model (DAS) is held in the server's memory and read again, case by case,
-- where the records changed: every write that marks a case for the risk indicator marks
-- it for the model too, in its own transaction, and the model takes the marks it reloads.
ALTER TABLE case_risks ADD COLUMN facts_stale BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX case_risks_facts_stale ON case_risks (case_id) WHERE facts_stale;
