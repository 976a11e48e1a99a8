DROP TABLE case_note_corrections;
DROP TABLE case_note_participants;
DROP TABLE case_notes;
