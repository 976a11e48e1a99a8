-- The same HKID twice in one centre is refused by the database itself, so two
-- registrations racing past the application's check cannot both succeed.
DROP INDEX clients_hkid_hash;
CREATE UNIQUE INDEX clients_hkid_hash ON clients (centre_id, hkid_hash);
-- A search scans the centre's search text in this index instead of visiting every row
-- (about ten times faster at 66,000 clients), until casework brings an n-gram index.
CREATE INDEX clients_centre_search ON clients (centre_id, search_text);

-- Failed sign-ins are counted per account (by id, never by the typed name) and per
-- client address, one row per key and window, incremented in place so that parallel
-- attempts cannot all pass the check.
DROP TABLE login_failures;
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    failures BIGINT NOT NULL
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- Sessions end after a spell without user activity; existing sessions end with this
-- migration, which asks everyone to sign in once more.
DROP TABLE sessions;
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_active_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);

-- A user holds a set of roles (a social worker is also a learner in i-TLS; a supervisor
-- may also be a trainer), and centre staff belong to one unit of their centre.
CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles (user_id, role) SELECT id, role FROM users;
ALTER TABLE users DROP COLUMN role;
ALTER TABLE users ADD COLUMN unit_id TEXT REFERENCES units(id);
-- Existing caseworkers join their centre's counselling unit, where casework is done.
UPDATE users SET unit_id = (
    SELECT u.id FROM units u WHERE u.centre_id = users.centre_id AND u.kind = 'family_counselling'
) WHERE centre_id IS NOT NULL
  AND id IN (SELECT user_id FROM user_roles WHERE role IN ('social_worker', 'supervisor'));

-- TRUNCATE skips row triggers: a statement trigger keeps the audit trail append-only
-- against it too. (SQLite has no TRUNCATE; its DELETE trigger covers a DELETE of all rows.)
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
