package com.xloud.image.metadefs.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.registry.EventStoreConfiguration;
import com.xloud.image.registry.ImageRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * The namespaces' aggregate on the shared event store: a command appends its events and the
 * registry projects them into the metadef tables in the same transaction.
 */
final class CatalogEvents implements AutoCloseable {
    private final Configuration axon;
    private final CommandGateway commands;

    CatalogEvents(ImageRegistry registry) {
        JdbcEventStorageEngine storage = EventStoreConfiguration.withAxonLoader(
                () -> EventStoreConfiguration.storage(registry));
        this.axon = EventStoreConfiguration.start(registry, storage, NamespaceAggregate.class, ep -> { });
        this.commands = axon.commandGateway();
    }

    /** Sends a command and waits; refusals come back as the API's error families. */
    <R> R send(Object command) {
        return EventStoreConfiguration.send(commands, command, "namespace", e -> isDuplicateEntry(e)
                // a unique name taken by a concurrent request between the catalog's check and the append
                ? ImageException.conflict("A metadata definition with this name already exists.") : null);
    }

    /** MariaDB's ER_DUP_ENTRY (1062) anywhere in the chain: a unique key, not another constraint. */
    private static boolean isDuplicateEntry(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && s.getErrorCode() == 1062) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        axon.shutdown();
    }
}
