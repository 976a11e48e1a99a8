DROP INDEX clients_created_by;
CREATE INDEX clients_created_by ON clients (created_by, centre_id, merged_into, search_text, updated_at, id);
CREATE TABLE search_grams (
    kind TEXT NOT NULL,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    gram TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (kind, centre_id, gram, entity_id)
);
CREATE INDEX search_grams_entity ON search_grams (kind, entity_id);
DROP INDEX clients_search_seq;
ALTER TABLE clients DROP COLUMN search_seq;
DELETE FROM search_postings WHERE kind = 'client';
DELETE FROM search_sequences WHERE kind = 'client';
