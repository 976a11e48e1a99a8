ALTER TABLE clients DROP COLUMN on_sensitive_case;
