DROP TABLE assessment_alerts;
DROP TABLE assessment_scores;
DROP TABLE assessments;
