/**
 * Metrics exposition: the metrics bundle registers a {@link com.xloud.image.api.metrics.MetricsExposition}
 * service that writes every meter of the node in a monitoring system's text format; the REST layer
 * serves it at {@code /metrics}. Meters themselves are Micrometer's, through its {@code MeterRegistry} service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.metrics;
