DROP TABLE risk_flags;
DROP TABLE case_risks;
