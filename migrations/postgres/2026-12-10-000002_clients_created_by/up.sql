-- A worker's clients include those they registered: their search reads them here alone,
-- without the table (clients::store::search_caseload).
CREATE INDEX clients_created_by ON clients (created_by, centre_id, merged_into, search_text, updated_at, id);
