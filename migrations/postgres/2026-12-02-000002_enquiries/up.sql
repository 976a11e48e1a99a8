-- The enquiry log: enquiries and drop-in contacts at a centre's front desk (Family
-- Resource Unit work). The person's fields are kept only when given: an enquiry may stay
-- anonymous. Promotion registers a client and opens a case, and points here to both.
CREATE TABLE enquiries (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    received_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN (
        'walk_in', 'phone', 'email', 'online', 'letter', 'outreach')),
    summary TEXT NOT NULL,
    minutes_spent BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN (
        'information_given', 'advice_given', 'referred_elsewhere', 'promoted_to_case',
        'no_further_action', 'follow_up_needed')),
    name_zh TEXT,
    name_en TEXT,
    sex TEXT CHECK (sex IN ('F', 'M')),
    phone TEXT,
    age_band TEXT,
    client_id TEXT REFERENCES clients(id),
    case_id TEXT REFERENCES cases(id),
    version BIGINT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    updated_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX enquiries_centre ON enquiries (centre_id, received_at);
CREATE INDEX enquiries_case ON enquiries (case_id);

-- What each enquiry was about, in the case nature taxonomy: a promoted enquiry's case
-- starts with these natures.
CREATE TABLE enquiry_topics (
    enquiry_id TEXT NOT NULL REFERENCES enquiries(id),
    nature_code TEXT NOT NULL REFERENCES case_natures(code),
    PRIMARY KEY (enquiry_id, nature_code)
);
CREATE INDEX enquiry_topics_nature ON enquiry_topics (nature_code, enquiry_id);
