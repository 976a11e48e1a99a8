DROP TABLE instrument_versions;
DROP TABLE instruments;
