-- Casework: a case from enquiry to closure. Statistics count from case_events, which
-- answers what state a case was in on any day; the columns on cases are the present.

-- Case nature (presenting problems): an editable taxonomy, several per case.
CREATE TABLE case_natures (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL
);
INSERT INTO case_natures (code, name_zh, name_en, position, active) VALUES
    ('marital_conflict', '婚姻／伴侶關係衝突', 'Marital or intimate-partner conflict', 10, TRUE),
    ('parent_child', '親子關係及管教', 'Parent-child relationship and discipline', 20, TRUE),
    ('divorce_custody', '離婚、分居、管養及共同教養', 'Divorce, separation, custody and co-parenting', 30, TRUE),
    ('in_law_conflict', '姻親或大家庭衝突', 'In-law or extended-family conflict', 40, TRUE),
    ('spouse_battering', '虐待配偶／同居伴侶', 'Spouse or cohabitant battering', 50, TRUE),
    ('child_abuse', '虐待兒童', 'Child abuse', 60, TRUE),
    ('elder_abuse', '虐待長者', 'Elder abuse', 70, TRUE),
    ('sexual_violence', '性暴力', 'Sexual violence', 80, TRUE),
    ('emotional', '情緒問題', 'Emotional problems', 90, TRUE),
    ('mental_illness', '精神病', 'Mental illness', 100, TRUE),
    ('suicide_risk', '自殺風險', 'Suicide risk', 110, TRUE),
    ('financial', '經濟困難', 'Financial difficulty', 120, TRUE),
    ('housing', '住屋問題', 'Housing', 130, TRUE),
    ('child_care', '照顧兒童', 'Child care', 140, TRUE),
    ('caregiving', '照顧長者或殘疾人士', 'Caregiving for elders or persons with disabilities', 150, TRUE),
    ('employment', '就業問題', 'Employment', 160, TRUE),
    ('new_arrival_adjustment', '新來港適應', 'New-arrival adjustment', 170, TRUE),
    ('ethnic_minority', '少數族裔或語言障礙', 'Ethnic minority or language barrier', 180, TRUE),
    ('addiction_gambling', '成癮或賭博', 'Addiction or gambling', 190, TRUE),
    ('legal', '法律問題', 'Legal', 200, TRUE),
    ('health_disability', '健康或殘疾', 'Health or disability', 210, TRUE);

-- Case numbers run per centre and year; the row is locked by its UPDATE, so two cases
-- opened at once get different numbers on either database.
CREATE TABLE case_counters (
    centre_id TEXT NOT NULL REFERENCES centres(id),
    year BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (centre_id, year)
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    case_type TEXT NOT NULL CHECK (case_type IN ('brief_supportive', 'in_depth_counselling')),
    referral_source TEXT NOT NULL,
    responsible_worker_id TEXT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('enquiry', 'waiting', 'open', 'closed')),
    state_since DATE NOT NULL,
    sensitive BOOLEAN NOT NULL,
    closure_reason TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    updated_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_worker ON cases (responsible_worker_id, state);
CREATE INDEX cases_centre ON cases (centre_id, state, updated_at);
CREATE INDEX cases_client ON cases (client_id);

-- Co-workers share the case's work and its records with the responsible worker.
CREATE TABLE case_workers (
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_workers_user ON case_workers (user_id);

-- A supervisor may show a case to another worker of the unit, to read only.
CREATE TABLE case_shares (
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    shared_by TEXT NOT NULL REFERENCES users(id),
    shared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_shares_user ON case_shares (user_id);

CREATE TABLE case_nature_tags (
    case_id TEXT NOT NULL REFERENCES cases(id),
    nature_code TEXT NOT NULL REFERENCES case_natures(code),
    PRIMARY KEY (case_id, nature_code)
);
CREATE INDEX case_nature_tags_nature ON case_nature_tags (nature_code, case_id);

-- Household members involved in the case besides its client.
CREATE TABLE case_members (
    case_id TEXT NOT NULL REFERENCES cases(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    PRIMARY KEY (case_id, client_id)
);
CREATE INDEX case_members_client ON case_members (client_id);

-- Every change of state, worker or centre, dated when it took effect and attributed.
-- A case's state on a day is that of its last event effective on or before it.
CREATE TABLE case_events (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('enquiry', 'waiting', 'open', 'closed')),
    effective_on DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users(id),
    worker_id TEXT NOT NULL REFERENCES users(id),
    centre_id TEXT NOT NULL REFERENCES centres(id),
    detail TEXT,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_effective ON case_events (effective_on, kind);

-- A worker asks to close; the supervisor approves (the case closes) or returns it.
CREATE TABLE case_closure_requests (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    closure_reason TEXT NOT NULL,
    closing_summary TEXT NOT NULL,
    closed_on DATE NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users(id),
    requested_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'returned')),
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    decision_comment TEXT
);
CREATE INDEX case_closure_requests_case ON case_closure_requests (case_id, status);
CREATE INDEX case_closure_requests_status ON case_closure_requests (status, requested_at);

-- A case moves to another worker, or another centre of the agency, when the receiver
-- accepts: the receiving worker, or the receiving centre's supervisor.
CREATE TABLE case_transfers (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    from_worker_id TEXT NOT NULL REFERENCES users(id),
    from_centre_id TEXT NOT NULL REFERENCES centres(id),
    to_worker_id TEXT REFERENCES users(id),
    to_centre_id TEXT NOT NULL REFERENCES centres(id),
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES users(id),
    requested_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    decision_comment TEXT
);
CREATE INDEX case_transfers_case ON case_transfers (case_id, status);
CREATE INDEX case_transfers_receiver ON case_transfers (status, to_centre_id, to_worker_id);
