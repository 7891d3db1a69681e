package com.xloud.image.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.rest.cfg}. */
@ObjectClassDefinition(name = "Xloud image API server")
@interface RestConfig {
    @AttributeDefinition(description = "address to listen on")
    String bind_host() default "127.0.0.1";

    @AttributeDefinition(description = "port to listen on")
    int bind_port() default 9292;

    @AttributeDefinition(description = "largest number of request threads")
    int max_threads() default 200;

    @AttributeDefinition(description = "milliseconds a stopping node waits for requests in flight")
    long graceful_stop_ms() default 30000;

    @AttributeDefinition(description = "milliseconds a connection may stay idle")
    long idle_timeout_ms() default 60000;

    @AttributeDefinition(description = "while this file exists /healthcheck answers 503; empty: <data dir>/healthcheck_disable")
    String healthcheck_disable_file() default "";
}
