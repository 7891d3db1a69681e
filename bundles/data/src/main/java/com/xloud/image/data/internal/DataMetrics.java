package com.xloud.image.data.internal;

import com.xloud.image.api.store.CountingInputStream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.InputStream;

/**
 * The data path's meters, in a composite registry of their own (they exist whether or not a
 * metrics bundle runs; when one offers its {@code MeterRegistry}, they appear there):
 * {@code xloud.store.bytes}, image bytes into ({@code direction=in}) and out of ({@code out})
 * each store.
 */
final class DataMetrics {
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

    void add(MeterRegistry registry) {
        meters.add(registry);
    }

    void remove(MeterRegistry registry) {
        meters.remove(registry);
    }

    Counter storeBytes(String storeId, String direction) {
        return Counter.builder("xloud.store.bytes").description("image bytes into and out of each store")
                .baseUnit("bytes").tag("store", storeId).tag("direction", direction).register(meters);
    }

    /** Counts the bytes a client reads from a store. */
    InputStream countOut(String storeId, InputStream in) {
        Counter out = storeBytes(storeId, "out");
        return new CountingInputStream(in, out::increment);
    }
}
