DROP TABLE case_reach;
