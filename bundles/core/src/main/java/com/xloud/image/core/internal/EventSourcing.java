package com.xloud.image.core.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.xloud.image.api.events.ImageEvent;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.core.internal.aggregate.ImageAggregate;
import com.xloud.image.registry.ImageRegistry;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.annotation.ClasspathHandlerDefinition;
import org.axonframework.messaging.annotation.ClasspathHandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.MultiHandlerDefinition;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.config.ConfigurationParameterResolverFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon without Spring: the image aggregate event-sourced from the JDBC event store in MariaDB, and
 * the registry projection as a subscribing handler, so the event append and the registry rows
 * commit in one transaction on one connection.
 */
public final class EventSourcing implements AutoCloseable {
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
        ClassLoader axonLoader = axonLoader();
        // Axon looks up converters and other extensions with ServiceLoader on the context class
        // loader while it is configured: let it see Axon's own bundles, and nothing else.
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(axonLoader);
        try {
            this.storage = storage(registry);
            this.axon = configure(registry, axonLoader);
        } finally {
            t.setContextClassLoader(previous);
        }
        this.commands = axon.commandGateway();
    }

    private static ClassLoader axonLoader() {
        return new UnionClassLoader(
                org.axonframework.messaging.Message.class.getClassLoader(),
                org.axonframework.modelling.command.Repository.class.getClassLoader(),
                EventSourcingRepository.class.getClassLoader(),
                DefaultConfigurer.class.getClassLoader());
    }

    private static JacksonSerializer serializer() {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return JacksonSerializer.builder()
                .objectMapper(json)
                .classLoader(ImageEvent.class.getClassLoader())
                .build();
    }

    private static JdbcEventStorageEngine storage(ImageRegistry registry) {
        JacksonSerializer serializer = serializer();
        return JdbcEventStorageEngine.builder()
                .connectionProvider(registry.connections())
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(EventSourcing::isDuplicateKey)
                .build();
    }

    private Configuration configure(ImageRegistry registry, ClassLoader axonLoader) {
        JdbcEventStorageEngine storage = this.storage;
        JacksonSerializer serializer = serializer();
        HandlerDefinition handlers = MultiHandlerDefinition.ordered(
                ClasspathHandlerDefinition.forClassLoader(axonLoader).getDelegates(),
                ClasspathHandlerEnhancerDefinition.forClassLoader(axonLoader));
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> storage)
                .registerComponent(ParameterResolverFactory.class, c -> MultiParameterResolverFactory.ordered(
                        ClasspathParameterResolverFactory.forClassLoader(axonLoader),
                        new ConfigurationParameterResolverFactory(c)))
                .registerHandlerDefinition((c, clazz) -> handlers)
                .configureAggregate(ImageAggregate.class);
        configurer.eventProcessing(ep -> {
            ep.usingSubscribingEventProcessors()
                    .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
            registry.projections().forEach(p -> ep.registerEventHandler(c -> p));
            // projection lag: from the event's timestamp until the transaction that projects it commits
            ep.registerDefaultHandlerInterceptor((c, name) -> (unitOfWork, chain) -> {
                java.time.Instant at = unitOfWork.getMessage().getTimestamp();
                unitOfWork.afterCommit(u -> metrics.projected(java.time.Duration.between(at, java.time.Instant.now())));
                return chain.proceed();
            });
        });
        Configuration configuration = configurer.buildConfiguration();
        configuration.start();
        return configuration;
    }

    private static boolean isDuplicateKey(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (t instanceof SQLException s && "23000".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends a command and waits; the aggregate's {@link ImageException}s come back as they are,
     * Axon's own failures are translated to the error families of the API.
     */
    public <R> R send(Object command) {
        long t0 = System.nanoTime();
        try {
            R result = commands.sendAndWait(command);
            metrics.append(command.getClass().getSimpleName()).record(System.nanoTime() - t0,
                    java.util.concurrent.TimeUnit.NANOSECONDS);
            return result;
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
            return new ImageException(ImageException.Kind.NOT_FOUND, "No image found");
        }
        if (e instanceof ConcurrencyException) {
            return ImageException.conflict("The image was changed concurrently by another request; retry.");
        }
        if (e instanceof EventStoreException) {
            LOG.error("event store failure for {}", command.getClass().getSimpleName(), e);
            return new ImageException(ImageException.Kind.UNAVAILABLE, "The event store is unavailable");
        }
        LOG.error("command {} failed", command.getClass().getSimpleName(), e);
        return new ImageException(ImageException.Kind.UNAVAILABLE, "The request could not be completed: "
                + e.getClass().getSimpleName());
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
