-- Each event carries what the statistics break its case down by: the case's type, its
-- unit's kind, its client's district and its natures (codes joined by commas, in code
-- order), as the case is now. So a year's events are counted from one index, without
-- joining each to its case, client and natures. The writer of an event writes them with
-- it; these triggers carry a later change of the case, its client or its natures to all
-- of its events (a unit's kind never changes). The codes are put in order by a subquery
-- rather than group_concat's own ORDER BY, which older sqlite3 shells cannot read.
ALTER TABLE case_events ADD COLUMN case_type TEXT NOT NULL DEFAULT '';
ALTER TABLE case_events ADD COLUMN unit_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE case_events ADD COLUMN district TEXT;
ALTER TABLE case_events ADD COLUMN natures TEXT NOT NULL DEFAULT '';

UPDATE case_events SET case_type = b.case_type, unit_kind = b.unit_kind,
    district = b.district, natures = COALESCE(b.natures, '')
FROM (SELECT cases.id, cases.case_type, units.kind AS unit_kind, clients.district, n.natures
      FROM cases JOIN units ON units.id = cases.unit_id
      JOIN clients ON clients.id = cases.client_id
      LEFT JOIN (SELECT case_id, group_concat(nature_code, ',') AS natures
                 FROM (SELECT case_id, nature_code FROM case_nature_tags ORDER BY case_id, nature_code)
                 GROUP BY case_id) n ON n.case_id = cases.id) b
WHERE b.id = case_events.case_id;

-- The events of a period and the cases in force on a day, with their breakdowns.
DROP INDEX case_events_effective;
CREATE INDEX case_events_moved ON case_events (effective_on, kind, state, centre_id,
    from_state, from_centre_id, case_type, unit_kind, district, natures);
CREATE INDEX case_events_in_force ON case_events (state, superseded_on, effective_on,
    centre_id, case_type, unit_kind, district, natures);

CREATE TRIGGER case_events_case_changed AFTER UPDATE OF case_type, unit_id, client_id ON cases
WHEN OLD.case_type IS NOT NEW.case_type OR OLD.unit_id IS NOT NEW.unit_id
    OR OLD.client_id IS NOT NEW.client_id BEGIN
    UPDATE case_events SET case_type = NEW.case_type,
        unit_kind = (SELECT kind FROM units WHERE id = NEW.unit_id),
        district = (SELECT district FROM clients WHERE id = NEW.client_id)
    WHERE case_id = NEW.id;
END;

CREATE TRIGGER case_events_client_moved AFTER UPDATE OF district ON clients
WHEN OLD.district IS NOT NEW.district BEGIN
    UPDATE case_events SET district = NEW.district
    WHERE case_id IN (SELECT id FROM cases WHERE client_id = NEW.id);
END;

CREATE TRIGGER case_events_nature_added AFTER INSERT ON case_nature_tags BEGIN
    UPDATE case_events SET natures = COALESCE((SELECT group_concat(nature_code, ',') FROM (SELECT nature_code
        FROM case_nature_tags WHERE case_id = NEW.case_id ORDER BY nature_code)), '')
    WHERE case_id = NEW.case_id;
END;
CREATE TRIGGER case_events_nature_removed AFTER DELETE ON case_nature_tags BEGIN
    UPDATE case_events SET natures = COALESCE((SELECT group_concat(nature_code, ',') FROM (SELECT nature_code
        FROM case_nature_tags WHERE case_id = OLD.case_id ORDER BY nature_code)), '')
    WHERE case_id = OLD.case_id;
END;
CREATE TRIGGER case_events_nature_changed AFTER UPDATE ON case_nature_tags BEGIN
    UPDATE case_events SET natures = COALESCE((SELECT group_concat(nature_code, ',') FROM (SELECT nature_code
        FROM case_nature_tags WHERE case_id = case_events.case_id ORDER BY nature_code)), '')
    WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
