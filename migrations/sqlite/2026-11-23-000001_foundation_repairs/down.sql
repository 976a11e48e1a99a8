ALTER TABLE users DROP COLUMN unit_id;
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'learner';
UPDATE users SET role = (SELECT MIN(role) FROM user_roles WHERE user_roles.user_id = users.id);
DROP TABLE user_roles;

DROP TABLE sessions;
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);

DROP TABLE login_throttle;
CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);

DROP INDEX clients_centre_search;
DROP INDEX clients_hkid_hash;
CREATE INDEX clients_hkid_hash ON clients (centre_id, hkid_hash);
