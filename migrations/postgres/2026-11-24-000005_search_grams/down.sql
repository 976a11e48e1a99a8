CREATE INDEX clients_centre_search ON clients (centre_id, search_text);
DROP INDEX clients_hkid_masked;
DROP TABLE search_grams;
