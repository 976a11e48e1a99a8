-- The catalogue is searched by words of either title: both kept folded as search folds
-- them (Simplified, half-width, lower-case) by the server on every save. Courses from
-- before are lower-cased here; saving them again folds them fully.
ALTER TABLE courses ADD COLUMN titles_folded TEXT NOT NULL DEFAULT '';
UPDATE courses SET titles_folded = lower(title_zh || ' ' || title_en);
