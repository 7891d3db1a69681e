/**
 * The registry: MariaDB tables that answer every metadata query, kept as a projection of the
 * image events in the same transaction as the event append. Depends on the api bundle, Axon's
 * messaging module (the unit-of-work aware connection), HikariCP, the MariaDB driver and Flyway;
 * never on the core, the REST layer or a store.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package com.xloud.image.registry;
