DROP INDEX clients_date_of_birth;
DROP INDEX clients_phone;
DROP TABLE client_name_keys;
