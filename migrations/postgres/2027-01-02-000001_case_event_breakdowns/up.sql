-- Each event carries what the statistics break its case down by: the case's type, its
-- unit's kind, its client's district and its natures (codes joined by commas, in code
-- order), as the case is now. So a year's events are counted from one index, without
-- joining each to its case, client and natures. The writer of an event writes them with
-- it; these triggers carry a later change of the case, its client or its natures to all
-- of its events (a unit's kind never changes).
ALTER TABLE case_events ADD COLUMN case_type TEXT NOT NULL DEFAULT '';
ALTER TABLE case_events ADD COLUMN unit_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE case_events ADD COLUMN district TEXT;
ALTER TABLE case_events ADD COLUMN natures TEXT NOT NULL DEFAULT '';

UPDATE case_events SET case_type = b.case_type, unit_kind = b.unit_kind,
    district = b.district, natures = COALESCE(b.natures, '')
FROM (SELECT cases.id, cases.case_type, units.kind AS unit_kind, clients.district, n.natures
      FROM cases JOIN units ON units.id = cases.unit_id
      JOIN clients ON clients.id = cases.client_id
      LEFT JOIN (SELECT case_id, string_agg(nature_code, ',' ORDER BY nature_code COLLATE "C") AS natures
                 FROM case_nature_tags GROUP BY case_id) n ON n.case_id = cases.id) b
WHERE b.id = case_events.case_id;

-- The events of a period and the cases in force on a day, with their breakdowns.
DROP INDEX case_events_effective;
CREATE INDEX case_events_moved ON case_events (effective_on, kind, state, centre_id,
    from_state, from_centre_id, case_type, unit_kind, district, natures);
CREATE INDEX case_events_in_force ON case_events (state, superseded_on, effective_on,
    centre_id, case_type, unit_kind, district, natures);

CREATE FUNCTION case_events_case_changed() RETURNS trigger AS $$
BEGIN
    UPDATE case_events SET case_type = NEW.case_type,
        unit_kind = (SELECT kind FROM units WHERE id = NEW.unit_id),
        district = (SELECT district FROM clients WHERE id = NEW.client_id)
    WHERE case_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER case_events_case_changed AFTER UPDATE OF case_type, unit_id, client_id ON cases
    FOR EACH ROW WHEN (OLD.case_type IS DISTINCT FROM NEW.case_type
        OR OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.client_id IS DISTINCT FROM NEW.client_id)
    EXECUTE FUNCTION case_events_case_changed();

CREATE FUNCTION case_events_client_moved() RETURNS trigger AS $$
BEGIN
    UPDATE case_events SET district = NEW.district
    WHERE case_id IN (SELECT id FROM cases WHERE client_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER case_events_client_moved AFTER UPDATE OF district ON clients
    FOR EACH ROW WHEN (OLD.district IS DISTINCT FROM NEW.district)
    EXECUTE FUNCTION case_events_client_moved();

-- Once a statement, over the cases whose tags it added, changed or removed, so that a bulk
-- load does not rewrite a case's events once a tag.
CREATE FUNCTION case_events_natures() RETURNS trigger AS $$
BEGIN
    UPDATE case_events SET natures = COALESCE((SELECT string_agg(t.nature_code, ',' ORDER BY t.nature_code COLLATE "C")
        FROM case_nature_tags t WHERE t.case_id = case_events.case_id), '')
    WHERE case_id IN (SELECT case_id FROM changed);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER case_events_nature_added AFTER INSERT ON case_nature_tags
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION case_events_natures();
CREATE TRIGGER case_events_nature_removed AFTER DELETE ON case_nature_tags
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION case_events_natures();
CREATE TRIGGER case_events_nature_changed_from AFTER UPDATE ON case_nature_tags
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION case_events_natures();
CREATE TRIGGER case_events_nature_changed_to AFTER UPDATE ON case_nature_tags
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION case_events_natures();
