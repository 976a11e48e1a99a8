-- Three lists the platform's administrators keep alike: case natures, family life
-- education themes (an activity's theme is either) and intervention models. Each term
-- has a stable code, two names, an order, is retired rather than deleted, and carries a
-- version so that two administrators' edits never overwrite each other.
CREATE TABLE education_themes (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO education_themes (code, name_zh, name_en, position, active) VALUES
    ('marriage_preparation', '婚前預備', 'Marriage preparation', 10, TRUE),
    ('marital_enrichment', '婚姻關係提升', 'Marital relationship enrichment', 20, TRUE),
    ('parent_education', '親職教育', 'Parent education', 30, TRUE),
    ('child_development', '兒童成長與發展', 'Child growth and development', 40, TRUE),
    ('adolescent_development', '認識青少年成長', 'Understanding adolescents', 50, TRUE),
    ('intergenerational', '跨代關係及共融', 'Intergenerational relationships', 60, TRUE),
    ('violence_prevention', '預防家庭暴力', 'Family violence prevention', 70, TRUE),
    ('stress_emotion', '壓力及情緒管理', 'Stress and emotion management', 80, TRUE),
    ('mental_wellness', '精神健康', 'Mental wellness', 90, TRUE),
    ('family_finance', '家庭理財', 'Family financial management', 100, TRUE),
    ('family_values', '正面家庭價值', 'Positive family values', 110, TRUE),
    ('community_resources', '認識社區資源', 'Knowing community resources', 120, TRUE);

CREATE TABLE activity_education_themes (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    theme_code TEXT NOT NULL REFERENCES education_themes(code),
    PRIMARY KEY (activity_id, theme_code)
);

ALTER TABLE intervention_models ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
