-- One row every registry write reads in share mode at the start of its projection; a registry
-- rebuild holds it exclusively for the moment it swaps the rebuilt tables in, so that no write
-- lands in tables that are being replaced, on any node.
CREATE TABLE registry_gate (
  id TINYINT NOT NULL PRIMARY KEY,
  rebuilt_at DATETIME(6) NULL
) ENGINE=InnoDB;
INSERT INTO registry_gate (id) VALUES (1);
