-- Each client's name keys (pairs of syllable sound codes, from the names as typed and from
-- the Chinese characters' Cantonese and Mandarin readings: api/src/clients/names.rs),
-- written with the client, so a registration's likely duplicates in its centre are found
-- by index. Clients registered before this table get theirs when the server next
-- migrates, since SQL cannot romanise (clients::service::add_missing_name_keys).
-- The primary key is the lookup (a centre's clients by key); the client index serves
-- rewriting a client's keys.
CREATE TABLE client_name_keys (
    centre_id TEXT NOT NULL REFERENCES centres(id),
    name_key TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients(id),
    PRIMARY KEY (centre_id, name_key, client_id)
);
CREATE INDEX client_name_keys_client ON client_name_keys (client_id);

-- Duplicate candidates are also found by phone and by date of birth within the centre.
CREATE INDEX clients_phone ON clients (centre_id, phone);
CREATE INDEX clients_date_of_birth ON clients (centre_id, date_of_birth);
