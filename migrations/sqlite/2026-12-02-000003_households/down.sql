DROP TABLE household_memberships;
DROP TABLE households;
