DROP TABLE certificates;
DROP TABLE quiz_attempts;
DROP TABLE course_progress;
DROP TABLE course_enrolments;
DROP TABLE courses;
