package com.xloud.image.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.core.cfg}. Lists are comma-separated strings (a .cfg file has no arrays). */
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

    @AttributeDefinition(description = "URL other nodes reach this node at, for requests only it can serve (an import"
            + " of data staged here); empty: http://<bind host>:<port> (Glance: worker_self_reference_url)")
    String worker_self_reference_url() default "";

    @AttributeDefinition(description = "seconds an upload, staging or import may go without progress before another"
            + " node declares its node dead, returns the image to queued and removes the partial data")
    long transfer_stall_seconds() default 60;

    @AttributeDefinition(description = "seconds between the tries to remove data of deleted images that a store could"
            + " not remove when the image was deleted (Glance's scrubber wakeup_time)")
    long scrub_retry_seconds() default 60;

    @AttributeDefinition(description = "true: uploads and imports are refused (503) while the disk format"
            + " inspection bundle (com.xloud.image.inspection) is not running; false: accepted uninspected then")
    boolean inspection_required() default true;

    @AttributeDefinition(description = "show image locations (url and metadata) to callers the get_image_location"
            + " policy allows (Glance: show_multiple_locations)")
    boolean show_multiple_locations() default false;

    @AttributeDefinition(description = "show an image's first location as direct_url to callers the"
            + " get_image_location policy allows (Glance: show_image_direct_url)")
    boolean show_image_direct_url() default false;
}
