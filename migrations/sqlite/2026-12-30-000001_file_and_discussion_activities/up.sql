PRAGMA foreign_keys = OFF;
BEGIN;
-- A file activity's file: one per course and activity (its key), the bytes in the
-- platform's file store under `storage_key`. Replaced in place; the old bytes are
-- deleted once the new row is committed.
CREATE TABLE course_files (
    course_id TEXT NOT NULL REFERENCES courses(id),
    activity_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (course_id, activity_key)
);

-- A course's discussion activity holds circle threads of its own: such a thread names the
-- course and activity instead of a topic, and is read only by the course's people. SQLite
-- cannot drop NOT NULL in place, so the table is built again as SQLite's manual says:
-- foreign keys off (outside a transaction, hence metadata.toml), then checked.
CREATE TABLE circle_threads_new (
    id TEXT PRIMARY KEY,
    topic TEXT REFERENCES case_natures(code),
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    last_activity_at TIMESTAMP NOT NULL,
    replies BIGINT NOT NULL DEFAULT 0,
    locked_at TIMESTAMP,
    locked_by TEXT REFERENCES users(id),
    version BIGINT NOT NULL,
    course_id TEXT REFERENCES courses(id),
    activity_key TEXT,
    CHECK ((locked_at IS NULL) = (locked_by IS NULL)),
    CONSTRAINT circle_threads_place CHECK ((topic IS NULL) = (course_id IS NOT NULL) AND (course_id IS NULL) = (activity_key IS NULL))
);
INSERT INTO circle_threads_new
    SELECT id, topic, title, title_folded, created_by, created_at, last_activity_at, replies,
           locked_at, locked_by, version, NULL, NULL
    FROM circle_threads;
DROP TABLE circle_threads;
ALTER TABLE circle_threads_new RENAME TO circle_threads;
CREATE INDEX circle_threads_activity ON circle_threads (last_activity_at, id);
CREATE INDEX circle_threads_course ON circle_threads (course_id, activity_key, last_activity_at);
COMMIT;
PRAGMA foreign_keys = ON;
