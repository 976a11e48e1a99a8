-- What a family-service record says about a person beyond name and birth: ethnicity,
-- preferred language, disabilities (comma-separated codes, in their list's order), the
-- day they came to live in Hong Kong (a new arrival has lived here under 7 years), and a
-- child's school. A family member may be known only by name, sex and an age: their date
-- of birth is then estimated, and phone and district may be unrecorded (district NULL,
-- phone empty).
ALTER TABLE clients ADD COLUMN ethnicity TEXT;
ALTER TABLE clients ADD COLUMN preferred_language TEXT;
ALTER TABLE clients ADD COLUMN disabilities TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN arrived_on DATE;
ALTER TABLE clients ADD COLUMN school TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN date_of_birth_estimated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ALTER COLUMN district DROP NOT NULL;
