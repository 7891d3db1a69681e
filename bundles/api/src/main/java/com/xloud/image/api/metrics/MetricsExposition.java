package com.xloud.image.api.metrics;

import java.io.IOException;
import java.io.OutputStream;

/** Every meter of the node, written for a scraper (Prometheus' text format). */
public interface MetricsExposition {

    /** The Content-Type of what {@link #write} produces. */
    String contentType();

    void write(OutputStream out) throws IOException;
}
