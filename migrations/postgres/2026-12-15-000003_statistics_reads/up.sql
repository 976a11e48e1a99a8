-- A case's state on a day is the event effective on or before it and not yet superseded:
-- each event keeps the day the next one took effect (NULL while it is the last), written
-- with the next event, so the statistics read it without joining each event to the next.
ALTER TABLE case_events ADD COLUMN superseded_on DATE;
UPDATE case_events SET superseded_on = (SELECT n.effective_on FROM case_events n
    WHERE n.case_id = case_events.case_id AND n.seq = case_events.seq + 1);

-- What the statistics break cases down by, read from the indexes alone.
CREATE INDEX cases_breakdown ON cases (id, case_type, unit_id, client_id);
CREATE INDEX clients_breakdown ON clients (id, district, date_of_birth);
