DROP TABLE assessment_links;
