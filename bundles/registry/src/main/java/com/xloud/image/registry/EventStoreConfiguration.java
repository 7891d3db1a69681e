package com.xloud.image.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.xloud.image.api.events.ImageEvent;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.registry.internal.UnionClassLoader;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurationParameterResolverFactory;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
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
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.json.JacksonSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon without Spring over the one event store in the registry database: every bundle that keeps
 * an aggregate (the images in core, the metadata definitions catalog) configures Axon through
 * here, so their events share one table, one serializer (the event types live in the api bundle)
 * and one transaction with the registry projections.
 */
public final class EventStoreConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(EventStoreConfiguration.class);

    private EventStoreConfiguration() {
    }

    /** The JSON form of every stored event. */
    public static JacksonSerializer serializer() {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return JacksonSerializer.builder()
                .objectMapper(json)
                .classLoader(ImageEvent.class.getClassLoader())
                .build();
    }

    /** The event table, written through the registry's unit-of-work connections. */
    public static JdbcEventStorageEngine storage(ImageRegistry registry) {
        JacksonSerializer serializer = serializer();
        return JdbcEventStorageEngine.builder()
                .connectionProvider(registry.connections())
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(EventStoreConfiguration::isDuplicateKey)
                .build();
    }

    /**
     * A started Axon configuration for {@code aggregate}: events appended to {@code storage}, the
     * registry's projections subscribed (they run in the appending transaction, and a failing one
     * fails the command), plus whatever {@code processing} adds.
     */
    public static Configuration start(ImageRegistry registry, JdbcEventStorageEngine storage, Class<?> aggregate,
                                      Consumer<EventProcessingConfigurer> processing) {
        return withAxonLoader(() -> {
            ClassLoader axonLoader = Thread.currentThread().getContextClassLoader();
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
                    .configureAggregate(aggregate);
            configurer.eventProcessing(ep -> {
                ep.usingSubscribingEventProcessors()
                        .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
                registry.projections().forEach(p -> ep.registerEventHandler(c -> p));
                processing.accept(ep);
            });
            Configuration configuration = configurer.buildConfiguration();
            configuration.start();
            return configuration;
        });
    }

    /**
     * Runs {@code work} with Axon's bundles as the context class loader: Axon looks up converters
     * and handler extensions with ServiceLoader on it while it is configured, and in OSGi each of
     * its modules is a bundle of its own.
     */
    public static <T> T withAxonLoader(Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(new UnionClassLoader(
                org.axonframework.messaging.Message.class.getClassLoader(),
                org.axonframework.modelling.command.Repository.class.getClassLoader(),
                EventSourcingRepository.class.getClassLoader(),
                DefaultConfigurer.class.getClassLoader()));
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * Sends {@code command} and waits; a refusal of the aggregate (an {@link ImageException}) comes
     * back as it is, Axon's own failures as the API's error families: a missing aggregate 404,
     * a concurrent change 409, {@code duplicate} (a unique key taken meanwhile) as it says,
     * anything else 503. {@code noun} names the aggregate in the messages.
     */
    public static <R> R send(CommandGateway commands, Object command, String noun,
                             java.util.function.Function<Throwable, ImageException> duplicate) {
        try {
            return commands.sendAndWait(command);
        } catch (CommandExecutionException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), command, noun, duplicate);
        } catch (RuntimeException e) {
            throw failure(e, command, noun, duplicate);
        }
    }

    private static RuntimeException failure(Throwable e, Object command, String noun,
                                            java.util.function.Function<Throwable, ImageException> duplicate) {
        if (e instanceof ImageException ie) {
            return ie;
        }
        if (e instanceof AggregateNotFoundException) {
            return new ImageException(ImageException.Kind.NOT_FOUND, "No " + noun + " found");
        }
        if (e instanceof ConcurrencyException) {
            return ImageException.conflict("The " + noun + " was changed concurrently by another request; retry.");
        }
        ImageException taken = duplicate == null ? null : duplicate.apply(e);
        if (taken != null) {
            return taken;
        }
        if (e instanceof EventStoreException) {
            LOG.error("event store failure for {}", command.getClass().getSimpleName(), e);
            return new ImageException(ImageException.Kind.UNAVAILABLE, "The event store is unavailable");
        }
        LOG.error("command {} failed", command.getClass().getSimpleName(), e);
        return new ImageException(ImageException.Kind.UNAVAILABLE, "The request could not be completed: "
                + e.getClass().getSimpleName());
    }

    /** True when {@code e} is a duplicate key: the (aggregate, sequence) of a concurrent writer, or a unique column. */
    public static boolean isDuplicateKey(Throwable e) {
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
}
