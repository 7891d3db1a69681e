-- Every store that holds a copy of an image's data (multi-store, copy-image). images.location and
-- images.store_id keep the first one; locations_json is the whole set, for reads without a join.
CREATE TABLE image_locations (
  image_id CHAR(36) NOT NULL,
  store_id VARCHAR(255) NOT NULL,
  location VARCHAR(2048) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (image_id, store_id),
  CONSTRAINT fk_image_locations_image FOREIGN KEY (image_id) REFERENCES images (id)
) ENGINE=InnoDB;
ALTER TABLE images ADD COLUMN locations_json TEXT NULL;
INSERT INTO image_locations (image_id, store_id, location, created_at)
  SELECT id, COALESCE(store_id, 'file'), location, updated_at FROM images WHERE location IS NOT NULL;
UPDATE images i SET locations_json =
  (SELECT JSON_OBJECTAGG(l.store_id, l.location) FROM image_locations l WHERE l.image_id = i.id);
