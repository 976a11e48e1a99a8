DROP INDEX certificates_expires;
PRAGMA defer_foreign_keys = ON;
CREATE TABLE course_enrolments_kept AS SELECT * FROM course_enrolments;
DROP TABLE course_enrolments;
CREATE TABLE course_enrolments (
    id TEXT PRIMARY KEY,
    course_id TEXT NOT NULL REFERENCES courses(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    enrolled_by TEXT NOT NULL REFERENCES users(id),
    enrolled_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    UNIQUE (course_id, user_id)
);
INSERT INTO course_enrolments (id, course_id, user_id, enrolled_by, enrolled_at, completed_at)
    SELECT id, course_id, user_id, enrolled_by, enrolled_at, completed_at FROM course_enrolments_kept;
DROP TABLE course_enrolments_kept;
CREATE INDEX course_enrolments_user ON course_enrolments (user_id);
