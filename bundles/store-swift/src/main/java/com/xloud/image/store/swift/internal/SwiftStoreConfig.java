package com.xloud.image.store.swift.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One Swift store: {@code etc/com.xloud.image.store.swift-<name>.cfg}, with Glance's swift option names. */
@ObjectClassDefinition(name = "Xloud OpenStack Swift store")
@interface SwiftStoreConfig {
    @AttributeDefinition(description = "store id, as clients name it in X-Image-Meta-Store")
    String store_id() default "swift";

    @AttributeDefinition(description = "what /v2/info/stores says of the store")
    String store_description() default "OpenStack Swift";

    @AttributeDefinition(description = "stores with more weight are preferred for downloads")
    int store_weight() default 0;

    @AttributeDefinition(description = "uploads that name no store go to the default store")
    boolean store_default() default false;

    @AttributeDefinition(description = "tempauth URL (http://host:8080/auth/v1.0) or Keystone v3 URL (http://host:5000/v3)"
            + " (Glance: swift_store_auth_address)")
    String swift_store_auth_address();

    @AttributeDefinition(description = "1 for tempauth, 3 for Keystone v3 (Glance: swift_store_auth_version)")
    String swift_store_auth_version() default "1";

    @AttributeDefinition(description = "tempauth 'account:user', or Keystone 'project:user' (Glance: swift_store_user)")
    String swift_store_user();

    @AttributeDefinition(description = "the user's key or password (Glance: swift_store_key)", type = AttributeType.PASSWORD)
    String swift_store_key();

    @AttributeDefinition(description = "Keystone v3: the domain of the user")
    String swift_store_user_domain_name() default "Default";

    @AttributeDefinition(description = "Keystone v3: the domain of the project")
    String swift_store_project_domain_name() default "Default";

    @AttributeDefinition(description = "Keystone v3: catalog entry type (Glance: swift_store_service_type)")
    String swift_store_service_type() default "object-store";

    @AttributeDefinition(description = "Keystone v3: publicURL, internalURL or adminURL (Glance: swift_store_endpoint_type)")
    String swift_store_endpoint_type() default "publicURL";

    @AttributeDefinition(description = "Keystone v3: the catalog region, empty for any (Glance: swift_store_region)")
    String swift_store_region() default "";

    @AttributeDefinition(description = "container of the images (Glance: swift_store_container)")
    String swift_store_container() default "glance";

    @AttributeDefinition(description = "create the container on the first upload (Glance: swift_store_create_container_on_put)")
    boolean swift_store_create_container_on_put() default false;

    @AttributeDefinition(description = "0: one container; 1-32: the container is <container>_<first N characters of the"
            + " image id> (Glance: swift_store_multiple_containers_seed)")
    int swift_store_multiple_containers_seed() default 0;

    @AttributeDefinition(description = "MiB from which an image is written as segments plus a Static Large Object"
            + " manifest; images of unknown size are always segmented (Glance: swift_store_large_object_size)")
    int swift_store_large_object_size() default 5120;

    @AttributeDefinition(description = "MiB per segment (Glance: swift_store_large_object_chunk_size)")
    int swift_store_large_object_chunk_size() default 200;

    @AttributeDefinition(description = "how often a download whose connection drops resumes with a Range request"
            + " (Glance: swift_store_retry_get_count)")
    int swift_store_retry_get_count() default 3;

    @AttributeDefinition(description = "seconds to open a connection to Swift or the auth service")
    int swift_store_connect_timeout() default 10;

    @AttributeDefinition(description = "seconds a connection to Swift may stay silent before the request fails")
    int swift_store_io_timeout() default 60;
}
