package com.xloud.image.protection.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.protection.cfg}: property protection is on while this file exists. */
@ObjectClassDefinition(name = "Xloud image property protection")
@interface ProtectionConfig {
    @AttributeDefinition(description = "property protection file (Glance's INI format); read again when it changes"
            + " (Glance: property_protection_file)")
    String property_protection_file() default "";

    @AttributeDefinition(description = "roles or policies (Glance: property_protection_rule_format)")
    String property_protection_rule_format() default "roles";
}
