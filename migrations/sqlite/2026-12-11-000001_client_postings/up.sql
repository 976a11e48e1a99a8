-- Clients leave search_grams for posting lists, as case notes did: every part of each word
-- of a name is a gram, so that a one-word term is its own exact list. A client's number is
-- given again at each write, so that a list read from its end is "most recently changed
-- first". Clients get their number and postings when the server next starts (SQL cannot
-- romanise or cut names).
INSERT INTO search_sequences (kind, last_seq) VALUES ('client', 0);
ALTER TABLE clients ADD COLUMN search_seq BIGINT;
CREATE UNIQUE INDEX clients_search_seq ON clients (search_seq);
DROP TABLE search_grams;
-- A worker's search reads the numbers of the clients they registered here alone.
DROP INDEX clients_created_by;
CREATE INDEX clients_created_by ON clients (created_by, centre_id, merged_into, search_seq);
