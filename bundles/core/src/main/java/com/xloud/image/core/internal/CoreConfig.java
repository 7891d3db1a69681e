package com.xloud.image.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.core.cfg}. */
@ObjectClassDefinition(name = "Xloud image core")
@interface CoreConfig {
    @AttributeDefinition(description = "this node's name in events; empty: the launcher's xloud.node.id")
    String node_id() default "";

    @AttributeDefinition(description = "multihash algorithm (Glance: hashing_algorithm)")
    String hashing_algorithm() default "sha512";

    @AttributeDefinition(description = "largest image in bytes (Glance: image_size_cap, 1 TiB)")
    long image_size_cap() default 1099511627776L;

    @AttributeDefinition(description = "most extra properties an image may have (Glance: image_property_quota)")
    int image_property_quota() default 128;

    @AttributeDefinition(description = "most tags an image may have (Glance: image_tag_quota)")
    int image_tag_quota() default 128;

    @AttributeDefinition(description = "most members an image may have (Glance: image_member_quota)")
    int image_member_quota() default 128;

    @AttributeDefinition(description = "id of the store uploads go to when the client names none; empty: the store marked default")
    String default_store() default "";
}
