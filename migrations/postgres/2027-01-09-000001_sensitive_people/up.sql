-- Whether a client is on a sensitive case, as its client or a member involved: read with
-- the client's row, so that whether their contact details are withheld from a viewer is
-- looked into further only for the few who are (`cases::store::contact_withheld_from`).
-- Kept by `cases::store::mark_sensitive_people` wherever a case's people or its
-- sensitivity change.
ALTER TABLE clients ADD COLUMN on_sensitive_case BOOLEAN NOT NULL DEFAULT false;
UPDATE clients SET on_sensitive_case = true
WHERE id IN (SELECT client_id FROM cases WHERE sensitive)
   OR id IN (SELECT m.client_id FROM case_members m JOIN cases k ON k.id = m.case_id WHERE k.sensitive);
