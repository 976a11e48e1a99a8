DROP TABLE client_merges;
DROP INDEX clients_merged_into;
ALTER TABLE clients DROP COLUMN merged_into;
