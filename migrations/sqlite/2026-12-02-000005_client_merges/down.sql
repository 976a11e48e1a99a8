DROP TABLE client_merges;
DROP INDEX clients_merged_into;
-- SQLite cannot drop a column that references a table: the column stays, emptied.
UPDATE clients SET merged_into = NULL;
