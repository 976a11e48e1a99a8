-- The case nature taxonomy is edited by the platform's administrators: a version for
-- edits made at once, and names that say one thing each, so that no two natures can be
-- mistaken for each other on a form or in a report.
ALTER TABLE case_natures ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX case_natures_name_zh ON case_natures (name_zh);
CREATE UNIQUE INDEX case_natures_name_en ON case_natures (name_en);
