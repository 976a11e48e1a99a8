UPDATE clients SET district = 'A' WHERE district IS NULL;
ALTER TABLE clients ALTER COLUMN district SET NOT NULL;
ALTER TABLE clients DROP COLUMN date_of_birth_estimated;
ALTER TABLE clients DROP COLUMN school;
ALTER TABLE clients DROP COLUMN arrived_on;
ALTER TABLE clients DROP COLUMN disabilities;
ALTER TABLE clients DROP COLUMN preferred_language;
ALTER TABLE clients DROP COLUMN ethnicity;
