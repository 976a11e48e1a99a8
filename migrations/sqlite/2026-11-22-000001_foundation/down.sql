DROP TABLE audit_log;
DROP TABLE clients;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE units;
DROP TABLE centres;
DROP TABLE agencies;
