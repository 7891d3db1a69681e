package com.xloud.image.metrics.internal;

import com.xloud.image.api.cache.ImageCache;
import com.xloud.image.api.metrics.MetricsExposition;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The node's meters: a Prometheus registry offered to the other bundles as their
 * {@code MeterRegistry} (they add their meters to it), JVM and process meters, the image cache's
 * counters while a cache runs, and the text exposition that {@code /metrics} serves.
 */
@Component(service = MetricsExposition.class, immediate = true)
public final class PrometheusMetrics implements MetricsExposition {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServiceRegistration<MeterRegistry> registration;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<Meter> cacheMeters = new ArrayList<>();

    @Activate
    public PrometheusMetrics(BundleContext context) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("metrics.format", "prometheus");
        registration = context.registerService(MeterRegistry.class, registry, props);
    }

    @Deactivate
    public void close() {
        registration.unregister();
        gc.close();
        registry.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public synchronized void setCache(ImageCache cache) {
        removeCacheMeters();
        counter("xloud.cache.hits", "downloads served from this node's image cache", cache, s -> s.hits());
        counter("xloud.cache.misses", "downloads of active images the cache did not hold", cache, s -> s.misses());
        counter("xloud.cache.served.bytes", "bytes served from the image cache", cache, s -> s.bytesServed());
        counter("xloud.cache.fills", "images committed to the cache", cache, s -> s.fills());
        counter("xloud.cache.fill.failures", "fills dropped: digest mismatch, disk error", cache,
                s -> s.fillFailures());
        counter("xloud.cache.fill.seconds", "time the committed fills took", cache, s -> s.fillSeconds());
        gauge("xloud.cache.entries", "images in the cache", cache, s -> s.entries());
        gauge("xloud.cache.size.bytes", "bytes in the cache", cache, s -> s.bytes());
        gauge("xloud.cache.max.bytes", "the cache's maximum size", cache, s -> s.maxBytes());
    }

    public synchronized void unsetCache(ImageCache cache) {
        removeCacheMeters();
    }

    private void counter(String name, String help, ImageCache cache, ToDoubleFunction<ImageCache.Stats> f) {
        cacheMeters.add(FunctionCounter.builder(name, cache, c -> f.applyAsDouble(c.stats())).description(help)
                .register(registry));
    }

    private void gauge(String name, String help, ImageCache cache, ToDoubleFunction<ImageCache.Stats> f) {
        cacheMeters.add(Gauge.builder(name, cache, c -> f.applyAsDouble(c.stats())).description(help)
                .register(registry));
    }

    private void removeCacheMeters() {
        cacheMeters.forEach(registry::remove);
        cacheMeters.clear();
    }

    @Override
    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public void write(OutputStream out) throws IOException {
        registry.scrape(out);
    }
}
