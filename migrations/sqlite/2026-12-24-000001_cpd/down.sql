DROP TABLE external_learning;
