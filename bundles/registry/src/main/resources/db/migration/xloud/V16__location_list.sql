-- Glance's multiple locations: an image may have several locations in one store (two http URLs
-- of the same data), each with its place in the image's list and the metadata clients gave it.
-- A store's first location (lowest position) is the one its data is read from. location_list_json
-- is the whole ordered list for reads without a join; images of earlier versions get it from
-- their locations the next time these change (until then reads derive it).
ALTER TABLE image_locations DROP FOREIGN KEY fk_image_locations_image;
ALTER TABLE image_locations ADD COLUMN position INT NOT NULL DEFAULT 0, ADD COLUMN metadata_json TEXT NULL;
UPDATE image_locations l JOIN (SELECT image_id, store_id,
    ROW_NUMBER() OVER (PARTITION BY image_id ORDER BY created_at, store_id) - 1 AS pos FROM image_locations) n
  ON l.image_id = n.image_id AND l.store_id = n.store_id SET l.position = n.pos;
ALTER TABLE image_locations DROP PRIMARY KEY, ADD PRIMARY KEY (image_id, position);
ALTER TABLE image_locations ADD KEY ix_image_locations_store (image_id, store_id);
ALTER TABLE image_locations ADD CONSTRAINT fk_image_locations_image FOREIGN KEY (image_id) REFERENCES images (id);
ALTER TABLE images ADD COLUMN location_list_json MEDIUMTEXT NULL;
