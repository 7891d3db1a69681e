-- Axon's JDBC event store, default table and column names (case-sensitive on Linux).
CREATE TABLE DomainEventEntry (
  globalIndex BIGINT NOT NULL AUTO_INCREMENT,
  aggregateIdentifier VARCHAR(255) NOT NULL,
  sequenceNumber BIGINT NOT NULL,
  type VARCHAR(255),
  eventIdentifier VARCHAR(255) NOT NULL,
  metaData LONGBLOB,
  payload LONGBLOB NOT NULL,
  payloadRevision VARCHAR(255),
  payloadType VARCHAR(255) NOT NULL,
  timeStamp VARCHAR(255) NOT NULL,
  PRIMARY KEY (globalIndex),
  UNIQUE KEY uq_domain_event_aggregate_seq (aggregateIdentifier, sequenceNumber),
  UNIQUE KEY uq_domain_event_id (eventIdentifier)
) ENGINE=InnoDB;

CREATE TABLE SnapshotEventEntry (
  aggregateIdentifier VARCHAR(255) NOT NULL,
  sequenceNumber BIGINT NOT NULL,
  type VARCHAR(255) NOT NULL,
  eventIdentifier VARCHAR(255) NOT NULL,
  metaData LONGBLOB,
  payload LONGBLOB NOT NULL,
  payloadRevision VARCHAR(255),
  payloadType VARCHAR(255) NOT NULL,
  timeStamp VARCHAR(255) NOT NULL,
  PRIMARY KEY (aggregateIdentifier, sequenceNumber),
  UNIQUE KEY uq_snapshot_event_id (eventIdentifier)
) ENGINE=InnoDB;
