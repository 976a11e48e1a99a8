-- Who reaches which client through which case: a case's holders (its responsible worker
-- and co-workers) and, to read only, those it is shared with, each with the case's client
-- and the household members involved. Kept with every write that changes a case's
-- holders or people (cases::reach::refresh), so that a worker's clients are one index
-- range rather than a union over their cases, members and clients at every request.
-- search_seq is the client's number in the search lists, kept with the client's.
CREATE TABLE case_reach (
    user_id TEXT NOT NULL REFERENCES users(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    client_id TEXT NOT NULL REFERENCES clients(id),
    centre_id TEXT NOT NULL REFERENCES centres(id),
    shared BOOLEAN NOT NULL,
    search_seq BIGINT,
    PRIMARY KEY (user_id, case_id, client_id)
);
CREATE INDEX case_reach_case ON case_reach (case_id);
CREATE INDEX case_reach_client ON case_reach (client_id);
CREATE INDEX case_reach_held ON case_reach (user_id, shared, case_id);
CREATE INDEX case_reach_user ON case_reach (user_id, centre_id, shared, client_id, search_seq);

INSERT INTO case_reach (user_id, case_id, client_id, centre_id, shared, search_seq)
SELECT holder.user_id, holder.case_id, person.client_id, clients.centre_id, holder.shared,
       clients.search_seq
FROM (
    SELECT id AS case_id, responsible_worker_id AS user_id, FALSE AS shared FROM cases
    UNION
    SELECT case_id, user_id, FALSE FROM case_workers
    UNION
    SELECT s.case_id, s.user_id, TRUE FROM case_shares s
    WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = s.case_id AND c.responsible_worker_id = s.user_id)
      AND NOT EXISTS (SELECT 1 FROM case_workers w WHERE w.case_id = s.case_id AND w.user_id = s.user_id)
) holder
JOIN (
    SELECT id AS case_id, client_id FROM cases
    UNION
    SELECT case_id, client_id FROM case_members
) person ON person.case_id = holder.case_id
JOIN clients ON clients.id = person.client_id;
