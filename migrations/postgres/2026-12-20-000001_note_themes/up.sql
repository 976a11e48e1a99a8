-- The themes of case notes (api/src/language): the case-nature codes and risk cues
-- (cue:...) that a note's narrative and corrections raise, each with the words that
-- raised it (a JSON array of strings) for the reader to judge. themes_lexicon names the
-- lexicon that tagged the note: NULL, or an older lexicon's, until the server's tagger
-- reaches the note in the background (notes are tagged as they are saved).
CREATE TABLE note_themes (
    note_id TEXT NOT NULL REFERENCES case_notes(id),
    theme TEXT NOT NULL,
    words TEXT NOT NULL,
    PRIMARY KEY (note_id, theme)
);
CREATE INDEX note_themes_theme ON note_themes (theme, note_id);
ALTER TABLE case_notes ADD COLUMN themes_lexicon TEXT;
