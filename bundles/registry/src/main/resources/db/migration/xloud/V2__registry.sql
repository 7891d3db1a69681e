-- The registry: a projection of the image events. Every read of the API comes from here.
CREATE TABLE images (
  id CHAR(36) NOT NULL,
  name VARCHAR(255) NULL,
  status VARCHAR(20) NOT NULL,
  visibility VARCHAR(20) NOT NULL,
  protected BOOLEAN NOT NULL,
  os_hidden BOOLEAN NOT NULL,
  owner VARCHAR(255) NULL,
  size BIGINT NULL,
  virtual_size BIGINT NULL,
  checksum VARCHAR(32) NULL,
  os_hash_algo VARCHAR(64) NULL,
  os_hash_value VARCHAR(128) NULL,
  disk_format VARCHAR(20) NULL,
  container_format VARCHAR(20) NULL,
  min_ram INT NOT NULL,
  min_disk INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  deleted BOOLEAN NOT NULL DEFAULT FALSE,
  deleted_at DATETIME(6) NULL,
  store_id VARCHAR(255) NULL,
  location VARCHAR(2048) NULL,
  PRIMARY KEY (id),
  KEY ix_images_created (deleted, created_at, id),
  KEY ix_images_updated (deleted, updated_at, id),
  KEY ix_images_name (deleted, name, id),
  KEY ix_images_owner (owner, deleted),
  KEY ix_images_status (status)
) ENGINE=InnoDB;

CREATE TABLE image_properties (
  image_id CHAR(36) NOT NULL,
  name VARCHAR(255) NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (image_id, name),
  KEY ix_image_properties_name_value (name, value(191)),
  CONSTRAINT fk_image_properties_image FOREIGN KEY (image_id) REFERENCES images (id)
) ENGINE=InnoDB;

CREATE TABLE image_tags (
  image_id CHAR(36) NOT NULL,
  tag VARCHAR(255) NOT NULL,
  PRIMARY KEY (image_id, tag),
  KEY ix_image_tags_tag (tag),
  CONSTRAINT fk_image_tags_image FOREIGN KEY (image_id) REFERENCES images (id)
) ENGINE=InnoDB;
