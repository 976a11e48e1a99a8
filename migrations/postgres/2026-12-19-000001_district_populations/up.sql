-- District population by age band and sex, as a deployment loads it from official
-- figures (the Census): the profile dashboard's rates per 10,000. Each load replaces
-- the whole table.
CREATE TABLE district_populations (
    district TEXT NOT NULL,
    age_band TEXT NOT NULL,
    sex TEXT NOT NULL,
    population BIGINT NOT NULL CHECK (population >= 0),
    PRIMARY KEY (district, age_band, sex)
);

-- Each load: where its figures came from, who loaded them and when.
CREATE TABLE population_loads (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    cells BIGINT NOT NULL,
    total BIGINT NOT NULL,
    loaded_by TEXT NOT NULL REFERENCES users(id),
    loaded_at TIMESTAMP NOT NULL
);
