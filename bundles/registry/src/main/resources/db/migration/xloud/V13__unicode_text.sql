-- Every text column holds all of Unicode and compares it byte for byte: utf8mb4 with the binary
-- collation that does not pad (with utf8mb4_bin, 'a' and 'a ' are one key, so a tag 'a ' was lost
-- beside 'a'), whatever the database's default was when the tables were made. The JSON copies
-- of tags and locations grow to MEDIUMTEXT: 128 tags of 255 four-byte characters exceed TEXT.
-- The keys that point at images.id go while the columns on both sides change their character set.
ALTER TABLE image_properties DROP FOREIGN KEY fk_image_properties_image;
ALTER TABLE image_tags DROP FOREIGN KEY fk_image_tags_image;
ALTER TABLE image_members DROP FOREIGN KEY fk_image_members_image;
ALTER TABLE image_locations DROP FOREIGN KEY fk_image_locations_image;
ALTER TABLE image_stray_data DROP FOREIGN KEY fk_image_stray_data_image;
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE DomainEventEntry CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE SnapshotEventEntry CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE images CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE images MODIFY tags_json MEDIUMTEXT NULL, MODIFY properties_json MEDIUMTEXT NULL,
  MODIFY locations_json MEDIUMTEXT NULL;
ALTER TABLE image_properties CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE image_tags CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE image_members CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE image_locations CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE image_stray_data CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE tasks CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE nodes CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE transfer_heartbeats CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
ALTER TABLE image_properties ADD CONSTRAINT fk_image_properties_image FOREIGN KEY (image_id) REFERENCES images (id);
ALTER TABLE image_tags ADD CONSTRAINT fk_image_tags_image FOREIGN KEY (image_id) REFERENCES images (id);
ALTER TABLE image_members ADD CONSTRAINT fk_image_members_image FOREIGN KEY (image_id) REFERENCES images (id);
ALTER TABLE image_locations ADD CONSTRAINT fk_image_locations_image FOREIGN KEY (image_id) REFERENCES images (id);
ALTER TABLE image_stray_data ADD CONSTRAINT fk_image_stray_data_image FOREIGN KEY (image_id) REFERENCES images (id);

-- The audit feed filters on the time each event shows (its origin's "at", an ISO instant with up
-- to six fraction digits), as fixed-width text that sorts as time: 2026-12-03T09:30:30.087000.
-- Axon's own timeStamp column is another clock reading, and its text does not sort as time.
ALTER TABLE DomainEventEntry
  ADD COLUMN event_at CHAR(26) CHARACTER SET ascii COLLATE ascii_bin AS (CONCAT(
    SUBSTRING(JSON_VALUE(CONVERT(payload USING utf8mb4), '$.origin.at'), 1, 19), '.',
    RPAD(SUBSTRING(REPLACE(JSON_VALUE(CONVERT(payload USING utf8mb4), '$.origin.at'), 'Z', ''), 21), 6, '0')))
    PERSISTENT,
  ADD INDEX ix_domain_event_at (event_at);
