-- The metadata definitions catalog (Glance's metadefs), projected from the namespaces' events.
-- Names have Glance's column sizes; a namespace is keyed by the id of its event stream, its name
-- is unique (a second namespace of the same name fails the transaction that appends it).
-- Definitions (an object's description, required and properties; a property's JSON schema) are
-- kept as the JSON documents the API reads and writes.
CREATE TABLE metadef_namespaces (
  id CHAR(36) NOT NULL,
  namespace VARCHAR(80) NOT NULL,
  display_name VARCHAR(80) NULL,
  description TEXT NULL,
  visibility VARCHAR(32) NOT NULL,
  protected BOOLEAN NOT NULL,
  owner VARCHAR(255) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY ux_metadef_namespaces_namespace (namespace),
  KEY ix_metadef_namespaces_owner (owner)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE metadef_objects (
  namespace_id CHAR(36) NOT NULL,
  name VARCHAR(80) NOT NULL,
  definition MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (namespace_id, name),
  CONSTRAINT fk_metadef_objects_namespace FOREIGN KEY (namespace_id) REFERENCES metadef_namespaces (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE metadef_properties (
  namespace_id CHAR(36) NOT NULL,
  name VARCHAR(80) NOT NULL,
  definition MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (namespace_id, name),
  CONSTRAINT fk_metadef_properties_namespace FOREIGN KEY (namespace_id) REFERENCES metadef_namespaces (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE metadef_tags (
  namespace_id CHAR(36) NOT NULL,
  name VARCHAR(80) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (namespace_id, name),
  CONSTRAINT fk_metadef_tags_namespace FOREIGN KEY (namespace_id) REFERENCES metadef_namespaces (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE metadef_resource_types (
  name VARCHAR(80) NOT NULL,
  protected BOOLEAN NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE metadef_namespace_resource_types (
  namespace_id CHAR(36) NOT NULL,
  resource_type VARCHAR(80) NOT NULL,
  prefix VARCHAR(80) NULL,
  properties_target VARCHAR(80) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (namespace_id, resource_type),
  KEY ix_metadef_ns_res_types_resource_type (resource_type),
  CONSTRAINT fk_metadef_ns_res_types_namespace FOREIGN KEY (namespace_id) REFERENCES metadef_namespaces (id)
    ON DELETE CASCADE,
  CONSTRAINT fk_metadef_ns_res_types_resource_type FOREIGN KEY (resource_type) REFERENCES metadef_resource_types (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
