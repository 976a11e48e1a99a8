-- The co-learning e-circle: threads by topic (a case nature), their posts, reactions,
-- files, and reports to moderators. A thread's opening post has the thread's own id.
-- `*_folded` hold the words folded as the hub's search folds them (Simplified,
-- lower-case, half-width), searched by LIKE.
CREATE TABLE circle_threads (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL REFERENCES case_natures(code),
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    last_activity_at TIMESTAMP NOT NULL,
    replies BIGINT NOT NULL DEFAULT 0,
    locked_at TIMESTAMP,
    locked_by TEXT REFERENCES users(id),
    version BIGINT NOT NULL,
    CHECK ((locked_at IS NULL) = (locked_by IS NULL))
);
CREATE INDEX circle_threads_activity ON circle_threads (last_activity_at, id);

CREATE TABLE circle_posts (
    id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES circle_threads(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    body_folded TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP,
    hidden_at TIMESTAMP,
    hidden_by TEXT REFERENCES users(id),
    hidden_reason TEXT,
    version BIGINT NOT NULL,
    CHECK ((hidden_at IS NULL) = (hidden_by IS NULL) AND (hidden_by IS NULL) = (hidden_reason IS NULL))
);
CREATE INDEX circle_posts_thread ON circle_posts (thread_id, created_at);

-- One of each reaction per person per post.
CREATE TABLE circle_reactions (
    post_id TEXT NOT NULL REFERENCES circle_posts(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    reaction TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (post_id, user_id, reaction)
);

-- A report waits until a moderator hides the post or dismisses its reports; one
-- waiting per person and post.
CREATE TABLE circle_reports (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES circle_posts(id),
    reported_by TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    reported_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by TEXT REFERENCES users(id),
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);
CREATE UNIQUE INDEX circle_reports_waiting ON circle_reports (post_id, reported_by) WHERE resolved_at IS NULL;
CREATE INDEX circle_reports_post ON circle_reports (post_id);

-- A post's files; the bytes live in the file store the hub uses, under `storage_key`.
CREATE TABLE circle_attachments (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES circle_posts(id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX circle_attachments_post ON circle_attachments (post_id);
