-- Marks of the clients whose measures, and the activities whose sessions, members,
-- facilitators or settings, changed since the analytics model read them: the service
-- effectiveness board reads them from memory. Kept by triggers, so that no writer can
-- forget one, a statement's rows at once and in order. A mark there already is written
-- again, so that the write holds it until it commits: the server, taking (deleting) marks
-- before it reads what they mark, waits for the write instead of reading without it.
CREATE TABLE analytics_marks (
    subject TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (subject, id)
);

CREATE FUNCTION analytics_mark_by_client_id() RETURNS trigger AS $$
BEGIN
    INSERT INTO analytics_marks (subject, id)
    SELECT DISTINCT 'client', client_id FROM changed ORDER BY 2
    ON CONFLICT (subject, id) DO UPDATE SET id = EXCLUDED.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER analytics_mark_assessment_added AFTER INSERT ON assessments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_client_id();
CREATE TRIGGER analytics_mark_assessment_changed_from AFTER UPDATE ON assessments
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_client_id();
CREATE TRIGGER analytics_mark_assessment_changed_to AFTER UPDATE ON assessments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_client_id();
CREATE TRIGGER analytics_mark_assessment_removed AFTER DELETE ON assessments
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_client_id();

CREATE FUNCTION analytics_mark_scored() RETURNS trigger AS $$
BEGIN
    INSERT INTO analytics_marks (subject, id)
    SELECT DISTINCT 'client', a.client_id FROM changed
    JOIN assessments a ON a.id = changed.assessment_id ORDER BY 2
    ON CONFLICT (subject, id) DO UPDATE SET id = EXCLUDED.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER analytics_mark_score_added AFTER INSERT ON assessment_scores
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_scored();
CREATE TRIGGER analytics_mark_score_changed_from AFTER UPDATE ON assessment_scores
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_scored();
CREATE TRIGGER analytics_mark_score_changed_to AFTER UPDATE ON assessment_scores
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_scored();
CREATE TRIGGER analytics_mark_score_removed AFTER DELETE ON assessment_scores
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_scored();

CREATE FUNCTION analytics_mark_by_id() RETURNS trigger AS $$
BEGIN
    INSERT INTO analytics_marks (subject, id)
    SELECT DISTINCT 'activity', id FROM changed ORDER BY 2
    ON CONFLICT (subject, id) DO UPDATE SET id = EXCLUDED.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER analytics_mark_activity_added AFTER INSERT ON activities
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_id();
CREATE TRIGGER analytics_mark_activity_changed_from AFTER UPDATE ON activities
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_id();
CREATE TRIGGER analytics_mark_activity_changed_to AFTER UPDATE ON activities
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_id();
CREATE TRIGGER analytics_mark_activity_removed AFTER DELETE ON activities
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_id();

CREATE FUNCTION analytics_mark_by_activity_id() RETURNS trigger AS $$
BEGIN
    INSERT INTO analytics_marks (subject, id)
    SELECT DISTINCT 'activity', activity_id FROM changed ORDER BY 2
    ON CONFLICT (subject, id) DO UPDATE SET id = EXCLUDED.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER analytics_mark_session_added AFTER INSERT ON activity_sessions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_session_changed_from AFTER UPDATE ON activity_sessions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_session_changed_to AFTER UPDATE ON activity_sessions
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_session_removed AFTER DELETE ON activity_sessions
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();

CREATE TRIGGER analytics_mark_enrolment_added AFTER INSERT ON enrolments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_enrolment_changed_from AFTER UPDATE ON enrolments
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_enrolment_changed_to AFTER UPDATE ON enrolments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_enrolment_removed AFTER DELETE ON enrolments
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();

CREATE TRIGGER analytics_mark_facilitator_added AFTER INSERT ON activity_facilitators
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_facilitator_changed_from AFTER UPDATE ON activity_facilitators
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_facilitator_changed_to AFTER UPDATE ON activity_facilitators
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
CREATE TRIGGER analytics_mark_facilitator_removed AFTER DELETE ON activity_facilitators
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_by_activity_id();
