DROP INDEX case_natures_name_en;
DROP INDEX case_natures_name_zh;
ALTER TABLE case_natures DROP COLUMN version;
