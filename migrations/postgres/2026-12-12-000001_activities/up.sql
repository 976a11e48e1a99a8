-- Programmes, groups and community events, their sessions, who enrols and who came.

-- The intervention models an activity may follow, so that outcomes can be compared by
-- model later; a list of the platform's, like the case natures.
CREATE TABLE intervention_models (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL
);
INSERT INTO intervention_models (code, name_zh, name_en, position, active) VALUES
    ('psychoeducation', '心理教育', 'Psychoeducation', 1, TRUE),
    ('cognitive_behavioural', '認知行為', 'Cognitive behavioural', 2, TRUE),
    ('solution_focused', '焦點解決', 'Solution-focused', 3, TRUE),
    ('narrative', '敘事', 'Narrative', 4, TRUE),
    ('strengths_based', '優勢為本', 'Strengths-based', 5, TRUE),
    ('mutual_aid', '互助', 'Mutual aid', 6, TRUE),
    ('positive_parenting', '正向親職', 'Positive parenting', 7, TRUE),
    ('mindfulness', '靜觀', 'Mindfulness', 8, TRUE),
    ('experiential', '體驗式學習', 'Experiential learning', 9, TRUE),
    ('other', '其他', 'Other', 10, TRUE);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL CHECK (kind IN ('programme', 'group', 'community_event')),
    format TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    target_group TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('face_to_face', 'online', 'blended')),
    -- None: no limit. A community event counts reach and has no places.
    capacity BIGINT CHECK (capacity IS NULL OR (capacity > 0 AND kind <> 'community_event')),
    venue TEXT,
    meeting_link TEXT,
    planned_start DATE NOT NULL,
    planned_end DATE NOT NULL,
    actual_start DATE,
    actual_end DATE,
    intervention_model TEXT REFERENCES intervention_models(code),
    completion_percent BIGINT NOT NULL CHECK (completion_percent BETWEEN 1 AND 100),
    -- A community event's reach, entered for the whole event (NULL until entered).
    online_views BIGINT CHECK (online_views >= 0),
    online_participants BIGINT CHECK (online_participants >= 0),
    media_items BIGINT CHECK (media_items >= 0),
    counting_note TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    updated_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (planned_end >= planned_start)
);
CREATE INDEX activities_centre ON activities (centre_id, planned_start);

CREATE TABLE activity_themes (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    nature_code TEXT NOT NULL REFERENCES case_natures(code),
    PRIMARY KEY (activity_id, nature_code)
);

-- Staff facilitators by account (their sessions are checked for double booking),
-- volunteers and external facilitators by name.
CREATE TABLE activity_facilitators (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    position BIGINT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('staff', 'volunteer', 'external')),
    user_id TEXT REFERENCES users(id),
    name TEXT,
    PRIMARY KEY (activity_id, position),
    CHECK ((role = 'staff') = (user_id IS NOT NULL) AND (user_id IS NULL) = (name IS NOT NULL))
);
CREATE INDEX activity_facilitators_user ON activity_facilitators (user_id);

-- The centre is the activity's, kept here so a centre's calendar is one index range.
CREATE TABLE activity_sessions (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    centre_id TEXT NOT NULL REFERENCES centres(id),
    -- Its place by time among its activity's sessions, 1 first: kept by every insert.
    number BIGINT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    venue TEXT,
    -- The venue as compared for double booking (`venue_key`), NULL online.
    venue_key TEXT,
    online BOOLEAN NOT NULL,
    headcount_version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX activity_sessions_activity ON activity_sessions (activity_id, starts_at);
CREATE INDEX activity_sessions_centre ON activity_sessions (centre_id, starts_at);

CREATE TABLE enrolments (
    id TEXT PRIMARY KEY,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    status TEXT NOT NULL CHECK (status IN ('enrolled', 'waiting', 'withdrawn')),
    requested_at TIMESTAMP NOT NULL,
    placed_at TIMESTAMP,
    withdrawn_at TIMESTAMP,
    withdrawal_reason TEXT,
    enrolled_by TEXT NOT NULL REFERENCES users(id),
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
-- One place or waiting-list entry per person and activity at a time.
CREATE UNIQUE INDEX enrolments_live ON enrolments (activity_id, client_id) WHERE status <> 'withdrawn';
CREATE INDEX enrolments_activity ON enrolments (activity_id, status, requested_at);
CREATE INDEX enrolments_client ON enrolments (client_id);

CREATE TABLE attendance (
    session_id TEXT NOT NULL REFERENCES activity_sessions(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    enrolment_id TEXT NOT NULL REFERENCES enrolments(id),
    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
    online BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, client_id)
);
CREATE INDEX attendance_enrolment ON attendance (enrolment_id);
CREATE INDEX attendance_client ON attendance (client_id);

-- Anonymous participants of a session, by age band and sex.
CREATE TABLE session_headcounts (
    session_id TEXT NOT NULL REFERENCES activity_sessions(id),
    age_band TEXT NOT NULL CHECK (age_band IN ('0_5', '6_12', '13_17', '18_64', '65_plus')),
    sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    count BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (session_id, age_band, sex)
);

-- A community event's headcount by age band, entered with its reach.
CREATE TABLE event_headcounts (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    age_band TEXT NOT NULL CHECK (age_band IN ('0_5', '6_12', '13_17', '18_64', '65_plus')),
    count BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (activity_id, age_band)
);
