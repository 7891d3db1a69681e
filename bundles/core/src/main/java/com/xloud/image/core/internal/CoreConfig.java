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

    @AttributeDefinition(description = "import methods offered, of glance-direct, web-download, copy-image and"
            + " glance-download (which needs Keystone) (Glance: enabled_import_methods)")
    String enabled_import_methods() default "glance-direct,web-download,copy-image";

    @AttributeDefinition(description = "glance-download: prefixes of the extra properties the image takes over"
            + " from its source; never os_glance (Glance: [glance_download_properties] extra_properties)")
    String glance_download_properties() default "hw_,trait:,os_distro,os_secure_boot,os_type";

    @AttributeDefinition(description = "staging area for glance-direct, web-download and glance-download;"
            + " empty: <data dir>/staging")
    String staging_dir() default "";

    @AttributeDefinition(description = "import tasks that may run at once on this node")
    int import_workers() default 4;

    @AttributeDefinition(description = "web-download: schemes allowed (empty: any of http, https)")
    String import_allowed_schemes() default "http,https";

    @AttributeDefinition(description = "web-download: schemes refused")
    String import_disallowed_schemes() default "";

    @AttributeDefinition(description = "web-download: hosts allowed (empty: any)")
    String import_allowed_hosts() default "";

    @AttributeDefinition(description = "web-download: hosts refused")
    String import_disallowed_hosts() default "";

    @AttributeDefinition(description = "web-download: ports allowed (empty: any)")
    String import_allowed_ports() default "80,443";

    @AttributeDefinition(description = "web-download: ports refused")
    String import_disallowed_ports() default "";

    @AttributeDefinition(description = "web-download: seconds without a byte before the transfer is cut")
    int web_download_stall_seconds() default 60;

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
