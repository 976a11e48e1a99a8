DROP TRIGGER held_cases_case_changed ON cases;
DROP FUNCTION held_cases_case_changed();
DROP TABLE held_cases;
