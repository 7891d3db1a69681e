-- Bytes an image holds in the staging area (glance-direct, web-download) until it is imported.
ALTER TABLE images ADD COLUMN staged_size BIGINT NULL;
