-- A worker's clients include those they registered: their search reads them by this.
CREATE INDEX clients_created_by ON clients (created_by);
