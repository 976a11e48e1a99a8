DROP TABLE referrals;
DROP TABLE case_reviews;
DROP TABLE case_goals;
DROP TABLE case_plans;
