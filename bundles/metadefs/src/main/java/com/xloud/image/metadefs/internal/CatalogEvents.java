package com.xloud.image.metadefs.internal;

import com.xloud.image.api.images.ImageException;
import com.xloud.image.registry.EventStoreConfiguration;
import com.xloud.image.registry.ImageRegistry;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespaces' aggregate on the shared event store: a command appends its events and the
 * registry projects them into the metadef tables in the same transaction.
 */
final class CatalogEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogEvents.class);

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
        try {
            return commands.sendAndWait(command);
        } catch (CommandExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), command);
        } catch (RuntimeException e) {
            throw translate(e, command);
        }
    }

    private static RuntimeException translate(Throwable e, Object command) {
        if (e instanceof ImageException ie) {
            return ie;
        }
        if (e instanceof AggregateNotFoundException) {
            return new ImageException(ImageException.Kind.NOT_FOUND, "Metadata definition namespace not found");
        }
        if (e instanceof ConcurrencyException) {
            return ImageException.conflict("The namespace was changed concurrently by another request; retry.");
        }
        if (isDuplicateEntry(e)) {
            // a unique name taken by a concurrent request between the catalog's check and the append
            return ImageException.conflict("A metadata definition with this name already exists.");
        }
        if (e instanceof EventStoreException) {
            LOG.error("event store failure for {}", command.getClass().getSimpleName(), e);
            return new ImageException(ImageException.Kind.UNAVAILABLE, "The event store is unavailable");
        }
        LOG.error("command {} failed", command.getClass().getSimpleName(), e);
        return new ImageException(ImageException.Kind.UNAVAILABLE, "The request could not be completed: "
                + e.getClass().getSimpleName());
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
