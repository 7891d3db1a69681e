package com.xloud.image.barbican.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.barbican.cfg}: where Barbican answers (Glance: castellan's barbican_endpoint). */
@ObjectClassDefinition(name = "Xloud Barbican certificates")
@interface BarbicanConfig {
    @AttributeDefinition(description = "Barbican's URL, e.g. http://127.0.0.1:9311")
    String barbican_url();

    @AttributeDefinition(description = "seconds to wait for Barbican")
    int barbican_timeout() default 10;
}
