-- An attachment's text (a PDF's, a Word document's, a text file's), at most as much as
-- the hub keeps, folded as the circle's search folds words, so a thread is found by the
-- words of its posts' files. Files from before have none: the bytes are not read here.
ALTER TABLE circle_attachments ADD COLUMN text_folded TEXT NOT NULL DEFAULT '';
