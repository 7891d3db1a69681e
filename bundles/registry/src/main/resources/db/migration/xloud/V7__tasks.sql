-- Import tasks (Glance's /v2/tasks), projected from the image events that run them.
CREATE TABLE tasks (
  id CHAR(36) NOT NULL,
  type VARCHAR(30) NOT NULL,
  status VARCHAR(20) NOT NULL,
  owner VARCHAR(255) NULL,
  image_id CHAR(36) NULL,
  input_json MEDIUMTEXT NULL,
  result_json MEDIUMTEXT NULL,
  message TEXT NOT NULL,
  user_id VARCHAR(255) NULL,
  request_id VARCHAR(255) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NULL,
  PRIMARY KEY (id),
  KEY ix_tasks_image (image_id),
  KEY ix_tasks_created (created_at, id)
) ENGINE=InnoDB;
