-- Data an image no longer uses that a store could not remove (a removed copy, a rejected or failed
-- upload): removed by the scrubber once the image is deleted. A projection of DataLeftBehind,
-- cleared by DataScrubbed or when the image's data is stored at that location again.
CREATE TABLE image_stray_data (
  image_id CHAR(36) NOT NULL,
  store_id VARCHAR(255) NOT NULL,
  location VARCHAR(2048) NOT NULL,
  reason VARCHAR(1024) NOT NULL,
  recorded_at DATETIME(6) NOT NULL,
  KEY ix_image_stray_data_image (image_id),
  CONSTRAINT fk_image_stray_data_image FOREIGN KEY (image_id) REFERENCES images (id)
) ENGINE=InnoDB;
