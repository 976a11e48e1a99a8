-- A learner's reflection on a course's prompt, one per enrolment and activity: written
-- again only after the trainer returns it, so what was signed off stays as signed off.
CREATE TABLE course_reflections (
    enrolment_id TEXT NOT NULL REFERENCES course_enrolments(id),
    activity_key TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    reviewed_by TEXT REFERENCES users(id),
    reviewed_at TIMESTAMP,
    feedback TEXT,
    version BIGINT NOT NULL,
    PRIMARY KEY (enrolment_id, activity_key)
);
CREATE INDEX course_reflections_status ON course_reflections (status);
