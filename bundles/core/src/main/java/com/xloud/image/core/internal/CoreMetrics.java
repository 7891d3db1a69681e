package com.xloud.image.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;

/**
 * The core's meters, kept in a composite registry of its own so that they exist whether or not
 * a metrics bundle runs: when one offers its {@code MeterRegistry}, the meters appear there.
 * <ul>
 * <li>{@code xloud.events.append}: how long a command takes to append its events (and project
 * them, same transaction), by command;</li>
 * <li>{@code xloud.projection.lag}: from an event's timestamp until its projection is
 * committed and readable.</li>
 * </ul>
 * The data bundle keeps the store meters ({@code xloud.store.bytes}).
 */
final class CoreMetrics {
    /** Histogram buckets of the timers (Prometheus {@code le}), from 1 ms to 30 s. */
    private static final Duration[] BUCKETS = java.util.stream.Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
            5000, 10_000, 30_000).map(Duration::ofMillis).toArray(Duration[]::new);
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Timer lag = Timer.builder("xloud.projection.lag")
            .description("from an event's timestamp until its registry projection is committed")
            .serviceLevelObjectives(BUCKETS).register(meters);

    void add(MeterRegistry registry) {
        meters.add(registry);
    }

    void remove(MeterRegistry registry) {
        meters.remove(registry);
    }

    Timer append(String command) {
        return Timer.builder("xloud.events.append").description("time to append a command's events and project them")
                .tag("command", command).serviceLevelObjectives(BUCKETS).register(meters);
    }

    void projected(Duration sinceEvent) {
        lag.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
    }
}
