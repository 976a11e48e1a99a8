-- A learner takes a course again to renew a certificate that is expiring: a new enrolment
-- beside the completed ones, so at most one enrolment of a course and learner is open.
-- SQLite cannot drop the table's UNIQUE (course_id, user_id): the table is made again with
-- the same rows. The rows referring to it are checked at the commit, once their
-- enrolments are back (a row put back answers for those that refer to it).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE course_enrolments_kept AS SELECT * FROM course_enrolments;
DROP TABLE course_enrolments;
CREATE TABLE course_enrolments (
    id TEXT PRIMARY KEY,
    course_id TEXT NOT NULL REFERENCES courses(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    enrolled_by TEXT NOT NULL REFERENCES users(id),
    enrolled_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);
INSERT INTO course_enrolments (id, course_id, user_id, enrolled_by, enrolled_at, completed_at)
    SELECT id, course_id, user_id, enrolled_by, enrolled_at, completed_at FROM course_enrolments_kept;
DROP TABLE course_enrolments_kept;
CREATE INDEX course_enrolments_user ON course_enrolments (user_id);
CREATE INDEX course_enrolments_course ON course_enrolments (course_id, user_id);
CREATE UNIQUE INDEX course_enrolments_open ON course_enrolments (course_id, user_id) WHERE completed_at IS NULL;
-- Certificates due for renewal are found by their expiry.
CREATE INDEX certificates_expires ON certificates (expires_on);
