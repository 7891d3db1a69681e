package com.xloud.image.registry.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.registry.cfg}. An empty {@code db.url} means the embedded MariaDB. */
@ObjectClassDefinition(name = "Xloud image registry")
@interface RegistryConfig {

    @AttributeDefinition(description = "JDBC URL of an external MariaDB; empty: the embedded server the launcher started")
    String db_url() default "";

    @AttributeDefinition(description = "database user")
    String db_user() default "root";

    @AttributeDefinition(description = "database password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String db_password() default "";

    @AttributeDefinition(description = "largest number of pooled connections")
    int db_pool_size() default 20;

    @AttributeDefinition(description = "milliseconds to wait for a pooled connection")
    long db_connection_timeout() default 10000;
}
