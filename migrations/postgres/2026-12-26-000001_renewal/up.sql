-- A learner takes a course again to renew a certificate that is expiring: a new enrolment
-- beside the completed ones, so at most one enrolment of a course and learner is open.
ALTER TABLE course_enrolments DROP CONSTRAINT course_enrolments_course_id_user_id_key;
CREATE INDEX course_enrolments_course ON course_enrolments (course_id, user_id);
CREATE UNIQUE INDEX course_enrolments_open ON course_enrolments (course_id, user_id) WHERE completed_at IS NULL;
-- Certificates due for renewal are found by their expiry.
CREATE INDEX certificates_expires ON certificates (expires_on);
