DROP TABLE course_reflections;
