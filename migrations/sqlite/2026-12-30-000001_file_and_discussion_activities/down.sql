PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM circle_reactions WHERE post_id IN (SELECT p.id FROM circle_posts p JOIN circle_threads t ON t.id = p.thread_id WHERE t.course_id IS NOT NULL);
DELETE FROM circle_reports WHERE post_id IN (SELECT p.id FROM circle_posts p JOIN circle_threads t ON t.id = p.thread_id WHERE t.course_id IS NOT NULL);
DELETE FROM circle_attachments WHERE post_id IN (SELECT p.id FROM circle_posts p JOIN circle_threads t ON t.id = p.thread_id WHERE t.course_id IS NOT NULL);
DELETE FROM circle_posts WHERE thread_id IN (SELECT id FROM circle_threads WHERE course_id IS NOT NULL);
DELETE FROM circle_threads WHERE course_id IS NOT NULL;
CREATE TABLE circle_threads_old (
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
INSERT INTO circle_threads_old
    SELECT id, topic, title, title_folded, created_by, created_at, last_activity_at, replies,
           locked_at, locked_by, version
    FROM circle_threads;
DROP TABLE circle_threads;
ALTER TABLE circle_threads_old RENAME TO circle_threads;
CREATE INDEX circle_threads_activity ON circle_threads (last_activity_at, id);
DROP TABLE course_files;
COMMIT;
PRAGMA foreign_keys = ON;
