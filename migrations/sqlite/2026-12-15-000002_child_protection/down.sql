DROP TABLE child_protection_concerns;
