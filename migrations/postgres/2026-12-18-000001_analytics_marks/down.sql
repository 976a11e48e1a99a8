DROP INDEX case_risks_facts_stale;
ALTER TABLE case_risks DROP COLUMN facts_stale;
