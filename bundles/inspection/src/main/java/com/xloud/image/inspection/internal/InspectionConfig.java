package com.xloud.image.inspection.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.inspection.cfg} (optional: without it, the defaults). */
@ObjectClassDefinition(name = "Xloud disk format inspection")
@interface InspectionConfig {
    @AttributeDefinition(description = "true: data whose format differs from its disk_format is refused with 415;"
            + " false: stored anyway, as Glance 25.1 does (unsafe images stay refused)")
    boolean require_image_format_match() default true;
}
