-- Sort keys whose column may be NULL get a stored, NOT NULL twin with an index, so that sorting
-- and keyset pagination on them read an index instead of sorting the whole table.
ALTER TABLE images
  ADD COLUMN sort_name VARCHAR(255) AS (COALESCE(name, '')) PERSISTENT,
  ADD COLUMN sort_size BIGINT AS (COALESCE(size, -1)) PERSISTENT,
  ADD COLUMN sort_disk_format VARCHAR(20) AS (COALESCE(disk_format, '')) PERSISTENT,
  ADD COLUMN sort_container_format VARCHAR(20) AS (COALESCE(container_format, '')) PERSISTENT;
CREATE INDEX ix_images_sort_name ON images (deleted, sort_name, id);
CREATE INDEX ix_images_sort_size ON images (deleted, sort_size, id);
CREATE INDEX ix_images_sort_status ON images (deleted, status, id);
CREATE INDEX ix_images_sort_disk_format ON images (deleted, sort_disk_format, id);
CREATE INDEX ix_images_sort_container_format ON images (deleted, sort_container_format, id);
DROP INDEX ix_images_name ON images;
