-- i-TLS. A course's definition (modules, activities, quizzes with their answers) is kept
-- whole as JSON in `content`, as the trainer wrote it; what lists and reports read is
-- beside it. Activities are named by their `key`, which no later version changes, so a
-- learner's progress holds across versions.
CREATE TABLE courses (
    id TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    trainer_id TEXT NOT NULL REFERENCES users(id),
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    category TEXT NOT NULL,
    language TEXT NOT NULL,
    cpd_tenths BIGINT NOT NULL,
    status TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    version BIGINT NOT NULL
);
CREATE INDEX courses_status ON courses (status);

CREATE TABLE course_enrolments (
    id TEXT PRIMARY KEY,
    course_id TEXT NOT NULL REFERENCES courses(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    enrolled_by TEXT NOT NULL REFERENCES users(id),
    enrolled_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    UNIQUE (course_id, user_id)
);
CREATE INDEX course_enrolments_user ON course_enrolments (user_id);

CREATE TABLE course_progress (
    enrolment_id TEXT NOT NULL REFERENCES course_enrolments(id),
    activity_key TEXT NOT NULL,
    done_at TIMESTAMP NOT NULL,
    PRIMARY KEY (enrolment_id, activity_key)
);

-- Numbered per enrolment and quiz: two attempts sent at once cannot take one number, so
-- the attempts allowed hold.
CREATE TABLE quiz_attempts (
    enrolment_id TEXT NOT NULL REFERENCES course_enrolments(id),
    activity_key TEXT NOT NULL,
    number BIGINT NOT NULL,
    answers TEXT NOT NULL,
    points BIGINT NOT NULL,
    out_of BIGINT NOT NULL,
    passed BOOLEAN NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (enrolment_id, activity_key, number)
);

-- What a certificate says is kept as issued: a course renamed later does not change it.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY,
    enrolment_id TEXT NOT NULL UNIQUE REFERENCES course_enrolments(id),
    course_id TEXT NOT NULL REFERENCES courses(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    learner_name TEXT NOT NULL,
    course_title_zh TEXT NOT NULL,
    course_title_en TEXT NOT NULL,
    cpd_tenths BIGINT NOT NULL,
    completed_on DATE NOT NULL,
    issuer_zh TEXT NOT NULL,
    issuer_en TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    expires_on DATE,
    revoked_at TIMESTAMP,
    revoked_by TEXT REFERENCES users(id),
    revoked_reason TEXT
);
CREATE INDEX certificates_user ON certificates (user_id);
