-- How many of its sessions each place came to (present or late), kept by every mark's
-- insert and change, so that completion across thousands of groups reads the places alone
-- rather than counting their attendance each time.
ALTER TABLE enrolments ADD COLUMN sessions_attended BIGINT NOT NULL DEFAULT 0;
UPDATE enrolments SET sessions_attended = (
    SELECT COUNT(*) FROM attendance
    WHERE attendance.enrolment_id = enrolments.id AND attendance.status IN ('present', 'late')
);
