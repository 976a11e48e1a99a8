ALTER TABLE intervention_models DROP COLUMN version;
DROP TABLE activity_education_themes;
DROP TABLE education_themes;
