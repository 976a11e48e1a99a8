-- Grams of searchable text (api/src/search.rs): a "contains" search looks up its term's
-- rarest grams in its centres instead of reading every row with LIKE. The key is the
-- lookup; the entity index serves rewriting an entity's grams. Clients registered before
-- this table get theirs when the server next starts (SQL cannot cut Chinese text).
CREATE TABLE search_grams (
    kind TEXT NOT NULL,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    gram TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (kind, centre_id, gram, entity_id)
);
CREATE INDEX search_grams_entity ON search_grams (kind, entity_id);

-- Phone and masked-HKID fragments are ranges of these indexes.
CREATE INDEX clients_hkid_masked ON clients (centre_id, hkid_masked);
DROP INDEX clients_centre_search;
