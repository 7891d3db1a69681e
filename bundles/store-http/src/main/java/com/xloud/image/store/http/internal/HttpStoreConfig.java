package com.xloud.image.store.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One http store: {@code etc/com.xloud.image.store.http-<name>.cfg}, with Glance's http option names. */
@ObjectClassDefinition(name = "Xloud read-only HTTP store")
@interface HttpStoreConfig {
    @AttributeDefinition(description = "store id, as /v2/info/stores and the image's stores name it")
    String store_id() default "http";

    @AttributeDefinition(description = "what /v2/info/stores says of the store")
    String store_description() default "Read-only HTTP(S) locations";

    @AttributeDefinition(description = "stores with more weight are preferred for downloads")
    int store_weight() default 0;

    @AttributeDefinition(description = "accept any server certificate and host name; Glance's default is true,"
            + " ours is false (Glance: https_insecure)")
    boolean https_insecure() default false;

    @AttributeDefinition(description = "PEM file of the CA certificates to trust instead of the JDK's"
            + " (Glance: https_ca_certificates_file)")
    String https_ca_certificates_file() default "";

    @AttributeDefinition(description = "proxies per URL scheme, 'http:host:port,https:host:port'"
            + " (Glance: http_proxy_information)")
    String http_proxy_information() default "";

    @AttributeDefinition(description = "redirects followed before a read fails (Glance follows 5)")
    int http_max_redirects() default 5;

    @AttributeDefinition(description = "seconds to open a connection to the server of a location")
    int http_connect_timeout() default 10;

    @AttributeDefinition(description = "seconds a server may stay silent while it sends data before the read fails")
    int http_io_timeout() default 60;
}
