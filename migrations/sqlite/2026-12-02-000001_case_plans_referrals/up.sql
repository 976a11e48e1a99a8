-- A case's plan: the day of its next review (the row exists once someone sets one or
-- records a review), its goals, and the reviews that looked back on them.
CREATE TABLE case_plans (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    next_review_on DATE,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX case_plans_review ON case_plans (next_review_on);

CREATE TABLE case_goals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    description TEXT NOT NULL,
    target_date DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN (
        'not_started', 'in_progress', 'achieved', 'partly_achieved', 'not_achieved',
        'discontinued')),
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX case_goals_case ON case_goals (case_id, target_date);

-- Reviews are never edited: each one is what was found on its day.
CREATE TABLE case_reviews (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    reviewed_on DATE NOT NULL,
    summary TEXT NOT NULL,
    next_review_on DATE NOT NULL,
    reviewer_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_reviews_case ON case_reviews (case_id, reviewed_on);

-- Referrals out to other agencies and services, and in from them. A referral out is
-- sent only once someone's consent is recorded; the check below holds it even against
-- a write that bypasses the application.
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    agency_name TEXT NOT NULL,
    service_type TEXT NOT NULL CHECK (service_type IN (
        'swd', 'clinical_psychology', 'medical_social_service', 'school_social_work',
        'housing', 'legal_aid', 'employment', 'child_care', 'elderly', 'mental_health',
        'other_ngo_family_service', 'other')),
    reason TEXT NOT NULL,
    info_shared TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN (
        'draft', 'consented', 'sent', 'received', 'accepted', 'declined', 'closed')),
    consented_by_name TEXT,
    consented_by TEXT CHECK (consented_by IN (
        'client', 'parent', 'guardian', 'spouse', 'other_family', 'other')),
    consent_scope TEXT,
    consented_on DATE,
    consent_recorded_by TEXT REFERENCES users(id),
    consent_recorded_at TIMESTAMP,
    sent_on DATE,
    follow_up_due DATE,
    outcome TEXT,
    outcome_on DATE,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (direction = 'in' OR status = 'draft' OR consented_on IS NOT NULL)
);
CREATE INDEX referrals_case ON referrals (case_id, created_at);
CREATE INDEX referrals_follow_up ON referrals (status, follow_up_due);
