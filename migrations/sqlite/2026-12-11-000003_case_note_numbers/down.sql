DROP INDEX case_notes_case_seq;
