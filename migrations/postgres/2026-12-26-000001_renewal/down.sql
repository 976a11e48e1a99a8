DROP INDEX certificates_expires;
DROP INDEX course_enrolments_open;
DROP INDEX course_enrolments_course;
ALTER TABLE course_enrolments ADD CONSTRAINT course_enrolments_course_id_user_id_key UNIQUE (course_id, user_id);
