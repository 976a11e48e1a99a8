-- i-Hub: the sector's resources. Lists of codes (topics, factors, audiences,
-- languages) are comma-joined in the order chosen; the hub's search reads them from an
-- index in memory, never by LIKE. `uses` counts downloads and bookmarks, for "most used".
CREATE TABLE resources (
    id TEXT PRIMARY KEY,
    agency_id TEXT NOT NULL REFERENCES agencies(id),
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_zh TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    topics TEXT NOT NULL,
    factors TEXT NOT NULL,
    audiences TEXT NOT NULL,
    languages TEXT NOT NULL,
    licence TEXT NOT NULL,
    authors TEXT NOT NULL,
    citation TEXT NOT NULL,
    link TEXT,
    visibility TEXT NOT NULL,
    status TEXT NOT NULL,
    evidence_rating TEXT,
    rated_by TEXT REFERENCES users(id),
    rated_on DATE,
    uses BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    version BIGINT NOT NULL,
    CHECK ((evidence_rating IS NULL) = (rated_by IS NULL) AND (rated_by IS NULL) = (rated_on IS NULL))
);
CREATE INDEX resources_status ON resources (status, agency_id);

-- Every version as it stood after each change, kept for good.
CREATE TABLE resource_versions (
    resource_id TEXT NOT NULL REFERENCES resources(id),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    evidence_rating TEXT,
    change TEXT NOT NULL,
    note TEXT NOT NULL,
    content TEXT NOT NULL,
    changed_by TEXT NOT NULL REFERENCES users(id),
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (resource_id, version)
);

-- A resource's files. The bytes live in the file store under `storage_key`; a removed
-- file keeps its row and its bytes, so the versions that had it still name it.
CREATE TABLE resource_files (
    id TEXT PRIMARY KEY,
    resource_id TEXT NOT NULL REFERENCES resources(id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    extracted_text TEXT NOT NULL,
    downloads BIGINT NOT NULL DEFAULT 0,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP
);
CREATE INDEX resource_files_resource ON resource_files (resource_id);

CREATE TABLE resource_bookmarks (
    user_id TEXT NOT NULL REFERENCES users(id),
    resource_id TEXT NOT NULL REFERENCES resources(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, resource_id)
);

CREATE TABLE resource_collections (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE resource_collection_items (
    collection_id TEXT NOT NULL REFERENCES resource_collections(id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES resources(id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (collection_id, resource_id)
);
