-- The service-effectiveness board finds the post-service measures of a period on an
-- instrument, and whose they are, without reading every measure.
CREATE INDEX assessments_instrument_stage ON assessments (instrument, stage, administered_on, client_id);
