DROP TABLE connection_scenarios;
DROP TABLE scenarios;
