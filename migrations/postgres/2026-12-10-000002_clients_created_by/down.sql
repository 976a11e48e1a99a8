DROP INDEX clients_created_by;
