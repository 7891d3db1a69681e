-- Projects an image is shared with, and whether they accepted it.
CREATE TABLE image_members (
  image_id CHAR(36) NOT NULL,
  member_id VARCHAR(255) NOT NULL,
  status VARCHAR(20) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (image_id, member_id),
  KEY ix_image_members_member (member_id, status),
  CONSTRAINT fk_image_members_image FOREIGN KEY (image_id) REFERENCES images (id)
) ENGINE=InnoDB;
