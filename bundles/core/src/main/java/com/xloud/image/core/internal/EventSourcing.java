package com.xloud.image.core.internal;

import com.xloud.image.core.kernel.Commands;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.core.internal.aggregate.ImageAggregate;
import com.xloud.image.registry.EventStoreConfiguration;
import com.xloud.image.registry.ImageRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon without Spring: the image aggregate event-sourced from the JDBC event store in MariaDB, and
 * the registry projection as a subscribing handler, so the event append and the registry rows
 * commit in one transaction on one connection.
 */
public final class EventSourcing implements Commands, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSourcing.class);

    private final Configuration axon;
    private final ImageRegistry registry;
    private final JdbcEventStorageEngine storage;
    private final CommandGateway commands;
    private final CoreMetrics metrics;

    public EventSourcing(ImageRegistry registry) {
        this(registry, new CoreMetrics());
    }

    EventSourcing(ImageRegistry registry, CoreMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.storage = EventStoreConfiguration.withAxonLoader(() -> EventStoreConfiguration.storage(registry));
        this.axon = EventStoreConfiguration.start(registry, storage, ImageAggregate.class, ep ->
                // projection lag: from the event's timestamp until the transaction that projects it commits
                ep.registerDefaultHandlerInterceptor((c, name) -> (unitOfWork, chain) -> {
                    java.time.Instant at = unitOfWork.getMessage().getTimestamp();
                    unitOfWork.afterCommit(u -> metrics.projected(java.time.Duration.between(at, java.time.Instant.now())));
                    return chain.proceed();
                }));
        this.commands = axon.commandGateway();
    }

    /**
     * Sends a command and waits; the aggregate's {@link ImageException}s come back as they are,
     * Axon's own failures are translated to the error families of the API.
     */
    @Override
    public <R> R send(Object command) {
        long t0 = System.nanoTime();
        R result = EventStoreConfiguration.send(commands, command, "image", null);
        metrics.append(command.getClass().getSimpleName()).record(System.nanoTime() - t0,
                java.util.concurrent.TimeUnit.NANOSECONDS);
        return result;
    }

    /**
     * Feeds {@code projections} every stored event after {@code after} (null: from the first), in
     * order, and returns the position of the last one fed ({@code after} when there was none), to
     * go on from there later. {@code progress} hears the running count every 1,000 events.
     */
    public TrackingToken replay(java.util.List<Object> projections, TrackingToken after, LongConsumer progress) {
        java.util.List<AnnotationEventHandlerAdapter> adapters = projections.stream()
                .map(p -> new AnnotationEventHandlerAdapter(p, axon.parameterResolverFactory(),
                        axon.handlerDefinition(p.getClass()))).toList();
        AtomicLong count = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<TrackingToken> last = new java.util.concurrent.atomic.AtomicReference<>(after);
        DefaultUnitOfWork<EventMessage<String>> uow =
                DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("registry replay"));
        uow.execute(() -> {
            try (var events = storage.readEvents(after, false)) {
                events.forEach(event -> {
                    try {
                        for (AnnotationEventHandlerAdapter adapter : adapters) {
                            if (adapter.canHandle(event)) {
                                adapter.handle(event);
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("replay failed at event " + event.getIdentifier(), e);
                    }
                    last.set(event.trackingToken());
                    long n = count.incrementAndGet();
                    if (progress != null && n % 1000 == 0) {
                        progress.accept(n);
                    }
                });
            }
        });
        if (uow.getExecutionResult() != null && uow.getExecutionResult().isExceptionResult()) {
            throw new IllegalStateException("registry replay failed", uow.getExecutionResult().getExceptionResult());
        }
        if (progress != null) {
            progress.accept(count.get());
        }
        return last.get();
    }

    @Override
    public void close() {
        axon.shutdown();
    }
}
