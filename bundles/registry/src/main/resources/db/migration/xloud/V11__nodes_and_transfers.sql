-- Operational state shared by the nodes, not a projection of the events (a registry rebuild
-- leaves it alone): where each node answers, and the heartbeat of every transfer in progress.
CREATE TABLE nodes (
  node_id VARCHAR(255) NOT NULL PRIMARY KEY,
  url VARCHAR(1024) NOT NULL,
  started_at DATETIME(6) NOT NULL,
  seen_at DATETIME(6) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE transfer_heartbeats (
  image_id CHAR(36) NOT NULL PRIMARY KEY,
  node_id VARCHAR(255) NOT NULL,
  bytes BIGINT NOT NULL,
  beat_at DATETIME(6) NOT NULL,
  KEY ix_transfer_heartbeats_beat (beat_at)
) ENGINE=InnoDB;
