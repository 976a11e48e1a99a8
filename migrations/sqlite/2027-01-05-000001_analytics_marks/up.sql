-- Marks of the clients whose measures, and the activities whose sessions, members,
-- facilitators or settings, changed since the analytics model read them: the service
-- effectiveness board reads them from memory. Kept by triggers, so that no writer can
-- forget one; taken (deleted) by the server before it reads them again.
CREATE TABLE analytics_marks (
    subject TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (subject, id)
);

CREATE TRIGGER analytics_mark_assessment_added AFTER INSERT ON assessments BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('client', NEW.client_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_assessment_changed AFTER UPDATE ON assessments BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('client', OLD.client_id)
    ON CONFLICT DO NOTHING;
    INSERT INTO analytics_marks (subject, id) VALUES ('client', NEW.client_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_assessment_removed AFTER DELETE ON assessments BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('client', OLD.client_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_score_added AFTER INSERT ON assessment_scores BEGIN
    INSERT INTO analytics_marks (subject, id)
    SELECT 'client', client_id FROM assessments WHERE id = NEW.assessment_id
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_score_changed AFTER UPDATE ON assessment_scores BEGIN
    INSERT INTO analytics_marks (subject, id)
    SELECT 'client', client_id FROM assessments WHERE id = OLD.assessment_id
    ON CONFLICT DO NOTHING;
    INSERT INTO analytics_marks (subject, id)
    SELECT 'client', client_id FROM assessments WHERE id = NEW.assessment_id
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_score_removed AFTER DELETE ON assessment_scores BEGIN
    INSERT INTO analytics_marks (subject, id)
    SELECT 'client', client_id FROM assessments WHERE id = OLD.assessment_id
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_activity_added AFTER INSERT ON activities BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_activity_changed AFTER UPDATE ON activities BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.id)
    ON CONFLICT DO NOTHING;
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_activity_removed AFTER DELETE ON activities BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_session_added AFTER INSERT ON activity_sessions BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_session_changed AFTER UPDATE ON activity_sessions BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.activity_id)
    ON CONFLICT DO NOTHING;
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_session_removed AFTER DELETE ON activity_sessions BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_enrolment_added AFTER INSERT ON enrolments BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_enrolment_changed AFTER UPDATE ON enrolments BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.activity_id)
    ON CONFLICT DO NOTHING;
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_enrolment_removed AFTER DELETE ON enrolments BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_facilitator_added AFTER INSERT ON activity_facilitators BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_facilitator_changed AFTER UPDATE ON activity_facilitators BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.activity_id)
    ON CONFLICT DO NOTHING;
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', NEW.activity_id)
    ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER analytics_mark_facilitator_removed AFTER DELETE ON activity_facilitators BEGIN
    INSERT INTO analytics_marks (subject, id) VALUES ('activity', OLD.activity_id)
    ON CONFLICT DO NOTHING;
END;
