package com.xloud.image.policy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.policy.cfg} (optional: without it, Glance's defaults). */
@ObjectClassDefinition(name = "Xloud image policy")
@interface PolicyConfig {
    @AttributeDefinition(description = "policy file (YAML or JSON, Glance's policy.yaml rules) overriding Glance's"
            + " default rules; read again when it changes; empty: the defaults (Glance: [oslo_policy] policy_file)")
    String policy_file() default "";
}
