DROP TABLE population_loads;
DROP TABLE district_populations;
