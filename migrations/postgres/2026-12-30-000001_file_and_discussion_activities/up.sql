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
-- course and activity instead of a topic, and is read only by the course's people.
ALTER TABLE circle_threads ALTER COLUMN topic DROP NOT NULL;
ALTER TABLE circle_threads ADD COLUMN course_id TEXT REFERENCES courses(id);
ALTER TABLE circle_threads ADD COLUMN activity_key TEXT;
ALTER TABLE circle_threads ADD CONSTRAINT circle_threads_place
    CHECK ((topic IS NULL) = (course_id IS NOT NULL) AND (course_id IS NULL) = (activity_key IS NULL));
CREATE INDEX circle_threads_course ON circle_threads (course_id, activity_key, last_activity_at);
